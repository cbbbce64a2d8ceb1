// `node scripts/select-fast99.mjs [--selection first|second|third] [--seeds 1,2,3] [--jobs N] [--candidates a,b] [--threshold 0.9925]`:
// issue #16's selections of the fast99 preset on the dev split only (README, "Choosing fast99").
// Trains each candidate natively with profundo-cli (deterministic for a seed: the machine's load
// slows the runs but does not change their accuracy) and prints, per candidate, its training work
// (the CLI's `training_flops`, as FLOPs count in engine/model/flops.hpp) and the dev accuracy of
// the model the run keeps (`--keep best` or `last`, the selection's); the test accuracy the CLI also
// reports is written to the logs in build/fast99-selection/ and never read here. The choice: the
// candidate with the fewest training FLOPs whose dev accuracy is at least the threshold on every seed.
// A run whose log is already there (same model and schedule, as many epochs or more) is read back
// rather than trained again.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { buildDir, publicDir, repoRoot } from './lib/paths.mjs';
import { main, StepError, runLimited } from './lib/run.mjs';

const CLI = path.join(buildDir, 'native', 'engine', 'profundo-cli');
const LOG_DIR = path.join(buildDir, 'fast99-selection');
const USAGE = 'usage: node scripts/select-fast99.mjs [--selection first|second|third] [--seeds 1,2,3] [--jobs N] [--candidates a,b] [--threshold 0.9925]';

/** fast99's shape (engine/model/presets.cpp) with `filters` for its two 5x5 convolutions and `dense` units. */
function fast99Model({ filters: [first, second], dense }) {
  const conv = (filters) => ({ type: 'conv2d', filters, kernel_size: 5 });
  const pool = { type: 'maxpool2d', kernel_size: 2 };
  const norm = [{ type: 'batchnorm' }, { type: 'relu' }];
  return {
    input: [1, 28, 28],
    layers: [conv(first), ...norm, pool, conv(second), ...norm, pool, { type: 'flatten' },
      { type: 'dense', units: dense }, ...norm, { type: 'dense', units: 10 }],
    loss: 'softmax_cross_entropy',
  };
}

// `augment`: the engine's default digit augmentation (shifts, rotations, zoom; `--augment`).
const candidate = (filters, epochs, { dense = 128, halvingSteps = 860, augment = false } = {}) => ({
  name: `${filters.join('-')}${dense === 128 ? '' : `-d${dense}`}${halvingSteps === 860 ? '' : `-h${halvingSteps}`}${augment ? '-aug' : ''}-e${epochs}`,
  filters, dense, halvingSteps, augment, epochs,
});

/** Each selection is written down (and committed) before any of its runs: candidates, seeds, threshold,
 *  dev split and the model a run keeps. Everything not listed is fast99's: Adam α 0.003 halving every
 *  `halvingSteps` batches of 64 (860 = one epoch of 55,000 images), batch norm, no augmentation, a
 *  dev split of 5,000 images and `--keep best`. README, "Choosing fast99", says why each was chosen. */
export const SELECTIONS = {
  // Issue #16's first: chose 8-16-e4, whose test accuracy then missed 99.0 % on seed 3.
  first: {
    seeds: [1, 2], threshold: 0.991,
    candidates: [[12, 24], [8, 16]].flatMap((filters) => [5, 4, 3].map((epochs) => candidate(filters, epochs))),
  },
  // The second, started because the first one's test report missed: new candidates (a wider dense
  // layer, α halving every 1.5 epochs instead of every epoch, 10/20 filters), a stricter criterion
  // on three seeds, all under 0.8 TFLOP so that the page can stay within 30 s.
  second: {
    seeds: [1, 2, 3], threshold: 0.992,
    candidates: [
      candidate([8, 16], 4, { dense: 256 }), candidate([8, 16], 5, { dense: 256 }),
      candidate([8, 16], 5, { halvingSteps: 1290 }), candidate([8, 16], 6, { halvingSteps: 1290 }),
      candidate([8, 16], 5, { dense: 256, halvingSteps: 1290 }), candidate([8, 16], 6, { dense: 256, halvingSteps: 1290 }),
      candidate([10, 20], 4), candidate([10, 20], 5),
    ],
  },
  // The third, started because the second one's test report missed on seed 3: a dev split of 10,000
  // images (50,000 trained on: 782 batches per epoch, so α halves every 1.5 epochs at 1,173 steps),
  // the last epoch's model kept (its dev accuracy is then not the best of several epochs'), wider or
  // longer models up to 0.85 TFLOP, and the default digit augmentation on some. None reached the
  // threshold; the fallback chose 10-20-h1173-e6, now the fast99 preset.
  third: {
    seeds: [1, 2, 3], threshold: 0.9925, devSize: 10000, keep: 'last',
    candidates: [
      ...[5, 6, 8].map((epochs) => candidate([8, 16], epochs, { halvingSteps: 1173 })),
      ...[6, 8].map((epochs) => candidate([8, 16], epochs, { dense: 256, halvingSteps: 1173 })),
      ...[5, 6].map((epochs) => candidate([10, 20], epochs, { halvingSteps: 1173 })),
      candidate([12, 24], 4, { halvingSteps: 782 }),
      ...[6, 8].map((epochs) => candidate([8, 16], epochs, { halvingSteps: 1173, augment: true })),
      candidate([10, 20], 6, { halvingSteps: 1173, augment: true }),
      candidate([12, 24], 4, { halvingSteps: 782, augment: true }),
    ],
  },
};

export function parseSelectionArgs(argv) {
  const opts = { selection: 'third', seeds: undefined, jobs: 2, candidates: undefined, threshold: undefined };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = argv[++i] ?? '';
    if (arg === '--selection') opts.selection = value;
    else if (arg === '--seeds') opts.seeds = value.split(',').map(Number);
    else if (arg === '--jobs') opts.jobs = Number(value);
    else if (arg === '--candidates') opts.candidates = value.split(',').filter(Boolean);
    else if (arg === '--threshold') opts.threshold = Number(value);
    else throw new StepError(`unknown argument ${arg}\n${USAGE}`);
  }
  const selection = SELECTIONS[opts.selection];
  if (!selection) throw new StepError(`--selection expects ${Object.keys(SELECTIONS).join(' or ')}, got ${opts.selection}\n${USAGE}`);
  opts.seeds ??= selection.seeds;
  opts.threshold ??= selection.threshold;
  opts.candidates ??= selection.candidates.map((c) => c.name);
  if (!opts.seeds.length || !opts.seeds.every(Number.isInteger)) throw new StepError(`--seeds expects whole numbers like 1,2\n${USAGE}`);
  if (!Number.isInteger(opts.jobs) || opts.jobs < 1) throw new StepError(`--jobs expects a whole number above 0\n${USAGE}`);
  if (!(opts.threshold > 0 && opts.threshold < 1)) throw new StepError(`--threshold expects a fraction like 0.991\n${USAGE}`);
  const known = selection.candidates.map((c) => c.name);
  const unknown = opts.candidates.filter((name) => !known.includes(name));
  if (unknown.length) throw new StepError(`unknown candidate ${unknown.join(', ')} in the ${opts.selection} selection (known: ${known.join(', ')})`);
  opts.chosen = selection.candidates.filter((c) => opts.candidates.includes(c.name));
  opts.devSize = selection.devSize ?? 5000;
  opts.keep = selection.keep ?? 'best';
  return opts;
}

/** What selection may see of a finished run's log: its work per epoch and each epoch's dev accuracy. */
function readRun(log) {
  const events = fs.readFileSync(log, 'utf8').split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
  const start = events.find((e) => e.event === 'start');
  const done = events.find((e) => e.event === 'done');
  if (!start || !done) return undefined;
  const dev = events.filter((e) => e.event === 'epoch').map((e) => e.dev.accuracy);
  return { flopsPerEpoch: start.training_flops / dev.length, dev, seconds: done.seconds };
}

/** The model a run keeps after its first `epochs` epochs: with `--keep best` the best dev accuracy, an
 *  equal one keeping the earlier epoch (engine/train/best_checkpoint.hpp); with `--keep last` the last.
 *  α's schedule counts steps and the shuffles do not depend on the number of epochs, so a shorter run
 *  is this run's first epochs. */
export function keptAfter(run, epochs, keep = 'best') {
  let kept = epochs - 1;
  if (keep === 'best') {
    kept = 0;
    for (let e = 1; e < epochs; e++) if (run.dev[e] > run.dev[kept]) kept = e;
  }
  return { devAccuracy: run.dev[kept], keptEpoch: kept + 1, flops: run.flopsPerEpoch * epochs };
}

/** Candidates that differ only in their number of epochs share one run, of the most epochs. */
const runKey = (c, devSize) =>
  `${c.filters.join('-')}-d${c.dense}-h${c.halvingSteps}${c.augment ? '-aug' : ''}${devSize === 5000 ? '' : `-dev${devSize}`}`;

/** One deterministic native run (a finished log of the same run, long enough, is read instead). */
function train(c, epochs, seed, { devSize, keep }) {
  const modelFile = path.join(LOG_DIR, `${runKey(c, devSize)}.json`);
  const log = path.join(LOG_DIR, `${runKey(c, devSize)}-seed${seed}.jsonl`);
  const finished = fs.existsSync(log) && fs.readFileSync(modelFile, 'utf8') === JSON.stringify(fast99Model(c)) ? readRun(log) : undefined;
  if (finished && finished.dev.length >= epochs) return Promise.resolve(finished);
  const args = ['train', '--preset', 'fast99', '--model', modelFile, '--epochs', String(epochs), '--step-size', String(c.halvingSteps),
    '--dev-size', String(devSize), '--keep', keep, ...(c.augment ? ['--augment'] : ['--no-augment']),
    '--seed', String(seed), '--threads', '1', '--json', '--data', path.join(publicDir, 'data', 'mnist')];
  return new Promise((resolve, reject) => {
    const child = spawn(CLI, args, { cwd: repoRoot, stdio: ['ignore', fs.openSync(log, 'w'), 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('close', (code) => {
      if (code !== 0) return reject(new StepError(`${runKey(c, devSize)} seed ${seed} failed (${code}): ${stderr}`));
      resolve(readRun(log));
    });
  });
}


/** The cheapest candidate whose dev accuracy reaches the threshold on every seed, or undefined. On equal
 *  FLOPs one without augmentation comes first: its warps cost time in the page that FLOPs do not count. */
export function choose(rows, threshold) {
  return [...rows].sort((a, b) => a.flops - b.flops || Number(Boolean(a.augment)) - Number(Boolean(b.augment)))
    .find((row) => row.runs.every((run) => run.devAccuracy >= threshold));
}

/** When none reaches it (written down with the second selection): the highest lowest dev accuracy over
 *  the seeds, the cheaper on a tie. */
export function fallback(rows) {
  const lowest = (row) => Math.min(...row.runs.map((r) => r.devAccuracy));
  return [...rows].sort((a, b) => lowest(b) - lowest(a) || a.flops - b.flops)[0];
}

async function select() {
  const opts = parseSelectionArgs(process.argv.slice(2));
  if (!fs.existsSync(CLI)) throw new StepError(`${CLI} missing: run \`node scripts/build.mjs native\``);
  fs.mkdirSync(LOG_DIR, { recursive: true });
  const longest = new Map();
  const key = (c) => runKey(c, opts.devSize);
  for (const c of opts.chosen) if ((longest.get(key(c))?.epochs ?? 0) < c.epochs) longest.set(key(c), c);
  // Written once, before any run reads it (runs of one model start together).
  for (const c of longest.values()) fs.writeFileSync(path.join(LOG_DIR, `${key(c)}.json`), JSON.stringify(fast99Model(c)));
  const keys = [...longest.keys()];
  const tasks = opts.seeds.flatMap((seed) => keys.map((k) => () => {
    const c = longest.get(k);
    console.error(`[profundo] ${k}, ${c.epochs} epochs, seed ${seed} …`);
    return train(c, c.epochs, seed, opts);
  }));
  const runs = await runLimited(tasks, opts.jobs);
  const runOf = (c, s) => runs[s * keys.length + keys.indexOf(key(c))];
  const rows = opts.chosen.map((c) => {
    const own = opts.seeds.map((seed, s) => ({ seed, ...keptAfter(runOf(c, s), c.epochs, opts.keep) }));
    return { candidate: c.name, filters: c.filters, epochs: c.epochs, augment: c.augment, flops: own[0].flops, runs: own };
  });
  console.log(`fast99, the ${opts.selection} selection, on the dev split (${opts.devSize.toLocaleString('en')} held-out training images, --keep ${opts.keep}), ` +
    `${os.cpus().length} cores, load ${os.loadavg()[0].toFixed(1)}:`);
  for (const row of [...rows].sort((a, b) => a.flops - b.flops)) {
    const dev = row.runs.map((r) => `seed ${r.seed} ${(100 * r.devAccuracy).toFixed(2)} % (epoch ${r.keptEpoch})`).join(', ');
    console.log(`  ${row.candidate.padEnd(22)} ${(row.flops * 1e-12).toFixed(2)} TFLOP: dev ${dev}`);
  }
  const pick = choose(rows, opts.threshold);
  const rule = `dev ≥ ${Number((100 * opts.threshold).toFixed(2))} % on every seed`;
  console.log(pick ? `chosen: ${pick.candidate} (the fewest FLOPs with ${rule})`
    : `none reaches ${rule}; chosen: ${fallback(rows).candidate} (the highest lowest dev accuracy)`);
  return 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main(select);
