// The configuration before training, in Chromium on the built app: presets fill the model editor,
// which shows each layer's output shape and parameters from the engine; an added layer updates
// them; invalid models show the engine's message and disable Train; only the relevant
// optimiser/schedule fields show; the URL follows the form; a custom model with Adam (β1
// changed), L2, one epoch and a small dev set trains from a link with autostart=1 and the run
// reports those settings; a bad value reaches the engine and its message is shown.
import assert from 'node:assert/strict';
import { test } from '@playwright/test';
import { openLab, useBuiltApp } from './support.mjs';

const TRAIN_TIMEOUT_MS = 180_000;

/** The editor's rows as { type, shape, parameters } once the engine has described the model. */
async function layerRows(page) {
  await page.waitForSelector('[data-testid="model-editor"]:not([data-state="pending"])', { timeout: 30_000 });
  return page.$$eval('[data-testid="layer-row"]', (rows) =>
    rows.map((row) => ({ type: row.dataset.type, shape: row.dataset.outputShape, parameters: row.dataset.parameters, invalid: row.classList.contains('invalid') })),
  );
}

async function editorState(page) {
  await page.waitForSelector('[data-testid="model-editor"]:not([data-state="pending"])', { timeout: 30_000 });
  return page.getByTestId('model-editor').getAttribute('data-state');
}

const visible = async (page, testId) => (await page.getByTestId(testId).count()) > 0 && page.getByTestId(testId).isVisible();

test.describe('configuration before training', () => {
  const app = useBuiltApp();

  test('presets fill the model editor; adding a layer updates shapes and parameters; invalid models disable Train', async () => {
    const { page, consoleLines } = await openLab(app.browser.context, `${app.server.url}#preset=logreg`);
    try {
      assert.deepEqual(await layerRows(page), [
        { type: 'flatten', shape: '784', parameters: '0', invalid: false },
        { type: 'dense', shape: '10', parameters: '7850', invalid: false },
      ]);
      assert.equal(await page.getByTestId('model-parameters').getAttribute('data-value'), '7850');

      await page.getByTestId('preset').selectOption('tfjs-cnn');
      const tfjs = await layerRows(page);
      assert.deepEqual(tfjs.map((row) => row.type), ['conv2d', 'relu', 'maxpool2d', 'conv2d', 'relu', 'maxpool2d', 'flatten', 'dense']);
      assert.deepEqual(tfjs.map((row) => row.shape), ['8x24x24', '8x24x24', '8x12x12', '16x8x8', '16x8x8', '16x4x4', '256', '10']);
      assert.equal(tfjs[0].parameters, String(8 * (5 * 5 + 1)));
      assert.equal(tfjs[3].parameters, String(16 * (8 * 5 * 5 + 1)));
      const tfjsTotal = Number(await page.getByTestId('model-parameters').getAttribute('data-value'));
      assert.equal(tfjsTotal, 208 + 3216 + 2570);
      assert.match(await page.evaluate(() => location.hash), /^#dataset=mnist&preset=tfjs-cnn$/);
      assert.equal(await page.getByTestId('model-kind').getAttribute('data-custom'), 'false');

      // Add a dense layer at the end: 10 → 10 units, 110 parameters.
      await page.getByTestId('add-layer-type').selectOption('dense');
      await page.getByTestId('add-layer').click();
      const added = await layerRows(page);
      assert.equal(added.length, 9);
      assert.deepEqual(added[8], { type: 'dense', shape: '10', parameters: '110', invalid: false });
      assert.equal(Number(await page.getByTestId('model-parameters').getAttribute('data-value')), tfjsTotal + 110);
      assert.equal(await page.getByTestId('model-kind').getAttribute('data-custom'), 'true');
      assert.match(await page.evaluate(() => location.hash), /model=conv2d:f=8:k=5,relu,maxpool2d:k=2,.*,dense:u=10,dense:u=10$/);
      assert.equal(await page.getByTestId('train').isEnabled(), true);

      // A kernel larger than its input: the engine's message, the row marked, Train disabled.
      const firstKernel = page.locator('[data-testid="layer-row"][data-index="0"] [data-testid="layer-kernel_size"]');
      await firstKernel.fill('30');
      assert.equal(await editorState(page), 'invalid');
      const error = page.getByTestId('model-error');
      assert.equal(await error.isVisible(), true);
      assert.match((await error.textContent()) ?? '', /layers\[0\] \(conv2d\)/);
      assert.match((await error.textContent()) ?? '', /layer 1/);
      assert.equal((await layerRows(page))[0].invalid, true);
      assert.equal(await page.getByTestId('train').isEnabled(), false);
      assert.equal(await firstKernel.evaluate((input) => input === document.activeElement), true, 'typing keeps the focus');
      await firstKernel.fill('5');
      assert.equal(await editorState(page), 'valid');
      assert.equal(await error.isVisible(), false);
      assert.equal(await page.getByTestId('train').isEnabled(), true);

      // A conv2d after the dense layers (no image input any more).
      await page.getByTestId('add-layer-type').selectOption('conv2d');
      await page.getByTestId('add-layer').click();
      assert.equal(await editorState(page), 'invalid');
      assert.match((await error.textContent()) ?? '', /layers\[9\] \(conv2d\): conv2d needs an image input \[channels, height, width\], got \[10\]/);
      const rows = await layerRows(page);
      assert.equal(rows[9].invalid, true);
      assert.equal(rows[8].shape, '10', 'the layers before the refused one keep their shapes');
      assert.equal(await page.getByTestId('train').isEnabled(), false);
      // Remove it and the extra dense; move flatten above the last pooling (refused), then back.
      await page.locator('[data-testid="layer-row"][data-index="9"] [data-testid="layer-remove"]').click();
      await page.locator('[data-testid="layer-row"][data-index="8"] [data-testid="layer-remove"]').click();
      assert.equal(await editorState(page), 'valid');
      await page.locator('[data-testid="layer-row"][data-index="6"] [data-testid="layer-up"]').click();
      assert.equal(await editorState(page), 'invalid');
      assert.deepEqual((await layerRows(page)).slice(5).map((row) => `${row.type}:${row.shape}:${row.invalid}`), ['flatten:1024:false', 'maxpool2d::true', 'dense::false']);
      assert.match((await error.textContent()) ?? '', /layers\[6\] \(maxpool2d\): maxpool2d needs an image input/);
      await page.locator('[data-testid="layer-row"][data-index="5"] [data-testid="layer-down"]').click();
      assert.equal(await editorState(page), 'valid');
      assert.equal(await page.getByTestId('model-kind').getAttribute('data-custom'), 'false', 'back to the preset');
      // Ending with the wrong number of outputs is refused before training.
      await page.locator('[data-testid="layer-row"][data-index="7"] [data-testid="layer-units"]').fill('7');
      assert.equal(await editorState(page), 'invalid');
      assert.match((await error.textContent()) ?? '', /the last layer has 7 outputs but the dataset has 10 classes/);
      await page.getByTestId('preset').selectOption('logreg');
      assert.equal(await editorState(page), 'valid');

      // The model as the CLI's JSON file: shown, and a pasted one read by the engine's parser.
      await page.locator('[data-testid="model-json"] summary').click();
      const json = page.getByTestId('model-json-text');
      assert.deepEqual(JSON.parse(await json.inputValue()).layers, [{ type: 'flatten' }, { type: 'dense', units: 10, init: 'auto', bias: 0 }]);
      await json.fill('{"input": [784], "layers": [{"type": "dense", "unit": 10}]}');
      await page.getByTestId('model-json-apply').click();
      await page.waitForSelector('[data-testid="model-json-error"]:not([hidden])', { timeout: 30_000 });
      assert.match((await page.getByTestId('model-json-error').textContent()) ?? '', /model\.layers\[0\]: unknown field 'unit'/);
      await json.fill('{"input": [784], "layers": [{"type": "dense", "units": 10, "init": "zeros"}], "loss": "softmax_cross_entropy"}');
      await page.getByTestId('model-json-apply').click();
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="layer-row"]').length === 1, null, { timeout: 30_000 });
      assert.deepEqual(await layerRows(page), [{ type: 'dense', shape: '10', parameters: '7850', invalid: false }]);
      assert.equal(await page.getByTestId('model-input-shape').textContent(), '784');
      assert.equal(await page.getByTestId('model-json-error').isVisible(), false);
      assert.match(await page.evaluate(() => location.hash), /model=dense:u=10:init=zeros&input=784/);

      // Only the fields of the chosen optimiser and schedule.
      await page.getByTestId('optimizer').selectOption('momentum');
      assert.equal(await visible(page, 'momentum-beta'), true);
      assert.equal(await visible(page, 'beta1'), false);
      await page.getByTestId('optimizer').selectOption('adam');
      assert.equal(await visible(page, 'momentum-beta'), false);
      for (const id of ['beta1', 'beta2', 'epsilon']) assert.equal(await visible(page, id), true, id);
      await page.getByTestId('schedule').selectOption('inverse_time');
      assert.equal(await visible(page, 'c1'), true);
      assert.equal(await visible(page, 'learningRate'), false);
      await page.getByTestId('schedule').selectOption('exponential');
      assert.equal(await visible(page, 'gamma'), true);
      assert.equal(await visible(page, 'step-size'), true);
      await page.getByTestId('full-batch').click();
      assert.equal(await page.getByTestId('batchSize').inputValue(), 'full');
      await page.getByTestId('augment').check();
      assert.equal(await visible(page, 'shift'), true);
      await page.getByTestId('l2').fill('0.001');
      const hash = await page.evaluate(() => location.hash);
      assert.match(hash, /optimizer=adam/);
      assert.match(hash, /schedule=exponential/);
      assert.match(hash, /batch=full/);
      assert.match(hash, /augment=1/);
      assert.match(hash, /l2=0\.001/);

      await page.getByTestId('copy-link').click();
      // The status is written once the clipboard's promise settles.
      await page.waitForSelector('[data-testid="copy-link-status"][data-url]', { timeout: 10_000 });
      assert.equal(await page.getByTestId('copy-link-status').getAttribute('data-url'), await page.evaluate(() => location.href));
      assert.deepEqual(consoleLines.filter((line) => line.startsWith('pageerror')), []);
    } finally {
      await page.close();
    }
  });

  test('a layer type the page knows only from the engine\'s table (global_avg_pool2d) is added in the editor and trains', async () => {
    test.setTimeout(TRAIN_TIMEOUT_MS);
    const { page, consoleLines } = await openLab(app.browser.context, `${app.server.url}#preset=tfjs-cnn&model=conv2d:f=4:k=5,relu,maxpool2d:k=2,dense:u=10&epochs=1&dev=1000`);
    try {
      assert.deepEqual((await layerRows(page)).map((row) => row.shape), ['4x24x24', '4x24x24', '4x12x12', '10']);
      // A pooling stride of 0 shows what it means, not 0.
      const stride = page.locator('[data-testid="layer-row"][data-index="2"] [data-testid="layer-stride"]');
      assert.equal(await stride.inputValue(), '');
      assert.match((await stride.getAttribute('placeholder')) ?? '', /= kernel/);
      // Add it (appended), then move it above the output layer: [4, 12, 12] → [4], dense 4 → 10.
      await page.getByTestId('add-layer-type').selectOption('global_avg_pool2d');
      await page.getByTestId('add-layer').click();
      await page.locator('[data-testid="layer-row"][data-index="4"] [data-testid="layer-up"]').click();
      assert.equal(await editorState(page), 'valid');
      const rows = await layerRows(page);
      assert.deepEqual(rows.slice(3), [
        { type: 'global_avg_pool2d', shape: '4', parameters: '0', invalid: false },
        { type: 'dense', shape: '10', parameters: '50', invalid: false },
      ]);
      assert.match(await page.evaluate(() => location.hash), /model=conv2d:f=4:k=5,relu,maxpool2d:k=2,global_avg_pool2d,dense:u=10/);
      // A dropout after the output layer: the engine's rule, shown with its layer.
      await page.getByTestId('add-layer-type').selectOption('dropout');
      await page.getByTestId('add-layer').click();
      assert.equal(await editorState(page), 'invalid');
      assert.match((await page.getByTestId('model-error').textContent()) ?? '', /layers\[5\] \(dropout\): dropout cannot be the last layer/);
      await page.locator('[data-testid="layer-row"][data-index="5"] [data-testid="layer-remove"]').click();
      assert.equal(await editorState(page), 'valid');

      await page.getByTestId('train').click();
      await page.waitForFunction(() => Number(document.querySelector('[data-testid="progress"]').dataset.batch) > 0, null, { timeout: TRAIN_TIMEOUT_MS });
      const errorBox = page.getByTestId('error');
      if ((await errorBox.count()) > 0) assert.fail(`the page shows an error: ${await errorBox.textContent()}\n${consoleLines.join('\n')}`);
      await page.getByTestId('stop').click();
      await page.waitForSelector('[data-testid="progress"][data-phase="stopped"]', { timeout: 60_000 });
    } finally {
      await page.close();
    }
  });

  test('a custom model with Adam (β1 0.8), L2 and a small dev set trains from a link with autostart=1', async () => {
    test.setTimeout(TRAIN_TIMEOUT_MS + 60_000);
    const hash = 'preset=logreg&model=flatten,dense:u=32,relu,dense:u=10&optimizer=adam&lr=0.003&beta1=0.8&amsgrad=1&l2=0.0001&epochs=1&batch=128&dev=1000&norm=standardize&seed=5&autostart=1';
    const { page, consoleLines } = await openLab(app.browser.context, `${app.server.url}#${hash}`);
    try {
      await page.waitForSelector('[data-testid="test-accuracy"], [data-testid="error"]', { timeout: TRAIN_TIMEOUT_MS });
      const errorBox = page.getByTestId('error');
      if ((await errorBox.count()) > 0) assert.fail(`the page shows an error: ${await errorBox.textContent()}\n${consoleLines.join('\n')}`);

      const config = JSON.parse((await page.getByTestId('run-settings').getAttribute('data-config')) ?? '{}');
      assert.equal(config.preset, 'logreg');
      assert.deepEqual(config.model.layers.map((layer) => `${layer.type}${layer.units ? layer.units : ''}`), ['flatten', 'dense32', 'relu', 'dense10']);
      assert.deepEqual(
        { kind: config.training.optimizer.kind, lr: config.training.optimizer.learning_rate, beta1: config.training.optimizer.beta1 },
        { kind: 'adam', lr: 0.003, beta1: 0.8 },
      );
      assert.equal(config.training.optimizer.amsgrad, true); // a setting the page knows only from the engine's registry
      assert.equal(config.training.l2, 0.0001);
      assert.equal(config.training.epochs, 1);
      assert.equal(config.training.batch_size, 128);
      assert.equal(config.training.seed, 5);
      assert.equal(config.data.dev_size, 1000);
      assert.equal(config.data.normalization, 'standardize');
      const text = (await page.getByTestId('run-settings').textContent()) ?? '';
      assert.match(text, /adam \(β1 0\.8, β2 0\.999/);
      assert.match(text, /λ 0\.0001/);
      assert.match((await page.locator('[data-testid="epoch-metrics"] caption').textContent()) ?? '', /all 1000 dev images/);
      assert.equal(await page.locator('[data-testid="epoch-metrics"] tbody tr').count(), 1);

      const accuracy = Number(await page.getByTestId('test-accuracy').getAttribute('data-value'));
      console.log(`# custom MLP 784-32-10, Adam β1 0.8, L2 1e-4, 1 epoch: test accuracy ${(accuracy * 100).toFixed(2)} %`);
      assert.ok(accuracy > 0.9, `test accuracy ${accuracy}`);
      assert.equal(await page.getByTestId('beta1').inputValue(), '0.8');
      assert.equal(await page.getByTestId('training.optimizer.amsgrad').isChecked(), true);
      assert.equal(await page.getByTestId('dev-size').inputValue(), '1000');
      assert.equal(await page.getByTestId('model-kind').getAttribute('data-custom'), 'true');
      assert.doesNotMatch(await page.evaluate(() => location.hash), /autostart/, 'the rewritten URL does not start again on reload');
    } finally {
      await page.close();
    }
  });

  test('bad values are named by the page (field and range) and reach the engine, whose message names the field', async () => {
    for (const [hash, message] of [
      ['preset=logreg&optimizer=adam&beta2=1.5&autostart=1', /training\.optimizer\.beta2 must be in \[0, 1\), got 1\.5/],
      ['preset=logreg&epochs=abc&autostart=1', /training\.epochs: expected an integer, got null/],
      ['preset=logreg&schedule=step&gamma=2&autostart=1', /schedule\.gamma must be in \(0, 1\], got 2/],
      ['preset=logreg&dev=60000&autostart=1', /dev_size must be between 0 and 59999/],
    ]) {
      const page = await app.browser.context.newPage();
      try {
        await page.goto(`${app.server.url}#${hash}`);
        const error = page.getByTestId('error');
        await error.waitFor({ timeout: 60_000 });
        assert.match((await error.textContent()) ?? '', message, hash);
        if (!hash.includes('dev=')) assert.match((await page.getByTestId('url-error').textContent()) ?? '', /is outside the allowed range|is not a whole number/, hash);
        assert.equal(await page.getByTestId('train').isEnabled(), true, 'the form is usable again');
      } finally {
        await page.close();
      }
    }
  });
});
