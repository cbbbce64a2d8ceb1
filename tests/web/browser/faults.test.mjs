// Faults a student's session survives without a reload (issue #8): a diverging run (NaN loss) stops
// with an explanation and the lab trains again; a failed data download says so, and the same page
// loads the data once the network is back. (Worker crashes and out-of-memory: runtime.test.mjs; a
// full IndexedDB quota: keep.test.mjs.)
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { useBuiltApp } from './support.mjs';

/** Waits for the training outcome: the test accuracy or an error box. */
async function outcome(page, timeout = 120_000) {
  await page.waitForSelector('[data-testid="test-accuracy"], [data-testid="error"]', { timeout });
  const error = page.getByTestId('error');
  if ((await error.count()) > 0) return { error: (await error.textContent()) ?? '', code: await error.getAttribute('data-code') };
  return { accuracy: Number(await page.getByTestId('test-accuracy').getAttribute('data-value')) };
}

async function setField(page, testId, value) {
  const input = page.getByTestId(testId);
  await input.fill(value);
  await input.dispatchEvent('change');
}

describe('faults', () => {
  // No service worker: its cache would answer the data requests this test makes fail.
  const app = useBuiltApp({ serviceWorkers: 'block' });

  test('a run whose loss becomes NaN stops with an explanation; the next run trains', { timeout: 240_000 }, async () => {
    const page = await app.browser.context.newPage();
    try {
      await page.goto(`${app.server.url}#preset=mlp&optimizer=sgd&lr=1e30&epochs=1&autostart=1`);
      const diverged = await outcome(page);
      assert.match(diverged.error ?? '', /the loss became (NaN|infinite) at step \d+ .*Try a smaller learning rate/s, JSON.stringify(diverged));
      assert.equal(diverged.code, 'engine');

      await setField(page, 'learningRate', '0.1');
      await page.getByTestId('train').click();
      const recovered = await outcome(page);
      assert.ok(recovered.accuracy > 0.9, `after the NaN run: ${JSON.stringify(recovered)}`);
    } finally {
      await page.close();
    }
  });

  test('a failed MNIST download is reported, and the page loads it once the network is back', { timeout: 240_000 }, async () => {
    const page = await app.browser.context.newPage();
    const blocked = (route) => route.abort('internetdisconnected');
    await app.browser.context.route('**/data/mnist/**', blocked);
    try {
      await page.goto(`${app.server.url}#preset=logreg&epochs=1&autostart=1`);
      const failed = await outcome(page);
      assert.equal(failed.code, 'dataset', JSON.stringify(failed));
      assert.match(failed.error ?? '', /mnist/i);

      await app.browser.context.unroute('**/data/mnist/**', blocked);
      await page.getByTestId('train').click();
      const recovered = await outcome(page);
      assert.ok(recovered.accuracy > 0.85, `after the network came back: ${JSON.stringify(recovered)}`);
    } finally {
      await page.close();
    }
  });
});
