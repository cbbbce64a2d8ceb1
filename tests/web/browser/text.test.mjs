// The text lab end to end in Chromium: a bad upload shows the engine's message with the file name
// and byte offset; a small LSTM trains on Shakespeare for ~25 s in the worker and its validation
// loss falls below the loss of predicting by character frequency alone (the unigram entropy of
// the corpus, computed here from the file); the best validation point is marked and generation
// uses the best model by default (the sample names its model and step); it generates from a
// priming text at temperatures 0 and 1 (different texts); its ONNX file passes the checker and
// ONNX Runtime predicts the greedy text's first character; the saved model loads back and
// generates the same greedy text.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { test } from '@playwright/test';
import ort from 'onnxruntime-node';
import { openLab, useBuiltApp } from './support.mjs';
import { repoRoot } from '../../../scripts/lib/paths.mjs';

const TRAIN_SECONDS = 25;
const PRIME = 'ROMEO:';

/** −Σ p ln p over the code points of the text: nats per character. */
function unigramEntropy(text) {
  const counts = new Map();
  let total = 0;
  for (const char of text) {
    counts.set(char, (counts.get(char) ?? 0) + 1);
    total++;
  }
  let entropy = 0;
  for (const count of counts.values()) entropy -= (count / total) * Math.log(count / total);
  return entropy;
}

async function fill(page, testId, value) {
  await page.getByTestId(testId).fill(value);
}

async function expectTextError(page, pattern) {
  await page.waitForFunction((source) => new RegExp(source).test(document.querySelector('[data-testid="text-error"]')?.textContent ?? ''), pattern.source, {
    timeout: 30_000,
  });
  return page.getByTestId('text-error').textContent();
}

/** The model and step the shown sample says it comes from. */
async function sampleOrigin(page) {
  const sample = page.getByTestId('text-sample');
  return { model: await sample.getAttribute('data-model'), step: Number(await sample.getAttribute('data-step')) };
}

/** Sets the temperature slider, generates, and returns the shown text (prime included). */
async function generate(page, temperature) {
  await page.getByTestId('text-temperature').evaluate((input, value) => {
    input.value = String(value);
    input.dispatchEvent(new Event('input', { bubbles: true }));
  }, temperature);
  await page.getByTestId('text-generate').click();
  await page.waitForSelector(`[data-testid="text-sample"][data-kind="generated"][data-temperature="${temperature}"]`, { timeout: 30_000 });
  await page.waitForFunction(() => !document.querySelector('[data-testid="text-generate"]').disabled, null, { timeout: 30_000 });
  return (await page.getByTestId('text-sample').textContent()) ?? '';
}

test.describe('text lab', () => {
  const app = useBuiltApp();

  test('the priming text follows the corpus and the preset (Don Quijote is not primed with "ROMEO:")', async () => {
    test.setTimeout(60_000);
    const { page } = await openLab(app.browser.context, `${app.server.url}#view=text`);
    try {
      await page.getByTestId('text-screen').waitFor({ timeout: 30_000 });
      const prime = () => page.getByTestId('text-prime').inputValue();
      assert.equal(await prime(), PRIME);
      await page.getByTestId('text-corpus').selectOption('quijote');
      const quijote = await prime();
      assert.notEqual(quijote, PRIME);
      const corpus = fs.readFileSync(path.join(repoRoot, 'public/data/text/quijote.txt'), 'utf8');
      assert.ok(quijote.length > 0 && corpus.includes(quijote), `the prime ${JSON.stringify(quijote)} is not words of Don Quijote`);
      await page.getByTestId('text-preset').selectOption('shakespeare-quick');
      assert.equal(await page.getByTestId('text-corpus').inputValue(), 'shakespeare');
      assert.equal(await prime(), PRIME);
      await page.getByTestId('text-preset').selectOption('quijote-best');
      assert.equal(await page.getByTestId('text-corpus').inputValue(), 'quijote');
      assert.equal(await prime(), quijote);
      // A prime the student wrote stays when the corpus changes.
      await fill(page, 'text-prime', 'Sancho');
      await page.getByTestId('text-corpus').selectOption('shakespeare');
      assert.equal(await prime(), 'Sancho');
    } finally {
      await page.close();
    }
  });

  test('bad text is refused clearly; an LSTM beats the frequency baseline, generates, saves and loads', async () => {
    test.setTimeout(150_000);
    const baseline = unigramEntropy(fs.readFileSync(path.join(repoRoot, 'public/data/text/shakespeare.txt'), 'utf8'));
    const { page, consoleLines } = await openLab(app.browser.context, app.server.url);
    try {
      // The top navigation leads to it (#view=text).
      await page.getByTestId('nav-text').click();
      await page.getByTestId('text-screen').waitFor({ timeout: 30_000 });
      assert.equal(await page.evaluate(() => location.hash), '#view=text');

      // Invalid UTF-8 in an upload: the engine's message, with the file's name and the byte offset.
      await page.getByTestId('text-corpus').selectOption('own');
      await page.getByTestId('text-upload').setInputFiles({ name: 'bad.txt', mimeType: 'text/plain', buffer: Buffer.from([0x61, 0x62, 0x63, 0xff, 0x64]) });
      await page.waitForFunction(() => /bad\.txt/.test(document.querySelector('[data-testid="text-own-status"]')?.textContent ?? ''), null, { timeout: 30_000 });
      await page.getByTestId('text-train').click();
      const utf8Error = await expectTextError(page, /bad\.txt: invalid UTF-8 at byte 3/);
      assert.match(utf8Error, /The text bad\.txt could not be used/);
      // A setting the engine would refuse is named, with what it accepts (the registry's range), before anything is sent.
      await page.getByTestId('text-corpus').selectOption('shakespeare');
      await fill(page, 'text-hidden', '12.5');
      await page.getByTestId('text-train').click();
      await expectTextError(page, /Hidden units \(text\.hidden_size\): '12\.5' is not a whole number \(allowed: \[1, 4096\]\)/);
      await fill(page, 'text-hidden', '5000');
      await page.getByTestId('text-train').click();
      await expectTextError(page, /Hidden units \(text\.hidden_size\): 5000 is outside the allowed range \[1, 4096\]/);

      // A short run on Shakespeare.
      await page.getByTestId('text-cell').selectOption('lstm');
      await fill(page, 'text-layers', '1');
      await fill(page, 'text-hidden', '128');
      await fill(page, 'text-seq', '64');
      await fill(page, 'text-batch', '32');
      await fill(page, 'text-lr', '0.003');
      await fill(page, 'text-minutes', String(TRAIN_SECONDS / 60));
      await fill(page, 'text-steps', '');
      const started = Date.now();
      await page.getByTestId('text-train').click();
      await page.waitForSelector('[data-testid="text-error"]', { state: 'detached', timeout: 30_000 });
      await page.waitForSelector('[data-testid="text-sample"][data-kind="training"]', { timeout: 60_000 }); // a sample while it trains
      await page.waitForSelector('[data-testid="text-status"][data-status="idle"]', { timeout: 90_000 });
      const seconds = (Date.now() - started) / 1000;
      // (Its text is read only when there is one: textContent() of a missing element waits 30 s.)
      if ((await page.getByTestId('text-error').count()) > 0) assert.fail(`the text lab shows an error: ${await page.getByTestId('text-error').textContent()}`);
      const loss = page.getByTestId('text-loss');
      const validation = Number(await loss.getAttribute('data-value'));
      const pageBaseline = Number(await loss.getAttribute('data-baseline'));
      const status = (await page.getByTestId('text-status').textContent()) ?? '';
      console.log(`validation ${validation.toFixed(3)} nats/char vs frequency-only ${baseline.toFixed(3)} after ${seconds.toFixed(0)} s; ${status}`);
      assert.ok(Math.abs(pageBaseline - baseline) < 1e-9, `the page's baseline ${pageBaseline} vs ${baseline}`);
      assert.ok(validation > 0 && validation < baseline, `validation loss ${validation} is not below the unigram entropy ${baseline}`);
      assert.ok(Number(await page.getByTestId('text-loss-chart').getAttribute('data-points')) >= 3);
      assert.match(status, /Finished after \d[\d,]* steps/);
      const lastStep = Number(status.match(/Finished after ([\d,]+) steps/)[1].replaceAll(',', ''));

      // The best validation point: marked under the chart, with the loss the status reports.
      const bestStep = Number(await loss.getAttribute('data-best-step'));
      const bestLoss = Number(await loss.getAttribute('data-best'));
      assert.ok(bestStep > 0 && bestStep <= lastStep, `best step ${bestStep} of ${lastStep}`);
      assert.ok(bestLoss <= validation, `best ${bestLoss} vs last ${validation}`);
      const marker = page.getByTestId('text-best-marker');
      assert.equal(Number(await marker.getAttribute('data-step')), bestStep);
      assert.match((await marker.textContent()) ?? '', new RegExp(`^best ${bestLoss.toFixed(2)} at step ${bestStep.toLocaleString('en')}$`));

      // Generate from a priming text at two temperatures.
      await fill(page, 'text-prime', PRIME);
      await fill(page, 'text-length', '200');
      const greedy = await generate(page, 0);
      const warm = await generate(page, 1);
      for (const text of [greedy, warm]) {
        assert.ok(text.startsWith(PRIME), `generated text does not start with the prime: ${JSON.stringify(text.slice(0, 40))}`);
        assert.equal([...text].length, PRIME.length + 200);
      }
      assert.notEqual(greedy, warm);
      // Generated by the best model (the default), named with its step; the last model on request.
      assert.deepEqual(await sampleOrigin(page), { model: 'best', step: bestStep });
      await page.getByTestId('text-sample-from').selectOption('last');
      await generate(page, 0.5);
      assert.deepEqual(await sampleOrigin(page), { model: 'last', step: lastStep });
      await page.getByTestId('text-sample-from').selectOption('best');

      // Download ONNX: the reference checker accepts the file, and in ONNX Runtime the most likely
      // character after the prime is the one greedy generation wrote first.
      const [onnxDownload] = await Promise.all([page.waitForEvent('download'), page.getByTestId('text-export-onnx').click()]);
      assert.match(onnxDownload.suggestedFilename(), /^text-lstm-.*\.onnx$/);
      const onnxPath = await onnxDownload.path();
      const checked = spawnSync('/usr/bin/python3', [path.join(repoRoot, 'tests/interop/check_onnx.py'), onnxPath], { encoding: 'utf8' });
      assert.equal(checked.status, 0, checked.stderr);
      const report = JSON.parse(checked.stdout)[onnxPath];
      const vocabulary = JSON.parse(report.metadata['profundo.vocabulary']);
      const session = await ort.InferenceSession.create(onnxPath);
      const prime = [...PRIME].map((c) => vocabulary.indexOf(c));
      const feeds = { tokens: new ort.Tensor('int64', BigInt64Array.from(prime, BigInt), [prime.length, 1]) };
      session.inputNames.slice(1).forEach((name, i) => {
        const hidden = report.inputs[i + 1][2];
        feeds[name] = new ort.Tensor('float32', new Float32Array(hidden), [1, 1, hidden]); // zero states
      });
      const last = (await session.run(feeds)).probabilities.data.slice((prime.length - 1) * vocabulary.length);
      const next = last.indexOf(Math.max(...last));
      assert.equal(vocabulary[next], [...greedy][[...PRIME].length]);

      // Save, load back (generation only) and get the same greedy text.
      const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId('text-save').click()]);
      const bytes = fs.readFileSync(await file.path());
      assert.ok(file.suggestedFilename().endsWith('.profundo') && bytes.length > 100_000, `${file.suggestedFilename()}: ${bytes.length} bytes`);
      await page.getByTestId('text-load').setInputFiles({ name: 'saved.profundo', mimeType: 'application/octet-stream', buffer: bytes });
      await page.waitForFunction(() => /saved\.profundo/.test(document.querySelector('[data-testid="text-status"]')?.textContent ?? ''), null, { timeout: 30_000 });
      assert.equal(await generate(page, 0), greedy);
      // A damaged file: the engine's message names it.
      const damaged = Buffer.from(bytes);
      damaged[200] ^= 0xff;
      await page.getByTestId('text-load').setInputFiles({ name: 'damaged.profundo', mimeType: 'application/octet-stream', buffer: damaged });
      await expectTextError(page, /damaged\.profundo/);
      // An ONNX file is not a saved run: refused by name.
      await page.getByTestId('text-load').setInputFiles({ name: 'model.onnx', mimeType: 'application/octet-stream', buffer: fs.readFileSync(onnxPath) });
      await expectTextError(page, /model\.onnx: an ONNX file cannot be opened in the text lab/);
    } catch (err) {
      err.message += `\nconsole:\n${consoleLines.join('\n')}`;
      throw err;
    } finally {
      await page.close();
    }
  });
});
