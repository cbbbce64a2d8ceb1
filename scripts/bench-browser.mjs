// `npm run bench -- --browser [--seconds S] [--repeats R] [--threads T] [--batch N] [--json]`: training and
// inference throughput in headless Chromium, Profundo's engine (threads+SIMD build with T threads,
// and the single-thread SIMD build) next to TensorFlow.js 4.22 (wasm backend on T threads and on 1,
// cpu and webgl backends) on the same models, batches and MNIST images, in the same run; for
// inference also ONNX Runtime Web (wasm, T threads and 1) on an ONNX file of the same model with
// the engine's weights (tests/bench/onnx_export.py, checked against the engine's outputs). First
// the machine's f32x4 ceiling (engine/core/peak_flops.hpp) on 1 and T threads: every row's GFLOP/s
// is also shown as a fraction of it. Also the gzip size of each engine wasm.
//
// `npm run bench -- --browser --to-accuracy PRESET [--epochs N] [--seeds N]`: opens the built app
// (dist/, cross-origin isolated, so the threads build), trains PRESET from the URL and reports the
// dev and test accuracy and the wall time; with --seeds N, once per seed 1..N (`#seed=` in the URL)
// and the median time (issue #16's target for fast99: each seed ≥ 99.0 %, median ≤ 30 s).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { WASM_OUTPUTS, wasmPublicDir } from './build.mjs';
import { SYSTEM_PYTHON } from './deps.mjs';
import { buildDir, nodeModulesDir, publicDir, repoRoot } from './lib/paths.mjs';
import { StepError } from './lib/run.mjs';
import { startStaticServer } from './serve-static.mjs';
import { distDir, ensureDist, launchBrowser } from '../tests/web/browser/support.mjs';

const PAGE_PATH = 'tests/bench/index.html';

/**
 * Time-to-accuracy targets, per preset (issue #16): every seed's test accuracy at least `accuracy`,
 * and the median wall time from page load over `seeds` seeds at most `seconds`.
 */
export const ACCURACY_TARGETS = { fast99: { accuracy: 0.99, seconds: 30, seeds: 5 } };

/**
 * Issue #4's workloads A, B and A-inf, and issue #5's C (a character-level LSTM: batch = streams,
 * rates in characters/s); targets from issues #4, #5 and #7 (Chromium, threads build, 2 threads).
 */
export const WORKLOADS = [
  { id: 'A', model: 'tfjs-cnn', kind: 'train', batch: 64, target: { samplesPerSecond: 14_400, ratio: 2 } },
  { id: 'B', model: 'keras-cnn', kind: 'train', batch: 128, target: { samplesPerSecond: 2_100, ratio: 2 } },
  // onnx: also ONNX Runtime Web on the same model; the targets hold at T threads and at 1.
  { id: 'A-inf', model: 'tfjs-cnn', kind: 'infer', batch: 256, onnx: true, target: { ratio: 2, ratioToWasm: 1.5, aheadOfOnnx: true } },
  { id: 'C', model: 'char-lstm', kind: 'train', batch: 32, text: { seqLength: 64, hidden: 128, embedding: 64 }, target: { ratio: 3, ratioToWasm: 5 } },
];

/** Tiny Shakespeare's characters: the vocabulary of workload C. */
export const SHAKESPEARE_VOCABULARY = 65;

/**
 * Forward FLOPs per character of workload C, 2 per multiply-add: the LSTM's four gates over
 * [embedding, hidden] and the softmax head (elementwise work left out, as for the CNNs).
 */
export function charLstmForwardFlops({ hidden, embedding }, vocabulary = SHAKESPEARE_VOCABULARY) {
  return 2 * 4 * hidden * (embedding + hidden) + 2 * hidden * vocabulary;
}

/** The optimiser of workload C on both sides (the engine's text defaults). */
const TEXT_OPTIMIZER = { kind: 'adam', learning_rate: 0.003, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 };

/**
 * The rows of a workload, in table order: the wasm runtimes at T threads and at 1 (Profundo's
 * single-thread build is its 1-thread row), then TF.js' JavaScript and WebGL backends.
 */
export function backendsFor(threads, workload = {}) {
  const alsoOneThread = threads === 1 ? [threads] : [threads, 1];
  return [
    { side: 'profundo', backend: 'wasm-threads', threads },
    { side: 'profundo', backend: 'wasm-simd', threads: 1 },
    ...alsoOneThread.map((t) => ({ side: 'tfjs', backend: 'wasm', threads: t })),
    { side: 'tfjs', backend: 'cpu', threads: 1 },
    { side: 'tfjs', backend: 'webgl', threads: 1 },
    ...(workload.onnx ? alsoOneThread.map((t) => ({ side: 'ort', backend: 'wasm', threads: t })) : []),
  ];
}

const RUNTIME_NAMES = { profundo: 'Profundo', tfjs: 'TF.js 4.22', ort: 'ONNX Runtime Web' };

const USAGE = `usage: npm run bench -- --browser [--seconds S] [--repeats R] [--threads T] [--batch N] [--workloads A,B,A-inf,C] [--json]
       npm run bench -- --browser --to-accuracy PRESET [--epochs N] [--seeds N] [--url 'lr=0.002&epochs=4'] [--json]`;

export function parseArgs(argv) {
  const opts = { seconds: 10, repeats: 3, threads: 2, batch: undefined, json: false, toAccuracy: undefined, epochs: undefined, seeds: undefined, url: undefined, workloads: undefined };
  const number = (name, value, { integer = false, min = 0 } = {}) => {
    const n = Number(value);
    if (value === undefined || !Number.isFinite(n) || n <= min || (integer && !Number.isInteger(n))) {
      throw new StepError(`--${name} expects a ${integer ? 'whole ' : ''}number above ${min}, got ${value ?? 'nothing'}\n${USAGE}`);
    }
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--browser') continue;
    else if (arg === '--seconds') opts.seconds = number('seconds', argv[++i]);
    else if (arg === '--repeats') opts.repeats = number('repeats', argv[++i], { integer: true });
    else if (arg === '--threads') opts.threads = number('threads', argv[++i], { integer: true });
    else if (arg === '--batch') opts.batch = number('batch', argv[++i], { integer: true });
    else if (arg === '--epochs') opts.epochs = number('epochs', argv[++i], { integer: true });
    else if (arg === '--seeds') opts.seeds = number('seeds', argv[++i], { integer: true });
    else if (arg === '--url') {
      // More of the page's URL settings (a candidate of the dev-split selection: `lr=0.002&epochs=4`).
      opts.url = argv[++i];
      if (!opts.url || !/^[\w.:,=&-]+$/.test(opts.url)) throw new StepError(`--url expects settings like lr=0.002&epochs=4, got ${opts.url ?? 'nothing'}\n${USAGE}`);
    }
    else if (arg === '--workloads') {
      opts.workloads = (argv[++i] ?? '').split(',').filter(Boolean);
      const known = WORKLOADS.map((w) => w.id);
      const unknown = opts.workloads.filter((id) => !known.includes(id));
      if (opts.workloads.length === 0 || unknown.length) throw new StepError(`--workloads expects some of ${known.join(',')}, got ${argv[i] ?? 'nothing'}\n${USAGE}`);
    }
    else if (arg === '--to-accuracy') {
      opts.toAccuracy = argv[++i];
      if (!opts.toAccuracy || opts.toAccuracy.startsWith('--')) throw new StepError(`--to-accuracy expects a preset name\n${USAGE}`);
    } else if (arg === '--json') opts.json = true;
    else throw new StepError(`unknown argument ${arg}\n${USAGE}`);
  }
  return opts;
}

// ---- the files the page needs ----------------------------------------------------------------------

const TFJS_FILES = [
  '@tensorflow/tfjs/dist/tf.min.js',
  '@tensorflow/tfjs-backend-wasm/dist/tf-backend-wasm.min.js',
  '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm',
  '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm',
  '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm',
];

function checkInputs() {
  const missing = [];
  for (const files of Object.values(WASM_OUTPUTS)) {
    for (const file of files) if (!fs.existsSync(path.join(wasmPublicDir, file))) missing.push(`public/wasm/${file}`);
  }
  if (missing.length) throw new StepError(`${missing.join(', ')} missing: run \`node scripts/build.mjs wasm-threads wasm-simd\``);
  for (const file of ['train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz']) {
    if (!fs.existsSync(path.join(publicDir, 'data', 'mnist', file))) throw new StepError(`public/data/mnist/${file} missing: run \`npm run data\``);
  }
  for (const file of TFJS_FILES) {
    if (!fs.existsSync(path.join(nodeModulesDir, file))) throw new StepError(`node_modules/${file} missing: run \`npm install\` (TensorFlow.js 4.22 is a devDependency)`);
  }
}

/** Raw and gzip (level 9, what a static server would send) size of each engine wasm file. */
export function wasmSizes() {
  return Object.values(WASM_OUTPUTS)
    .flat()
    .filter((file) => file.endsWith('.wasm'))
    .map((file) => {
      const bytes = fs.readFileSync(path.join(wasmPublicDir, file));
      return { file: `public/wasm/${file}`, bytes: bytes.length, gzipBytes: zlib.gzipSync(bytes, { level: 9 }).length };
    });
}

// ---- running the cases -----------------------------------------------------------------------------

function median(sorted) {
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function backendLabel(row) {
  if (row.side === 'ort') return row.backendInfo ?? `wasm, ${row.threads} thread${row.threads === 1 ? '' : 's'}`;
  if (row.side === 'profundo') return row.backend === 'wasm-threads' ? `wasm threads+SIMD, ${row.threads} threads` : 'wasm SIMD, 1 thread';
  return row.backendInfo ?? (row.backend === 'wasm' ? `wasm, ${row.threads} threads` : row.backend);
}

async function runCase(page, job) {
  return page.evaluate((j) => globalThis.runBenchCase(j), job);
}

async function benchmark(opts, log) {
  checkInputs();
  // Not the app: TF.js evaluates strings, which the app's Content-Security-Policy forbids.
  const server = await startStaticServer({ dir: repoRoot, isolated: true, csp: false });
  const browser = await launchBrowser();
  try {
    const page = await browser.context.newPage();
    const consoleLines = [];
    page.on('console', (msg) => consoleLines.push(`${msg.type()}: ${msg.text()}`));
    page.on('pageerror', (err) => consoleLines.push(`pageerror: ${err.message}`));
    await page.goto(new URL(PAGE_PATH, server.url).href);
    const pageInfo = await page.evaluate(() => globalThis.benchPageInfo());
    if (!pageInfo.crossOriginIsolated) throw new StepError('the benchmark page is not cross-origin isolated: the threads builds cannot run');

    const chosen = WORKLOADS.filter((w) => !opts.workloads || opts.workloads.includes(w.id));
    const models = [...new Set(WORKLOADS.filter((w) => !w.text).map((w) => w.model))];
    const described = await runCase(page, { side: 'profundo', backend: 'wasm-simd', kind: 'describe', models });
    if (!described.ok) throw new StepError(`the engine could not describe its presets: ${described.error}\nconsole:\n${consoleLines.join('\n')}`);

    // The ceiling first, on 1 and T threads, while nothing else of ours runs.
    const peaks = [];
    for (const threads of [...new Set([1, opts.threads])]) {
      log(`  f32x4 multiply-add ceiling, ${threads} thread(s) …`);
      const peak = await runCase(page, { side: 'profundo', backend: 'wasm-threads', kind: 'peak', threads, seconds: Math.min(1, opts.seconds) });
      if (!peak.ok) throw new StepError(`the f32x4 ceiling probe failed: ${peak.error}`);
      peaks.push({ threads, gflops: peak.gflops });
    }
    const onnx = chosen.some((w) => w.onnx) ? await prepareOnnx(page, chosen.find((w) => w.onnx).model, log) : undefined;

    const rows = [];
    // --batch replaces every workload's batch: quick checks only (the targets are for the real batches).
    for (const workload of chosen.map((w) => (opts.batch ? { ...w, batch: opts.batch } : w))) {
      const preset = described.presets[workload.model];
      // Training: the work done (engine/model/flops.hpp); C's LSTM computes every gradient (3 × forward).
      const flopsPerSample =
        workload.kind === 'infer' ? preset.forwardFlops : workload.text ? 3 * charLstmForwardFlops(workload.text) : preset.trainingFlops;
      for (const backend of backendsFor(opts.threads, workload)) {
        const job = {
          ...backend,
          model: workload.model,
          kind: workload.kind,
          batch: workload.batch,
          seconds: opts.seconds,
          repeats: opts.repeats,
          ...(workload.text
            ? { ...workload.text, training: { optimizer: TEXT_OPTIMIZER } }
            : { spec: preset.model, training: preset.training }),
          ...(backend.side === 'ort' ? { onnxUrl: onnx?.url, check: onnx?.check } : {}),
        };
        log(`  ${workload.id}: ${RUNTIME_NAMES[backend.side]} ${backend.backend}, ${backend.threads} thread(s) …`);
        const result = backend.side === 'ort' && onnx.error ? { ok: false, error: onnx.error } : await runCase(page, job);
        const row = {
          workload: workload.id,
          model: workload.model,
          kind: workload.kind,
          batch: workload.batch,
          runtime: RUNTIME_NAMES[backend.side],
          side: backend.side,
          backend: backend.backend,
          threads: result.threads ?? backend.threads,
          backendInfo: result.backendInfo,
          flopsPerSample,
        };
        if (result.ok) {
          const rates = [...result.rates].sort((a, b) => a - b);
          Object.assign(row, { samplesPerSecond: median(rates), min: rates[0], max: rates.at(-1) });
          row.gflops = (row.samplesPerSecond * flopsPerSample) / 1e9;
          row.ofPeak = row.gflops / peaks.find((p) => p.threads === row.threads)?.gflops;
        } else {
          row.error = result.error;
        }
        row.label = backendLabel(row);
        rows.push(row);
      }
    }
    return {
      page: pageInfo,
      seconds: opts.seconds,
      repeats: opts.repeats,
      threads: opts.threads,
      batchOverride: opts.batch,
      peaks,
      onnx: onnx && { file: onnx.file, maxDifference: onnx.maxDifference, error: onnx.error },
      rows,
      comparisons: compare(rows),
      wasm: wasmSizes(),
    };
  } finally {
    await browser.close();
    await server.close();
  }
}

/**
 * The ONNX file of `model` for ONNX Runtime Web: the engine's worker gives its initial weights and
 * its probabilities for 8 images, tests/bench/onnx_export.py (PyTorch) mirrors the model with those
 * weights, checks it gives the same probabilities within 1e-4 and writes build/bench/MODEL.onnx.
 * Resolves to { url, file, check, maxDifference } or { error } (the ONNX rows then show it).
 */
async function prepareOnnx(page, model, log) {
  log(`  ONNX file of ${model} with the engine's weights (PyTorch's torch.onnx.export) …`);
  const reference = await runCase(page, { side: 'profundo', backend: 'wasm-simd', kind: 'reference', model, count: 8 });
  if (!reference.ok) return { error: `the engine could not give its weights: ${reference.error}` };
  const dir = path.join(buildDir, 'bench');
  fs.mkdirSync(dir, { recursive: true });
  const source = path.join(dir, `${model}.weights.json`);
  const file = path.join(dir, `${model}.onnx`);
  fs.writeFileSync(source, JSON.stringify(reference));
  const exported = spawnSync(SYSTEM_PYTHON, [path.join(repoRoot, 'tests', 'bench', 'onnx_export.py'), source, file], { encoding: 'utf8' });
  if (exported.status !== 0) {
    return { error: `no ONNX file: ${SYSTEM_PYTHON} tests/bench/onnx_export.py failed (python3-torch needed): ${(exported.stderr || exported.stdout).trim().split('\n').at(-1)}` };
  }
  const { max_difference: maxDifference } = JSON.parse(exported.stdout.trim().split('\n').at(-1));
  return {
    url: `/${path.relative(repoRoot, file)}`,
    file: path.relative(repoRoot, file),
    check: { images: reference.images, probabilities: reference.probabilities, count: reference.count },
    maxDifference,
  };
}

/**
 * Profundo (threads build) against TensorFlow.js' fastest backend that works, per workload; and
 * against TF.js wasm and ONNX Runtime Web at the same thread count: T threads (Profundo's threads
 * build) and 1 (its single-thread SIMD build).
 */
export function compare(rows) {
  return WORKLOADS.filter((workload) => rows.some((r) => r.workload === workload.id)).map((workload) => {
    const mine = rows.filter((r) => r.workload === workload.id && r.samplesPerSecond !== undefined);
    const profundo = mine.find((r) => r.side === 'profundo' && r.backend === 'wasm-threads');
    const fastest = mine.filter((r) => r.side === 'tfjs').reduce((best, r) => (best && best.samplesPerSecond >= r.samplesPerSecond ? best : r), undefined);
    const ratio = profundo && fastest ? profundo.samplesPerSecond / fastest.samplesPerSecond : undefined;
    const threadCounts = [...new Set(rows.filter((r) => r.workload === workload.id).map((r) => r.threads))].sort((a, b) => b - a);
    const perThreads = threadCounts.map((threads) => {
      const ours = threads === profundo?.threads ? profundo : mine.find((r) => r.side === 'profundo' && r.threads === threads);
      const over = (side) => {
        const other = mine.find((r) => r.side === side && r.backend === 'wasm' && r.threads === threads);
        return ours && other ? ours.samplesPerSecond / other.samplesPerSecond : undefined;
      };
      return { threads, profundo: ours?.samplesPerSecond, ratioToWasm: over('tfjs'), ratioToOnnx: over('ort') };
    });
    const checks = [];
    if (ratio !== undefined) checks.push({ what: `≥ ${workload.target.ratio}× TF.js fastest`, met: ratio >= workload.target.ratio });
    if (workload.target.samplesPerSecond && profundo) {
      checks.push({ what: `≥ ${workload.target.samplesPerSecond.toLocaleString('en-US')} samples/s`, met: profundo.samplesPerSecond >= workload.target.samplesPerSecond });
    }
    for (const t of perThreads) {
      const at = `${t.threads} thread${t.threads === 1 ? '' : 's'}`;
      if (workload.target.ratioToWasm && t.ratioToWasm !== undefined) {
        checks.push({ what: `≥ ${workload.target.ratioToWasm}× TF.js wasm on ${at}`, met: t.ratioToWasm >= workload.target.ratioToWasm });
      }
      if (workload.target.aheadOfOnnx && t.ratioToOnnx !== undefined) checks.push({ what: `ahead of ONNX Runtime Web on ${at}`, met: t.ratioToOnnx > 1 });
    }
    return {
      workload: workload.id,
      model: workload.model,
      kind: workload.kind,
      batch: profundo?.batch ?? workload.batch,
      profundo: profundo?.samplesPerSecond,
      tfjsFastest: fastest ? { backend: fastest.backend, label: fastest.label, samplesPerSecond: fastest.samplesPerSecond } : undefined,
      ratio,
      ratioToWasm: perThreads.find((t) => t.threads === profundo?.threads)?.ratioToWasm,
      perThreads,
      checksWasm: workload.target.ratioToWasm !== undefined,
      checks,
    };
  });
}

// ---- printing -------------------------------------------------------------------------------------

const fmt = (n, digits = 0) => (n === undefined ? '—' : n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }));

/** Slow backends (a few samples per second) keep one decimal. */
const rateDigits = (n) => (n < 100 ? 1 : 0);

export function formatTable(report) {
  const lines = [];
  lines.push(`Browser benchmark: headless Chromium, ${report.page.hardwareConcurrency} hardware threads, cross-origin isolated: ${report.page.crossOriginIsolated}`);
  lines.push(`Real MNIST batches (the same for both), warm-up then ${report.repeats} × ≥ ${report.seconds} s; median (min – max).`);
  lines.push('C: tiny Shakespeare, 1-layer LSTM; batch = streams of 64 characters, rates in characters/s; TF.js takes one-hot input.');
  if (report.batchOverride) lines.push(`--batch ${report.batchOverride}: every workload's batch replaced (a quick check; the targets are for the real batches).`);
  for (const p of report.peaks ?? []) {
    lines.push(`Ceiling: independent f32x4 multiply-adds in wasm on ${p.threads} thread${p.threads === 1 ? '' : 's'}: ${fmt(p.gflops, 1)} GFLOP/s ("of peak" below: GFLOP/s over the ceiling at the row's thread count).`);
  }
  if (report.onnx?.file) lines.push(`ONNX Runtime Web runs ${report.onnx.file}: the engine's weights through PyTorch, its probabilities within ${report.onnx.maxDifference.toExponential(1)} of the engine's.`);
  lines.push('');
  const header = ['workload', 'model', 'kind', 'batch', 'runtime', 'backend', 'samples/s', 'min – max', 'GFLOP/s', 'of peak'];
  const table = [header];
  for (const r of report.rows) {
    table.push([
      r.workload,
      r.model,
      r.kind,
      String(r.batch),
      r.runtime,
      r.label,
      r.error ? 'error' : fmt(r.samplesPerSecond, rateDigits(r.samplesPerSecond)),
      r.error ? '' : `${fmt(r.min, rateDigits(r.min))} – ${fmt(r.max, rateDigits(r.max))}`,
      r.error ? '' : fmt(r.gflops, 2),
      r.error || !Number.isFinite(r.ofPeak) ? '' : `${(100 * r.ofPeak).toFixed(0)} %`,
    ]);
  }
  const widths = header.map((_, c) => Math.max(...table.map((row) => row[c].length)));
  const numeric = new Set([3, 6, 7, 8, 9]);
  for (const [i, row] of table.entries()) {
    lines.push(row.map((cell, c) => (numeric.has(c) ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join('  ').trimEnd());
    const source = i > 0 ? report.rows[i - 1] : undefined;
    if (source?.error) lines.push(`    ↳ ${source.error}`);
  }
  lines.push('');
  lines.push('Profundo (threads build) / TF.js fastest working backend:');
  for (const c of report.comparisons) {
    const against = c.tfjsFastest ? `${fmt(c.tfjsFastest.samplesPerSecond, rateDigits(c.tfjsFastest.samplesPerSecond))} (${c.tfjsFastest.label})` : 'no working TF.js backend';
    const ratio = c.ratio === undefined ? '—' : `${c.ratio.toFixed(2)}×`;
    const wasm = c.ratioToWasm === undefined || !c.checksWasm ? '' : `; vs TF.js wasm ${c.ratioToWasm.toFixed(2)}×`;
    const sameThreads = c.perThreads
      .filter((t) => c.checksWasm && (t.ratioToWasm !== undefined || t.ratioToOnnx !== undefined))
      .map((t) => {
        const parts = [t.ratioToWasm !== undefined && `${t.ratioToWasm.toFixed(2)}× TF.js wasm`, t.ratioToOnnx !== undefined && `${t.ratioToOnnx.toFixed(2)}× ONNX Runtime Web`];
        return `\n        on ${t.threads} thread${t.threads === 1 ? '' : 's'}: ${fmt(t.profundo)} = ${parts.filter(Boolean).join(', ')}`;
      })
      .join('');
    const checks = c.checks.map((k) => `${k.what}: ${k.met ? 'met' : 'NOT met'}`).join(', ');
    lines.push(`  ${c.workload.padEnd(5)} ${c.model} ${c.kind} batch ${c.batch}: ${fmt(c.profundo)} vs ${against} = ${ratio}${wasm}  [${checks}]${sameThreads}`);
  }
  lines.push('');
  lines.push('Engine wasm files (target ≤ 400 KB gzip each):');
  for (const w of report.wasm) {
    lines.push(`  ${w.file}: ${fmt(w.bytes / 1024, 1)} KB, gzip -9 ${fmt(w.gzipBytes / 1024, 1)} KB${w.gzipBytes <= 400 * 1024 ? '' : '  (over 400 KB)'}`);
  }
  return lines.join('\n');
}

// ---- time to accuracy in the built app -------------------------------------------------------------

async function timeToAccuracy(opts, log, seed) {
  ensureDist();
  const server = await startStaticServer({ dir: distDir, isolated: true });
  const browser = await launchBrowser();
  try {
    const page = await browser.context.newPage();
    const consoleLines = [];
    page.on('console', (msg) => consoleLines.push(`${msg.type()}: ${msg.text()}`));
    page.on('pageerror', (err) => consoleLines.push(`pageerror: ${err.message}`));
    const hash = `#preset=${encodeURIComponent(opts.toAccuracy)}${opts.epochs ? `&epochs=${opts.epochs}` : ''}${seed ? `&seed=${seed}` : ''}${opts.url ? `&${opts.url}` : ''}&autostart=1`;
    const started = performance.now();
    await page.goto(`${server.url}${hash}`);
    const errorOrBackend = '[data-testid="backend"][data-state="ready"], [data-testid="error"]';
    await page.waitForSelector(errorOrBackend, { timeout: 120_000 });
    let epochsSeen = 0;
    // Waits for the result itself (the clock stops when it appears, not at the next poll), looking
    // at the epochs done each second meanwhile.
    const finished = () =>
      page.waitForSelector('[data-testid="test-accuracy"], [data-testid="error"]', { timeout: 1000 }).then(
        () => true,
        (err) => {
          if (err.name === 'TimeoutError') return false;
          throw err;
        },
      );
    while (!(await finished())) {
      const epochs = await page.locator('[data-testid="epoch-metrics"] tbody tr').count();
      if (epochs > epochsSeen) {
        epochsSeen = epochs;
        log(`  epoch ${epochs} done after ${((performance.now() - started) / 1000).toFixed(0)} s`);
      }
    }
    const seconds = (performance.now() - started) / 1000;
    const error = page.getByTestId('error');
    if ((await error.count()) > 0) throw new StepError(`the app shows an error: ${await error.textContent()}\n${consoleLines.join('\n')}`);
    const accuracy = Number(await page.getByTestId('test-accuracy').getAttribute('data-value'));
    const backend = page.getByTestId('backend');
    return {
      preset: opts.toAccuracy,
      seed,
      devAccuracy: parsePercent(await page.locator('[data-testid="epoch-metrics"] tbody tr:last-child td:nth-child(5)').textContent()),
      epochs: await page.locator('[data-testid="epoch-metrics"] tbody tr').count(),
      testAccuracy: accuracy,
      seconds,
      variant: await backend.getAttribute('data-variant'),
      threads: Number(await backend.getAttribute('data-threads')),
      target: accuracyTargetCheck(opts.toAccuracy, accuracy, seconds),
    };
  } finally {
    await browser.close();
    await server.close();
  }
}

/** "99,12 %" or "99.12 %" (the page's locale) as 0.9912. */
export function parsePercent(text) {
  const digits = String(text).replace(',', '.').replace(/[^\d.]/g, '');
  return digits ? Number(digits) / 100 : undefined;
}

/** The preset's target from ACCURACY_TARGETS and whether this run met it, or undefined when it has none. */
export function accuracyTargetCheck(preset, testAccuracy, seconds) {
  const target = ACCURACY_TARGETS[preset];
  if (!target) return undefined;
  return { ...target, met: testAccuracy >= target.accuracy && seconds <= target.seconds };
}

/** Several seeds of one preset: the median time, the lowest test accuracy, and the target over all of them. */
export function summarizeSeeds(runs) {
  const seconds = median(runs.map((r) => r.seconds).sort((a, b) => a - b));
  const lowestAccuracy = Math.min(...runs.map((r) => r.testAccuracy));
  const target = ACCURACY_TARGETS[runs[0].preset];
  return {
    preset: runs[0].preset,
    seeds: runs.length,
    medianSeconds: seconds,
    lowestTestAccuracy: lowestAccuracy,
    target: target && { ...target, met: runs.length >= target.seeds && lowestAccuracy >= target.accuracy && seconds <= target.seconds },
    runs,
  };
}

export function formatSeeds(summary) {
  const lines = summary.runs.map((r) => formatAccuracy(r).split('\n')[1].replace(/^ {2}/, `  seed ${r.seed}: `));
  lines.unshift(`Time to accuracy in the built app, ${summary.seeds} seeds (headless Chromium, ${summary.runs[0].variant}, ${summary.runs[0].threads} threads):`);
  lines.push(`  median ${summary.medianSeconds.toFixed(1)} s, lowest test accuracy ${(100 * summary.lowestTestAccuracy).toFixed(2)} %`);
  const t = summary.target;
  if (t) {
    lines.push(`  target (issue #16): every seed ≥ ${(100 * t.accuracy).toFixed(1)} %, median of ${t.seeds} seeds ≤ ${t.seconds} s: ${t.met ? 'met' : 'NOT met'} (a busy machine lengthens the time)`);
  }
  return lines.join('\n');
}

export function formatAccuracy(r) {
  const lines = [
    `Time to accuracy in the built app (headless Chromium, ${r.variant}, ${r.threads} threads):`,
    `  ${r.preset}, ${r.epochs} epoch${r.epochs === 1 ? '' : 's'}: test accuracy ${(100 * r.testAccuracy).toFixed(2)} % after ${r.seconds.toFixed(1)} s wall time (page load to result)${r.devAccuracy === undefined ? '' : `; dev accuracy ${(100 * r.devAccuracy).toFixed(2)} %`}`,
  ];
  if (r.target) {
    lines.push(`  target (issue #16): ≥ ${(100 * r.target.accuracy).toFixed(1)} % within ${r.target.seconds} s: ${r.target.met ? 'met' : 'NOT met'} (a busy machine lengthens the time)`);
  }
  return lines.join('\n');
}

/** Entry point from scripts/bench.mjs. */
export async function benchBrowser(argv) {
  const opts = parseArgs(argv);
  const log = (line) => (opts.json ? process.stderr : process.stdout).write(`${line}\n`);
  if (opts.toAccuracy) {
    log(`[profundo] training ${opts.toAccuracy} in the built app (this takes minutes) …`);
    if (opts.seeds) {
      const runs = [];
      for (let seed = 1; seed <= opts.seeds; seed++) {
        log(`[profundo] seed ${seed} of ${opts.seeds} …`);
        runs.push(await timeToAccuracy(opts, log, seed));
      }
      const summary = summarizeSeeds(runs);
      console.log(opts.json ? JSON.stringify(summary) : formatSeeds(summary));
      return 0;
    }
    const result = await timeToAccuracy(opts, log);
    console.log(opts.json ? JSON.stringify(result) : formatAccuracy(result));
    return 0;
  }
  log(`[profundo] browser benchmark: ${WORKLOADS.length} workloads × up to ${backendsFor(opts.threads, { onnx: true }).length} runtimes and backends …`);
  const report = await benchmark(opts, log);
  console.log(opts.json ? JSON.stringify(report, null, 2) : `\n${formatTable(report)}`);
  return 0;
}
