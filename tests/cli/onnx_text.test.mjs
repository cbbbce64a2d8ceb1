// Text models as ONNX, end to end through the CLI (issue #15): tiny LSTM (two layers, with dropout
// between them), GRU and RNN runs trained on real text, exported, checked by the reference checker
// (python3-onnx, full check with shape inference) and run by ONNX Runtime on a text prefix, whose
// per-character logits and probabilities must match the engine's (`profundo-cli text-logits`)
// within 1e-4 — on one sequence, on a batch of two, and continued from the final states of a first
// half. The image lab's import refuses such a file by name.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import ort from 'onnxruntime-node';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CLI = path.join(repoRoot, 'build/native/engine/profundo-cli');
const PYTHON = '/usr/bin/python3'; // Debian's, with python3-onnx
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'profundo-onnx-text-'));
const corpus = path.join(tmp, 'shakespeare-20k.txt');
fs.writeFileSync(corpus, fs.readFileSync(path.join(repoRoot, 'public/data/text/shakespeare.txt'), 'utf8').slice(0, 20000));
const PREFIX = 'First Citizen:\nBefore we proceed any further, hear me speak.';

function run(command, args) {
  const result = spawnSync(command, args, { encoding: 'utf8', cwd: repoRoot, maxBuffer: 256 << 20 });
  const events = (result.stdout ?? '').split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line));
  return { code: result.status, stdout: result.stdout, stderr: result.stderr, events };
}
const cli = (...args) => run(CLI, args);

function maxDifference(rows, flat) {
  let max = 0;
  rows.flat().forEach((value, i) => { max = Math.max(max, Math.abs(value - flat[i])); });
  return max;
}

// Column n of a [T, N, V] output as T rows.
function column(tensor, n) {
  const [steps, batch, classes] = tensor.dims;
  const rows = [];
  for (let t = 0; t < steps; t++) rows.push(Array.from(tensor.data.subarray((t * batch + n) * classes, (t * batch + n + 1) * classes)));
  return rows;
}

const tokensTensor = (columns) => {
  const steps = columns[0].length;
  const data = new BigInt64Array(steps * columns.length);
  for (let t = 0; t < steps; t++) columns.forEach((tokens, n) => { data[t * columns.length + n] = BigInt(tokens[t]); });
  return new ort.Tensor('int64', data, [steps, columns.length]);
};

const RUNS = [
  { name: 'lstm-2', args: ['--cell', 'lstm', '--layers', '2', '--dropout', '0.2'], states: ['initial_h_0', 'initial_c_0', 'initial_h_1', 'initial_c_1'], op: 'LSTM' },
  { name: 'gru', args: ['--cell', 'gru', '--layers', '1'], states: ['initial_h_0'], op: 'GRU' },
  { name: 'rnn', args: ['--cell', 'rnn', '--layers', '1'], states: ['initial_h_0'], op: 'RNN' },
];
const files = {};

test('LSTM (2 layers), GRU and RNN text runs export to ONNX that the checker accepts and ONNX Runtime runs as the engine does', async () => {
  for (const { name, args } of RUNS) {
    const saved = path.join(tmp, `${name}.profundo`);
    const trained = cli('text', '--corpus', corpus, ...args, '--hidden', '24', '--embedding', '8', '--seq', '16', '--batch', '4',
      '--lr', '0.01', '--seed', '3', '--threads', '1', '--steps', '30', '--eval-every', '30', '--sample-every', '0',
      '--keep', 'last', '--save', saved, '--json');
    assert.equal(trained.code, 0, `${name}: ${trained.stderr}`);
    const file = path.join(tmp, `${name}.onnx`);
    const written = cli('export', '--resume', saved, '--format', 'onnx', '--out', file);
    assert.equal(written.code, 0, `${name}: ${written.stderr}`);
    files[name] = { saved, file };
  }
  const checked = run(PYTHON, [path.join(repoRoot, 'tests/interop/check_onnx.py'), ...RUNS.map((r) => files[r.name].file)]);
  assert.equal(checked.code, 0, checked.stderr);
  const report = JSON.parse(checked.stdout);

  for (const { name, states, op } of RUNS) {
    const { saved, file } = files[name];
    const info = report[file];
    const vocabulary = JSON.parse(info.metadata['profundo.vocabulary']);
    const classes = vocabulary.length;
    assert.ok(info.opset >= 13, `${name}: opset ${info.opset}`);
    assert.equal(info.metadata['profundo.kind'], 'character_model');
    assert.ok(vocabulary.includes('F') && vocabulary.includes('\n'), `${name}: ${vocabulary}`);
    assert.deepEqual(info.inputs, [['T', 'N'], ...states.map(() => [1, 'N', 24])]);
    assert.deepEqual(info.outputs.logits, ['T', 'N', classes]);
    assert.deepEqual(info.outputs.probabilities, ['T', 'N', classes]);
    assert.ok(info.ops.includes('Gather') && info.ops.includes(op) && info.ops.includes('MatMul') && info.ops.includes('Softmax'), `${name}: ${info.ops}`);
    assert.ok(!info.ops.includes('Dropout'), `${name}: ${info.ops}`);
    // The defaults put dropout on the embedding output (layer 1), between the LSTMs (3) and before the head (5).
    const p = 0.20000000298023224;
    if (name === 'lstm-2') assert.deepEqual(JSON.parse(info.metadata['profundo.dropout']), [{ layer: 1, p }, { layer: 3, p }, { layer: 5, p }]);

    const engine = cli('text-logits', '--resume', saved, '--prefix', PREFIX);
    assert.equal(engine.code, 0, `${name}: ${engine.stderr}`);
    const { tokens, logits, probabilities } = engine.events[0];
    assert.equal(tokens.length, [...PREFIX].length);
    assert.deepEqual(tokens.map((k) => vocabulary[k]).join(''), PREFIX, `${name}: the vocabulary's order`);

    const session = await ort.InferenceSession.create(file);
    assert.deepEqual(session.inputNames, ['tokens', ...states]);
    const zeros = (batch) => Object.fromEntries(states.map((s) => [s, new ort.Tensor('float32', new Float32Array(batch * 24), [1, batch, 24])]));
    // One sequence, from zero states.
    const one = await session.run({ tokens: tokensTensor([tokens]), ...zeros(1) });
    const logitsDifference = maxDifference(logits, one.logits.data);
    const probabilitiesDifference = maxDifference(probabilities, one.probabilities.data);
    console.log(`${name}: max |engine - onnxruntime| logits ${logitsDifference.toExponential(2)}, probabilities ${probabilitiesDifference.toExponential(2)} over ${tokens.length} characters`);
    assert.ok(logitsDifference < 1e-4, `${name}: logits differ by ${logitsDifference}`);
    assert.ok(probabilitiesDifference < 1e-4, `${name}: probabilities differ by ${probabilitiesDifference}`);
    // The outputs depend on the input (a model ignoring it would pass the above with equal rows).
    assert.ok(probabilities.some((row) => row.some((p, k) => Math.abs(p - probabilities[0][k]) > 1e-3)), name);

    // A batch of two sequences: the prefix and the prefix reversed, each as the engine computes alone.
    const reversed = [...tokens].reverse();
    const reversedEngine = cli('text-logits', '--resume', saved, '--prefix', [...PREFIX].reverse().join(''));
    assert.equal(reversedEngine.code, 0, reversedEngine.stderr);
    const two = await session.run({ tokens: tokensTensor([tokens, reversed]), ...zeros(2) });
    assert.ok(maxDifference(probabilities, column(two.probabilities, 0).flat()) < 1e-4, `${name}: batch column 0`);
    assert.ok(maxDifference(reversedEngine.events[0].probabilities, column(two.probabilities, 1).flat()) < 1e-4, `${name}: batch column 1`);

    // Continued: the second half from the first half's final states gives the whole prefix's outputs.
    const half = Math.floor(tokens.length / 2);
    const first = await session.run({ tokens: tokensTensor([tokens.slice(0, half)]), ...zeros(1) });
    const carried = Object.fromEntries(states.map((s) => [s, first[s.replace('initial_', 'final_')]]));
    const second = await session.run({ tokens: tokensTensor([tokens.slice(half)]), ...carried });
    const continuedDifference = maxDifference(probabilities.slice(half), second.probabilities.data);
    assert.ok(continuedDifference < 1e-4, `${name}: continued from the carried states, probabilities differ by ${continuedDifference}`);
  }
});

test('the image lab refuses a text model\'s ONNX file by name, and text-logits a prefix outside the vocabulary', () => {
  const { saved, file } = files.gru;
  const refused = cli('evaluate', '--onnx', file, '--data', path.join(tmp, 'no-data'));
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /gru\.onnx: metadata profundo\.kind: this is a character model \(a text run\): open it in the text lab/);
  const outside = cli('text-logits', '--resume', saved, '--prefix', 'Zürich ☃');
  assert.equal(outside.code, 1);
  assert.match(outside.stderr, /--prefix/);
});
