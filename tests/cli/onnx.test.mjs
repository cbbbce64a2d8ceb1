// ONNX out and in, end to end through the CLI (issue #15): every image preset, trained a few steps
// on real MNIST images, exported, checked by the reference checker (python3-onnx, full check) and run
// by ONNX Runtime, whose outputs must match the engine's within 1e-4 on real MNIST test images; the
// export -> import -> export round trip gives the same file; a CNN trained in PyTorch and exported
// with torch.onnx.export predicts the same after import; bad files get a message naming them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import ort from 'onnxruntime-node';
import { idxSlice, writeMnistSlice } from './support/mnist-slice.mjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CLI = path.join(repoRoot, 'build/native/engine/profundo-cli');
const MNIST = path.join(repoRoot, 'public/data/mnist');
const PYTHON = '/usr/bin/python3'; // Debian's, with python3-onnx and python3-torch
const PRESETS = ['logreg', 'mlp', 'tfjs-cnn', 'keras-cnn', 'lenet5', 'best', 'fast99'];
const TEST_IMAGES = 64;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'profundo-onnx-'));

function run(command, args) {
  const result = spawnSync(command, args, { encoding: 'utf8', cwd: repoRoot, maxBuffer: 256 << 20 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function cli(...args) {
  const result = run(CLI, args);
  const events = result.stdout.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line));
  return { ...result, events };
}

// A slice of the real MNIST as IDX files: 1,200 training images (a few optimiser steps per preset,
// so batch-norm statistics and weights move away from their initial values) and the first test images.
const data = writeMnistSlice(MNIST, path.join(tmp, 'mnist'), 1200, TEST_IMAGES);
const testPixels = idxSlice(MNIST, 't10k-images-idx3-ubyte', TEST_IMAGES).subarray(16);

// --dev-size: the slice has fewer training images than the default dev split.
function engineOutputs(...source) {
  const evaluated = cli('evaluate', ...source, '--data', data, '--dev-size', '200', '--outputs', String(TEST_IMAGES), '--threads', '1', '--json');
  assert.equal(evaluated.code, 0, evaluated.stderr);
  return evaluated.events.find((e) => e.event === 'outputs').outputs;
}

async function runtimeOutputs(file, normalization, inputName = 'input') {
  const x = Float32Array.from(testPixels, (p) => p * normalization.scale + normalization.shift);
  const session = await ort.InferenceSession.create(file);
  const result = await session.run({ [inputName]: new ort.Tensor('float32', x, [TEST_IMAGES, 1, 28, 28]) });
  return result;
}

function maxDifference(rows, flat) {
  let max = 0;
  rows.flat().forEach((value, i) => { max = Math.max(max, Math.abs(value - flat[i])); });
  return max;
}

function softmax(row) {
  const top = Math.max(...row);
  const e = row.map((v) => Math.exp(v - top));
  const sum = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / sum);
}

function checkFiles(...files) {
  const checked = run(PYTHON, [path.join(repoRoot, 'tests/interop/check_onnx.py'), ...files]);
  assert.equal(checked.code, 0, checked.stderr);
  return JSON.parse(checked.stdout);
}

const exported = {};

test('every image preset exports to ONNX that the checker accepts and ONNX Runtime runs as the engine does', async () => {
  for (const preset of PRESETS) {
    const saved = path.join(tmp, `${preset}.profundo`);
    const trained = cli('train', '--preset', preset, '--epochs', '1', '--batch-size', '100', '--dev-size', '200',
      '--train-eval', '100', '--threads', '1', '--seed', '2', '--data', data, '--save', saved, '--json');
    assert.equal(trained.code, 0, `${preset}: ${trained.stderr}`);
    const file = path.join(tmp, `${preset}.onnx`);
    const written = cli('export', '--resume', saved, '--format', 'onnx', '--out', file, '--data', data);
    assert.equal(written.code, 0, `${preset}: ${written.stderr}`);
    exported[preset] = { saved, file };
  }
  const report = checkFiles(...PRESETS.map((p) => exported[p].file));
  for (const preset of PRESETS) {
    const { saved, file } = exported[preset];
    const info = report[file];
    assert.ok(info.opset >= 13, `${preset}: opset ${info.opset}`);
    assert.deepEqual(info.inputs, [['N', 1, 28, 28]]);
    assert.deepEqual(info.outputs, { logits: ['N', 10], probabilities: ['N', 10] });
    assert.deepEqual(JSON.parse(info.metadata['profundo.class_names']), ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    const normalization = JSON.parse(info.metadata['profundo.normalization']);
    assert.equal(normalization.kind, 'scale');
    assert.ok(!info.ops.includes('Dropout'), `${preset}: ${info.ops}`);
    // What an import needs to give the model back as trained: its dataset and dropout layers.
    assert.equal(info.metadata['profundo.dataset'], 'mnist');
    assert.equal(info.metadata['profundo.kind'], 'image_classifier');
    const dropout = JSON.parse(info.metadata['profundo.dropout']);
    const expected = { 'keras-cnn': [{ layer: 7, p: 0.5 }], best: [{ layer: 7, p: 0.25 }, { layer: 15, p: 0.25 }, { layer: 20, p: 0.5 }] }[preset] ?? [];
    assert.deepEqual(dropout, expected, preset);
    const engine = engineOutputs('--resume', saved);
    const runtime = await runtimeOutputs(file, normalization);
    const logitsDifference = maxDifference(engine, runtime.logits.data);
    const probabilitiesDifference = maxDifference(engine.map(softmax), runtime.probabilities.data);
    console.log(`${preset}: max |engine - onnxruntime| logits ${logitsDifference.toExponential(2)}, probabilities ${probabilitiesDifference.toExponential(2)}`);
    assert.ok(logitsDifference < 1e-4, `${preset}: logits differ by ${logitsDifference}`);
    assert.ok(probabilitiesDifference < 1e-4, `${preset}: probabilities differ by ${probabilitiesDifference}`);
    // The outputs are not trivially equal (a model that ignored its input would pass the above).
    assert.ok(engine.some((row) => row.some((v, i) => Math.abs(v - engine[0][i]) > 1e-2)), preset);
  }
  const batchNorm = report[exported.best.file].ops;
  assert.ok(batchNorm.includes('BatchNormalization') && batchNorm.includes('Conv') && batchNorm.includes('Gemm'));
});

test('export -> import -> export gives the same file, and the imported model the same outputs', () => {
  for (const preset of PRESETS) {
    const { saved, file } = exported[preset];
    const again = path.join(tmp, `${preset}-again.onnx`);
    const written = cli('export', '--onnx', file, '--format', 'onnx', '--out', again, '--data', data, '--dev-size', '200');
    assert.equal(written.code, 0, `${preset}: ${written.stderr}`);
    assert.ok(fs.readFileSync(again).equals(fs.readFileSync(file)), `${preset}: the files differ`);
    assert.deepEqual(engineOutputs('--onnx', file), engineOutputs('--resume', saved), preset);
  }
});

test('a CNN trained in PyTorch and exported with torch.onnx.export predicts the same in Profundo (within 1e-4)', () => {
  const made = run(PYTHON, [path.join(repoRoot, 'tests/interop/torch_cnn.py'), data, tmp, String(TEST_IMAGES)]);
  assert.equal(made.code, 0, made.stderr);
  const file = path.join(tmp, 'torch-cnn.onnx');
  const torch = JSON.parse(fs.readFileSync(path.join(tmp, 'torch-cnn.json'), 'utf8'));
  checkFiles(file);
  const profundo = engineOutputs('--onnx', file);
  const difference = maxDifference(profundo, torch.logits.flat());
  console.log(`torch-cnn: max |Profundo - PyTorch| logits ${difference.toExponential(2)}`);
  assert.ok(difference < 1e-4, `logits differ by ${difference}`);
  assert.ok(torch.logits.some((row) => row.some((v, i) => Math.abs(v - torch.logits[0][i]) > 1e-2)));
  // Fine-tuning the imported model: it starts from PyTorch's weights (the first epoch's loss is
  // already low) and trains on.
  const tuned = cli('train', '--init-onnx', file, '--epochs', '1', '--batch-size', '100', '--dev-size', '200',
    '--train-eval', '100', '--threads', '1', '--data', data, '--optimizer', 'sgd', '--lr', '0.01', '--json');
  assert.equal(tuned.code, 0, tuned.stderr);
  assert.ok(tuned.events.at(-1).test_accuracy > 0.5, `accuracy ${tuned.events.at(-1).test_accuracy}`);
});

test('a truncated, oversized or foreign .onnx file is refused with a message naming the file', () => {
  const whole = fs.readFileSync(exported['tfjs-cnn'].file);
  const truncated = path.join(tmp, 'truncated.onnx');
  fs.writeFileSync(truncated, whole.subarray(0, whole.length - 100));
  let result = cli('evaluate', '--onnx', truncated, '--data', data);
  assert.equal(result.code, 1);
  assert.match(result.stderr, /truncated\.onnx: .*(claims|truncated)/);
  const text = path.join(tmp, 'notes.onnx');
  fs.writeFileSync(text, 'hello, this is not a model');
  result = cli('evaluate', '--onnx', text, '--data', data);
  assert.equal(result.code, 1);
  assert.match(result.stderr, /notes\.onnx: /);
  result = cli('evaluate', '--onnx', path.join(repoRoot, 'tests/fuzz/corpus/onnx/seed-refused-add-branch'), '--data', data, '--dev-size', '200');
  assert.equal(result.code, 1);
  assert.match(result.stderr, /node 'residual' \(Add\): unsupported op 'Add'/);
});
