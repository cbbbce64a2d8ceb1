// A Spanish page writes its numbers the Spanish way: after a short run on the training screen, in
// the text lab and in every lab, no number in the visible text uses "." as its decimal separator ("0.9", "3.490").
// Spanish groups thousands with "." only from five digits ("60.000"), so those are allowed.
import assert from 'node:assert/strict';
import { test } from '@playwright/test';
import { openLab, openTab, useBuiltApp } from './support.mjs';

const RUN_TIMEOUT_MS = 180_000;

/** Numbers in `text` written with a "." decimal separator (anything but Spanish grouping). */
export function englishDecimals(text) {
  const numbers = text.match(/\d[\d.,]*\d/g) ?? [];
  const spanishGrouping = /^\d{1,3}(\.\d{3})+(,\d+)?$/;
  return numbers.filter((n) => n.includes('.') && !(spanishGrouping.test(n) && n.split(',')[0].replaceAll('.', '').length >= 5));
}

/** `withDecimals`: the screen shows decimal numbers (so the check has something to check). */
async function assertSpanishNumbers(page, screen, { withDecimals = true } = {}) {
  const text = await page.evaluate(() => document.body.innerText);
  const found = englishDecimals(text);
  assert.deepEqual(found, [], `${screen}: numbers with a "." decimal separator: ${found.join(', ')}`);
  if (withDecimals) assert.match(text, /\d,\d/, `${screen}: no decimal number at all to check`);
}

test.describe('Spanish numbers', () => {
  const app = useBuiltApp();

  test('the check itself tells a decimal point from Spanish grouping', () => {
    assert.deepEqual(englishDecimals('β1 0.9 · −3.490 … 3,311 · 60.000 imágenes · 97,84 % · 1.234 · 12.345,5'), ['0.9', '3.490', '1.234']);
  });

  test('the training screen after a run, the text lab and every lab', async () => {
    test.setTimeout(2 * RUN_TIMEOUT_MS);
    const { page, consoleLines } = await openLab(app.browser.context, `${app.server.url}#preset=mlp&epochs=1&autostart=1`);
    try {
      await page.getByTestId('language').selectOption('es');
      await page.getByTestId('confusion').waitFor({ timeout: RUN_TIMEOUT_MS });
      await assertSpanishNumbers(page, 'workspace');
      for (const panel of ['data', 'inside', 'history']) {
        await openTab(page, panel);
        await assertSpanishNumbers(page, panel, { withDecimals: panel !== 'data' });
      }
      await page.getByTestId('nav-text').click();
      await page.getByTestId('text-screen').waitFor({ timeout: 30_000 });
      await assertSpanishNumbers(page, 'text lab');
      await page.getByTestId('nav-labs').click();
      await page.getByTestId('labs-menu').waitFor();
      const labs = await page.$$eval('[data-testid="labs-menu"] a', (anchors) => anchors.map((a) => a.getAttribute('href').replace('#lab=', '')));
      for (const name of labs) {
        await page.evaluate((hash) => (location.hash = hash), `#lab=${name}`);
        await page.waitForSelector(`[data-testid="lab-${name}"][data-ready="true"]`, { timeout: 60_000 });
        await assertSpanishNumbers(page, `lab ${name}`);
      }
    } catch (error) {
      console.log(consoleLines.join('\n'));
      throw error;
    } finally {
      await page.close();
    }
  });
});
