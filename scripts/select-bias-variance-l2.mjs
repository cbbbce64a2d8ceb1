// `node scripts/select-bias-variance-l2.mjs [--candidates 32,64,96,128,160] [--seeds 1,2,3] [--confirm-seeds 4,5,6]
//   [--first-row-sizes 5000,30000] [--first-row-seeds 1,2,3,4,5,6] [--jobs N] [--threads N] [--json]
//   [--train-size N] [--dev-size N] [--epochs N] [--data DIR]`:
// the selection of the bias/variance recipe's L2 λ and of its first row's training-set size, on the
// dev split only (README, "The bias/variance recipe's L2"). Each run is one `profundo-cli
// bias-variance` experiment: the lab's settings in web/src/labs/defaults.json with a recipe row's
// changes, on a seeded subset of the MNIST training images (the test images are never read).
//
// - λ: the "+ L2" row at each candidate against the row before it in the recipe, on `seeds`; the
//   chosen λ lowers the dev error most on average (the smaller λ on a tie). It is then run once on
//   `confirm-seeds`, which are printed and play no part in the choice.
// - The first row: the recipe's first row at each training-set size on `first-row-seeds`, read as
//   the page reads it (diagnose() in web/src/screens/train/diagnosis.ts, with the thresholds of
//   diagnosis-thresholds.json beside it); the chosen size is the smallest that reads high bias alone
//   on every seed.
// --train-size, --dev-size and --epochs replace the rows' own in every run (the tests' tiny runs).
// A run is deterministic for a seed and a thread count (threads split the sums differently); the
// README's numbers were measured on 2 threads, the default, one run at a time (--jobs 1).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { buildDir, publicDir, repoRoot } from './lib/paths.mjs';
import { main, StepError, runLimited } from './lib/run.mjs';

const CLI = path.join(buildDir, 'native', 'engine', 'profundo-cli');
const LAB_DEFAULTS = path.join(repoRoot, 'web', 'src', 'labs', 'defaults.json');
const THRESHOLDS = JSON.parse(fs.readFileSync(path.join(repoRoot, 'web', 'src', 'screens', 'train', 'diagnosis-thresholds.json'), 'utf8'));
const L2_ROW = 'labs.bv.recipe.l2';
const USAGE = 'usage: node scripts/select-bias-variance-l2.mjs [--candidates 32,64,96,128,160] [--seeds 1,2,3] [--confirm-seeds 4,5,6] ' +
  '[--first-row-sizes 5000,30000] [--first-row-seeds 1,2,3,4,5,6] [--jobs N] [--threads N] [--json] [--train-size N] [--dev-size N] [--epochs N] [--data DIR]';

/** The selection as it was written down before its runs (issue #14). */
export const SELECTION = {
  candidates: [32, 64, 96, 128, 160],
  seeds: [1, 2, 3],
  confirmSeeds: [4, 5, 6],
  firstRowSizes: [5000, 30000],
  firstRowSeeds: [1, 2, 3, 4, 5, 6],
};

export function parseSelectionArgs(argv) {
  const opts = { ...SELECTION, jobs: 1, threads: 2, json: false, overrides: {}, data: path.join(publicDir, 'data', 'mnist') };
  const list = (name, value) => {
    const numbers = value.split(',').filter(Boolean).map(Number);
    if (!numbers.length || !numbers.every((n) => Number.isFinite(n) && n >= 0)) throw new StepError(`${name} expects numbers like 1,2\n${USAGE}`);
    return numbers;
  };
  const whole = (name, value) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1) throw new StepError(`${name} expects a whole number above 0, got '${value}'\n${USAGE}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--json' || arg === '--help') {
      opts[arg.slice(2)] = true;
      continue;
    }
    const value = argv[++i] ?? '';
    if (arg === '--candidates') opts.candidates = list(arg, value);
    else if (arg === '--seeds') opts.seeds = list(arg, value);
    else if (arg === '--confirm-seeds') opts.confirmSeeds = list(arg, value);
    else if (arg === '--first-row-sizes') opts.firstRowSizes = list(arg, value);
    else if (arg === '--first-row-seeds') opts.firstRowSeeds = list(arg, value);
    else if (arg === '--jobs') opts.jobs = whole(arg, value);
    else if (arg === '--threads') opts.threads = whole(arg, value);
    else if (arg === '--train-size' || arg === '--dev-size' || arg === '--epochs') opts.overrides[arg.slice(2)] = whole(arg, value);
    else if (arg === '--data') opts.data = value;
    else throw new StepError(`unknown argument ${arg}\n${USAGE}`);
  }
  for (const name of ['seeds', 'confirmSeeds', 'firstRowSeeds'])
    if (!opts[name].every(Number.isInteger)) throw new StepError(`seeds are whole numbers, got ${opts[name].join(',')}\n${USAGE}`);
  const overlap = opts.confirmSeeds.filter((seed) => opts.seeds.includes(seed));
  if (overlap.length) throw new StepError(`--confirm-seeds must not repeat a selection seed (${overlap.join(', ')})`);
  return opts;
}

/** The recipe row the "+ L2" row changes one thing from (the row before it in defaults.json). */
export function rowBefore(recipe, key) {
  const index = recipe.findIndex((row) => row.key === key);
  if (index < 1) throw new StepError(`${key} is not a recipe row after another in ${LAB_DEFAULTS}`);
  return recipe[index - 1].key;
}

/** Per λ: the change of the dev error in points on each seed (L2 row − the row before it), their mean,
 *  and on how many seeds it is lower. `runs[seed]` = { before, l2: { [λ]: dev error } } (fractions). */
export function l2Rows(candidates, seeds, runs) {
  return candidates.map((l2) => {
    const changes = seeds.map((seed) => 100 * (runs[seed].l2[l2] - runs[seed].before));
    return { l2, changes, meanChange: changes.reduce((sum, c) => sum + c, 0) / changes.length, lowerOn: changes.filter((c) => c < 0).length };
  });
}

/** The λ whose L2 row lowers the dev error most on average; the smaller λ on a tie. */
export function chooseL2(rows) {
  return [...rows].sort((a, b) => a.meanChange - b.meanChange || a.l2 - b.l2)[0];
}

/** The page's reading of errors in %: high bias alone is train − human above the bias threshold and
 *  dev − train at most the variance threshold (diagnose(), diagnosis-thresholds.json). */
export function readsHighBiasAlone(trainPercent, devPercent, thresholds = THRESHOLDS) {
  return trainPercent - thresholds.humanErrorPercent > thresholds.highBiasPoints && devPercent - trainPercent <= thresholds.highVariancePoints;
}

/** The smallest training-set size whose first row reads high bias alone on every seed, or undefined.
 *  `rows`: [{ size, runs: [{ seed, train, dev }] }] with errors as fractions. */
export function chooseFirstRowSize(rows, thresholds = THRESHOLDS) {
  return [...rows].sort((a, b) => a.size - b.size).find((row) => row.runs.every((r) => readsHighBiasAlone(100 * r.train, 100 * r.dev, thresholds)));
}

/** One experiment: `profundo-cli bias-variance`, its result as JSON. */
function experiment(opts, row, seed, extra = {}) {
  const options = { ...opts.overrides, ...extra };
  const args = ['bias-variance', '--lab', LAB_DEFAULTS, '--row', row, '--seed', String(seed), '--threads', String(opts.threads), '--data', opts.data,
    ...Object.entries(options).flatMap(([name, value]) => [`--${name}`, String(value)])];
  return new Promise((resolve, reject) => {
    const child = spawn(CLI, args, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('close', (code) => {
      if (code !== 0) return reject(new StepError(`${row} seed ${seed} ${JSON.stringify(extra)} failed (${code}): ${stderr}`));
      resolve(JSON.parse(stdout));
    });
  });
}


const percent = (fraction) => `${(100 * fraction).toFixed(2)} %`;
const points = (change) => `${change >= 0 ? '+' : ''}${change.toFixed(2)}`;

async function select() {
  const opts = parseSelectionArgs(process.argv.slice(2));
  if (opts.help) {
    console.log(USAGE);
    return 0;
  }
  if (!fs.existsSync(CLI)) throw new StepError(`${CLI} missing: run \`node scripts/build.mjs native\``);
  const recipe = JSON.parse(fs.readFileSync(LAB_DEFAULTS, 'utf8')).biasVariance.recipe;
  const before = rowBefore(recipe, L2_ROW);
  const firstRow = recipe[0].key;
  const run = (row, seed, extra) => {
    if (!opts.json) console.error(`[profundo] ${row}, seed ${seed} ${JSON.stringify(extra ?? {})} …`);
    return experiment(opts, row, seed, extra);
  };

  // λ on the selection seeds: the row before "+ L2" once per seed, the "+ L2" row per candidate.
  const runs = Object.fromEntries(opts.seeds.map((seed) => [seed, { l2: {} }]));
  const tasks = opts.seeds.flatMap((seed) => [
    async () => (runs[seed].before = (await run(before, seed)).dev_error),
    ...opts.candidates.map((l2) => async () => (runs[seed].l2[l2] = (await run(L2_ROW, seed, { l2 })).dev_error)),
  ]);
  await runLimited(tasks, opts.jobs);
  const rows = l2Rows(opts.candidates, opts.seeds, runs);
  const chosen = chooseL2(rows);

  // Once, on seeds the choice never saw.
  const confirmation = await runLimited(opts.confirmSeeds.map((seed) => async () => {
    const plain = await run(before, seed);
    const l2 = await run(L2_ROW, seed, { l2: chosen.l2 });
    return { seed, before: plain.dev_error, after: l2.dev_error };
  }), opts.jobs);

  // The first row's training-set size.
  const sizeRows = await runLimited(opts.firstRowSizes.map((size) => async () => {
    const own = [];
    for (const seed of opts.firstRowSeeds) {
      const r = await run(firstRow, seed, { 'train-size': size });
      own.push({ seed, train: r.train_error, dev: r.dev_error });
    }
    return { size, runs: own };
  }), opts.jobs);
  const size = chooseFirstRowSize(sizeRows);

  const report = { before, rows, chosen: chosen.l2, confirmation, firstRow: { rows: sizeRows, chosen: size?.size ?? null }, overrides: opts.overrides };
  if (opts.json) {
    console.log(JSON.stringify(report));
    return 0;
  }
  const tiny = Object.keys(opts.overrides).length ? ` (every run with ${JSON.stringify(opts.overrides)})` : '';
  console.log(`The bias/variance recipe's L2 on the dev split, ${opts.threads} thread(s) per run on ${os.cpus().length} cores${tiny}:`);
  console.log(`λ of ${L2_ROW} against ${before} on seeds ${opts.seeds.join(', ')} (change of the dev error, points):`);
  for (const row of rows)
    console.log(`  λ = ${String(row.l2).padEnd(5)} mean ${points(row.meanChange)}  (${row.changes.map(points).join(', ')}; lower on ${row.lowerOn} of ${opts.seeds.length})`);
  console.log(`chosen: λ = ${chosen.l2} (the lowest mean change)`);
  console.log(`confirmed once on seeds ${opts.confirmSeeds.join(', ')}, not used to choose: ` +
    confirmation.map((c) => `${percent(c.before)} → ${percent(c.after)}`).join(', '));
  console.log(`${firstRow} by training-set size (train / dev error; reading with the page's thresholds):`);
  for (const row of sizeRows) {
    const cells = row.runs.map((r) => `seed ${r.seed} ${percent(r.train)} / ${percent(r.dev)}${readsHighBiasAlone(100 * r.train, 100 * r.dev) ? '' : ' (not high bias alone)'}`);
    console.log(`  ${String(row.size).padStart(6)} images: ${cells.join(', ')}`);
  }
  console.log(size ? `chosen: ${size.size} images (the fewest that read high bias alone on every seed)` : 'no size reads high bias alone on every seed');
  return 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main(select);
