// The layer table from the native CLI: the committed TypeScript (the table and LayerSpec the page
// reads) is what the engine describes, and the layer added through the table (global_avg_pool2d)
// trains from a --model JSON file, is counted, saved, resumed and exported to ONNX.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { generateLayers, GENERATED_LAYERS, nativeLayerTypes } from '../../scripts/generate-settings.mjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CLI = path.join(repoRoot, 'build/native/engine/profundo-cli');
const MNIST = path.join(repoRoot, 'public/data/mnist');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'profundo-layers-'));

function cli(...args) {
  const result = spawnSync(CLI, args, { encoding: 'utf8', cwd: repoRoot, maxBuffer: 64 << 20 });
  const events = result.stdout.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line));
  return { code: result.status, stdout: result.stdout, stderr: result.stderr, events };
}

function writeModel(name, layers) {
  const file = path.join(tmp, `${name}.json`);
  fs.writeFileSync(file, JSON.stringify({ input: [1, 28, 28], layers, loss: 'softmax_cross_entropy' }));
  return file;
}

// 28×28 → avgpool 4 → [1, 7, 7] → conv 3×3, 4 filters → [4, 5, 5] → global average → [4] → dense 10.
const GAP_LAYERS = [
  { type: 'avgpool2d', kernel_size: 4 },
  { type: 'conv2d', filters: 4, kernel_size: 3 },
  { type: 'relu' },
  { type: 'global_avg_pool2d' },
  { type: 'dense', units: 10 },
];

test('web/src/engine/generated/layers.ts is what the engine describes (regenerate on any drift)', () => {
  const table = nativeLayerTypes();
  assert.equal(fs.readFileSync(GENERATED_LAYERS, 'utf8'), generateLayers(table), 'run: node scripts/generate-settings.mjs');
  const check = spawnSync(process.execPath, [path.join(repoRoot, 'scripts/generate-settings.mjs'), '--check'], { encoding: 'utf8' });
  assert.equal(check.status, 0, check.stderr);
  // The generated LayerSpec names every field of the table; a changed range changes the file.
  const text = generateLayers(table);
  for (const row of table.fields) assert.match(text, new RegExp(`^  ${row.path}: (number|string);$`, 'm'), row.path);
  const changed = structuredClone(table);
  changed.fields.find((row) => row.path === 'p').max.value = 2;
  assert.notEqual(generateLayers(changed), text);
  assert.ok(table.types.some((type) => type.name === 'global_avg_pool2d' && type.image_input && type.fields.length === 0));
});

test('a model with global_avg_pool2d trains from --model, and is saved, resumed and exported', () => {
  const model = writeModel('gap', GAP_LAYERS);
  const saved = path.join(tmp, 'gap.profundo');
  const quick = ['--seed', '2', '--threads', '1', '--json', '--data', MNIST, '--batch-size', '64'];
  const run = cli('train', '--model', model, ...quick, '--epochs', '1', '--save', saved);
  assert.equal(run.code, 0, run.stderr);
  // conv 4·(1·9) + 4 = 40, dense 4·10 + 10 = 50: the pooled [4] feeds the dense layer.
  assert.equal(run.events[0].parameters, 90);
  const done = run.events.at(-1);
  assert.equal(done.event, 'done');
  assert.ok(done.test_accuracy > 0.2, `test accuracy ${done.test_accuracy} (chance is 0.1)`);
  const header = fs.readFileSync(saved).subarray(0, 4096).toString('latin1');
  assert.match(header, /\{"type":"global_avg_pool2d"\}/);
  const resumed = cli('train', '--resume', saved, '--epochs', '2', '--threads', '1', '--json', '--data', MNIST);
  assert.equal(resumed.code, 0, resumed.stderr);
  assert.equal(resumed.events.filter((e) => e.event === 'epoch').length, 1);
  // ONNX: GlobalAveragePool (and its Flatten), read back by the engine's own importer.
  const onnx = path.join(tmp, 'gap.onnx');
  const exported = cli('export', '--resume', saved, '--format', 'onnx', '--out', onnx, '--data', MNIST, '--threads', '1');
  assert.equal(exported.code, 0, exported.stderr);
  assert.ok(fs.readFileSync(onnx).includes(Buffer.from('GlobalAveragePool')));
  const evaluated = cli('evaluate', '--onnx', onnx, '--json', '--data', MNIST, '--threads', '1');
  assert.equal(evaluated.code, 0, evaluated.stderr);
  // The imported graph is the same model: the same test accuracy as the saved run's.
  assert.ok(Math.abs(evaluated.events.at(-1).test_accuracy - done.test_accuracy) < 1e-3, evaluated.stdout);
});

test('the model JSON is checked against the layer table', () => {
  const cases = [
    [[{ type: 'flatten' }, { type: 'dense', units: 16 }, { type: 'dropout', p: 1.5 }, { type: 'dense', units: 10 }], 'model.layers[2].p must be in [0, 1), got 1.5'],
    [[{ type: 'global_avg_pool2d', kernel_size: 2 }, { type: 'dense', units: 10 }], "model.layers[0]: unknown field 'kernel_size' for global_avg_pool2d (global_avg_pool2d reads no fields)"],
    [[{ type: 'flatten' }, { type: 'dense', units: 10 }, { type: 'dropout' }], 'model.layers[2] (dropout): dropout cannot be the last layer'],
  ];
  for (const [layers, message] of cases) {
    const run = cli('train', '--model', writeModel('bad', layers), '--epochs', '1', '--threads', '1', '--data', MNIST);
    assert.equal(run.code, 1, `${message}: accepted`);
    assert.ok(run.stderr.startsWith(`profundo-cli: error: ${message}`), run.stderr);
  }
});
