// ONNX in the page, end to end in Chromium (issue #15): a short run (logreg, 1 epoch) is downloaded
// with Download ONNX; the file is a protobuf ModelProto that ONNX Runtime (Node) loads and runs with
// the model's classes; after a reload the file loads back through the page's model loading and
// evaluates to the same test accuracy; damaged .onnx files show the engine's message under the
// page's own title in English and in Spanish, and the loaded model stays usable.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { test } from '@playwright/test';
import ort from 'onnxruntime-node';
import { expectModelFileError, loadFile, openLab, testAccuracy, useBuiltApp } from './support.mjs';

const RUN_TIMEOUT_MS = 180_000;

test.describe('ONNX in the page', () => {
  const app = useBuiltApp();

  test('Download ONNX, run it in ONNX Runtime, load it back with the same accuracy; damaged files in both languages', async () => {
    test.setTimeout(4 * RUN_TIMEOUT_MS);
    const { page, consoleLines } = await openLab(app.browser.context, `${app.server.url}#preset=logreg&epochs=1&autostart=1`);
    try {
      const trained = await testAccuracy(page);
      await page.getByTestId('results-export').click();
      await page.waitForSelector('#panel-history:not([hidden])');
      await page.waitForFunction(() => !document.querySelector('[data-testid="export-onnx"]').disabled, null, { timeout: 30_000 });
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-onnx').click()]);
      const name = download.suggestedFilename();
      const bytes = fs.readFileSync(await download.path());
      assert.match(name, /\.onnx$/);
      // ONNX has no magic number: a ModelProto starts with field 1 (ir_version, varint) = 7.
      assert.deepEqual([...bytes.subarray(0, 2)], [0x08, 7]);
      assert.ok(bytes.includes(Buffer.from('Profundo')) && bytes.length > 7850 * 4, `${bytes.length} bytes`);
      const session = await ort.InferenceSession.create(bytes);
      assert.deepEqual(session.inputNames, ['input']);
      const result = await session.run({ input: new ort.Tensor('float32', new Float32Array(2 * 784).fill(0.5), [2, 1, 28, 28]) });
      assert.deepEqual(result.probabilities.dims, [2, 10]);
      const sum = result.probabilities.data.slice(0, 10).reduce((a, b) => a + b, 0);
      assert.ok(Math.abs(sum - 1) < 1e-5, `probabilities sum to ${sum}`);

      // A reload, then the file through the page's model loading: the same model, the same accuracy.
      await page.goto('about:blank');
      await page.goto(app.server.url);
      await page.waitForSelector('[data-testid="backend"][data-state="ready"]', { timeout: 60_000 });
      await loadFile(page, 'mine.onnx', bytes);
      await page.waitForFunction(() => /mine\.onnx/.test(document.querySelector('[data-testid="keep-status"]')?.textContent ?? ''), null, { timeout: 60_000 });
      assert.equal(await testAccuracy(page), trained);

      // Damaged files: the page's title in its language and the engine's message naming the file.
      assert.equal(await page.getByTestId('error').count(), 0, 'no error before a damaged file');
      await loadFile(page, 'half.onnx', bytes.subarray(0, bytes.length >> 1));
      const half = await expectModelFileError(page, /half\.onnx: /);
      assert.match(half.title, /The model file half\.onnx could not be loaded/);
      assert.match(half.message, /half\.onnx: .*(truncated|claims)/);
      await page.getByTestId('language').selectOption('es');
      await page.waitForFunction(() => document.documentElement.lang === 'es');
      const notes = Buffer.from('estas son mis notas, no un modelo');
      await loadFile(page, 'notas.onnx', notes);
      const spanish = await expectModelFileError(page, /notas\.onnx: /);
      assert.match(spanish.title, /No se pudo cargar el archivo del modelo notas\.onnx/);
      await page.getByTestId('language').selectOption('en');
      // Nothing else is lost: the loaded model is still there with its accuracy.
      assert.equal(await testAccuracy(page), trained);
      assert.match((await page.getByTestId('keep-status').textContent()) ?? '', /mine\.onnx/);
    } catch (err) {
      console.log(consoleLines.join('\n'));
      throw err;
    } finally {
      await page.close();
    }
  });
});
