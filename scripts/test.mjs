// `npm test`: prepares everything, then runs every suite (even after a failure) and ends with
// the line `suites: N passed, M failed`. `--only NAME` runs one suite and what it needs.
import fs from 'node:fs';
import { configureAndBuild, publishWasm } from './build.mjs';
import { viteBuild } from './build-web.mjs';
import { prepareData } from './data.mjs';
import { ensureSystemDeps } from './deps.mjs';
import { ensureNodeModules } from './lib/node-modules.mjs';
import { browserTestReport } from './lib/paths.mjs';
import { npmBin, run, runCapturing, step, toolEnv } from './lib/run.mjs';
import { countTests, suiteOutcome } from './lib/test-counts.mjs';

/** Build steps; a suite names the ones it needs and is not run when one of them failed. */
const BUILDS = {
  native: () => configureAndBuild('native'),
  'native-asan': () => configureAndBuild('native-asan'),
  'wasm-threads': async () => {
    await configureAndBuild('wasm-threads');
    publishWasm('wasm-threads');
  },
  'wasm-simd': async () => {
    await configureAndBuild('wasm-simd');
    publishWasm('wasm-simd');
  },
  web: () => viteBuild(),
};

/**
 * Runs a test runner, showing its output, and resolves to { code, counts }: counts is what the
 * runner's closing lines say it ran (lib/test-counts.mjs), so that a suite that ran nothing fails.
 */
async function runCounted(runner, cmd, args, options) {
  const { code, output } = await runCapturing(cmd, args, options);
  return { code, counts: countTests(runner, output) };
}

/** ctest refuses an empty test list itself too (--no-tests=error). */
const ctest = (preset) => runCounted('ctest', 'ctest', ['--preset', preset, '--output-on-failure', '--no-tests=error']);

/** Node's test runner, with the reporter it would pick itself (piped, it would always print TAP). */
const nodeTest = (args, options) =>
  runCounted('node', process.execPath, [`--test-reporter=${process.stdout.isTTY ? 'spec' : 'tap'}`, ...args], options);

/**
 * @playwright/test from node_modules (playwright.config.mjs), counted from the JSON report it
 * writes: removed first, so that a run that wrote none is not counted from an older one.
 */
async function playwrightTest(options) {
  fs.rmSync(browserTestReport, { force: true });
  const code = await run(npmBin('playwright'), ['test'], options);
  const report = fs.existsSync(browserTestReport) ? fs.readFileSync(browserTestReport, 'utf8') : '';
  return { code, counts: countTests('playwright', report) };
}

/** Each suite: a name, the builds it needs, and how to run it (resolves to { code, counts }). */
const SUITES = [
  {
    name: 'native',
    needs: ['native'],
    run: () => ctest('native'),
  },
  {
    name: 'cli',
    title: 'node --test tests/cli/ (the native command-line trainer end to end)',
    needs: ['native'],
    run: () => nodeTest(['--test', 'tests/cli/']),
  },
  {
    name: 'native-asan',
    title: 'ctest --preset native-asan (the Catch2 suite under AddressSanitizer + UBSan)',
    needs: ['native-asan'],
    run: () => ctest('native-asan'),
  },
  {
    name: 'wasm-simd',
    title: 'ctest --preset wasm-simd (the Catch2 suite compiled to wasm, under Node)',
    needs: ['wasm-simd'],
    run: () => ctest('wasm-simd'),
  },
  {
    name: 'wasm-threads',
    title: 'ctest --preset wasm-threads (the Catch2 suite, wasm with pthreads)',
    needs: ['wasm-threads'],
    run: () => ctest('wasm-threads'),
  },
  {
    name: 'wasm-node',
    title: 'node --test tests/wasm/ (bindings; native vs wasm loss curves)',
    needs: ['native', 'wasm-threads', 'wasm-simd'],
    run: () => nodeTest(['--no-experimental-fetch', '--test', 'tests/wasm/']),
  },
  {
    name: 'web-unit',
    title: 'tsc --noEmit, then vitest (tests/web/unit)',
    needs: [],
    run: async () => {
      const typecheck = await run(npmBin('tsc'), ['--noEmit', '-p', 'tsconfig.json']);
      const unit = await runCounted('vitest', npmBin('vitest'), ['run']);
      return typecheck ? { ...unit, code: typecheck } : unit;
    },
  },
  {
    name: 'browser',
    title: 'playwright test (tests/web/browser, Chromium)',
    needs: ['wasm-threads', 'wasm-simd', 'web'],
    // The suite would rebuild dist/ itself when run alone; here it was just built.
    run: () => playwrightTest({ env: toolEnv({ PROFUNDO_DIST_READY: '1' }) }),
  },
];

function parseArgs(argv) {
  const i = argv.indexOf('--only');
  if (i === -1) return { only: undefined };
  const only = argv[i + 1];
  if (!SUITES.some((s) => s.name === only)) {
    console.error(`unknown suite "${only}"; suites: ${SUITES.map((s) => s.name).join(', ')}`);
    process.exit(2);
  }
  return { only };
}

async function runBuild(name) {
  try {
    await BUILDS[name]();
    return undefined;
  } catch (err) {
    console.error(`[profundo] build ${name} failed: ${err.message}`);
    return err.message;
  }
}

async function testAll() {
  const { only } = parseArgs(process.argv.slice(2));
  const suites = SUITES.filter((s) => !only || s.name === only);
  const started = Date.now();

  // Preparation failures are fatal: nothing meaningful can run without them.
  step('system packages');
  await ensureSystemDeps();
  await ensureNodeModules();
  step('data');
  await prepareData();

  const buildErrors = {};
  const neededBuilds = Object.keys(BUILDS).filter((b) => suites.some((s) => s.needs.includes(b)));
  for (const b of neededBuilds) buildErrors[b] = await runBuild(b);

  const results = [];
  for (const suite of suites) {
    step(`suite ${suite.name}: ${suite.title ?? `ctest --preset ${suite.name}`}`);
    const t0 = Date.now();
    const brokenBuild = suite.needs.find((b) => buildErrors[b]);
    let status;
    let detail = '';
    if (brokenBuild) {
      status = 'failed';
      detail = `not run: build ${brokenBuild} failed`;
      console.error(`[profundo] ${detail}`);
    } else {
      const { code, counts } = await suite.run();
      ({ status, detail } = suiteOutcome(code, counts));
      if (status === 'failed') console.error(`[profundo] suite ${suite.name} failed: ${detail}`);
    }
    results.push({ name: suite.name, status, detail, seconds: (Date.now() - t0) / 1000 });
  }

  const passed = results.filter((r) => r.status === 'passed').length;
  const failed = results.filter((r) => r.status === 'failed').length;
  console.log(`\n[profundo] summary (${((Date.now() - started) / 1000).toFixed(0)} s)`);
  for (const [b, err] of Object.entries(buildErrors)) if (err) console.log(`  build ${b.padEnd(12)} FAILED  ${err}`);
  for (const r of results) {
    console.log(`  ${r.name.padEnd(18)} ${r.status.toUpperCase().padEnd(7)} ${r.seconds.toFixed(1).padStart(6)} s  ${r.detail}`);
  }
  console.log(`suites: ${passed} passed, ${failed} failed`);
  return failed > 0 ? 1 : 0;
}

// Not main() from run.mjs: a fatal preparation error must still end with the summary line.
try {
  process.exitCode = await testAll();
} catch (err) {
  console.error(`\n[profundo] error: ${err?.name === 'StepError' || err?.name === 'DataError' ? err.message : err?.stack ?? err}`);
  console.log('suites: 0 passed, 1 failed');
  process.exitCode = 1;
}
