// `profundo-cli bias-variance`: one experiment of the bias/variance lab as the page runs it, from
// the lab's settings in web/src/labs/defaults.json, on the MNIST training images only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { idxSlice } from './support/mnist-slice.mjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CLI = path.join(repoRoot, 'build/native/engine/profundo-cli');
const MNIST = path.join(repoRoot, 'public/data/mnist');
const LAB = JSON.parse(fs.readFileSync(path.join(repoRoot, 'web/src/labs/defaults.json'), 'utf8')).biasVariance;

/** 400 training images and no test files at all: a run that read the test split would fail. */
const TRAIN_ONLY = fs.mkdtempSync(path.join(os.tmpdir(), 'profundo-bv-'));
for (const kind of ['images-idx3-ubyte', 'labels-idx1-ubyte'])
  fs.writeFileSync(path.join(TRAIN_ONLY, `train-${kind}`), idxSlice(MNIST, `train-${kind}`, 400));

function cli(...args) {
  const result = spawnSync(CLI, ['bias-variance', ...args], { encoding: 'utf8', cwd: repoRoot });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const tiny = ['--train-size', '100', '--dev-size', '100', '--epochs', '1', '--threads', '1', '--data', TRAIN_ONLY];

test("a recipe row runs with the lab's declared settings and prints the errors as JSON", () => {
  const run = cli('--row', 'labs.bv.recipe.l2', '--seed', '3', ...tiny);
  assert.equal(run.code, 0, run.stderr);
  const result = JSON.parse(run.stdout);
  const row = LAB.recipe.find((r) => r.key === 'labs.bv.recipe.l2');
  const settings = { ...LAB.settings, ...row.changes };
  assert.deepEqual(result.experiment, {
    train_size: 100, dev_size: 100, hidden: LAB.models[settings.model], l2: settings.l2, l2_decoupled: settings.l2Decoupled,
    normalization: LAB.normalization, dropout: settings.dropout, augment: settings.augment, epochs: 1,
    learning_rate: result.experiment.learning_rate, seed: 3,
  });
  assert.ok(Math.abs(result.experiment.learning_rate - LAB.learningRate) < 1e-9);
  const hidden = LAB.models[settings.model][0];
  assert.equal(result.parameters, 784 * hidden + hidden + hidden * 10 + 10);
  for (const error of [result.train_error, result.dev_error]) assert.ok(error >= 0 && error <= 1, String(error));
  // Deterministic for a seed (the subset, the weights, the batches).
  assert.equal(JSON.parse(cli('--row', 'labs.bv.recipe.l2', '--seed', '3', ...tiny).stdout).dev_error, result.dev_error);
});

test('--l2 replaces the row\'s λ; without --row the lab\'s opening settings run', () => {
  const run = JSON.parse(cli('--row', 'labs.bv.recipe.l2', '--l2', '32', ...tiny).stdout);
  assert.equal(run.experiment.l2, 32);
  assert.equal(run.experiment.seed, LAB.seed);
  const opening = JSON.parse(cli(...tiny).stdout);
  assert.equal(opening.row, '');
  assert.deepEqual(opening.experiment.hidden, LAB.models[LAB.settings.model]);
  assert.equal(opening.experiment.l2, LAB.settings.l2);
});

test('bad input is refused naming what is wrong', () => {
  const unknownRow = cli('--row', 'labs.bv.recipe.magic', ...tiny);
  assert.equal(unknownRow.code, 1);
  assert.match(unknownRow.stderr, /no recipe row 'labs\.bv\.recipe\.magic' \(rows: labs\.bv\.recipe\.bias, /);
  const tooMany = cli('--train-size', '350', '--dev-size', '100', '--data', TRAIN_ONLY);
  assert.equal(tooMany.code, 1);
  assert.match(tooMany.stderr, /more than the 400 training images/);
  assert.match(cli('--lr', '1', ...tiny).stderr, /unknown option --lr/);
  assert.match(cli('--lab', path.join(TRAIN_ONLY, 'none.json')).stderr, /none\.json: cannot open/);
  const help = cli('--help');
  assert.equal(help.code, 0);
  assert.match(help.stdout, /--row KEY/);
});
