// `npm run bench -- ARGS`: builds and runs the native benchmark binary when the engine has one.
// `npm run bench -- --browser ...`: the same workloads in headless Chromium, next to TensorFlow.js
// (scripts/bench-browser.mjs).
import fs from 'node:fs';
import path from 'node:path';
import { configureAndBuild } from './build.mjs';
import { buildDir } from './lib/paths.mjs';
import { main, run, StepError } from './lib/run.mjs';

const BENCH_BINARY = path.join(buildDir, 'native', 'engine', 'profundo-bench');

main(async () => {
  if (process.argv.includes('--browser')) {
    const { benchBrowser } = await import('./bench-browser.mjs');
    return benchBrowser(process.argv.slice(2));
  }
  await configureAndBuild('native', { target: 'profundo-bench' }).catch(() => {
    throw new StepError('the native build has no profundo-bench target yet');
  });
  if (!fs.existsSync(BENCH_BINARY)) throw new StepError(`${BENCH_BINARY} was not produced`);
  return run(BENCH_BINARY, process.argv.slice(2));
});
