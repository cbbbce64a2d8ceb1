// "Start here" for practical 1: open on a first visit in the page's language, dismissed for good
// (after a reload too), and opened again by the help button, from any view.
import assert from 'node:assert/strict';
import { test } from '@playwright/test';
import { useBuiltApp } from './support.mjs';

test.describe('start here', () => {
  const app = useBuiltApp();

  test('first visit, language, dismiss, reload, help button', async () => {
    const page = await app.browser.context.newPage();
    try {
      await page.goto(app.server.url);
      const guide = page.getByTestId('start-here');
      await guide.waitFor({ timeout: 60_000 });
      assert.equal(await guide.locator('li').count(), 6);
      assert.match((await guide.textContent()) ?? '', /Start here: practical 1.*preset.*Train.*curves.*confusion matrix.*Draw a digit.*Export for hand-in/s);
      await page.getByTestId('language').selectOption('es');
      await page.waitForFunction(() => /Empieza/.test(document.querySelector('[data-testid="start-here"]')?.textContent ?? ''), null, { timeout: 10_000 });
      assert.match((await guide.textContent()) ?? '', /Empieza aquí: práctica 1.*Entrenar.*matriz de confusión.*Dibuja un dígito.*Exporta para la entrega/s);

      await page.getByTestId('start-here-dismiss').click();
      assert.equal(await guide.count(), 0);
      await page.reload();
      await page.getByTestId('train').waitFor({ timeout: 60_000 });
      assert.equal(await page.getByTestId('start-here').count(), 0, 'dismissed stays dismissed');

      // From another view the help button brings the lab back with the guide open.
      await page.getByTestId('nav-labs').click();
      await page.getByTestId('labs-menu').waitFor();
      await page.getByTestId('start-here-open').click();
      await guide.waitFor();
      assert.equal(await page.getByTestId('train').isVisible(), true);
    } finally {
      await page.close();
    }
  });
});
