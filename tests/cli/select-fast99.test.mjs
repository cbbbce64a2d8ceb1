// fast99's selection rule (scripts/select-fast99.mjs): the fewest training FLOPs among the
// candidates whose dev accuracy reaches the threshold on every seed; the test split plays no part.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SELECTIONS, choose, fallback, keptAfter, parseSelectionArgs } from '../../scripts/select-fast99.mjs';

const row = (candidate, flops, ...dev) => ({ candidate, flops, runs: dev.map((devAccuracy, i) => ({ seed: i + 1, devAccuracy })) });

test('the cheapest candidate that reaches the threshold on every seed is chosen', () => {
  const rows = [row('big', 10, 0.995, 0.995), row('small', 3, 0.992, 0.9909), row('middle', 5, 0.991, 0.9915)];
  assert.equal(choose(rows, 0.991).candidate, 'middle'); // 'small' misses on seed 2; ties at the threshold pass
  assert.equal(choose(rows, 0.999), undefined);
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

test('bad arguments are refused naming the option; a selection brings its own candidates, seeds and threshold', () => {
  const second = parseSelectionArgs([]);
  assert.deepEqual(second.candidates, SELECTIONS.second.candidates.map((c) => c.name));
  assert.deepEqual([second.seeds, second.threshold], [[1, 2, 3], 0.992]);
  const first = parseSelectionArgs(['--selection', 'first']);
  assert.deepEqual([first.seeds, first.threshold, first.candidates.length], [[1, 2], 0.991, 6]);
  assert.throws(() => parseSelectionArgs(['--selection', 'third']), /--selection expects first or second/);
  assert.throws(() => parseSelectionArgs(['--candidates', '4-8-e1']), /unknown candidate 4-8-e1/);
  assert.throws(() => parseSelectionArgs(['--jobs', '0']), /--jobs expects a whole number above 0/);
  assert.throws(() => parseSelectionArgs(['--threshold', '99.1']), /--threshold expects a fraction/);
});
