// fast99's selection rule (scripts/select-fast99.mjs): the fewest training FLOPs among the
// candidates whose dev accuracy reaches the threshold on every seed; the test split plays no part.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CANDIDATES, choose, parseSelectionArgs } from '../../scripts/select-fast99.mjs';

const row = (candidate, flops, ...dev) => ({ candidate, flops, runs: dev.map((devAccuracy, i) => ({ seed: i + 1, devAccuracy })) });

test('the cheapest candidate that reaches the threshold on every seed is chosen', () => {
  const rows = [row('big', 10, 0.995, 0.995), row('small', 3, 0.992, 0.9909), row('middle', 5, 0.991, 0.9915)];
  assert.equal(choose(rows, 0.991).candidate, 'middle'); // 'small' misses on seed 2; ties at the threshold pass
  assert.equal(choose(rows, 0.999), undefined);
});

test('bad arguments are refused naming the option; the written-down candidates are the default', () => {
  assert.deepEqual(parseSelectionArgs([]).candidates, CANDIDATES.map((c) => c.name));
  assert.throws(() => parseSelectionArgs(['--candidates', '4-8-e1']), /unknown candidate 4-8-e1/);
  assert.throws(() => parseSelectionArgs(['--jobs', '0']), /--jobs expects a whole number above 0/);
  assert.throws(() => parseSelectionArgs(['--threshold', '99.1']), /--threshold expects a fraction/);
});
