// The page's layout in Chromium (the built app): on a 1,366×768 laptop the Train button is in view
// without scrolling, on a first visit (with "start here" open), and the top bar is one line in
// English and in Spanish; on a 390×844 phone no screen scrolls sideways (the workspace after a
// run, each of its tabs, the text lab, the labs' contents and every lab; the run history's table
// scrolls inside its own box), in English and in Spanish.
import assert from 'node:assert/strict';
import { test } from '@playwright/test';
import { openLab, openTab, useBuiltApp } from './support.mjs';

const RUN_TIMEOUT_MS = 180_000;

/** What sticks out to the right of the viewport (for the failure message), widest first. */
function overflow(page) {
  return page.evaluate(() => {
    const width = innerWidth;
    const wide = [...document.querySelectorAll('body *')]
      .filter((element) => element.getBoundingClientRect().right > width + 0.5 && element.getClientRects().length > 0)
      .map((element) => `${element.tagName.toLowerCase()}.${[...element.classList].join('.')}[${element.dataset.testid ?? ''}] right=${Math.round(element.getBoundingClientRect().right)}`);
    return { scrollWidth: document.documentElement.scrollWidth, innerWidth: width, wide: wide.slice(0, 8) };
  });
}

async function assertNoSidewaysScroll(page, screen) {
  const { scrollWidth, innerWidth, wide } = await overflow(page);
  assert.ok(scrollWidth <= innerWidth, `${screen}: the page is ${scrollWidth} px wide in a ${innerWidth} px viewport; sticking out: ${wide.join(', ')}`);
}

test.describe('layout', () => {
  const app = useBuiltApp();

  test('1,366×768: Train is in view without scrolling on a first visit; the top bar is one line in both languages', async () => {
    const page = await app.browser.context.newPage();
    try {
      await page.setViewportSize({ width: 1366, height: 768 });
      await page.goto(app.server.url);
      await page.waitForSelector('[data-testid="backend"][data-state="ready"]', { timeout: 60_000 });
      await page.getByTestId('start-here').waitFor(); // the first visit's guide is open and takes room
      const box = await page.getByTestId('train').boundingBox();
      const scroll = await page.evaluate(() => [scrollX, scrollY]);
      assert.deepEqual(scroll, [0, 0]);
      assert.ok(box && box.y >= 0 && box.x >= 0 && box.y + box.height <= 768 && box.x + box.width <= 1366, `Train at ${JSON.stringify(box)}`);
      // Side by side: the training and the results start beside the model, not under it.
      const model = await page.locator('.workspace-model').boundingBox();
      const results = await page.locator('.workspace-results').boundingBox();
      assert.ok(box.x > model.x + model.width && results.x > box.x + box.width, `model ${JSON.stringify(model)}, Train ${JSON.stringify(box)}, results ${JSON.stringify(results)}`);
      // The top bar's parts (brand, views, help and language) side by side: each starts above where every other ends.
      for (const locale of ['en', 'es']) {
        await page.getByTestId('language').selectOption(locale);
        await page.waitForFunction((lang) => document.documentElement.lang === lang, locale);
        const parts = await page.$$eval('header.top > *', (items) => items.map((item) => ({ part: item.className, top: item.getBoundingClientRect().top, bottom: item.getBoundingClientRect().bottom })));
        assert.ok(parts.length === 3 && Math.max(...parts.map((p) => p.top)) < Math.min(...parts.map((p) => p.bottom)), `${locale}: the top bar takes more than one line: ${JSON.stringify(parts)}`);
      }
    } finally {
      await page.close();
    }
  });

  test('390×844: no screen scrolls sideways, in English and Spanish', async () => {
    test.setTimeout(2 * RUN_TIMEOUT_MS);
    const { page, consoleLines } = await openLab(app.browser.context, `${app.server.url}#preset=tfjs-cnn&epochs=1&autostart=1`);
    try {
      await page.setViewportSize({ width: 390, height: 844 });
      // A finished run: the epoch table, the confusion matrix, the inside views and the history are full.
      await page.getByTestId('test-accuracy').waitFor({ timeout: RUN_TIMEOUT_MS });
      await page.getByTestId('confusion').waitFor({ timeout: 30_000 });
      for (const locale of ['en', 'es']) {
        await page.evaluate(() => (location.hash = ''));
        await page.getByTestId('language').selectOption(locale);
        await openTab(page, 'workspace');
        await assertNoSidewaysScroll(page, `${locale} workspace`);
        await openTab(page, 'data');
        await page.waitForSelector('[data-testid="sample-grid"][data-state="ready"]', { timeout: 60_000 });
        await assertNoSidewaysScroll(page, `${locale} data`);
        await openTab(page, 'inside');
        await page.waitForSelector('[data-testid="feature-maps"][data-state="ready"]', { timeout: 30_000 });
        await assertNoSidewaysScroll(page, `${locale} inside`);
        await openTab(page, 'history');
        await page.waitForSelector('[data-testid="run-history"][data-count="1"]', { timeout: 30_000 });
        await assertNoSidewaysScroll(page, `${locale} history`);
        // The history table is wider than a phone: it scrolls inside its own box (the table, a block that scrolls sideways), which fits the page.
        const table = await page.locator('[data-testid="run-history"] table.runs').evaluate((box) => ({ scroll: box.scrollWidth, client: box.clientWidth, right: box.getBoundingClientRect().right, overflowX: getComputedStyle(box).overflowX }));
        assert.ok(table.scroll > table.client && table.right <= 390 && ['auto', 'scroll'].includes(table.overflowX), `history table box ${JSON.stringify(table)}`);
        await page.getByTestId('nav-text').click();
        await page.getByTestId('text-screen').waitFor();
        await assertNoSidewaysScroll(page, `${locale} text`);
        await page.getByTestId('nav-labs').click();
        await page.getByTestId('labs-menu').waitFor();
        await assertNoSidewaysScroll(page, `${locale} labs menu`);
        // Every lab, as the contents list them (labs.test.mjs checks that list against the lecture's).
        const labs = await page.$$eval('[data-testid="labs-menu"] a', (anchors) => anchors.map((a) => a.getAttribute('href').replace('#lab=', '')));
        assert.equal(labs.length, 11);
        for (const name of labs) {
          await page.evaluate((hash) => (location.hash = hash), `#lab=${name}`);
          await page.waitForSelector(`[data-testid="lab-${name}"][data-ready="true"]`, { timeout: 60_000 });
          await assertNoSidewaysScroll(page, `${locale} lab ${name}`);
        }
      }
    } catch (error) {
      console.log(consoleLines.join('\n'));
      throw error;
    } finally {
      await page.close();
    }
  });
});
