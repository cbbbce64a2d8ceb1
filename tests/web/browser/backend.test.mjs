// The page loads the engine in a worker and shows which wasm variant runs: the threads build
// when the page is cross-origin isolated (by the host's COOP/COEP headers, or else by the app's
// service worker after one reload), the single-thread SIMD build when it cannot be (no service
// worker) or must not be (?coi=0), saying why.
import assert from 'node:assert/strict';
import { test } from '@playwright/test';
import { distDir, launchBrowser, openLab, servedApp, startStaticServer } from './support.mjs';

function assertThreads(lab) {
  assert.equal(lab.isolated, true, 'page should be crossOriginIsolated');
  assert.match(lab.text, /^wasm-threads/);
  assert.equal(lab.variant, 'wasm-threads');
  assert.ok(lab.threads >= 2, `threads = ${lab.threads}, want ≥ 2`);
  assert.equal(lab.simd, true);
}

function assertSimd(lab) {
  assert.equal(lab.isolated, false);
  assert.match(lab.text, /^wasm-simd/);
  assert.equal(lab.variant, 'wasm-simd');
  assert.equal(lab.threads, 1);
  assert.equal(lab.simd, true);
}

test.describe('engine backend selection', () => {
  let browser;
  let plainServer;

  test.beforeAll(async () => {
    browser = await launchBrowser();
    plainServer = servedApp({ isolated: false });
  });

  test.afterAll(async () => {
    await browser?.close();
  });

  test('with COOP/COEP headers the threads build runs on ≥ 2 threads', async () => {
    const server = await startStaticServer({ dir: distDir, isolated: true });
    try {
      const lab = await openLab(browser.context, server.url);
      assertThreads(lab);
      assert.equal(lab.isolation, 'isolated');
      await lab.page.close();
    } finally {
      await server.close();
    }
  });

  test('without isolation headers the service worker isolates the page (one reload): threads build', async () => {
    const lab = await openLab(browser.context, plainServer.url);
    assertThreads(lab);
    assert.equal(lab.isolation, 'isolated');
    assert.ok(await lab.page.evaluate(() => navigator.serviceWorker.controller !== null), 'the page is controlled by the service worker');
    const navigations = await lab.page.evaluate(() => performance.getEntriesByType('navigation').map((entry) => entry.type));
    assert.deepEqual(navigations, ['reload'], 'the page reloaded once to become isolated');
    await lab.page.close();
  });

  test('?coi=0 opts out of isolation: the single-thread SIMD build, and the page says why', async () => {
    const lab = await openLab(browser.context, `${plainServer.url}?coi=0`);
    assertSimd(lab);
    assert.equal(lab.isolation, 'opted-out');
    assert.match((await lab.page.getByTestId('isolation').textContent()) ?? '', /\?coi=0/);
    await lab.page.close();
  });

  test('without service workers (blocked) and without headers: the SIMD build, and the page says why', async () => {
    const blocked = await launchBrowser({ serviceWorkers: 'block' });
    try {
      const lab = await openLab(blocked.context, plainServer.url);
      assertSimd(lab);
      assert.equal(lab.isolation, 'no-service-worker');
      assert.equal(await lab.page.getByTestId('offline').getAttribute('data-state'), 'unavailable');
      await lab.page.close();
    } finally {
      await blocked.close();
    }
  });

  test('the language switch translates the page', async () => {
    const lab = await openLab(browser.context, `${plainServer.url}?coi=0`);
    await lab.page.getByTestId('language').selectOption('es');
    await lab.page.waitForFunction(() => document.documentElement.lang === 'es');
    assert.match((await lab.page.getByTestId('backend').textContent()) ?? '', /1 hilo/);
    assert.match((await lab.page.getByTestId('isolation').textContent()) ?? '', /Aislamiento de origen desactivado/);
    // The engine's English preset description gives way to the locale's (logreg, the first preset).
    assert.match((await lab.page.getByTestId('preset-description').textContent()) ?? '', /^Softmax regression: una capa densa de los 784 píxeles/);
    // So does the model editor's refusal of a wrong number of outputs (logreg's dense layer is row 1).
    await lab.page.locator('[data-testid="layer-row"][data-index="1"] [data-testid="layer-units"]').fill('7');
    await lab.page.waitForSelector('[data-testid="model-editor"][data-state="invalid"]', { timeout: 30_000 });
    assert.match((await lab.page.getByTestId('model-error').textContent()) ?? '', /la última capa tiene 7 salidas pero el conjunto de datos tiene 10 clases/);
    await lab.page.getByTestId('language').selectOption('en');
    assert.match((await lab.page.getByTestId('backend').textContent()) ?? '', /1 thread/);
    assert.match((await lab.page.getByTestId('preset-description').textContent()) ?? '', /^Softmax regression: one dense layer from the 784 pixels/);
    await lab.page.close();
  });
});
