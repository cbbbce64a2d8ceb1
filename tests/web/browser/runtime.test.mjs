// The lab as a static site: it loads and trains under its Content-Security-Policy (no
// 'unsafe-eval') without a single request leaving its origin; after a first visit it loads and
// trains offline, from a sub-path too (Workbox precache in the service worker), and the Datasets
// card says which datasets work offline; a crashed engine worker is reported and restarted from
// the page, without a reload; running out of memory is reported and the engine goes on.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from '@playwright/test';
import { CONTENT_SECURITY_POLICY } from '../../../scripts/lib/csp.mjs';
import { distDir, openTab, startStaticServer, useBuiltApp } from './support.mjs';

const TIMEOUT_MS = 120_000;
/** One quick epoch of softmax regression on MNIST. */
const QUICK_RUN = '#preset=logreg&epochs=1&autostart=1';

/** Collects CSP violations reported to the page from its first script on. */
function recordViolations() {
  globalThis.__cspViolations = [];
  document.addEventListener('securitypolicyviolation', (event) => {
    globalThis.__cspViolations.push(`${event.violatedDirective} blocked ${event.blockedURI}`);
  });
}

async function openPage(context, url) {
  const page = await context.newPage();
  const consoleLines = [];
  page.on('console', (msg) => consoleLines.push(`${msg.type()}: ${msg.text()}`));
  page.on('pageerror', (err) => consoleLines.push(`pageerror: ${err.message}`));
  await page.addInitScript(recordViolations);
  await page.goto(url);
  return { page, consoleLines };
}

async function waitForEngine(page, consoleLines) {
  await page.waitForSelector('[data-testid="backend"][data-state="ready"], [data-testid="error"]', { timeout: TIMEOUT_MS });
  const error = page.getByTestId('error');
  if ((await error.count()) > 0) assert.fail(`the page shows an error: ${await error.first().textContent()}\n${consoleLines.join('\n')}`);
}

/** Waits for the test accuracy of an autostarted or clicked run; returns it in %. */
async function waitForTestAccuracy(page, consoleLines) {
  await page.waitForSelector('[data-testid="test-accuracy"], [data-testid="error"]', { timeout: TIMEOUT_MS });
  const error = page.getByTestId('error');
  if ((await error.count()) > 0) assert.fail(`the page shows an error: ${await error.first().textContent()}\n${consoleLines.join('\n')}`);
  const text = ((await page.getByTestId('test-accuracy').textContent()) ?? '').trim();
  return Number(text.replace(' %', '').replace(',', '.'));
}

test.describe('static site: CSP, same-origin requests, offline, crash recovery', () => {
  const app = useBuiltApp();

  test('the built index.html carries the CSP, which allows no eval', () => {
    const html = fs.readFileSync(path.join(distDir, 'index.html'), 'utf8').replaceAll('&#39;', "'");
    const meta = html.match(/<meta http-equiv="Content-Security-Policy" content="([^"]+)"/);
    assert.ok(meta, 'a CSP <meta> tag in dist/index.html');
    assert.equal(meta[1], CONTENT_SECURITY_POLICY);
    assert.doesNotMatch(meta[1], /'unsafe-eval'|'unsafe-inline'/);
    assert.match(meta[1], /script-src 'self' 'wasm-unsafe-eval'/);
    // The wasm glue is built without eval/new Function (-sDYNAMIC_EXECUTION=0).
    for (const glue of ['profundo-threads.js', 'profundo-simd.js']) {
      const source = fs.readFileSync(path.join(distDir, 'wasm', glue), 'utf8');
      assert.doesNotMatch(source, /new Function|\beval\(/, `${glue} evaluates code`);
    }
  });

  test('loads and trains under the CSP with no violation, and no request leaves the origin', async () => {
    test.setTimeout(TIMEOUT_MS + 30_000);
    const origin = new URL(app.server.url).origin;
    const requests = [];
    const record = (request) => requests.push(request.url());
    app.browser.context.on('request', record);
    const { page, consoleLines } = await openPage(app.browser.context, `${app.server.url}${QUICK_RUN}`);
    try {
      await waitForEngine(page, consoleLines);
      assert.equal(await page.getByTestId('backend').getAttribute('data-variant'), 'wasm-threads');
      const accuracy = await waitForTestAccuracy(page, consoleLines);
      assert.ok(accuracy >= 85, `logreg test accuracy ${accuracy} %, want ≥ 85 %`);

      const violations = await page.evaluate(() => globalThis.__cspViolations);
      const cspConsole = consoleLines.filter((line) => /Content Security Policy|Refused to/i.test(line));
      assert.deepEqual(violations, [], 'CSP violations');
      assert.deepEqual(cspConsole, [], 'CSP messages in the console');

      const kinds = new Set(requests.map((url) => new URL(url).pathname.split('/').at(-2)));
      assert.ok(['wasm', 'mnist', 'assets'].every((folder) => kinds.has(folder)), `requests seen: ${[...kinds].join(', ')}`);
      const foreign = requests.filter((url) => !url.startsWith(`${origin}/`) && !url.startsWith('data:') && !url.startsWith('blob:'));
      assert.deepEqual(foreign, [], 'requests to another origin');
      console.log(`# ${requests.length} requests, all to ${origin}; logreg 1 epoch: ${accuracy} %`);
    } finally {
      app.browser.context.off('request', record);
      await page.close();
    }
  });

  test('a crashed engine worker is reported; Restart brings a new engine without reloading the page', async () => {
    test.setTimeout(TIMEOUT_MS + 30_000);
    const { page, consoleLines } = await openPage(app.browser.context, `${app.server.url}?testHooks=1#preset=logreg&epochs=1&lr=0.02`);
    try {
      await waitForEngine(page, consoleLines);
      await page.evaluate(() => {
        globalThis.__samePage = true;
        globalThis.profundoTestHooks.crashEngine();
      });
      const error = page.locator('[data-testid="error"][data-code="crashed"]');
      await error.waitFor({ timeout: 30_000 });
      assert.match((await error.textContent()) ?? '', /The engine crashed\..*test hook: the engine worker crashed/s);
      assert.equal(await page.getByTestId('error').count(), 1, 'one error box');

      await page.getByTestId('restart-engine').click();
      await waitForEngine(page, consoleLines);
      assert.equal(await page.evaluate(() => globalThis.__samePage), true, 'the page was not reloaded');
      assert.equal(await page.getByTestId('learningRate').inputValue(), '0.02', 'the form kept its values');

      await page.getByTestId('train').click();
      const accuracy = await waitForTestAccuracy(page, consoleLines);
      assert.ok(accuracy >= 85, `after the restart, logreg test accuracy ${accuracy} %`);
    } finally {
      await page.close();
    }
  });

  test('a run too large for the wasm heap says "out of memory", and the same engine trains afterwards', async () => {
    test.setTimeout(TIMEOUT_MS + 30_000);
    // tfjs-cnn with mini-batches of 20,000 images: its im2col buffer alone is over 1 GB.
    const { page, consoleLines } = await openPage(app.browser.context, `${app.server.url}#preset=tfjs-cnn&epochs=1&batch=20000&autostart=1`);
    try {
      const error = page.getByTestId('error');
      await error.waitFor({ timeout: TIMEOUT_MS });
      assert.equal(await error.getAttribute('data-code'), 'out-of-memory', `${await error.textContent()}\n${consoleLines.join('\n')}`);
      assert.match((await error.textContent()) ?? '', /ran out of memory.*out of memory: reduce the batch size or the model/s);
      assert.equal(await page.getByTestId('restart-engine').count(), 0, 'the engine goes on: no restart needed');

      await page.getByTestId('preset').selectOption('logreg');
      await page.getByTestId('epochs').fill('1');
      assert.notEqual(await page.getByTestId('batchSize').inputValue(), '20000');
      await page.getByTestId('train').click();
      const accuracy = await waitForTestAccuracy(page, consoleLines);
      assert.ok(accuracy >= 85, `after running out of memory, logreg test accuracy ${accuracy} %`);
    } finally {
      await page.close();
    }
  });

  test('without ?testHooks=1 the page exposes no crash hook', async () => {
    const { page, consoleLines } = await openPage(app.browser.context, app.server.url);
    try {
      await waitForEngine(page, consoleLines);
      // No hook on the page without ?testHooks=1.
      assert.equal(await page.evaluate(() => typeof globalThis.profundoTestHooks), 'undefined');
    } finally {
      await page.close();
    }
  });

  test('after a first visit, the lab loads and trains with the network off, from a sub-path; the Datasets card says what works offline', async () => {
    test.setTimeout(2 * TIMEOUT_MS);
    // Its own server (origin), stopped before the offline reload: nothing can come from it. The
    // app sits in a sub-folder, as on a host that serves it at https://host/course/lab/.
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'profundo-subpath-'));
    fs.mkdirSync(path.join(root, 'course'));
    fs.symlinkSync(distDir, path.join(root, 'course', 'lab'));
    const offlineServer = await startStaticServer({ dir: root, isolated: false });
    const labUrl = `${offlineServer.url}course/lab/`;
    const { page, consoleLines } = await openPage(app.browser.context, labUrl);
    const datasetStates = async () => {
      await openTab(page, 'data');
      const items = page.locator('[data-testid="datasets"] li');
      await items.first().waitFor();
      return Object.fromEntries(await items.evaluateAll((lis) => lis.map((li) => [li.dataset.dataset, li.dataset.offline])));
    };
    try {
      await waitForEngine(page, consoleLines);
      await page.waitForSelector('[data-testid="offline"][data-state="ready"], [data-testid="offline"][data-state="failed"]', { timeout: TIMEOUT_MS });
      assert.equal(await page.getByTestId('offline').getAttribute('data-state'), 'ready');
      assert.equal(await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL), `${labUrl}sw.js`);
      // Online: MNIST is stored, the other datasets will be stored when first used.
      assert.deepEqual(await datasetStates(), { mnist: 'stored', 'fashion-mnist': 'on-first-use', shakespeare: 'on-first-use', quijote: 'on-first-use' });

      await app.browser.context.setOffline(true);
      offlineServer.server.closeAllConnections();
      await offlineServer.close();
      await page.goto(`${labUrl}?visit=2#panel=data`);
      await waitForEngine(page, consoleLines);
      assert.equal(await page.getByTestId('backend').getAttribute('data-variant'), 'wasm-threads', 'isolated by the service worker, offline too');
      // Offline: only what was stored works, and the card says so in the page's language.
      assert.deepEqual(await datasetStates(), { mnist: 'stored', 'fashion-mnist': 'needs-network', shakespeare: 'needs-network', quijote: 'needs-network' });
      assert.match((await page.locator('[data-testid="datasets"] [data-dataset="fashion-mnist"]').textContent()) ?? '', /needs the network/);
      assert.match((await page.locator('[data-testid="datasets"] [data-dataset="mnist"]').textContent()) ?? '', /offline too/);
      await page.getByTestId('language').selectOption('es');
      await page.waitForFunction(() => /necesita la red/.test(document.querySelector('[data-testid="datasets"] [data-dataset="quijote"]')?.textContent ?? ''));
      assert.match((await page.locator('[data-testid="datasets"] [data-dataset="mnist"]').textContent()) ?? '', /también sin conexión/);
      await page.getByTestId('language').selectOption('en');

      await page.goto(`${labUrl}?visit=3${QUICK_RUN}`);
      const accuracy = await waitForTestAccuracy(page, consoleLines);
      assert.ok(accuracy >= 85, `offline, logreg test accuracy ${accuracy} %`);
    } finally {
      await app.browser.context.setOffline(false);
      await page.close();
      await offlineServer.close().catch(() => {});
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
