// `profundo-cli text` end to end: JSON events with losses in nats per character and perplexities,
// exact save/resume, sampling from a saved model, and errors that name what is wrong.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CLI = path.join(repoRoot, 'build/native/engine/profundo-cli');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'profundo-text-cli-'));
const corpus = path.join(tmp, 'shakespeare-30k.txt');
fs.writeFileSync(corpus, fs.readFileSync(path.join(repoRoot, 'public/data/text/shakespeare.txt'), 'utf8').slice(0, 30000));

function cli(...args) {
  const result = spawnSync(CLI, ['text', ...args], { encoding: 'utf8', cwd: repoRoot, maxBuffer: 64 << 20 });
  const events = result.stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
  return { code: result.status, stdout: result.stdout, stderr: result.stderr, events };
}

const small = ['--corpus', corpus, '--hidden', '48', '--embedding', '16', '--seq', '32', '--batch', '8', '--lr', '0.005',
  '--seed', '2', '--threads', '1', '--sample-every', '0', '--json'];

test('--json reports start, progress with losses and perplexities, a sample and done', () => {
  const run = cli(...small, '--steps', '40', '--eval-every', '20');
  assert.equal(run.code, 0, run.stderr);
  assert.deepEqual(run.events.map((e) => e.event), ['start', 'progress', 'progress', 'done', 'sample']);
  const [start, , second, done, sample] = run.events;
  assert.equal(start.characters, 30000);
  assert.equal(start.train, 27000);
  assert.equal(start.validation, 3000);
  assert.equal(start.config.cell, 'lstm');
  assert.equal(second.step, 40);
  assert.ok(second.validation_loss < Math.log(start.vocabulary_size), `validation ${second.validation_loss}`);
  assert.ok(Math.abs(second.validation_perplexity - Math.exp(second.validation_loss)) < 1e-9 * second.validation_perplexity);
  assert.ok(Math.abs(second.train_perplexity - Math.exp(second.train_loss)) < 1e-9 * second.train_perplexity);
  assert.ok(second.clipped_fraction >= 0 && second.clipped_fraction <= 1);
  assert.ok(done.characters_per_second > 0);
  assert.equal(sample.text.length, 200);
});

test('a saved run resumed for more steps equals the straight run, and samples without its corpus', () => {
  const file = path.join(tmp, 'run.profundo');
  const straight = cli(...small, '--steps', '20', '--eval-every', '5');
  const first = cli(...small, '--steps', '10', '--eval-every', '5', '--save', file, '--keep', 'last');
  assert.equal(first.code, 0, first.stderr);
  const resumed = cli('--resume', file, '--corpus', corpus, '--steps', '10', '--eval-every', '5', '--threads', '1',
    '--sample-every', '0', '--json');
  assert.equal(resumed.code, 0, resumed.stderr);
  const at = (run, step) => run.events.find((e) => e.event === 'progress' && e.step === step);
  for (const step of [15, 20]) {
    assert.equal(at(resumed, step).train_loss, at(straight, step).train_loss, `train loss at step ${step}`);
    assert.equal(at(resumed, step).validation_loss, at(straight, step).validation_loss);
  }
  const sample = cli('--resume', file, '--sample', '50', '--temperature', '0.5', '--prime', 'ROMEO:', '--seed', '4', '--json');
  assert.equal(sample.code, 0, sample.stderr);
  assert.equal(sample.events[0].text.length, 50);
  assert.equal(sample.events[0].prime, 'ROMEO:');
  const again = cli('--resume', file, '--sample', '50', '--temperature', '0.5', '--prime', 'ROMEO:', '--seed', '4', '--json');
  assert.equal(again.events[0].text, sample.events[0].text);
  const plain = cli('--resume', file, '--sample', '30', '--temperature', '0', '--prime', 'First');
  assert.equal(plain.code, 0, plain.stderr);
  assert.ok(plain.stdout.startsWith('First') && plain.stdout.length >= 35, plain.stdout);
  // What a resumed run trains is the saved run's: a setting beside --resume is refused by name.
  const changed = cli('--resume', file, '--corpus', corpus, '--steps', '1', '--lr', '0.1');
  assert.equal(changed.code, 1);
  assert.match(changed.stderr, /--lr: a resumed run keeps the settings saved in .*run\.profundo.*--keep, --patience/);
  const other = cli('--resume', file, '--corpus', path.join(repoRoot, 'public/data/text/shakespeare.txt'), '--steps', '1');
  assert.equal(other.code, 1);
  assert.match(other.stderr, /trained on a different text/);
});

// A 4,000-character text overfits a 64-unit LSTM within a few hundred steps: the validation loss
// falls, then rises, so the best model and the last one differ.
const tiny = path.join(tmp, 'shakespeare-4k.txt');
fs.writeFileSync(tiny, fs.readFileSync(path.join(repoRoot, 'public/data/text/shakespeare.txt'), 'utf8').slice(0, 4000));
// No dropout and a constant α (the defaults have both): nothing holds the overfitting back.
const overfitting = ['--corpus', tiny, '--hidden', '64', '--embedding', '16', '--seq', '32', '--batch', '4', '--lr', '0.01',
  '--dropout', '0', '--schedule', 'constant', '--seed', '2', '--threads', '1', '--sample-every', '0', '--json', '--eval-every', '20'];
const reports = (run) => run.events.filter((e) => e.event === 'progress' || e.event === 'done');

test('--keep best (the default) reports, saves and samples the model of the lowest validation loss', () => {
  const file = path.join(tmp, 'best.profundo');
  const run = cli(...overfitting, '--steps', '400', '--save', file);
  assert.equal(run.code, 0, run.stderr);
  const all = reports(run);
  const lowest = all.reduce((a, b) => (b.validation_loss < a.validation_loss ? b : a));
  const done = run.events.find((e) => e.event === 'done');
  assert.equal(done.kept, 'best');
  assert.equal(done.best_validation_loss, lowest.validation_loss);
  assert.equal(done.best_step, lowest.step);
  assert.ok(done.best_step < done.step && done.validation_loss > done.best_validation_loss,
    `the run should overfit: best ${done.best_validation_loss} at ${done.best_step}, last ${done.validation_loss} at ${done.step}`);
  assert.deepEqual(all.filter((e) => e.best).map((e) => e.step).at(-1), lowest.step);
  assert.equal(run.events.at(-1).event, 'sample');
  assert.equal(run.events.at(-1).step, done.best_step, 'the sample comes from the best model');
  // The saved file is the best model: continuing it starts right after the best step, from its loss.
  const resumed = cli('--resume', file, '--corpus', tiny, '--steps', '1', '--eval-every', '1', '--threads', '1',
    '--sample-every', '0', '--keep', 'last', '--json');
  assert.equal(resumed.code, 0, resumed.stderr);
  assert.equal(reports(resumed)[0].step, done.best_step + 1);
  assert.equal(resumed.events.find((e) => e.event === 'done').kept, 'last', '--keep beside --resume applies');

  const last = cli(...overfitting, '--steps', '400', '--save', file, '--keep', 'last');
  const lastDone = last.events.find((e) => e.event === 'done');
  assert.equal(lastDone.kept, 'last');
  assert.equal(lastDone.best_validation_loss, done.best_validation_loss, 'best is still reported beside last');
  assert.equal(last.events.at(-1).step, 400);
  const continued = cli('--resume', file, '--corpus', tiny, '--steps', '1', '--eval-every', '1', '--threads', '1',
    '--sample-every', '0', '--json');
  assert.equal(reports(continued)[0].step, 401);
});

test('--patience N stops after N validation reports without improvement', () => {
  const run = cli(...overfitting, '--steps', '400', '--patience', '3');
  assert.equal(run.code, 0, run.stderr);
  const done = run.events.find((e) => e.event === 'done');
  assert.equal(done.stopped_early, true);
  assert.equal(done.step, done.best_step + 3 * 20);
  const progress = run.events.filter((e) => e.event === 'progress');
  assert.deepEqual(progress.slice(-3).map((e) => e.best), [false, false, false]);
  assert.match(cli(...overfitting, '--steps', '1', '--patience', '-1').stderr, /text\.patience must be in \[0, \d+\], got -1/);
  assert.match(cli(...overfitting, '--steps', '1', '--keep', 'first').stderr, /text\.keep must be one of best, last, got 'first'/);
});

test('a validation loss that turns NaN stops the run with a clear message and exit code 1', () => {
  const file = path.join(tmp, 'diverged.profundo');
  const run = cli(...overfitting, '--steps', '40', '--eval-every', '1', '--optimizer', 'sgd', '--lr', '1e30', '--clip', '0',
    '--cell', 'rnn', '--save', file);
  assert.equal(run.code, 1);
  const diverged = run.events.find((e) => e.event === 'diverged');
  assert.ok(diverged, run.stdout);
  assert.match(diverged.message, /the validation loss became NaN at step 1; training stopped\. Try a smaller learning rate/);
  assert.equal(diverged.best_step, null, 'nothing finite was ever seen, so nothing is kept');
  assert.equal(fs.existsSync(file), false);
});

test('bad input exits with 1 and a message naming the problem', () => {
  const latin1 = path.join(tmp, 'latin1.txt');
  fs.writeFileSync(latin1, Buffer.from([0x61, 0x62, 0xe9, 0x63]));
  const invalid = cli('--corpus', latin1, '--steps', '1');
  assert.equal(invalid.code, 1);
  assert.match(invalid.stderr, /latin1\.txt: invalid UTF-8 at byte 2/);

  const huge = path.join(tmp, 'huge.txt');
  fs.writeFileSync(huge, Buffer.alloc(16 * 1024 * 1024 + 1, 0x61));
  const tooBig = cli('--corpus', huge, '--steps', '1');
  assert.equal(tooBig.code, 1);
  assert.match(tooBig.stderr, /limit is 16 MB/);
  fs.rmSync(huge);

  const empty = path.join(tmp, 'empty.txt');
  fs.writeFileSync(empty, '');
  assert.match(cli('--corpus', empty, '--steps', '1').stderr, /the text is empty/);
  assert.match(cli(...small, '--steps', '1', '--cell', 'transformer').stderr, /text\.cell must be one of rnn, gru, lstm, got 'transformer'/);
  assert.match(cli(...small, '--steps', '1', '--hiden', '3').stderr, /hiden/);
  assert.match(cli('--sample', '10').stderr, /--sample N needs --resume FILE/);
  const help = spawnSync(CLI, ['text', '--help'], { encoding: 'utf8' });
  assert.equal(help.status, 0);
  assert.match(help.stdout, /--temperature T/);
});

test('--schedule, its constants and --l2 reach the run and its JSON settings', () => {
  const run = cli(...small, '--steps', '3', '--eval-every', '1', '--eval-chars', '256', '--schedule', 'step', '--gamma', '0.5',
    '--step-size', '1', '--l2', '0.001');
  assert.equal(run.code, 0, run.stderr);
  const config = run.events[0].config;
  assert.equal(config.schedule.kind, 'step');
  assert.equal(config.schedule.step_size, 1);
  assert.ok(Math.abs(config.l2 - 0.001) < 1e-9, `l2 ${config.l2}`);
  // α_t = 0.005 · 0.5^t for the steps t = 0, 1, 2.
  const rates = run.events.filter((e) => e.event === 'progress' || e.event === 'done').map((e) => e.learning_rate);
  assert.ok(Math.abs(rates[0] - 0.005) < 1e-9 && Math.abs(rates[1] - 0.0025) < 1e-9 && Math.abs(rates[2] - 0.00125) < 1e-9, `${rates}`);
  assert.match(cli(...small, '--steps', '1', '--schedule', 'cosine').stderr, /text\.schedule/);
  assert.match(cli('--help').stdout, /--step-size/);
});

test('--preset NAME starts from the engine\'s preset table (its corpus and settings); options change it', () => {
  const presets = JSON.parse(spawnSync(CLI, ['settings', '--text-presets'], { encoding: 'utf8' }).stdout);
  const quick = presets.find((p) => p.name === 'quijote-quick');
  assert.equal(quick.corpus, 'quijote');
  // One step and a tiny validation split: only the start event's settings matter here.
  const run = cli('--preset', 'quijote-quick', '--steps', '1', '--validation', '0.01', '--seq', '16', '--threads', '1', '--sample-every', '0', '--json');
  assert.equal(run.code, 0, run.stderr);
  const start = run.events[0];
  assert.match(start.corpus, /quijote\.txt$/);
  assert.deepEqual({ ...start.config, validation_fraction: quick.config.validation_fraction, seq_length: quick.config.seq_length }, quick.config);
  assert.equal(start.config.seq_length, 16);
  // Without a preset the settings are the registry's defaults (the best ten native minutes), which
  // are not the page's best preset (a smaller model: the page trains at a quarter of the speed).
  const defaults = cli('--corpus', corpus, '--steps', '1', '--threads', '1', '--sample-every', '0', '--json').events[0];
  const registry = JSON.parse(spawnSync(CLI, ['settings'], { encoding: 'utf8' }).stdout).text;
  const at = (config, path) => path.split('.').reduce((value, key) => value[key], config);
  for (const row of registry) assert.deepEqual(at(defaults.config, row.path), row.default, `text.${row.path}`);
  assert.notEqual(defaults.config.hidden_size, presets.find((p) => p.name === 'shakespeare-best').config.hidden_size);
  assert.match(cli('--preset', 'huge').stderr, /unknown text preset 'huge' \(known: shakespeare-quick, shakespeare-best, quijote-quick, quijote-best\)/);
});
