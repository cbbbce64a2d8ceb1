// The browser tests (tests/web/browser/*.test.mjs) under @playwright/test: `npx playwright test`,
// or `npm test -- --only browser`, which also builds what they need and counts the tests.
import { defineConfig } from '@playwright/test';
import { browserTestReport, buildDir } from './scripts/lib/paths.mjs';
import { CHROMIUM_LAUNCH_OPTIONS } from './tests/web/browser/support.mjs';

export default defineConfig({
  testDir: 'tests/web/browser',
  // A test that passes only on a second try is a bug to fix, not to hide.
  retries: 0,
  // One test at a time: CI has 2 cores and each test's engine trains on both (the threads build,
  // 2 threads); a second worker would halve every run's speed, and the tests that report a speed
  // (tfjs-cnn's seconds) or bound a reaction time (labs < 2 s) would measure the other worker.
  workers: 1,
  fullyParallel: false,
  forbidOnly: Boolean(process.env.CI),
  // A test without test.setTimeout() opens pages and waits on the engine without training much.
  timeout: 120_000,
  // dist/ built and served once, with and without isolation headers; the workers read its URLs.
  globalSetup: './tests/web/browser/global-setup.mjs',
  // The list on the console; the JSON report is where scripts/test.mjs counts passed, failed and
  // skipped tests (a run that ran none fails).
  reporter: [['list'], ['json', { outputFile: browserTestReport }]],
  outputDir: `${buildDir}/playwright/test-results`,
  // Only for the runner's own fixtures (the tests launch Chromium with launchBrowser(), which uses
  // the same options): never a browser download.
  use: { headless: true, launchOptions: CHROMIUM_LAUNCH_OPTIONS },
});
