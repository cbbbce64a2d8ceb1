// Keeping work end to end in Chromium: a short run (logreg, 1 epoch) is saved to a file, exported
// as a report and CSV; after a reload the history still shows it and the last model, restored into
// the worker, gives the same test accuracy and predictions on the draw canvas; the saved file loads
// back through the file input; damaged files show the engine's precise message; more epochs on the
// model make a second run, and comparing the two draws both curves.
import assert from 'node:assert/strict';
import { test } from '@playwright/test';
import { download, expectModelFileError as expectError, launchBrowser, loadFile, openTab, testAccuracy, useBuiltApp } from './support.mjs';

const RUN_TIMEOUT_MS = 180_000;

function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}

/** The file's bytes with a fresh CRC-32 at the end (the format's last 4 bytes, little-endian). */
function withCrc(bytes) {
  const out = Buffer.from(bytes);
  out.writeUInt32LE(crc32(out.subarray(0, out.length - 4)), out.length - 4);
  return out;
}

async function openPage(context, url) {
  const page = await context.newPage();
  const consoleLines = [];
  page.on('console', (msg) => consoleLines.push(`${msg.type()}: ${msg.text()}`));
  page.on('pageerror', (err) => consoleLines.push(`pageerror: ${err.message}`));
  await page.goto(url);
  await page.waitForSelector('[data-testid="backend"][data-state="ready"]', { timeout: 60_000 });
  return { page, consoleLines };
}

/** The report loads nothing from anywhere (only data: URLs) and prints to a PDF. */
async function checkPrintable(context, html) {
  const page = await context.newPage();
  const requests = [];
  page.on('request', (request) => requests.push(request.url()));
  try {
    await page.setContent(html, { waitUntil: 'load' });
    assert.deepEqual(requests.filter((url) => !url.startsWith('data:')), []);
    const images = await page.$$eval('img', (items) => items.map((item) => item.complete && item.naturalWidth));
    assert.ok(images.length > 0 && images.every((width) => width === 28), `report images: ${images}`);
    const pdf = await page.pdf({ format: 'A4' });
    assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
    const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
    assert.ok(pages >= 2 && pages <= 4, `the report prints on ${pages} A4 pages`);
  } finally {
    await page.close();
  }
}

/** A reload without the URL's autostart (which would train again). */
async function reopen(page, url) {
  await page.goto('about:blank');
  await page.goto(url);
  await page.waitForSelector('[data-testid="backend"][data-state="ready"]', { timeout: 60_000 });
}

async function drawOne(page) {
  await openTab(page, 'workspace');
  const canvas = page.getByTestId('draw-canvas');
  await canvas.scrollIntoViewIfNeeded();
  const box = await canvas.boundingBox();
  const at = (x, y) => [box.x + (x * box.width) / 280, box.y + (y * box.height) / 280];
  await page.mouse.move(...at(140, 50));
  await page.mouse.down();
  for (const y of [90, 130, 170, 210, 240]) await page.mouse.move(...at(140, y), { steps: 4 });
  await page.mouse.up();
  await page.waitForSelector('[data-testid="prediction"][data-busy="false"][data-digit]', { timeout: 30_000 });
  return page.$$eval('[data-testid="prediction"] li', (items) => items.map((item) => Number(item.dataset.probability)));
}

test.describe('keep work', () => {
  const app = useBuiltApp();

  test('save, export, reload, restore, load, damaged files, continue and compare', async () => {
    test.setTimeout(6 * RUN_TIMEOUT_MS);
    const { page, consoleLines } = await openPage(app.browser.context, `${app.server.url}#preset=logreg&epochs=1&autostart=1`);
    try {
      const trained = await testAccuracy(page);
      await openTab(page, 'history');
      const history = page.getByTestId('run-history');
      await page.waitForSelector('[data-testid="run-history"][data-count="1"]', { timeout: 30_000 });
      await page.getByTestId('restore-model').waitFor({ timeout: 30_000 }); // the last model is kept

      // Save the model: the engine's file.
      await page.waitForFunction(() => !document.querySelector('[data-testid="save-model"]').disabled, null, { timeout: 30_000 });
      const saved = await download(page, page.getByTestId('save-model'));
      assert.match(saved.name, /^profundo-logreg-mnist-.*\.profundo$/);
      assert.equal(saved.bytes.subarray(0, 8).toString('latin1'), 'PROFUNDO');
      assert.ok(saved.bytes.length > 7850 * 4, `${saved.bytes.length} bytes hold the 7,850 weights`);

      // The report: self-contained, with the numbers of this run.
      const report = await download(page, history.getByTestId('export-report').first());
      const html = report.bytes.toString('utf8');
      assert.match(report.name, /^profundo-report-logreg-.*\.html$/);
      const percent = `${(trained * 100).toFixed(2)} %`;
      assert.ok(html.includes(percent), `the report shows the test accuracy ${percent}`);
      for (const text of ['logreg', 'wasm-threads', 'Configuration', 'Confusion matrix', 'Bias and variance', '@media print']) assert.ok(html.includes(text), text);
      assert.equal((html.match(/<svg /g) ?? []).length, 2);
      assert.ok((html.match(/<img src="data:image\/png;base64,/g) ?? []).length >= 1, 'mistake images as data URLs');
      assert.doesNotMatch(html, /https?:|<script|<link/i);
      await checkPrintable(app.browser.context, html);

      // CSV: per-epoch metrics and per-step loss.
      const epochs = (await download(page, history.getByTestId('export-csv').first())).bytes.toString('utf8').trimEnd().split('\r\n');
      assert.match(epochs[0], /^run,date,preset,dataset,optimizer,learning_rate,batch_size,seed,epoch,train_loss,train_accuracy,dev_loss,dev_accuracy,test_loss,test_accuracy$/);
      assert.equal(epochs.length, 2);
      assert.equal(Number(epochs[1].split(',').at(-1)), trained);
      const steps = (await download(page, history.getByTestId('export-steps-csv').first())).bytes.toString('utf8').trimEnd().split('\r\n');
      assert.equal(steps[0], 'run,step,loss');
      assert.ok(steps.length > 100, `${steps.length - 1} loss points`);

      // Reload: the history and the last model are still there; restoring gives the same model.
      await reopen(page, app.server.url);
      await openTab(page, 'history');
      await page.waitForSelector('[data-testid="run-history"][data-count="1"]', { timeout: 30_000 });
      assert.equal(await page.getByTestId('test-accuracy').count(), 0);
      await page.getByTestId('restore-model').click();
      assert.equal(await testAccuracy(page), trained);
      const restored = await drawOne(page);
      assert.equal(restored.length, 10);
      assert.ok(Math.abs(restored.reduce((a, b) => a + b, 0) - 1) < 1e-3);
      assert.match((await page.getByTestId('keep-status').textContent()) ?? '', /Model loaded from last model \(this browser\): trained for 1 epochs/);

      // The saved file through the file input.
      await loadFile(page, 'mine.profundo', saved.bytes);
      await page.waitForFunction(() => /mine\.profundo/.test(document.querySelector('[data-testid="keep-status"]').textContent), null, { timeout: 60_000 });
      assert.equal(await testAccuracy(page), trained);
      assert.equal(await page.locator('[data-testid="epoch-metrics"] tbody tr').count(), 1);

      // Damaged files: the engine's own message, naming the file; the loaded model stays usable.
      await loadFile(page, 'notes.profundo', Buffer.from('these are my notes, not a model'));
      await expectError(page, /notes\.profundo: not a Profundo checkpoint/);
      await loadFile(page, 'half.profundo', saved.bytes.subarray(0, saved.bytes.length >> 1));
      await expectError(page, /half\.profundo: truncated/);
      const flipped = Buffer.from(saved.bytes);
      flipped[flipped.length - 100] ^= 0xff;
      await loadFile(page, 'flipped.profundo', flipped);
      await expectError(page, /flipped\.profundo: corrupted: checksum 0x[0-9A-F]{8} does not match the stored 0x[0-9A-F]{8}/);
      const newer = Buffer.from(saved.bytes);
      newer.writeUInt32LE(99, 8);
      await loadFile(page, 'newer.profundo', newer);
      await expectError(page, /newer\.profundo: made by a newer version of Profundo \(format 99, this build reads up to 1\)/);
      const header = saved.bytes.toString('latin1');
      const at = header.indexOf('"mnist-train"');
      assert.ok(at > 0);
      const other = Buffer.from(saved.bytes);
      other.write('"mnisx-train"', at, 'latin1');
      await loadFile(page, 'other.profundo', withCrc(other));
      await expectError(page, /other\.profundo: this model was trained on mnisx-train, not on mnist-train/);
      assert.ok((await drawOne(page)).length === 10, 'the loaded model still predicts');

      // One more epoch on the loaded model is a second run; compare the two.
      await openTab(page, 'history');
      await page.getByTestId('continue-training').click();
      await page.waitForSelector('[data-testid="run-history"][data-count="2"]', { timeout: RUN_TIMEOUT_MS });
      assert.deepEqual(await page.$$eval('[data-testid="epoch-metrics"] tbody tr', (rows) => rows.map((row) => row.dataset.epoch)), ['1', '2']);
      for (const box of await page.getByTestId('run-select').all()) await box.check();
      await page.getByTestId('compare-runs').click();
      await page.waitForSelector('[data-testid="comparison"][data-count="2"]', { timeout: 30_000 });
      for (const chart of ['compare-loss-chart', 'compare-accuracy-chart']) {
        const labels = await page.$$eval(`[data-testid="${chart}"] .u-legend .u-series .u-label`, (items) => items.map((item) => item.textContent));
        // The continued run's model came from a file: its model description is the logreg preset's.
        assert.deepEqual(labels.slice(1), ['#1 logreg', '#2 logreg'], `${chart}: ${labels}`);
      }
      const lossPoints = (await page.getByTestId('compare-loss-chart').getAttribute('data-points')).split(',').map(Number);
      assert.equal(lossPoints.length, 2);
      assert.ok(lossPoints.every((n) => n > 100), `loss points per run: ${lossPoints}`);
      assert.equal(await page.getByTestId('compare-accuracy-chart').getAttribute('data-points'), '1,1');

      // Delete a run: it is gone after a reload too.
      await history.locator('[data-run-id="1"]').getByTestId('delete-run').click();
      await page.waitForSelector('[data-testid="run-history"][data-count="1"]', { timeout: 30_000 });
      await reopen(page, app.server.url);
      await openTab(page, 'history');
      await page.waitForSelector('[data-testid="run-history"][data-count="1"] [data-run-id="2"]', { timeout: 30_000 });
      assert.equal(await page.getByTestId('storage-problem').count(), 0);
    } catch (err) {
      console.log(consoleLines.join('\n'));
      throw err;
    } finally {
      await page.close();
    }
  });

  test('a full storage quota and a browser without IndexedDB end in a clear message, nothing else lost', async () => {
    test.setTimeout(2 * RUN_TIMEOUT_MS);
    const fresh = await launchBrowser(); // an empty profile: no runs kept by the test above
    // Every IndexedDB write fails as when the quota is full.
    const full = await fresh.context.newPage();
    await full.addInitScript(() => {
      const quota = () => {
        throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      };
      IDBObjectStore.prototype.add = quota;
      IDBObjectStore.prototype.put = quota;
    });
    // No IndexedDB at all.
    const none = await fresh.context.newPage();
    await none.addInitScript(() => Object.defineProperty(globalThis, 'indexedDB', { value: undefined }));
    try {
      for (const [page, kind, operation] of [[full, 'quota', 'keep-model'], [none, 'unavailable', 'open']]) {
        // The page in front: a tab behind the other gets no frames, and each mouse event waits ~1 s for one.
        await page.bringToFront();
        await page.goto(`${app.server.url}#preset=logreg&epochs=1&autostart=1`);
        await testAccuracy(page);
        await openTab(page, 'history');
        await page.waitForSelector(`[data-testid="storage-problem"][data-kind="${kind}"]`, { timeout: 30_000 });
        const problem = page.getByTestId('storage-problem');
        if (kind === 'quota') assert.match((await problem.textContent()) ?? '', /the browser's storage is full/);
        else assert.match((await problem.textContent()) ?? '', /IndexedDB unavailable/);
        assert.match((await problem.textContent()) ?? '', /Nothing else is lost/);
        // Only the last failure is shown; the run and the model are still here for this session.
        await page.waitForSelector(`[data-testid="storage-problem"][data-operation="${operation}"]`, { timeout: 30_000 });
        await page.waitForSelector('[data-testid="run-history"][data-count="1"]', { timeout: 30_000 });
        await page.getByTestId('restore-model').waitFor({ timeout: 30_000 });
        assert.equal((await drawOne(page)).length, 10);
        await openTab(page, 'history');
        const report = await download(page, page.getByTestId('export-report'));
        assert.ok(report.bytes.toString('utf8').includes('logreg'));
        await page.waitForFunction(() => !document.querySelector('[data-testid="save-model"]').disabled, null, { timeout: 30_000 });
        const saved = await download(page, page.getByTestId('save-model'));
        assert.equal(saved.bytes.subarray(0, 8).toString('latin1'), 'PROFUNDO');
      }
    } finally {
      await fresh.close();
    }
  });
});
