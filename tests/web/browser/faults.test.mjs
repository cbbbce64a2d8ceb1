// Faults a student's session survives without a reload (issue #8): a diverging run (NaN loss) stops
// with an explanation and the lab trains again; a failed data download says so, and the same page
// loads the data once the network is back. Files a student gives that cannot be used (issue #14):
// model JSON that is not JSON, a damaged gzip upload, an IDX file with the wrong magic number, each
// named with what was expected, in English and Spanish. (Worker crashes and out-of-memory: runtime.test.mjs; a
// full IndexedDB quota: keep.test.mjs.)
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from '@playwright/test';
import zlib from 'node:zlib';
import { repoRoot } from '../../../scripts/lib/paths.mjs';
import { openTab, useBuiltApp } from './support.mjs';

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

test.describe('faults', () => {
  // No service worker: its cache would answer the data requests this test makes fail.
  const app = useBuiltApp({ serviceWorkers: 'block' });

  test('a run whose loss becomes NaN stops with an explanation; the next run trains', async () => {
    test.setTimeout(240_000);
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

  test('a failed MNIST download is reported, and the page loads it once the network is back', async () => {
    test.setTimeout(240_000);
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

  /** What a student reads for each bad file, per language: the page's sentence (and the engine's detail). */
  const EXPECTED = {
    en: {
      json: /The model JSON is not valid JSON: a model is a JSON object such as \{"input": \[784\]/,
      gzip: /damaged\.gz starts like a gzip file but cannot be decompressed: it is damaged or cut short\. Expected a complete \.gz file/,
      magic: /rank-one\.idx is not an IDX images file: its magic number is 0x00000801, expected 0x00000803/,
    },
    es: {
      json: /El JSON del modelo no es JSON válido: un modelo es un objeto JSON como \{"input": \[784\]/,
      gzip: /damaged\.gz empieza como un archivo gzip pero no se puede descomprimir: está dañado o cortado\. Se esperaba un archivo \.gz completo/,
      magic: /rank-one\.idx no es un archivo IDX de imágenes: su número mágico es 0x00000801, se esperaba 0x00000803/,
    },
  };

  for (const [locale, expected] of Object.entries(EXPECTED)) {
    test(`bad files are named with what was expected (${locale}): model JSON, a damaged gzip upload, a wrong IDX magic number`, async () => {
      test.setTimeout(180_000);
      const mnist = (name) => zlib.gunzipSync(fs.readFileSync(path.join(repoRoot, 'public/data/mnist', name)));
      const labels = { name: 'labels.idx', mimeType: 'application/octet-stream', buffer: mnist('t10k-labels-idx1-ubyte.gz') };
      const images = mnist('t10k-images-idx3-ubyte.gz');
      // Cut short: starts like gzip (1f 8b), the deflate stream ends early.
      const damaged = { name: 'damaged.gz', mimeType: 'application/gzip', buffer: zlib.gzipSync(images).subarray(0, 5000) };
      // The labels' magic number (rank 1) on an images file: read that way, the header describes a 10,000-byte array.
      const rankOne = Buffer.from(images);
      rankOne[3] = 0x01;
      const upload = async (trainImages) => {
        await page.getByTestId('upload-trainImages').setInputFiles(trainImages);
        await page.getByTestId('upload-trainLabels').setInputFiles(labels);
        await page.getByTestId('upload-testImages').setInputFiles({ name: 'images.idx', mimeType: 'application/octet-stream', buffer: images });
        await page.getByTestId('upload-testLabels').setInputFiles(labels);
        await page.getByTestId('upload-load').click();
      };
      const errorText = async (testId, pattern) => {
        await page.waitForFunction(([id, source]) => new RegExp(source).test(document.querySelector(`[data-testid="${id}"]`)?.textContent ?? ''), [testId, pattern.source], { timeout: 60_000 });
        return (await page.getByTestId(testId).textContent()) ?? '';
      };

      const page = await app.browser.context.newPage();
      try {
        await page.goto(`${app.server.url}#preset=logreg`);
        await page.waitForSelector('[data-testid="train"]:not([disabled])', { timeout: 120_000 });
        await page.getByTestId('language').selectOption(locale);

        await page.locator('[data-testid="model-json"] summary').click();
        await page.getByTestId('model-json-text').fill('{"input": [784], "layers": [{"type": "dense" "units": 10}]}');
        await page.getByTestId('model-json-apply').click();
        const json = await errorText('model-json-error', expected.json);
        // The engine's detail follows: where it stopped reading, without nlohmann's exception id.
        assert.match(json, /model JSON: not valid JSON .*line 1, column \d+/);
        assert.doesNotMatch(json, /json\.exception/);

        await openTab(page, 'data');
        await upload(damaged);
        assert.doesNotMatch(await errorText('data-error', expected.gzip), /Failed to fetch/);

        await upload({ name: 'rank-one.idx', mimeType: 'application/octet-stream', buffer: rankOne });
        assert.doesNotMatch(await errorText('data-error', expected.magic), /more than the header describes/);
      } finally {
        await page.close();
      }
    });
  }
});
