// `npm run bench` end to end with tiny durations, so the native and PyTorch benchmarks and their
// table cannot rot. Rates are never asserted; the cases, the schema and the FLOP count are.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
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

const hasOpenblas = fs.existsSync('/usr/lib/x86_64-linux-gnu/openblas-pthread');

test('--json: the f32x4 ceiling per thread count, one row per case and thread count on each side, the same FLOPs per sample', () => {
  const lines = bench('--threads', '1,2', '--models', 'tfjs-cnn', '--json')
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line));
  const probes = lines.filter((r) => r.probe);
  // Natively (-march=native) on a CPU with AVX, also the widest vector's ceiling after each f32x4 one.
  const wider = /^flags\s*:.*\bavx\b/m.test(fs.existsSync('/proc/cpuinfo') ? fs.readFileSync('/proc/cpuinfo', 'utf8') : '');
  const expected = [1, 2].flatMap((t) => [`peak_f32x4/${t}/native`, ...(wider ? [`peak_widest/${t}/native`] : [])]);
  assert.deepEqual(probes.map((p) => `${p.probe}/${p.threads}/${p.runtime}`), expected);
  for (const p of probes) assert.ok(p.gflops > 0, JSON.stringify(p));
  for (const p of probes.filter((r) => r.probe === 'peak_widest')) assert.ok(p.lanes >= 8, JSON.stringify(p));
  const rows = lines.filter((r) => !r.probe);
  // PyTorch once with the BLAS as installed and once with OpenBLAS, each row naming what it loaded.
  const sides = [{ runtime: 'native' }];
  if (hasPytorch) sides.push({ runtime: 'pytorch', blas_setup: 'as installed' });
  if (hasPytorch && hasOpenblas) sides.push({ runtime: 'pytorch', blas_setup: 'OpenBLAS' });
  const cases = (side) => rows.filter((r) => r.runtime === side.runtime && r.blas_setup === side.blas_setup).map((r) => `${r.kind}/${r.batch}/${r.threads}`);
  for (const side of sides) assert.deepEqual(cases(side), ['train/64/1', 'train/64/2', 'infer/256/1', 'infer/256/2'], JSON.stringify(side));
  assert.equal(rows.length, 4 * sides.length);
  // FLOPs per sample (tests/native/test_flops.cpp): a training step does forward, weight gradients
  // and input gradients except the first convolution's: 1,704,960; inference 645,120.
  const expectedFlops = { train: 1_704_960, infer: 645_120 };
  for (const r of rows) {
    assert.equal(r.model, 'tfjs-cnn');
    assert.equal(r.unit, 'samples');
    assert.ok(r.min <= r.samples_per_second && r.samples_per_second <= r.max && r.min > 0, JSON.stringify(r));
    const flops = (r.gflops * 1e9) / r.samples_per_second;
    assert.ok(Math.abs(flops / expectedFlops[r.kind] - 1) < 1e-6, `${r.runtime} ${r.kind}: ${flops} FLOPs per sample`);
    if (r.runtime === 'pytorch') assert.match(r.blas, r.blas_setup === 'OpenBLAS' ? /^OpenBLAS \d/ : /\S/, JSON.stringify(r));
  }
});

test('the table: the char-LSTM row with the ratio to PyTorch, or the line saying how to get PyTorch', () => {
  const text = bench('--threads', '1', '--models', 'char-lstm');
  const row = text.split('\n').find((line) => line.startsWith('C '));
  assert.ok(row, text);
  if (hasPytorch) assert.match(row, /\d\.\d\d×$/);
  if (hasPytorch) assert.match(text, /vs PyTorch [\d.a-z]+ \(CPU, BLAS as installed, loaded: .+\)/);
  if (hasPytorch && hasOpenblas) assert.match(text, /vs PyTorch [\d.a-z]+ \(CPU, BLAS OpenBLAS, loaded: OpenBLAS \d/);
  else assert.match(text, /npm run bench -- --pytorch/);
  assert.match(bench('--threads', '1', '--models', 'char-lstm', '--no-pytorch'), /PyTorch skipped/);
});
