// The bias/variance recipe's L2 selection (scripts/select-bias-variance-l2.mjs): its rules on made-up
// numbers, and the whole protocol end to end on tiny runs (one candidate, one seed, 100 images).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { idxSlice } from './support/mnist-slice.mjs';
import {
  SELECTION, chooseFirstRowSize, chooseL2, l2Rows, parseSelectionArgs, readsHighBiasAlone, rowBefore,
} from '../../scripts/select-bias-variance-l2.mjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const LAB = JSON.parse(fs.readFileSync(path.join(repoRoot, 'web/src/labs/defaults.json'), 'utf8')).biasVariance;

test('the written-down protocol: λ among 32–160 on seeds 1–3, confirmed on 4–6; the first row at 5,000 and 30,000 images on 1–6', () => {
  const opts = parseSelectionArgs([]);
  assert.deepEqual(
    [opts.candidates, opts.seeds, opts.confirmSeeds, opts.firstRowSizes, opts.firstRowSeeds],
    [[32, 64, 96, 128, 160], [1, 2, 3], [4, 5, 6], [5000, 30000], [1, 2, 3, 4, 5, 6]],
  );
  assert.deepEqual([opts.overrides, opts.threads, opts.jobs], [{}, 2, 1]); // the README's numbers: 2 threads, one run at a time
  // The chosen λ is the one the page runs.
  assert.ok(SELECTION.candidates.includes(LAB.recipe.find((r) => r.key === 'labs.bv.recipe.l2').changes.l2));
});

test('"+ L2" is measured against the recipe row before it', () => {
  assert.equal(rowBefore(LAB.recipe, 'labs.bv.recipe.l2'), 'labs.bv.recipe.tiny');
  assert.throws(() => rowBefore(LAB.recipe, LAB.recipe[0].key), /not a recipe row after another/);
});

test('λ: the lowest mean change of the dev error over the seeds, the smaller λ on a tie', () => {
  const runs = { 1: { before: 0.13, l2: { 32: 0.128, 64: 0.125, 96: 0.126 } }, 2: { before: 0.12, l2: { 32: 0.121, 64: 0.118, 96: 0.117 } } };
  const rows = l2Rows([32, 64, 96], [1, 2], runs);
  assert.deepEqual(rows.map((r) => r.lowerOn), [1, 2, 2]);
  assert.ok(Math.abs(rows[0].meanChange - -0.05) < 1e-9, String(rows[0].meanChange)); // (−0.2 + 0.1) / 2 points
  assert.equal(chooseL2(rows).l2, 64); // 64 and 96 both −0.35 points: the smaller
  assert.equal(chooseL2(l2Rows([32, 96], [1], { 1: { before: 0.13, l2: { 32: 0.131, 96: 0.12 } } })).l2, 96);
});

test("the first row's size: the fewest images that read high bias alone on every seed, with the page's thresholds", () => {
  // The course's table (errors in %): only 15 / 16 is high bias alone.
  assert.deepEqual([[1, 11], [15, 16], [15, 30], [0.5, 1]].map(([train, dev]) => readsHighBiasAlone(train, dev)), [false, true, false, false]);
  const rows = [
    { size: 30000, runs: [{ seed: 1, train: 0.0895, dev: 0.0918 }, { seed: 2, train: 0.09, dev: 0.095 }] },
    { size: 5000, runs: [{ seed: 1, train: 0.125, dev: 0.144 }, { seed: 2, train: 0.12, dev: 0.125 }] },
    { size: 60000, runs: [{ seed: 1, train: 0.08, dev: 0.0805 }, { seed: 2, train: 0.08, dev: 0.0805 }] },
  ];
  assert.equal(chooseFirstRowSize(rows).size, 30000);
  assert.equal(chooseFirstRowSize(rows.slice(1, 2)), undefined);
  const strict = { humanErrorPercent: 0, highBiasPoints: 5, highVariancePoints: 0.1 };
  assert.equal(chooseFirstRowSize(rows, strict).size, 60000);
});

test('bad arguments are refused naming the option', () => {
  assert.throws(() => parseSelectionArgs(['--seeds', '1,x']), /--seeds expects numbers/);
  assert.throws(() => parseSelectionArgs(['--seeds', '1.5']), /seeds are whole numbers/);
  assert.throws(() => parseSelectionArgs(['--confirm-seeds', '3,4']), /must not repeat a selection seed \(3\)/);
  assert.throws(() => parseSelectionArgs(['--epochs', '0']), /--epochs expects a whole number above 0/);
  assert.throws(() => parseSelectionArgs(['--test-split']), /unknown argument --test-split/);
});

test('the whole protocol runs end to end on tiny experiments, on training images only', () => {
  // No test files in the folder: a run that read the test split would fail.
  const data = fs.mkdtempSync(path.join(os.tmpdir(), 'profundo-bv-select-'));
  for (const kind of ['images-idx3-ubyte', 'labels-idx1-ubyte'])
    fs.writeFileSync(path.join(data, `train-${kind}`), idxSlice(path.join(repoRoot, 'public/data/mnist'), `train-${kind}`, 400));
  const result = spawnSync(process.execPath, [path.join(repoRoot, 'scripts/select-bias-variance-l2.mjs'),
    '--candidates', '96', '--seeds', '1', '--confirm-seeds', '2', '--first-row-sizes', '150', '--first-row-seeds', '1',
    '--train-size', '100', '--dev-size', '100', '--epochs', '1', '--threads', '1', '--data', data, '--json'], { encoding: 'utf8', cwd: repoRoot });
  assert.equal(result.status, 0, result.stderr);
  const report = JSON.parse(result.stdout);
  assert.equal(report.before, 'labs.bv.recipe.tiny');
  assert.equal(report.rows.length, 1);
  assert.equal(report.chosen, 96);
  assert.equal(report.rows[0].changes.length, 1);
  assert.deepEqual(report.confirmation.map((c) => c.seed), [2]);
  assert.deepEqual(report.firstRow.rows.map((r) => [r.size, r.runs.length]), [[150, 1]]);
  for (const r of [...report.confirmation.flatMap((c) => [c.before, c.after]), report.firstRow.rows[0].runs[0].train])
    assert.ok(r >= 0 && r <= 1, String(r));
});
