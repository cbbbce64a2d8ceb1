// `npm run bench` end to end with tiny durations, so the native and PyTorch benchmarks and their
// table cannot rot. Rates are never asserted; the cases, the schema and the FLOP count are.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BENCH = path.join(repoRoot, 'scripts', 'bench.mjs');
const quick = ['--seconds', '0.05', '--repeats', '1'];
const hasPytorch = spawnSync('/usr/bin/python3', ['-c', 'import torch'], { stdio: 'ignore' }).status === 0;

function bench(...args) {
  const result = spawnSync(process.execPath, [BENCH, ...quick, ...args], { encoding: 'utf8', cwd: repoRoot, maxBuffer: 16 << 20 });
  assert.equal(result.status, 0, result.stderr);
  return result.stdout;
}

test('--json: one row per case and thread count on each side, the same FLOPs per sample', () => {
  const rows = bench('--threads', '1,2', '--models', 'tfjs-cnn', '--json')
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line));
  const runtimes = hasPytorch ? ['native', 'pytorch'] : ['native'];
  const cases = (runtime) => rows.filter((r) => r.runtime === runtime).map((r) => `${r.kind}/${r.batch}/${r.threads}`);
  for (const runtime of runtimes) assert.deepEqual(cases(runtime), ['train/64/1', 'train/64/2', 'infer/256/1', 'infer/256/2']);
  assert.equal(rows.length, 4 * runtimes.length);
  for (const r of rows) {
    assert.equal(r.model, 'tfjs-cnn');
    assert.equal(r.unit, 'samples');
    assert.ok(r.min <= r.samples_per_second && r.samples_per_second <= r.max && r.min > 0, JSON.stringify(r));
    const twin = rows.find((o) => o.kind === r.kind && o.threads === r.threads && o.runtime === 'native');
    const flops = (row) => (row.gflops * 1e9) / row.samples_per_second;
    assert.ok(Math.abs(flops(r) / flops(twin) - 1) < 1e-6, `${r.runtime} ${r.kind}: ${flops(r)} FLOPs per sample, native ${flops(twin)}`);
  }
});

test('the table: the char-LSTM row with the ratio to PyTorch, or the line saying how to get PyTorch', () => {
  const text = bench('--threads', '1', '--models', 'char-lstm');
  const row = text.split('\n').find((line) => line.startsWith('C '));
  assert.ok(row, text);
  if (hasPytorch) assert.match(row, /\d\.\d\d×$/);
  else assert.match(text, /npm run bench -- --pytorch/);
  assert.match(bench('--threads', '1', '--models', 'char-lstm', '--no-pytorch'), /PyTorch skipped/);
});
