// `node scripts/select-fast99.mjs [--seeds 1,2] [--jobs N] [--candidates a,b] [--threshold 0.991]`:
// issue #16's selection of the fast99 preset on the dev split only (README, "Choosing fast99").
// Trains each candidate natively with profundo-cli (deterministic for a seed: the machine's load
// slows the runs but does not change their accuracy) and prints, per candidate, its training work
// (the CLI's `training_flops`, as FLOPs count in engine/model/flops.hpp) and the dev accuracy of
// the model the run keeps; the test accuracy the CLI also reports is written to the logs in
// build/fast99-selection/ and never read here. The choice: the candidate with the fewest training
// FLOPs whose dev accuracy is at least --threshold on every seed. A run whose log is already there
// (same candidate and seed) is read back rather than trained again.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { buildDir, publicDir, repoRoot } from './lib/paths.mjs';
import { main, StepError } from './lib/run.mjs';

const CLI = path.join(buildDir, 'native', 'engine', 'profundo-cli');
const LOG_DIR = path.join(buildDir, 'fast99-selection');
const USAGE = 'usage: node scripts/select-fast99.mjs [--seeds 1,2] [--jobs N] [--candidates a,b] [--threshold 0.991]';

/** fast99's shape (engine/model/presets.cpp) with `filters` for its two 5x5 convolutions. */
function fast99Model([first, second]) {
  const conv = (filters) => ({ type: 'conv2d', filters, kernel_size: 5 });
  const pool = { type: 'maxpool2d', kernel_size: 2 };
  const norm = [{ type: 'batchnorm' }, { type: 'relu' }];
  return {
    input: [1, 28, 28],
    layers: [conv(first), ...norm, pool, conv(second), ...norm, pool, { type: 'flatten' },
      { type: 'dense', units: 128 }, ...norm, { type: 'dense', units: 10 }],
    loss: 'softmax_cross_entropy',
  };
}

/** Written down before any was trained: fewer filters and fewer epochs than the preset of issue #7
 *  (the first row). Everything else is fast99's: Adam α 0.003 halving every epoch (860 batches of
 *  64), batch norm, no augmentation. */
export const CANDIDATES = [
  { name: '12-24-e5', filters: [12, 24], epochs: 5 },
  { name: '12-24-e4', filters: [12, 24], epochs: 4 },
  { name: '12-24-e3', filters: [12, 24], epochs: 3 },
  { name: '8-16-e5', filters: [8, 16], epochs: 5 },
  { name: '8-16-e4', filters: [8, 16], epochs: 4 },
  { name: '8-16-e3', filters: [8, 16], epochs: 3 },
];

export function parseSelectionArgs(argv) {
  const opts = { seeds: [1, 2], jobs: 2, candidates: CANDIDATES.map((c) => c.name), threshold: 0.991 };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = argv[++i] ?? '';
    if (arg === '--seeds') opts.seeds = value.split(',').map(Number);
    else if (arg === '--jobs') opts.jobs = Number(value);
    else if (arg === '--candidates') opts.candidates = value.split(',').filter(Boolean);
    else if (arg === '--threshold') opts.threshold = Number(value);
    else throw new StepError(`unknown argument ${arg}\n${USAGE}`);
  }
  if (!opts.seeds.length || !opts.seeds.every(Number.isInteger)) throw new StepError(`--seeds expects whole numbers like 1,2\n${USAGE}`);
  if (!Number.isInteger(opts.jobs) || opts.jobs < 1) throw new StepError(`--jobs expects a whole number above 0\n${USAGE}`);
  if (!(opts.threshold > 0 && opts.threshold < 1)) throw new StepError(`--threshold expects a fraction like 0.991\n${USAGE}`);
  const unknown = opts.candidates.filter((name) => !CANDIDATES.some((c) => c.name === name));
  if (unknown.length) throw new StepError(`unknown candidate ${unknown.join(', ')} (known: ${CANDIDATES.map((c) => c.name).join(', ')})`);
  return opts;
}

/** What selection may see of a finished run's log: its work and the kept model's dev accuracy. */
function readRun(log) {
  const events = fs.readFileSync(log, 'utf8').split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
  const start = events.find((e) => e.event === 'start');
  const done = events.find((e) => e.event === 'done');
  if (!start || !done) return undefined;
  return { flops: start.training_flops, devAccuracy: done.best_dev_accuracy, keptEpoch: done.kept_epoch, seconds: done.seconds };
}

/** One deterministic native run (a finished log of the same run is read instead: same seed, same result). */
function train(candidate, seed) {
  const modelFile = path.join(LOG_DIR, `${candidate.name}.json`);
  const log = path.join(LOG_DIR, `${candidate.name}-seed${seed}.jsonl`);
  const finished = fs.existsSync(log) && fs.readFileSync(modelFile, 'utf8') === JSON.stringify(fast99Model(candidate.filters)) ? readRun(log) : undefined;
  if (finished) return Promise.resolve(finished);
  const args = ['train', '--preset', 'fast99', '--model', modelFile, '--epochs', String(candidate.epochs),
    '--seed', String(seed), '--threads', '1', '--json', '--data', path.join(publicDir, 'data', 'mnist')];
  return new Promise((resolve, reject) => {
    const child = spawn(CLI, args, { cwd: repoRoot, stdio: ['ignore', fs.openSync(log, 'w'), 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('close', (code) => {
      if (code !== 0) return reject(new StepError(`${candidate.name} seed ${seed} failed (${code}): ${stderr}`));
      resolve(readRun(log));
    });
  });
}

/** Runs `tasks` (functions returning promises) at most `jobs` at a time. */
async function pool(tasks, jobs) {
  const results = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]();
    }
  };
  await Promise.all(Array.from({ length: Math.min(jobs, tasks.length) }, worker));
  return results;
}

/** The cheapest candidate whose dev accuracy reaches the threshold on every seed, or undefined. */
export function choose(rows, threshold) {
  return [...rows].sort((a, b) => a.flops - b.flops).find((row) => row.runs.every((run) => run.devAccuracy >= threshold));
}

async function select() {
  const opts = parseSelectionArgs(process.argv.slice(2));
  if (!fs.existsSync(CLI)) throw new StepError(`${CLI} missing: run \`node scripts/build.mjs native\``);
  fs.mkdirSync(LOG_DIR, { recursive: true });
  const chosen = CANDIDATES.filter((c) => opts.candidates.includes(c.name));
  // Written once, before any run reads it (runs of one candidate start together).
  for (const c of chosen) fs.writeFileSync(path.join(LOG_DIR, `${c.name}.json`), JSON.stringify(fast99Model(c.filters)));
  const tasks = chosen.flatMap((c) => opts.seeds.map((seed) => () => {
    console.error(`[profundo] ${c.name} seed ${seed} …`);
    return train(c, seed);
  }));
  const runs = await pool(tasks, opts.jobs);
  const rows = chosen.map((c, i) => {
    const own = runs.slice(i * opts.seeds.length, (i + 1) * opts.seeds.length);
    return { candidate: c.name, filters: c.filters, epochs: c.epochs, flops: own[0].flops, runs: own.map((r, k) => ({ seed: opts.seeds[k], ...r })) };
  });
  const reference = rows.find((r) => r.candidate === CANDIDATES[0].name)?.flops;
  console.log(`fast99 candidates on the dev split (5,000 held-out training images), ${os.cpus().length} cores, load ${os.loadavg()[0].toFixed(1)}:`);
  for (const row of [...rows].sort((a, b) => a.flops - b.flops)) {
    const ratio = reference ? ` (${(row.flops / reference).toFixed(2)}× ${CANDIDATES[0].name})` : '';
    const dev = row.runs.map((r) => `seed ${r.seed} ${(100 * r.devAccuracy).toFixed(2)} % (epoch ${r.keptEpoch})`).join(', ');
    console.log(`  ${row.candidate.padEnd(9)} ${(row.flops * 1e-12).toFixed(2)} TFLOP${ratio}: dev ${dev}`);
  }
  const pick = choose(rows, opts.threshold);
  console.log(pick ? `chosen: ${pick.candidate} (the fewest FLOPs with dev ≥ ${(100 * opts.threshold).toFixed(1)} % on every seed)`
    : `none reaches dev ≥ ${(100 * opts.threshold).toFixed(1)} % on every seed`);
  return 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main(select);
