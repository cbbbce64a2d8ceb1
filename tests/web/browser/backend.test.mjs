// The page loads the engine in a worker and shows which wasm variant runs: the threads build
// when served cross-origin isolated, the single-thread SIMD build otherwise.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { distDir, ensureDist, launchBrowser, openLab, startStaticServer } from './support.mjs';

describe('engine backend selection', () => {
  let browser;

  before(async () => {
    ensureDist();
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
  });

  test('with COOP/COEP headers the threads build runs on ≥ 2 threads', async () => {
    const server = await startStaticServer({ dir: distDir, isolated: true });
    try {
      const lab = await openLab(browser.context, server.url);
      assert.equal(lab.isolated, true, 'page should be crossOriginIsolated');
      assert.match(lab.text, /^wasm-threads/);
      assert.equal(lab.variant, 'wasm-threads');
      assert.ok(lab.threads >= 2, `threads = ${lab.threads}, want ≥ 2`);
      assert.equal(lab.simd, true);
      await lab.page.close();
    } finally {
      await server.close();
    }
  });

  test('without isolation headers the single-thread SIMD build runs', async () => {
    const server = await startStaticServer({ dir: distDir, isolated: false });
    try {
      const lab = await openLab(browser.context, server.url);
      assert.equal(lab.isolated, false);
      assert.match(lab.text, /^wasm-simd/);
      assert.equal(lab.variant, 'wasm-simd');
      assert.equal(lab.threads, 1);
      assert.equal(lab.simd, true);
      await lab.page.close();
    } finally {
      await server.close();
    }
  });

  test('the language switch translates the page', async () => {
    const server = await startStaticServer({ dir: distDir, isolated: false });
    try {
      const lab = await openLab(browser.context, server.url);
      await lab.page.getByTestId('language').selectOption('es');
      await lab.page.waitForFunction(() => document.documentElement.lang === 'es');
      assert.match((await lab.page.getByTestId('backend').textContent()) ?? '', /1 hilo/);
      await lab.page.getByTestId('language').selectOption('en');
      assert.match((await lab.page.getByTestId('backend').textContent()) ?? '', /1 thread/);
      await lab.page.close();
    } finally {
      await server.close();
    }
  });
});
