// Shared helpers for the browser tests (run by @playwright/test, playwright.config.mjs): the built
// dist/ served once for the run (global-setup.mjs), headless Chromium. The benchmark scripts use
// ensureDist() and launchBrowser() too, outside the test runner.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { chromium, test } from '@playwright/test';
import { distDir, repoRoot } from '../../../scripts/lib/paths.mjs';
import { startStaticServer } from '../../../scripts/serve-static.mjs';

export { startStaticServer, distDir };

/**
 * How Chromium is launched, here and in playwright.config.mjs's `use.launchOptions`: Debian's
 * Chromium (Playwright's own browser downloads are not available to us).
 */
export const CHROMIUM_LAUNCH_OPTIONS = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--no-first-run',
    '--disable-quic',
    '--disable-sync',
  ],
};

/** Where global-setup.mjs leaves the served app's URL for the test workers, per isolation. */
const APP_URL_VARIABLE = { isolated: 'PROFUNDO_APP_URL', plain: 'PROFUNDO_APP_URL_NO_ISOLATION' };

/** `vite build` once, unless scripts/test.mjs just did it. */
export function ensureDist() {
  if (process.env.PROFUNDO_DIST_READY === '1' && fs.existsSync(path.join(distDir, 'index.html'))) return;
  const vite = path.join(repoRoot, 'node_modules', '.bin', 'vite');
  const result = spawnSync(vite, ['build', '--logLevel', 'warn'], { cwd: repoRoot, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`vite build failed (exit ${result.status})`);
  process.env.PROFUNDO_DIST_READY = '1';
}

/**
 * A fresh, throw-away Chromium profile per call. Returns { context, close() }.
 * `serviceWorkers: 'block'` makes a browser where pages get no service worker.
 */
export async function launchBrowser({ serviceWorkers = 'allow' } = {}) {
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'profundo-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, { ...CHROMIUM_LAUNCH_OPTIONS, headless: true, serviceWorkers });
  // PROFUNDO_WORKER_DELAY_MS=150: every message from a worker reaches the page that much later (in
  // order), as on a loaded machine; a test that reads the page right after an action without
  // waiting for the worker's answer then fails every time instead of now and then. The engine's
  // messages arrive on the Worker (Comlink's replies, through addEventListener) and on the
  // MessagePort its events come on (onmessage): both are delayed alike.
  const delay = Number(process.env.PROFUNDO_WORKER_DELAY_MS ?? 0);
  if (delay > 0) {
    await context.addInitScript((ms) => {
      const later = (target, handler) => (event) => setTimeout(() => (typeof handler === 'function' ? handler.call(target, event) : handler.handleEvent(event)), ms);
      for (const Target of [Worker, MessagePort]) {
        const base = Object.getOwnPropertyDescriptor(Target.prototype, 'onmessage');
        Object.defineProperty(Target.prototype, 'onmessage', {
          configurable: true,
          get() {
            return base.get.call(this);
          },
          set(handler) {
            base.set.call(this, handler && later(this, handler));
          },
        });
        const wrapped = new WeakMap();
        const add = Target.prototype.addEventListener;
        const remove = Target.prototype.removeEventListener;
        Target.prototype.addEventListener = function (type, handler, options) {
          if (type !== 'message' || !handler) return add.call(this, type, handler, options);
          if (!wrapped.has(handler)) wrapped.set(handler, later(this, handler));
          return add.call(this, type, wrapped.get(handler), options);
        };
        Target.prototype.removeEventListener = function (type, handler, options) {
          return remove.call(this, type, (type === 'message' && wrapped.get(handler)) || handler, options);
        };
      }
    }, delay);
  }
  return {
    context,
    async close() {
      await context.close();
      fs.rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Opens the app and waits until the engine is ready or reports an error (across the one reload
 * the service worker may do to isolate the page). Returns what the backend element says, why
 * the page is (not) isolated, plus console messages for diagnostics.
 */
export async function openLab(context, url, { timeoutMs = 60_000 } = {}) {
  const page = await context.newPage();
  const consoleLines = [];
  page.on('console', (msg) => consoleLines.push(`${msg.type()}: ${msg.text()}`));
  page.on('pageerror', (err) => consoleLines.push(`pageerror: ${err.message}`));
  await page.goto(url);
  await page.waitForSelector('[data-testid="backend"][data-state="ready"], [data-testid="error"]', { timeout: timeoutMs });
  const errorBox = page.getByTestId('error');
  if ((await errorBox.count()) > 0) {
    throw new Error(`the page shows an error: ${await errorBox.textContent()}\nconsole:\n${consoleLines.join('\n')}`);
  }
  const backend = page.getByTestId('backend');
  return {
    page,
    consoleLines,
    text: (await backend.textContent())?.trim() ?? '',
    variant: await backend.getAttribute('data-variant'),
    threads: Number(await backend.getAttribute('data-threads')),
    simd: (await backend.getAttribute('data-simd')) === 'true',
    isolated: await page.evaluate(() => globalThis.crossOriginIsolated),
    isolation: await page.getByTestId('isolation').getAttribute('data-reason'),
  };
}

/**
 * Serves dist/ (built first unless scripts/test.mjs just did it) with and without the isolation
 * headers, for the whole run: playwright.config.mjs's globalSetup. Resolves to a function that
 * stops both servers (Playwright's global teardown).
 */
export async function serveBuiltApp() {
  ensureDist();
  const servers = await Promise.all([true, false].map((isolated) => startStaticServer({ dir: distDir, isolated })));
  // Set before the workers start, which inherit them.
  process.env[APP_URL_VARIABLE.isolated] = servers[0].url;
  process.env[APP_URL_VARIABLE.plain] = servers[1].url;
  return async () => {
    await Promise.all(servers.map((server) => server.close()));
  };
}

/** The app served by serveBuiltApp(), cross-origin isolated unless told otherwise: { url }. */
export function servedApp({ isolated = true } = {}) {
  const variable = APP_URL_VARIABLE[isolated ? 'isolated' : 'plain'];
  const url = process.env[variable];
  if (!url) throw new Error(`${variable} is not set: run the browser tests with \`npx playwright test\`, whose globalSetup serves the app`);
  return { url };
}

/**
 * For a test.describe() block: before its tests, one Chromium launched (a fresh profile) and the
 * served app (cross-origin isolated unless told otherwise); after them, the browser closed. The
 * returned object's `browser` and `server` are set once the beforeAll hook has run.
 */
export function useBuiltApp({ isolated = true, serviceWorkers = 'allow' } = {}) {
  const app = { browser: undefined, server: undefined };
  test.beforeAll(async () => {
    app.server = servedApp({ isolated });
    app.browser = await launchBrowser({ serviceWorkers });
  });
  test.afterAll(async () => {
    await app.browser?.close();
  });
  return app;
}

/** Opens a tab of the MNIST lab ('workspace', 'data', 'inside', 'history') and waits until it shows. */
export async function openTab(page, name) {
  await page.getByTestId(`tab-${name}`).click();
  await page.waitForSelector(`#panel-${name}:not([hidden])`);
}

// ---- the keep panel: a trained or loaded model -------------------------------------------------

/** The test accuracy the page shows once a run (or a loaded model's evaluation) is done. */
export async function testAccuracy(page, timeout = 180_000) {
  await openTab(page, 'workspace');
  await page.getByTestId('test-accuracy').waitFor({ timeout });
  return Number(await page.getByTestId('test-accuracy').getAttribute('data-value'));
}

/** Clicks `locator` and returns the download's file name and bytes. */
export async function download(page, locator) {
  const [file] = await Promise.all([page.waitForEvent('download'), locator.click()]);
  return { name: file.suggestedFilename(), bytes: fs.readFileSync(await file.path()) };
}

/** A model file given to the keep panel's file input. */
export async function loadFile(page, name, buffer) {
  await page.getByTestId('load-model').setInputFiles({ name, mimeType: 'application/octet-stream', buffer });
}

/** Waits for a 'model-file' error whose text matches `pattern`; returns its text, title and message. */
export async function expectModelFileError(page, pattern) {
  await page.waitForFunction(
    (source) => new RegExp(source).test(document.querySelector('[data-testid="error"]')?.textContent ?? ''),
    pattern.source,
    { timeout: 60_000 },
  );
  const error = page.getByTestId('error');
  const code = await error.getAttribute('data-code');
  if (code !== 'model-file') throw new Error(`expected a model-file error, got ${code}`);
  return {
    text: (await error.textContent()) ?? '',
    title: (await error.locator('strong').textContent()) ?? '',
    message: (await error.locator('pre').textContent()) ?? '',
  };
}
