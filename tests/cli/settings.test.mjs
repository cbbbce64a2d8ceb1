// The settings registry from the native CLI: the committed TypeScript (types and the registry the
// page reads) is what the engine describes, the CLI's options come from the registry with its
// checks, and a setting added to the engine (Adam's amsgrad) works from the command line to the
// saved run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { generate, GENERATED, nativeRegistry } from '../../scripts/generate-settings.mjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CLI = path.join(repoRoot, 'build/native/engine/profundo-cli');
const MNIST = path.join(repoRoot, 'public/data/mnist');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'profundo-settings-'));

function cli(...args) {
  const result = spawnSync(CLI, args, { encoding: 'utf8', cwd: repoRoot, maxBuffer: 64 << 20 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

test('web/src/engine/generated/settings.ts is what the engine describes (regenerate on any drift)', () => {
  const committed = fs.readFileSync(GENERATED, 'utf8');
  assert.equal(committed, generate(nativeRegistry()), 'run: node scripts/generate-settings.mjs');
  const check = spawnSync(process.execPath, [path.join(repoRoot, 'scripts/generate-settings.mjs'), '--check'], { encoding: 'utf8' });
  assert.equal(check.status, 0, check.stderr);
});

test('the generated types name every setting, nested as in the engine\'s JSON', () => {
  const registry = nativeRegistry();
  const text = generate(registry);
  for (const [table, name] of [['training', 'TrainConfig'], ['data', 'DataConfig'], ['text', 'TextConfig']]) {
    const body = text.match(new RegExp(`export interface ${name} \\{([\\s\\S]*?)\\n\\}`))[1];
    for (const row of registry[table]) {
      const leaf = row.path.split('.').at(-1);
      const indent = '  '.repeat(row.path.split('.').length);
      assert.match(body, new RegExp(`^${indent}${leaf}: (number|string|boolean);$`, 'm'), `${table}.${row.path}`);
    }
  }
  // A changed range or a new field changes the file.
  const changed = structuredClone(registry);
  changed.training.find((row) => row.path === 'optimizer.beta2').max.value = 2;
  assert.notEqual(generate(changed), text);
});

test('the CLI reads settings through the registry: a bad value names the field and its range', () => {
  const quick = ['train', '--preset', 'logreg', '--threads', '1', '--data', MNIST, '--json'];
  for (const [option, value, message] of [
    ['--beta2', '1.5', 'training.optimizer.beta2 must be in [0, 1), got 1.5'],
    ['--epochs', '2.5', 'training.epochs: expected an integer, got 2.5'],
    ['--lr', 'abc', "--lr: expected float, got 'abc'"],
    ['--normalization', 'zscore', "data.normalization must be one of none, scale, standardize, got 'zscore'"],
    ['--zoom', '1', 'data.augment.max_zoom must be in [0, 1), got 1'],
  ]) {
    const run = cli(...quick, option, value);
    assert.equal(run.code, 1, `${option} ${value} was accepted`);
    assert.equal(run.stderr.trim(), `profundo-cli: error: ${message}`);
  }
  const usage = cli('--help').stdout;
  for (const row of nativeRegistry().training) assert.match(usage, new RegExp(`--${row.cli}\\b`), row.path);
});

test('--amsgrad (one engine edit) trains, and the saved run keeps it', () => {
  const saved = path.join(tmp, 'amsgrad.profundo');
  const run = cli('train', '--preset', 'logreg', '--epochs', '1', '--threads', '1', '--data', MNIST, '--json', '--amsgrad', '--save', saved);
  assert.equal(run.code, 0, run.stderr);
  const header = fs.readFileSync(saved).subarray(0, 4096).toString('latin1');
  assert.match(header, /"amsgrad":true/);
  const plain = path.join(tmp, 'plain.profundo');
  assert.equal(cli('train', '--preset', 'logreg', '--epochs', '1', '--threads', '1', '--data', MNIST, '--json', '--save', plain).code, 0);
  assert.match(fs.readFileSync(plain).subarray(0, 4096).toString('latin1'), /"amsgrad":false/);
  // Resumed, it goes on with AMSGrad (its optimiser state has the third tensor).
  const resumed = cli('train', '--resume', saved, '--epochs', '2', '--threads', '1', '--data', MNIST, '--json');
  assert.equal(resumed.code, 0, resumed.stderr);
});
