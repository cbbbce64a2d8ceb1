// The training screen end to end in Chromium: the built app, served cross-origin isolated (threads
// build), trains tfjs-cnn for one epoch from a URL configuration and shows the test accuracy; the
// page's main thread stays responsive meanwhile; with that same trained model (one training only),
// the results panel (confusion matrix over the 10,000 test images, a cell's images, the gallery)
// and "draw a digit" (a drawn 1 and 0 are recognised); the engine's refusal of a bad setting is shown.
import assert from 'node:assert/strict';
import { test } from '@playwright/test';
import { useBuiltApp } from './support.mjs';

const TRAIN_TIMEOUT_MS = 240_000;

/** Records main-thread long tasks (reported, not judged: a loaded machine makes them) and counts animation frames. */
function recordLongTasks() {
  globalThis.__longTasks = [];
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) globalThis.__longTasks.push({ start: entry.startTime, duration: entry.duration });
  }).observe({ type: 'longtask', buffered: true });
  globalThis.__frames = 0;
  const tick = () => {
    globalThis.__frames++;
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}

async function openPage(context, url) {
  const page = await context.newPage();
  const consoleLines = [];
  page.on('console', (msg) => consoleLines.push(`${msg.type()}: ${msg.text()}`));
  page.on('pageerror', (err) => consoleLines.push(`pageerror: ${err.message}`));
  await page.addInitScript(recordLongTasks);
  await page.goto(url);
  return { page, consoleLines };
}

/** The confusion matrix covers the 10,000 test images; a cell shows its images; the gallery and the reading are there. */
async function checkResults(page) {
  await page.getByTestId('confusion').waitFor({ timeout: 30_000 });
  const counts = await page.$$eval('[data-testid="confusion-cell"]', (cells) => cells.map((cell) => Number(cell.dataset.count)));
  assert.equal(counts.length, 100);
  assert.equal(counts.reduce((a, b) => a + b, 0), 10_000);
  assert.equal(await page.locator('[data-testid="per-class-accuracy"]').count(), 10);
  assert.match((await page.getByTestId('diagnosis').getAttribute('data-reading')) ?? '', /^(fine|high-bias|high-variance|high-bias-and-variance)$/);
  const mistakes = 10_000 - counts.filter((_, i) => i % 11 === 0).reduce((a, b) => a + b, 0);
  assert.equal(await page.locator('[data-testid="mistakes"] figure').count(), Math.min(12, mistakes));
  assert.match((await page.locator('[data-testid="mistakes"] figcaption').first().textContent()) ?? '', /predicted \d \(\d+\.\d\d %\) \/ true \d/);

  await page.locator('[data-testid="confusion-cell"][data-true="7"][data-predicted="7"]').click();
  await page.waitForSelector('[data-testid="cell-images"][data-state="ready"]', { timeout: 30_000 });
  assert.equal(await page.locator('[data-testid="cell-images"] canvas').count(), Math.min(24, counts[77]));
}

/** Draws a polyline on the canvas with the mouse, then waits for the last prediction. */
async function draw(page, points) {
  const box = await page.getByTestId('draw-canvas').boundingBox();
  const at = ([x, y]) => [box.x + (x * box.width) / 280, box.y + (y * box.height) / 280];
  await page.mouse.move(...at(points[0]));
  await page.mouse.down();
  for (const point of points.slice(1)) await page.mouse.move(...at(point), { steps: 4 });
  await page.mouse.up();
  await page.waitForSelector('[data-testid="prediction"][data-busy="false"][data-digit]', { timeout: 30_000 });
  const prediction = page.getByTestId('prediction');
  const probabilities = await page.$$eval('[data-testid="prediction"] li', (items) => items.map((item) => Number(item.dataset.probability)));
  return { digit: await prediction.getAttribute('data-digit'), text: (await prediction.textContent()) ?? '', probabilities };
}

async function checkDrawing(page) {
  const canvas = page.getByTestId('draw-canvas');
  await canvas.scrollIntoViewIfNeeded();
  // A "1": one vertical stroke.
  const one = await draw(page, [[140, 50], [140, 90], [140, 130], [140, 170], [140, 210], [140, 240]]);
  assert.equal(one.digit, '1', `the vertical stroke was read as ${one.text}`);
  assert.match(one.text, /Prediction: 1/);
  assert.equal(one.probabilities.length, 10);

  await page.getByTestId('draw-clear').click();
  assert.equal(await page.getByTestId('prediction').getAttribute('data-digit'), null);

  // A "0": an ellipse.
  const ellipse = Array.from({ length: 33 }, (_, i) => {
    const a = (i / 32) * 2 * Math.PI;
    return [140 + 60 * Math.sin(a), 140 - 90 * Math.cos(a)];
  });
  const zero = await draw(page, ellipse);
  const sum = zero.probabilities.reduce((a, b) => a + b, 0);
  assert.ok(Math.abs(sum - 1) < 1e-3, `probabilities sum to ${sum}`);
  assert.equal(zero.digit, '0', `the circle was read as ${zero.text}`);
}

test.describe('training screen', () => {
  const app = useBuiltApp();

  test('#preset=tfjs-cnn&epochs=1&autostart=1 trains one epoch to ≥ 97 % test accuracy', async () => {
    test.setTimeout(TRAIN_TIMEOUT_MS + 60_000);
    const { page, consoleLines } = await openPage(app.browser.context, `${app.server.url}#preset=tfjs-cnn&epochs=1&autostart=1`);
    try {
      await page.waitForSelector('[data-testid="test-accuracy"], [data-testid="error"]', { timeout: TRAIN_TIMEOUT_MS });
      const error = page.getByTestId('error');
      if ((await error.count()) > 0) assert.fail(`the page shows an error: ${await error.textContent()}\n${consoleLines.join('\n')}`);

      const text = ((await page.getByTestId('test-accuracy').textContent()) ?? '').trim();
      assert.match(text, /^\d{1,3}[.,]\d{2} %$/);
      const percent = Number(text.replace(' %', '').replace(',', '.'));
      assert.ok(percent >= 97, `test accuracy ${text}, want ≥ 97 %`);

      assert.equal(await page.getByTestId('backend').getAttribute('data-variant'), 'wasm-threads');
      assert.equal(await page.locator('[data-testid="epoch-metrics"] tbody tr').count(), 1);
      const progress = page.getByTestId('progress');
      assert.equal(await progress.getAttribute('data-phase'), 'done');
      assert.equal(await page.locator('[data-testid="preset"]').inputValue(), 'tfjs-cnn');
      assert.equal(await page.locator('[data-testid="epochs"]').inputValue(), '1');
      // The keep choice is in the form (from the registry), and the results name the kept epoch.
      assert.equal(await page.locator('[data-testid="training.keep"]').inputValue(), 'best');
      const kept = page.getByTestId('kept-model');
      assert.equal(await kept.getAttribute('data-epoch'), '1');
      assert.match((await kept.textContent()) ?? '', /^Kept model: epoch 1 \(the epoch with the best dev accuracy\)\. Best dev accuracy \d+\.\d\d % \(epoch 1\)/);

      const timing = await page.evaluate(() => {
        const [start] = performance.getEntriesByName('profundo:train-start');
        const [end] = performance.getEntriesByName('profundo:train-end');
        const longTasks = globalThis.__longTasks.filter((task) => task.start >= start.startTime && task.start <= end.startTime);
        return { seconds: (end.startTime - start.startTime) / 1000, longTasks };
      });
      const samplesPerSecond = Number(await progress.getAttribute('data-samples-per-second'));
      console.log(
        `# tfjs-cnn, 1 epoch in Chromium (wasm-threads): ${timing.seconds.toFixed(1)} s, ${samplesPerSecond} samples/s, test accuracy ${text}; ` +
          `main-thread long tasks while training: ${timing.longTasks.length}` +
          (timing.longTasks.length ? ` (longest ${Math.max(...timing.longTasks.map((task) => task.duration)).toFixed(0)} ms)` : ''),
      );
      // However many progress events came, the loss chart was redrawn at most once per animation frame
      // (the store's frame throttle: tests/web/unit/train-store.test.ts), and it ends with every step.
      const curve = page.getByTestId('loss-curve');
      await page.waitForFunction(() => Number(document.querySelector('[data-testid="loss-curve"]').dataset.points) > 0);
      const redraws = Number(await curve.getAttribute('data-redraws'));
      const frames = await page.evaluate(() => globalThis.__frames);
      assert.ok(redraws >= 1 && redraws <= frames, `${redraws} loss-chart redraws in ${frames} frames`);
      assert.equal(Number(await curve.getAttribute('data-points')), Number(await progress.getAttribute('data-batch')), 'one point per step of the one epoch');

      // The same trained model (no second training): results panel, then "draw a digit".
      await checkResults(page);
      await checkDrawing(page);
    } finally {
      await page.close();
    }
  });

  test('Train, Pause and Stop buttons: the run pauses, then stops between batches', async () => {
    const { page } = await openPage(app.browser.context, `${app.server.url}#preset=mlp&epochs=3`);
    try {
      const train = page.getByTestId('train');
      await train.waitFor();
      await page.waitForFunction(() => !document.querySelector('[data-testid="train"]').disabled, null, { timeout: 60_000 });
      await train.click();
      await page.waitForFunction(() => Number(document.querySelector('[data-testid="progress"]').dataset.batch) > 0, null, { timeout: 60_000 });
      await page.getByTestId('pause').click();
      await page.waitForSelector('[data-testid="progress"][data-phase="paused"]', { timeout: 30_000 });
      await page.getByTestId('stop').click();
      await page.waitForSelector('[data-testid="progress"][data-phase="stopped"]', { timeout: 30_000 });
      assert.equal(await page.getByTestId('test-accuracy').count(), 0);
      assert.equal(await train.isEnabled(), true);
    } finally {
      await page.close();
    }
  });

  test('an invalid learning rate shows the engine\'s message, worded by the page from the refusal\'s data', async () => {
    const { page } = await openPage(app.browser.context, `${app.server.url}#preset=logreg&lr=-1&autostart=1`);
    try {
      const error = page.getByTestId('error');
      await error.waitFor({ timeout: 60_000 });
      assert.equal(await error.getAttribute('data-code'), 'engine');
      assert.match((await error.textContent()) ?? '', /training\.optimizer\.learning_rate must be in \(0, inf\), got -1/);
      assert.equal(await page.getByTestId('error-setting').textContent(), 'Learning rate (α) (training.optimizer.learning_rate): -1 is outside the allowed range (0, ∞)');
      assert.equal(await page.getByTestId('progress').getAttribute('data-phase'), 'failed');
      assert.equal(await page.getByTestId('train').isEnabled(), true, 'the form is usable again');
    } finally {
      await page.close();
    }
  });
});
