// fast99's selection rule (scripts/select-fast99.mjs): the fewest training FLOPs among the
// candidates whose dev accuracy reaches the threshold on every seed; the test split plays no part.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SELECTIONS, choose, fallback, keptAfter, parseSelectionArgs } from '../../scripts/select-fast99.mjs';

const row = (candidate, flops, ...dev) => ({ candidate, flops, runs: dev.map((devAccuracy, i) => ({ seed: i + 1, devAccuracy })) });
const augmented = (r) => ({ ...r, augment: true });

test('the cheapest candidate that reaches the threshold on every seed is chosen', () => {
  const rows = [row('big', 10, 0.995, 0.995), row('small', 3, 0.992, 0.9909), row('middle', 5, 0.991, 0.9915)];
  assert.equal(choose(rows, 0.991).candidate, 'middle'); // 'small' misses on seed 2; ties at the threshold pass
  assert.equal(choose(rows, 0.999), undefined);
});

test('on equal FLOPs a candidate without augmentation is chosen before one with it, whatever their order', () => {
  const rows = [augmented(row('aug', 5, 0.995, 0.995)), row('plain', 5, 0.993, 0.993), row('dear', 6, 0.999, 0.999)];
  assert.equal(choose(rows, 0.993).candidate, 'plain');
  assert.equal(choose(rows.reverse(), 0.993).candidate, 'plain');
  assert.equal(choose(rows, 0.994).candidate, 'aug');
});

test('when none passes, the highest lowest dev accuracy wins, the cheaper on a tie', () => {
  const rows = [row('big', 10, 0.991, 0.993), row('small', 3, 0.9915, 0.9905), row('same', 4, 0.991, 0.994)];
  assert.equal(fallback(rows).candidate, 'same');
  assert.equal(fallback([row('a', 2, 0.99, 0.989), row('b', 3, 0.99, 0.9895)]).candidate, 'b');
});

test('a shorter candidate keeps the best of the longer run\'s first epochs, the earlier on a tie', () => {
  const run = { flopsPerEpoch: 1e11, dev: [0.98, 0.99, 0.99, 0.992, 0.991] };
  assert.deepEqual(keptAfter(run, 3), { devAccuracy: 0.99, keptEpoch: 2, flops: 3e11 });
  assert.deepEqual(keptAfter(run, 5), { devAccuracy: 0.992, keptEpoch: 4, flops: 5e11 });
});

test('with --keep last a shorter candidate keeps its own last epoch, even when an earlier one was better', () => {
  const run = { flopsPerEpoch: 1e11, dev: [0.98, 0.99, 0.989, 0.992, 0.991] };
  assert.deepEqual(keptAfter(run, 3, 'last'), { devAccuracy: 0.989, keptEpoch: 3, flops: 3e11 });
  assert.deepEqual(keptAfter(run, 5, 'last'), { devAccuracy: 0.991, keptEpoch: 5, flops: 5e11 });
});

test('bad arguments are refused naming the option; a selection brings its own candidates, seeds and threshold', () => {
  const third = parseSelectionArgs([]);
  assert.deepEqual(third.candidates, SELECTIONS.third.candidates.map((c) => c.name));
  assert.deepEqual([third.seeds, third.threshold, third.devSize, third.keep], [[1, 2, 3], 0.9925, 10000, 'last']);
  const second = parseSelectionArgs(['--selection', 'second']);
  assert.deepEqual([second.seeds, second.threshold, second.devSize, second.keep, second.candidates.length], [[1, 2, 3], 0.992, 5000, 'best', 8]);
  const first = parseSelectionArgs(['--selection', 'first']);
  assert.deepEqual([first.seeds, first.threshold, first.candidates.length], [[1, 2], 0.991, 6]);
  assert.throws(() => parseSelectionArgs(['--selection', 'fourth']), /--selection expects first or second or third/);
  assert.throws(() => parseSelectionArgs(['--candidates', '4-8-e1']), /unknown candidate 4-8-e1/);
  assert.throws(() => parseSelectionArgs(['--jobs', '0']), /--jobs expects a whole number above 0/);
  assert.throws(() => parseSelectionArgs(['--threshold', '99.1']), /--threshold expects a fraction/);
});
