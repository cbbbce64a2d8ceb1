// `npm run bench -- [--seconds S] [--repeats R] [--threads 1,2] [--models tfjs-cnn,char-lstm] [--json]
//                  [--pytorch | --no-pytorch] [--openblas-detect-cpu] [--wasm]`: builds and runs the native
// benchmark (profundo-bench), then the same workloads in PyTorch on the CPU (tests/bench/pytorch_bench.py)
// when Debian's python3-torch is installed, twice: with the BLAS as installed (Debian's alternatives
// for libblas.so.3) and with OpenBLAS (its openblas-pthread folder first on LD_LIBRARY_PATH); each
// row says which BLAS it loaded. `--pytorch` installs PyTorch and OpenBLAS first when missing;
// `--no-pytorch` skips it. `--openblas-detect-cpu` lets OpenBLAS pick its kernels for this CPU in
// the OpenBLAS run (it unsets OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE there, which some machines set
// because older OpenBLAS builds fail on their CPU). `--wasm` also runs the same benchmark compiled to
// WebAssembly (both builds) under Node, with each rate over the native one and over the machine's
// f32x4 ceiling.
// `npm run bench -- --browser ...`: the same workloads in headless Chromium, next to TensorFlow.js
// (scripts/bench-browser.mjs). `npm run bench -- --memory ...`: the wasm heap's peak per preset and
// for the text lab (scripts/bench-memory.mjs).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { configureAndBuild } from './build.mjs';
import { BENCHMARKING, ensureSystemDeps, OPENBLAS_DIR, SYSTEM_PYTHON } from './deps.mjs';
import { BLAS_SETUPS, combineRows, formatCombined, formatWasm, PYTORCH_MISSING_MESSAGE } from './lib/bench-table.mjs';
import { buildDir, repoRoot } from './lib/paths.mjs';
import { main, StepError } from './lib/run.mjs';

const BENCH_BINARY = path.join(buildDir, 'native', 'engine', 'profundo-bench');
const PYTORCH_SCRIPT = path.join(repoRoot, 'tests', 'bench', 'pytorch_bench.py');

/** Our own flags; the rest (--seconds, --repeats, --threads, --models) go to both benchmarks. */
function parseArgs(argv) {
  const opts = { pytorch: 'auto', json: false, wasm: false, openblasDetectCpu: false, passed: [] };
  for (const arg of argv) {
    if (arg === '--pytorch') opts.pytorch = 'install';
    else if (arg === '--openblas-detect-cpu') opts.openblasDetectCpu = true;
    else if (arg === '--wasm') opts.wasm = true;
    else if (arg === '--no-pytorch') opts.pytorch = 'skip';
    else if (arg === '--json') opts.json = true;
    else opts.passed.push(arg);
  }
  return opts;
}

const optionValue = (argv, name) => {
  const i = argv.indexOf(name);
  return i === -1 ? undefined : argv[i + 1];
};

/** PyTorch's version as /usr/bin/python3 imports it, or undefined when it cannot. */
function pytorchVersion() {
  const probe = spawnSync(SYSTEM_PYTHON, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' });
  return probe.status === 0 ? probe.stdout.trim() : undefined;
}

/**
 * The environment of PyTorch's run with each BLAS setup: as installed, the process' own; with
 * OpenBLAS, its pthread build's folder first on LD_LIBRARY_PATH (libblas.so.3 then resolves to it
 * whatever Debian's alternatives say), and with `detectCpu` without the variables that pin its kernels.
 */
function pytorchEnvironment(setup, { detectCpu = false, env = process.env } = {}) {
  if (setup === 'as installed') return { ...env };
  const { OPENBLAS_CORETYPE, OPENBLAS_L2_SIZE, ...rest } = env;
  const kept = detectCpu ? rest : env;
  return { ...kept, LD_LIBRARY_PATH: [OPENBLAS_DIR, env.LD_LIBRARY_PATH].filter(Boolean).join(':') };
}

/** Runs a benchmark that prints one JSON line per case; each row is reported as it arrives. */
function runJsonLines(cmd, args, onRow, { env = process.env } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'inherit'] });
    const rows = [];
    let pending = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk) => {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines.filter((l) => l.trim())) {
        let row;
        try {
          row = JSON.parse(line);
        } catch {
          reject(new StepError(`${path.basename(cmd)} printed a line that is not JSON: ${line}`));
          child.kill();
          return;
        }
        rows.push(row);
        onRow(row);
      }
    });
    child.on('error', (err) => reject(new StepError(`cannot start ${cmd}: ${err.message}`)));
    child.on('close', (code) => (code === 0 ? resolve(rows) : reject(new StepError(`\`${[cmd, ...args].join(' ')}\` failed with exit code ${code}`, code ?? 1))));
  });
}

/** One progress line per case on stderr, so stdout stays the table (or JSON). */
function progress(row) {
  if (row.probe) {
    const vector = row.probe === 'peak_widest' ? `${row.lanes}-float${row.fused ? ' fused' : ''}` : 'f32x4';
    console.error(`[profundo] ${row.runtime} ${vector} multiply-add peak, ${row.threads} thread(s): ${row.gflops.toFixed(1)} GFLOP/s`);
    return;
  }
  const unit = row.unit === 'characters' ? 'characters/s' : 'samples/s';
  console.error(`[profundo] ${row.runtime}${row.blas_setup ? ` (BLAS ${row.blas_setup})` : ''} ${row.model} ${row.kind} batch ${row.batch}, ${row.threads} thread(s): ${Math.round(row.samples_per_second)} ${unit}`);
}

async function benchNative(argv) {
  const opts = parseArgs(argv);
  await configureAndBuild('native', { target: 'profundo-bench' }).catch(() => {
    throw new StepError('the native build has no profundo-bench target yet');
  });
  if (!fs.existsSync(BENCH_BINARY)) throw new StepError(`${BENCH_BINARY} was not produced`);
  if (opts.pytorch === 'install') await ensureSystemDeps({ quiet: true, also: BENCHMARKING });

  const before = os.loadavg();
  const rows = await runJsonLines(BENCH_BINARY, [...opts.passed, '--json'], progress);
  const version = opts.pytorch === 'skip' ? undefined : pytorchVersion();
  for (const setup of version ? BLAS_SETUPS : []) {
    if (setup === 'OpenBLAS' && !fs.existsSync(OPENBLAS_DIR)) {
      console.error(`[profundo] ${OPENBLAS_DIR} missing: no PyTorch rows with OpenBLAS (\`npm run bench -- --pytorch\` installs libopenblas0-pthread)`);
      continue;
    }
    const env = pytorchEnvironment(setup, { detectCpu: opts.openblasDetectCpu });
    const tag = (row) => progress(Object.assign(row, { blas_setup: setup }));
    rows.push(...(await runJsonLines(SYSTEM_PYTHON, [PYTORCH_SCRIPT, ...opts.passed, '--json'], tag, { env })));
  }
  const wasmRows = opts.wasm ? await benchWasm(opts.passed) : [];
  rows.push(...wasmRows);
  const after = os.loadavg();

  const pytorch = opts.pytorch === 'skip' ? 'skipped' : version ? 'ran' : 'missing';
  if (opts.json) {
    for (const row of rows) console.log(JSON.stringify(row));
    if (pytorch === 'missing') console.error(`[profundo] ${PYTORCH_MISSING_MESSAGE}`);
    return 0;
  }
  const setups = BLAS_SETUPS.filter((setup) => rows.some((r) => r.blas_setup === setup));
  const tables = (setups.length ? setups : [undefined]).map((blasSetup) =>
    formatCombined(combineRows(rows, { blasSetup }), {
      pytorch,
      pytorchVersion: version,
      blasSetup,
      seconds: Number(optionValue(opts.passed, '--seconds') ?? 10),
      repeats: Number(optionValue(opts.passed, '--repeats') ?? 3),
      load: { before, after },
      cores: os.availableParallelism(),
    }),
  );
  console.log(tables.join('\n\n'));
  if (version && !setups.includes('OpenBLAS')) console.log(`\nPyTorch with OpenBLAS: not run, ${OPENBLAS_DIR} missing (\`npm run bench -- --pytorch\` installs libopenblas0-pthread).`);
  if (opts.wasm) console.log(`\n${formatWasm(rows)}`);
  return 0;
}

/** The same benchmark built for WebAssembly, run by Node: the SIMD build on 1 thread, the threads build on each count. */
async function benchWasm(passed) {
  const rows = [];
  const threads = optionValue(passed, '--threads') ?? '1,2';
  const others = passed.filter((arg, i) => arg !== '--threads' && passed[i - 1] !== '--threads');
  for (const [preset, threadList] of [['wasm-simd', '1'], ['wasm-threads', threads]]) {
    await configureAndBuild(preset, { target: 'profundo-bench' });
    const script = path.join(buildDir, preset, 'engine', 'profundo-bench.js');
    rows.push(...(await runJsonLines(process.execPath, ['--no-experimental-fetch', script, ...others, '--threads', threadList, '--json'], progress)));
  }
  return rows;
}

main(async () => {
  if (process.argv.includes('--memory')) {
    const { benchMemory } = await import('./bench-memory.mjs');
    return benchMemory(process.argv.slice(2));
  }
  if (process.argv.includes('--browser')) {
    const { benchBrowser } = await import('./bench-browser.mjs');
    return benchBrowser(process.argv.slice(2));
  }
  return benchNative(process.argv.slice(2));
});
