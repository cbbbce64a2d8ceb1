// The native command-line trainer end to end: JSON events, saving and resuming, and errors that
// name what is wrong with a non-zero exit code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CLI = path.join(repoRoot, 'build/native/engine/profundo-cli');
const MNIST = path.join(repoRoot, 'public/data/mnist');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'profundo-cli-'));

function cli(...args) {
  const result = spawnSync(CLI, args, { encoding: 'utf8', cwd: repoRoot, maxBuffer: 64 << 20 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr, events: parseEvents(result.stdout) };
}

function parseEvents(stdout) {
  return stdout.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line));
}

const quick = ['--preset', 'logreg', '--seed', '3', '--threads', '1', '--json', '--data', MNIST];

test('--json prints start, one event per epoch and a done event with test accuracy as a fraction', () => {
  const run = cli('train', ...quick, '--epochs', '1');
  assert.equal(run.code, 0, run.stderr);
  assert.deepEqual(run.events.map((e) => e.event), ['start', 'epoch', 'done']);
  // logreg's one dense layer 784 -> 10: 2 · 7,840 FLOPs forward and as many for its weight gradient
  // (the first layer with parameters computes no input gradient); 55,000 training images, 1 epoch.
  const start = run.events[0];
  assert.equal(start.training_flops_per_sample, 2 * 2 * 7840);
  assert.equal(start.training_flops, 2 * 2 * 7840 * 55000);
  const done = run.events.at(-1);
  assert.ok(done.test_accuracy > 0.85 && done.test_accuracy < 1, `test_accuracy ${done.test_accuracy}`);
  assert.ok(done.test_loss > 0 && done.seconds > 0);
  assert.equal(done.confusion.length, 100);
  assert.equal(done.confusion.reduce((a, b) => a + b, 0), 10000);
  const diagonal = done.confusion.filter((_, i) => i % 11 === 0).reduce((a, b) => a + b, 0);
  assert.ok(Math.abs(diagonal / 10000 - done.test_accuracy) < 1e-6);
  assert.equal(done.per_class_accuracy.length, 10);
  assert.equal(done.mistakes.length, 10);
  for (const m of done.mistakes) assert.notEqual(m.label, m.predicted);
  assert.ok(done.mistakes[0].confidence >= done.mistakes[9].confidence);
  const epoch = run.events[1];
  assert.ok(epoch.train.accuracy > 0.85 && epoch.dev.accuracy > 0.85);
  assert.equal(run.events[0].dev, 5000);
  assert.equal(run.events[0].train, 55000);
});

test('a run saved after one epoch and resumed for a second equals two epochs straight', () => {
  const file = path.join(tmp, 'logreg.profundo');
  const straight = cli('train', ...quick, '--epochs', '2');
  const first = cli('train', ...quick, '--epochs', '1', '--save', file);
  assert.equal(first.code, 0, first.stderr);
  const resumed = cli('train', '--resume', file, '--epochs', '2', '--threads', '1', '--json', '--data', MNIST);
  assert.equal(resumed.code, 0, resumed.stderr);
  assert.equal(resumed.events.filter((e) => e.event === 'epoch').length, 1);
  assert.equal(resumed.events.at(-1).test_loss, straight.events.at(-1).test_loss);
  assert.equal(resumed.events.at(-1).test_accuracy, straight.events.at(-1).test_accuracy);
  // Only --epochs may change: any other setting beside --resume is refused by name, not ignored.
  const changed = cli('train', '--resume', file, '--epochs', '2', '--lr', '0.5', '--threads', '1', '--data', MNIST);
  assert.equal(changed.code, 1);
  assert.match(changed.stderr, /--lr: a resumed run keeps the settings saved in .*logreg\.profundo; start a new run to change them \(beside --resume: --epochs\)/);
});

// Plain gradient descent with a large step on softmax regression: the dev accuracy goes up and down
// from epoch to epoch, so the dev split's choice differs from the last epoch.
const bouncing = ['--preset', 'logreg', '--seed', '3', '--threads', '1', '--json', '--data', MNIST, '--optimizer', 'sgd',
  '--train-eval', '1000'];

test('--keep best (the default) tests the epoch of the best dev accuracy; --keep last the last one', () => {
  const run = cli('train', ...bouncing, '--lr', '1', '--epochs', '4');
  assert.equal(run.code, 0, run.stderr);
  const epochs = run.events.filter((e) => e.event === 'epoch');
  const best = epochs.reduce((a, b) => (b.dev.accuracy > a.dev.accuracy ? b : a));
  const done = run.events.at(-1);
  assert.equal(done.kept, 'best');
  assert.equal(done.best_epoch, best.epoch);
  assert.equal(done.kept_epoch, best.epoch);
  assert.equal(done.best_dev_accuracy, best.dev.accuracy);
  assert.equal(done.last_dev_accuracy, epochs.at(-1).dev.accuracy);
  assert.ok(best.epoch < 4, `the dev accuracy should bounce: ${epochs.map((e) => e.dev.accuracy)}`);
  assert.deepEqual(epochs.filter((e) => e.best).map((e) => e.epoch).at(-1), best.epoch);
  // The test set measured the best epoch's model: the same as a run stopped there.
  const stopped = cli('train', ...bouncing, '--lr', '1', '--epochs', String(best.epoch), '--keep', 'last');
  assert.equal(done.test_accuracy, stopped.events.at(-1).test_accuracy);
  assert.equal(done.test_loss, stopped.events.at(-1).test_loss);
  const last = cli('train', ...bouncing, '--lr', '1', '--epochs', '4', '--keep', 'last');
  assert.equal(last.events.at(-1).kept_epoch, 4);
  assert.notEqual(last.events.at(-1).test_loss, done.test_loss);
});

test('--patience N stops after N epochs without a better dev accuracy', () => {
  const run = cli('train', ...bouncing, '--lr', '3', '--epochs', '6', '--patience', '2');
  assert.equal(run.code, 0, run.stderr);
  const done = run.events.at(-1);
  assert.equal(done.stopped_early, true);
  assert.equal(run.events.filter((e) => e.event === 'epoch').length, done.best_epoch + 2);
  assert.match(cli('train', ...quick, '--keep', 'worst').stderr, /training\.keep must be one of best, last, got 'worst'/);
});

test('a corrupted or foreign save file is refused with the reason', () => {
  const file = path.join(tmp, 'damaged.profundo');
  assert.equal(cli('train', ...quick, '--epochs', '1', '--save', file).code, 0);
  const bytes = fs.readFileSync(file);
  bytes[bytes.length >> 1] ^= 0xff;
  fs.writeFileSync(file, bytes);
  const damaged = cli('train', '--resume', file, '--data', MNIST);
  assert.equal(damaged.code, 1);
  assert.match(damaged.stderr, /damaged\.profundo.*(corrupted|checksum)/);
  const foreign = cli('train', '--resume', path.join(MNIST, 't10k-labels-idx1-ubyte.gz'), '--data', MNIST);
  assert.equal(foreign.code, 1);
  assert.match(foreign.stderr, /not a Profundo|gzip/i);
});

test('bad options and hyper-parameters exit non-zero naming the problem', () => {
  const cases = [
    [['train', '--preset', 'nope'], /unknown preset 'nope'/],
    [['train', '--lr', '-1', '--data', MNIST], /training\.optimizer\.learning_rate must be in \(0, inf\), got -1/],
    [['train', '--batch-size', '0', '--data', MNIST], /training\.batch_size must be in \[1, 2147483647\], got 0/],
    [['train', '--epochs', 'many'], /--epochs: expected int, got 'many'/],
    [['train', '--frobnicate'], /unknown option --frobnicate/],
    [['train', '--dataset', 'cifar'], /--dataset must be mnist or fashion-mnist/],
    [['train', '--data', path.join(tmp, 'nowhere')], /cannot find .*nowhere\/train-images-idx3-ubyte.*npm run data/],
    [['fly'], /unknown command 'fly'/],
  ];
  for (const [args, message] of cases) {
    const run = cli(...args);
    assert.notEqual(run.code, 0, args.join(' '));
    assert.match(run.stderr, message, args.join(' '));
  }
});

test('corrupt and truncated IDX data files are reported with the file and the problem', () => {
  const dir = path.join(tmp, 'bad-mnist');
  fs.mkdirSync(dir, { recursive: true });
  for (const name of fs.readdirSync(MNIST)) fs.copyFileSync(path.join(MNIST, name), path.join(dir, name));
  const labels = zlib.gunzipSync(fs.readFileSync(path.join(MNIST, 't10k-labels-idx1-ubyte.gz')));

  fs.writeFileSync(path.join(dir, 't10k-labels-idx1-ubyte.gz'), zlib.gzipSync(labels.subarray(0, 5000)));
  let run = cli('train', '--preset', 'logreg', '--epochs', '1', '--data', dir);
  assert.equal(run.code, 1);
  assert.match(run.stderr, /t10k-labels-idx1-ubyte\.gz: truncated/);

  const wrongLabel = Buffer.from(labels);
  wrongLabel[100] = 12;
  fs.writeFileSync(path.join(dir, 't10k-labels-idx1-ubyte.gz'), zlib.gzipSync(wrongLabel));
  run = cli('train', '--preset', 'logreg', '--epochs', '1', '--data', dir);
  assert.match(run.stderr, /label 12 of sample 92 is outside 0-9/);

  const gz = fs.readFileSync(path.join(MNIST, 't10k-labels-idx1-ubyte.gz'));
  fs.writeFileSync(path.join(dir, 't10k-labels-idx1-ubyte.gz'), gz.subarray(0, gz.length - 100));
  run = cli('train', '--preset', 'logreg', '--epochs', '1', '--data', dir);
  assert.equal(run.code, 1);
  assert.match(run.stderr, /t10k-labels-idx1-ubyte\.gz: corrupt or truncated gzip/);
});

test('--dataset fashion-mnist trains on Fashion-MNIST from the prepared copy', () => {
  const run = cli('train', '--preset', 'logreg', '--dataset', 'fashion-mnist', '--epochs', '1', '--threads', '1', '--json');
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.events[0].dataset, 'fashion-mnist');
  const accuracy = run.events.at(-1).test_accuracy;
  assert.ok(accuracy > 0.7 && accuracy < 0.9, `Fashion-MNIST softmax regression: ${accuracy}`);
});

test('images of the wrong size are refused', () => {
  const dir = path.join(tmp, 'wide-mnist');
  fs.mkdirSync(dir, { recursive: true });
  for (const name of fs.readdirSync(MNIST)) fs.copyFileSync(path.join(MNIST, name), path.join(dir, name));
  const images = Buffer.from(zlib.gunzipSync(fs.readFileSync(path.join(MNIST, 't10k-images-idx3-ubyte.gz'))));
  images.writeUInt32BE(14, 12); // 10000 images of 28x14: a consistent file, of the wrong kind
  const narrow = images.subarray(0, 16 + 10000 * 28 * 14);
  fs.writeFileSync(path.join(dir, 't10k-images-idx3-ubyte.gz'), zlib.gzipSync(narrow));
  const run = cli('train', '--preset', 'logreg', '--epochs', '1', '--data', dir);
  assert.equal(run.code, 1);
  assert.match(run.stderr, /mnist-test: images are 28x14, expected 28x28/);
});

test('--clip clips every step above the norm, is saved with the run and changes the result', () => {
  const file = path.join(tmp, 'clipped.profundo');
  const args = ['train', ...quick, '--epochs', '1', '--log-every', '100'];
  const clipped = cli(...args, '--clip', '0.01', '--save', file);
  assert.equal(clipped.code, 0, clipped.stderr);
  const batches = clipped.events.filter((e) => e.event === 'batch');
  assert.ok(batches.length > 5);
  for (const b of batches) assert.ok(b.clipped && b.grad_norm > 0.01, JSON.stringify(b));
  assert.match(fs.readFileSync(file).toString('latin1'), /"clip_norm":0\.01[,}]/);
  const free = cli(...args);
  assert.ok(free.events.filter((e) => e.event === 'batch').every((b) => !b.clipped));
  assert.notEqual(free.events.at(-1).test_loss, clipped.events.at(-1).test_loss);
  assert.match(cli('train', ...quick, '--clip', '-1').stderr, /training\.clip_norm must be in \[0, inf\), got -1/);
});
