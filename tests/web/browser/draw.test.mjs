// The drawing pad follows the run's dataset, on a phone: after a Fashion-MNIST run (390×844) it asks
// for a piece of clothing, its bars are labelled with the ten class names and the prediction names
// one of them, nothing scrolls sideways, and Clear blanks the canvas and the prediction.
import assert from 'node:assert/strict';
import { test } from '@playwright/test';
import { testAccuracy, useBuiltApp } from './support.mjs';

const CLASSES = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];

test.describe('drawing pad', () => {
  const app = useBuiltApp();

  test('a Fashion-MNIST run: clothing words and class names on a 390 px phone', async () => {
    test.setTimeout(240_000);
    const page = await app.browser.context.newPage();
    const consoleLines = [];
    page.on('pageerror', (err) => consoleLines.push(`pageerror: ${err.message}`));
    try {
      await page.setViewportSize({ width: 390, height: 844 });
      await page.goto(`${app.server.url}#dataset=fashion-mnist&preset=logreg&epochs=1&autostart=1`);
      await testAccuracy(page);
      const pad = page.getByTestId('draw-panel');
      assert.equal(await pad.locator('h3').textContent(), 'Draw a piece of clothing');
      assert.equal(await page.getByTestId('prediction').textContent(), 'Draw a piece of clothing to see the prediction.');

      const canvas = page.getByTestId('draw-canvas');
      await canvas.scrollIntoViewIfNeeded();
      const box = await canvas.boundingBox();
      await page.mouse.move(box.x + box.width / 2, box.y + box.height * 0.15);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width / 2, box.y + box.height * 0.85, { steps: 8 });
      await page.mouse.up();
      await page.waitForSelector('[data-testid="prediction"][data-busy="false"][data-digit]', { timeout: 30_000 });
      const labels = await page.$$eval('[data-testid="prediction"] li .bar-label', (spans) => spans.map((span) => span.textContent));
      assert.deepEqual(labels, CLASSES);
      const best = Number(await page.getByTestId('prediction').getAttribute('data-digit'));
      assert.equal(await page.locator('.prediction-text').textContent(), `Prediction: ${CLASSES[best]} (${await page.locator(`[data-testid="prediction"] li[data-digit="${best}"] .bar-value`).textContent()})`);
      const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth }));
      assert.ok(scrollWidth <= innerWidth, `the page is ${scrollWidth} px wide in a ${innerWidth} px viewport`);

      await page.getByTestId('draw-clear').click();
      assert.equal(await page.getByTestId('prediction').getAttribute('data-digit'), null);
      const ink = await canvas.evaluate((c) => c.getContext('2d').getImageData(0, 0, c.width, c.height).data.some((v, i) => i % 4 !== 3 && v !== 0));
      assert.equal(ink, false, 'the canvas is blank after Clear');
      assert.deepEqual(consoleLines, []);
    } finally {
      await page.close();
    }
  });
});
