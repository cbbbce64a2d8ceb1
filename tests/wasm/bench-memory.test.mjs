// `npm run bench -- --memory` cannot rot: it trains and evaluates a preset and the text lab in the
// threads build and reports the wasm heap at each point. Sizes are not asserted beyond their order.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';
import { formatMemory, parseMemoryArgs } from '../../scripts/bench-memory.mjs';
import { repoRoot } from './support/engine.mjs';

test('bad --memory arguments are refused with the option and the value', () => {
  assert.throws(() => parseMemoryArgs(['--steps', '0']), /--steps expects a whole number above 0, got 0/);
  assert.throws(() => parseMemoryArgs(['--fast']), /unknown argument --fast/);
  assert.deepEqual(parseMemoryArgs(['--memory', '--presets', 'logreg,mlp', '--threads', '1']), { threads: 1, steps: 20, presets: ['logreg', 'mlp'], json: false });
});

test('--memory: the wasm heap after loading, in training and in evaluation, for a preset and the text lab', { timeout: 300_000 }, () => {
  const result = spawnSync(process.execPath, [path.join(repoRoot, 'scripts', 'bench.mjs'), '--memory', '--presets', 'logreg', '--steps', '2', '--json'], {
    cwd: repoRoot,
    encoding: 'utf8',
    timeout: 290_000,
  });
  assert.equal(result.status, 0, result.stderr);
  const rows = JSON.parse(result.stdout);
  assert.deepEqual(rows.map((r) => `${r.lab}/${r.preset}`), ['image/logreg', 'text/default text lab']);
  for (const r of rows) {
    assert.ok(r.parameters > 0);
    // Linear memory only grows: loaded ≤ training ≤ evaluation; malloc's bytes fit inside it.
    assert.ok(r.loaded.wasmMemory > 0 && r.loaded.wasmMemory <= r.training.wasmMemory && r.training.wasmMemory <= r.evaluation.wasmMemory, JSON.stringify(r));
    assert.ok(r.evaluation.allocated > 0 && r.evaluation.allocated < r.evaluation.wasmMemory, JSON.stringify(r));
  }
  assert.ok(rows[0].loaded.allocated > 70_000 * 784, 'the image lab holds MNIST (70,000 images of 784 bytes)');
  const text = formatMemory(rows, { threads: 2, steps: 2 });
  assert.match(text, /image +logreg +7,850 +[\d.]+ MiB +[\d.]+ MiB +[\d.]+ MiB +[\d.]+ MiB/);
  assert.match(text, /text +default text lab/);
});
