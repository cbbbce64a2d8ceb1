// `npm run bench -- --memory` cannot rot: it trains and evaluates an image preset, and trains,
// validates and samples a text preset, in the threads build and reports the wasm heap at each point. Sizes are not asserted beyond their order.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';
import { formatMemory, parseMemoryArgs } from '../../scripts/bench-memory.mjs';
import { repoRoot } from './support/engine.mjs';

test('bad --memory arguments are refused with the option and the value', () => {
  assert.throws(() => parseMemoryArgs(['--steps', '0']), /--steps expects a whole number above 0, got 0/);
  assert.throws(() => parseMemoryArgs(['--fast']), /unknown argument --fast/);
  assert.deepEqual(parseMemoryArgs(['--memory', '--presets', 'logreg,mlp', '--threads', '1']), { threads: 1, steps: 20, presets: ['logreg', 'mlp'], textPresets: undefined, json: false });
  assert.deepEqual(parseMemoryArgs(['--text-presets', 'shakespeare-quick']).textPresets, ['shakespeare-quick']);
});

test('--memory: the wasm heap after loading, in training, in evaluation and in sampling, for an image and a text preset', { timeout: 300_000 }, () => {
  const result = spawnSync(process.execPath, [path.join(repoRoot, 'scripts', 'bench.mjs'), '--memory', '--presets', 'logreg', '--text-presets', 'shakespeare-quick', '--steps', '2', '--json'], {
    cwd: repoRoot,
    encoding: 'utf8',
    timeout: 290_000,
  });
  assert.equal(result.status, 0, result.stderr);
  const rows = JSON.parse(result.stdout);
  assert.deepEqual(rows.map((r) => `${r.lab}/${r.preset}`), ['image/logreg', 'text/shakespeare-quick']);
  for (const r of rows) {
    assert.ok(r.parameters > 0);
    // Linear memory only grows: loaded ≤ training ≤ evaluation; malloc's bytes fit inside it.
    assert.ok(r.loaded.wasmMemory > 0 && r.loaded.wasmMemory <= r.training.wasmMemory && r.training.wasmMemory <= r.evaluation.wasmMemory, JSON.stringify(r));
    assert.ok(r.evaluation.allocated > 0 && r.evaluation.allocated < r.evaluation.wasmMemory, JSON.stringify(r));
  }
  const [image, text] = rows;
  assert.equal(image.sampling, undefined, 'the image lab does not sample');
  assert.ok(text.evaluation.wasmMemory <= text.sampling.wasmMemory && text.sampling.allocated > 0, JSON.stringify(text));
  assert.ok(rows[0].loaded.allocated > 70_000 * 784, 'the image lab holds MNIST (70,000 images of 784 bytes)');
  const table = formatMemory(rows, { threads: 2, steps: 2 });
  assert.match(table, /image +logreg +7,850 +[\d.]+ MiB +[\d.]+ MiB +[\d.]+ MiB +– +[\d.]+ MiB/);
  assert.match(table, /text +shakespeare-quick +[\d,]+ +[\d.]+ MiB +[\d.]+ MiB +[\d.]+ MiB +[\d.]+ MiB +[\d.]+ MiB/);
});
