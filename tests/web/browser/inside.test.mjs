// The data panel and "inside the network" in Chromium (the built app, cross-origin isolated):
// the sample grid and the augmentation preview; an uploaded IDX file with a wrong magic number or
// truncated is refused with the engine's message naming the file; small valid IDX files (the
// first 2,000 / 500 MNIST images, one of them gzipped) become dataset "custom" and train tfjs-cnn
// for two epochs; then the panel shows the filters, the feature maps of chosen digits (a test
// image, a mistake, a drawing) and the weight and gradient histograms of both epochs.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { test } from '@playwright/test';
import { distDir, launchBrowser, openLab, openTab, servedApp } from './support.mjs';
import { repoRoot } from '../../../scripts/lib/paths.mjs';

const mnist = (name) => zlib.gunzipSync(fs.readFileSync(path.join(repoRoot, 'public/data/mnist', name)));

/** The first `count` items of an IDX file (header `header` bytes, `itemBytes` per item), re-encoded. */
function firstItems(bytes, count, header, itemBytes) {
  const out = Buffer.from(bytes.subarray(0, header + count * itemBytes));
  out.writeUInt32BE(count, 4);
  return out;
}

test.describe('data panel and inside the network', () => {
  let browser;
  let server;
  let dir;
  const files = {};

  test.beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'profundo-idx-'));
    const write = (name, bytes) => (files[name] = path.join(dir, name)) && fs.writeFileSync(files[name], bytes);
    const trainImages = firstItems(mnist('train-images-idx3-ubyte.gz'), 2000, 16, 784);
    write('train-images.idx.gz', zlib.gzipSync(trainImages));
    write('train-labels.idx', firstItems(mnist('train-labels-idx1-ubyte.gz'), 2000, 8, 1));
    write('test-images.idx', firstItems(mnist('t10k-images-idx3-ubyte.gz'), 500, 16, 784));
    write('test-labels.idx', firstItems(mnist('t10k-labels-idx1-ubyte.gz'), 500, 8, 1));
    const wrongMagic = Buffer.from(trainImages);
    wrongMagic[0] = 0x12;
    write('wrong-magic.idx', wrongMagic);
    write('truncated.idx', fs.readFileSync(files['test-images.idx']).subarray(0, 5000));
    browser = await launchBrowser();
    server = servedApp();
  });

  test.afterAll(async () => {
    await browser?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Waits until the feature maps are those of the asked image (ready, and its caption matches `pattern`). */
  async function shownImage(page, pattern) {
    await page.waitForFunction(
      (source) =>
        document.querySelector('[data-testid="feature-maps"]')?.dataset.state === 'ready' &&
        new RegExp(source).test(document.querySelector('[data-testid="inside-image"]')?.textContent ?? ''),
      pattern.source,
      { timeout: 30_000 },
    );
  }

  async function upload(page, names) {
    for (const [slot, name] of Object.entries(names)) await page.getByTestId(`upload-${slot}`).setInputFiles(files[name]);
    await page.getByTestId('upload-load').click();
  }

  test('samples, augmentation preview, bad and good uploads, then inside a CNN trained on them', async () => {
    test.setTimeout(300_000);
    const { page, consoleLines } = await openLab(browser.context, `${server.url}#preset=tfjs-cnn&epochs=2&dataset=custom`);
    try {
      await openTab(page, 'data');
      // 40 MNIST training images with their digit.
      await page.waitForSelector('[data-testid="sample-grid"][data-state="ready"][data-dataset="mnist"]', { timeout: 60_000 });
      const captions = await page.$$eval('[data-testid="sample-grid"] figcaption', (items) => items.map((item) => item.textContent));
      assert.equal(captions.length, 40);
      assert.deepEqual(captions.slice(0, 5), ['5', '0', '4', '1', '9']); // MNIST's first training labels

      // Fashion-MNIST (when prepared) shows its class names, translated.
      const manifest = JSON.parse(fs.readFileSync(path.join(distDir, 'data/manifest.json'), 'utf8'));
      if (manifest.datasets.some((d) => d.id === 'fashion-mnist' && d.available)) {
        await page.getByTestId('data-dataset').selectOption('fashion-mnist');
        await page.waitForSelector('[data-testid="sample-grid"][data-state="ready"][data-dataset="fashion-mnist"]', { timeout: 60_000 });
        const names = () => page.$$eval('[data-testid="sample-grid"] figcaption', (items) => items.slice(0, 3).map((item) => item.textContent));
        assert.deepEqual(await names(), ['Ankle boot', 'T-shirt/top', 'T-shirt/top']); // labels 9, 0, 0
        await page.getByTestId('language').selectOption('es');
        // The captions are read once they have been drawn again in the new language (reading them
        // straight after the switch raced the re-render: CI once saw the English names).
        await page.waitForFunction(() => document.documentElement.lang === 'es');
        await page.waitForFunction(() => document.querySelector('[data-testid="sample-grid"] figcaption')?.textContent !== 'Ankle boot');
        assert.deepEqual(await names(), ['Botín', 'Camiseta/top', 'Camiseta/top']);
        await page.getByTestId('language').selectOption('en');
        await page.getByTestId('data-dataset').selectOption('mnist');
        await page.waitForSelector('[data-testid="sample-grid"][data-state="ready"][data-dataset="mnist"]', { timeout: 30_000 });
      } else {
        console.log('# Fashion-MNIST is not prepared: its class names were not checked');
      }

      // The augmentation preview: 8 originals and 8 augmented; another roll gives other images.
      const preview = page.getByTestId('augment-preview');
      await page.waitForSelector('[data-testid="augment-preview"][data-state="ready"][data-seed="1"]', { timeout: 30_000 });
      assert.equal(await preview.locator('[data-kind="augmented"] canvas').count(), 8);
      const augmented = () => page.$$eval('[data-testid="augment-preview"] [data-kind="augmented"] canvas', (cs) => cs.map((c) => c.toDataURL()));
      const originals = await page.$$eval('[data-testid="augment-preview"] [data-kind="originals"] canvas', (cs) => cs.map((c) => c.toDataURL()));
      const first = await augmented();
      assert.notDeepEqual(first, originals);
      await page.getByTestId('augment-reroll').click();
      await page.waitForSelector('[data-testid="augment-preview"][data-state="ready"][data-seed="2"]', { timeout: 30_000 });
      assert.notDeepEqual(await augmented(), first);
      // A setting the engine refuses is shown with its message.
      await page.getByTestId('augment-max_zoom').fill('1.5');
      await page.getByTestId('augment-max_zoom').dispatchEvent('change');
      await page.getByTestId('augment-error').waitFor({ timeout: 30_000 });
      assert.match((await page.getByTestId('augment-error').textContent()) ?? '', /max_zoom must be in \[0, 1\), got 1\.5/);

      // Corrupt uploads: the engine's message names the file and the field.
      const good = { trainImages: 'train-images.idx.gz', trainLabels: 'train-labels.idx', testImages: 'test-images.idx', testLabels: 'test-labels.idx' };
      await upload(page, { ...good, trainImages: 'wrong-magic.idx' });
      const dataError = page.getByTestId('data-error');
      await dataError.waitFor({ timeout: 30_000 });
      assert.match((await dataError.textContent()) ?? '', /wrong-magic\.idx: not an IDX images file: the magic number is 0x12000803, expected 0x00000803/);
      await upload(page, { ...good, testImages: 'truncated.idx' });
      await page.waitForFunction(() => /truncated\.idx: truncated/.test(document.querySelector('[data-testid="data-error"]')?.textContent ?? ''), null, { timeout: 30_000 });
      assert.match((await dataError.textContent()) ?? '', /truncated\.idx: truncated: the header promises 392000 bytes of data but the file has 4984/);

      // Valid files (one gzipped): accepted, shown, trainable.
      await upload(page, good);
      await page.waitForSelector('[data-testid="upload-status"][data-state="ready"]', { timeout: 30_000 });
      assert.match((await page.getByTestId('upload-status').textContent()) ?? '', /2000 training images and 500 test images/);
      assert.equal(await dataError.count(), 0);
      await page.waitForSelector('[data-testid="sample-grid"][data-state="ready"][data-dataset="custom"]', { timeout: 30_000 });

      assert.equal(await page.locator('[data-testid="dataset"]').inputValue(), 'custom');
      await openTab(page, 'workspace');
      await page.getByTestId('train').click();
      await page.waitForSelector('[data-testid="test-accuracy"], [data-testid="error"]', { timeout: 120_000 });
      if ((await page.getByTestId('error').count()) > 0) assert.fail(`the page shows an error: ${await page.getByTestId('error').textContent()}\n${consoleLines.join('\n')}`);
      assert.match((await page.locator('.result').textContent()) ?? '', /500 images of the test set/);
      const accuracy = Number(await page.getByTestId('test-accuracy').getAttribute('data-value'));
      console.log(`# tfjs-cnn, 2 epochs on 2000 uploaded MNIST images: test accuracy ${(accuracy * 100).toFixed(1)} % on 500`);
      assert.ok(accuracy > 0.8, `test accuracy ${accuracy}`);

      // Inside the network: filters, feature maps of test image 0, histograms after both epochs.
      await openTab(page, 'inside');
      const inside = page.getByTestId('inside-panel');
      await inside.waitFor({ timeout: 30_000 });
      await page.waitForSelector('[data-testid="filters"][data-state="ready"]', { timeout: 30_000 });
      assert.deepEqual(
        await page.$$eval('[data-testid="filters"] .layer-filters', (layers) => layers.map((l) => [l.dataset.layer, l.dataset.kernels])),
        [['0', '8'], ['3', '128']],
      );
      await page.waitForSelector('[data-testid="feature-maps"][data-state="ready"]', { timeout: 30_000 });
      const maps = await page.$$eval('[data-testid="feature-maps"] .layer-maps', (layers) => layers.map((l) => [l.dataset.kind, Number(l.dataset.maps), l.querySelectorAll('canvas').length]));
      assert.deepEqual(maps, [['conv2d', 8, 8], ['relu', 8, 8], ['maxpool2d', 8, 8], ['conv2d', 16, 16], ['relu', 16, 16], ['maxpool2d', 16, 16], ['dense', 1, 1]]);
      assert.match((await page.getByTestId('inside-image').textContent()) ?? '', /Test image 0 · true 7/);

      await page.waitForSelector('[data-testid="histograms"][data-epochs="2"]', { timeout: 30_000 });
      const histograms = page.getByTestId('histograms');
      assert.equal(await histograms.getAttribute('data-epoch'), '2');
      const counts = await page.$$eval('[data-testid="histograms"] .histogram-row', (rows) => rows.map((r) => [r.dataset.layer, r.dataset.name, ...[...r.querySelectorAll('figure')].map((f) => Number(f.dataset.count))]));
      assert.deepEqual(counts, [['0', 'W', 200, 200], ['0', 'b', 8, 8], ['3', 'W', 3200, 3200], ['3', 'b', 16, 16], ['7', 'W', 2560, 2560], ['7', 'b', 10, 10]]);
      await page.getByTestId('histogram-epoch').fill('0');
      await page.waitForSelector('[data-testid="histograms"][data-epoch="1"]', { timeout: 10_000 });

      // Another digit: test image 3 (a 0), then a mistake if there is one, then a drawing.
      await page.getByTestId('inside-index').fill('3');
      await page.getByTestId('inside-show').click();
      await shownImage(page, /Test image 3 · true 0/);
      const mistakes = await page.locator('[data-testid="inside-mistake"] option').count();
      if (mistakes > 1) {
        const value = await page.locator('[data-testid="inside-mistake"] option').nth(1).getAttribute('value');
        await page.getByTestId('inside-mistake').selectOption(value);
        await shownImage(page, new RegExp(`Test image ${value} `));
        const predicted = await page.getByTestId('inside-image').getAttribute('data-predicted');
        const caption = (await page.getByTestId('inside-image').textContent()) ?? '';
        assert.ok(!caption.includes(`true ${predicted} `), `a mistake is predicted wrong: ${caption}`);
      }
      await openTab(page, 'workspace');
      const canvas = page.getByTestId('draw-canvas');
      await canvas.scrollIntoViewIfNeeded();
      const box = await canvas.boundingBox();
      await page.mouse.move(box.x + box.width / 2, box.y + box.height * 0.2);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width / 2, box.y + box.height * 0.85, { steps: 8 });
      await page.mouse.up();
      await page.waitForSelector('[data-testid="prediction"][data-busy="false"][data-digit]', { timeout: 30_000 });
      await openTab(page, 'inside');
      await page.getByTestId('inside-drawing').click();
      await shownImage(page, /Your drawing · predicted/);
      assert.equal(await page.locator('[data-testid="feature-maps"] .layer-maps').count(), 7);
    } finally {
      await page.close();
    }
  });
});
