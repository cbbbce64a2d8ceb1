// The same seeded training natively (profundo-cli) and in both wasm builds: one epoch on MNIST of
// softmax regression and of a 784-128-10 MLP. The per-batch loss curves must agree to 1e-4 relative.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { disposeLoadedEngines, engineFor, readMnist, relativeDifference, repoRoot, VARIANTS } from './support/engine.mjs';

const CLI = path.join(repoRoot, 'build/native/engine/profundo-cli');
const SEED = 1;

const MLP_128 = {
  input: [1, 28, 28],
  layers: [{ type: 'flatten' }, { type: 'dense', units: 128 }, { type: 'relu' }, { type: 'dense', units: 10 }],
  loss: 'softmax_cross_entropy',
};

function nativeLosses(preset, threads, modelFile) {
  const args = ['train', '--preset', preset, '--epochs', '1', '--seed', String(SEED), '--json', '--log-every', '1', '--threads', String(threads),
    '--data', path.join(repoRoot, 'public/data/mnist')];
  if (modelFile) args.push('--model', modelFile);
  const lines = execFileSync(CLI, args, { encoding: 'utf8', maxBuffer: 64 << 20 }).trim().split('\n').map((l) => JSON.parse(l));
  return lines.filter((l) => l.event === 'batch').map((l) => l.loss);
}

function wasmLosses(engine, preset, threads, modelSpec) {
  const { model, training } = engine.preset(preset);
  training.epochs = 1;
  training.seed = SEED;
  const train = readMnist('train');
  const trainSet = engine.loadImageSet(train.images, train.labels, 'mnist-train', 28, 28);
  const session = new engine.ClassifierSession(modelSpec ?? model, training, engine.defaultDataConfig(), trainSet, null, threads);
  try {
    const losses = [];
    while (!session.finished()) losses.push(session.trainNextBatch().loss);
    return losses;
  } finally {
    session.delete();
    trainSet.delete();
  }
}

function assertCurvesAgree(native, wasm, label) {
  assert.equal(wasm.length, native.length, `${label}: number of batches`);
  let worst = 0;
  let where = 0;
  for (let i = 0; i < native.length; i++) {
    const d = relativeDifference(native[i], wasm[i]);
    if (d > worst) [worst, where] = [d, i];
  }
  assert.ok(worst <= 1e-4, `${label}: batch ${where + 1} native ${native[where]} wasm ${wasm[where]} (relative ${worst.toExponential(2)})`);
  return worst;
}

const modelFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'profundo-')), 'mlp-128.json');
fs.writeFileSync(modelFile, JSON.stringify(MLP_128));
// The threaded build runs with two threads, against the native trainer with two threads.
const THREADS = { 'wasm-simd': 1, 'wasm-threads': 2 };
const native = {};
for (const threads of new Set(Object.values(THREADS)))
  native[threads] = { logreg: nativeLosses('logreg', threads), mlp128: nativeLosses('mlp', threads, modelFile) };

after(disposeLoadedEngines);

for (const variant of Object.keys(VARIANTS)) {
  test(`${variant}: softmax regression, one epoch, same loss curve as native`, async () => {
    const engine = await engineFor(variant);
    const threads = THREADS[variant];
    const expected = native[threads].logreg;
    const worst = assertCurvesAgree(expected, wasmLosses(engine, 'logreg', threads), `${variant} logreg`);
    console.log(`# ${variant} logreg, ${threads} thread(s): ${expected.length} batches, worst relative difference ${worst.toExponential(2)}`);
  });

  test(`${variant}: 784-128-10 MLP, one epoch, same loss curve as native`, async () => {
    const engine = await engineFor(variant);
    const threads = THREADS[variant];
    const expected = native[threads].mlp128;
    const model = engine.modelSpecFromJson(JSON.stringify(MLP_128));
    const worst = assertCurvesAgree(expected, wasmLosses(engine, 'mlp', threads, model), `${variant} mlp 784-128-10`);
    console.log(`# ${variant} mlp, ${threads} thread(s): ${expected.length} batches, worst relative difference ${worst.toExponential(2)}`);
  });
}
