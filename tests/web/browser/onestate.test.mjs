// One state: reopening a saved run (from the browser's storage or from its file) puts its whole
// configuration back in the form, together with its results and its curves (saved in the file's
// header), even on a page whose form said something else. The form's state is read from the hash it
// writes (every setting that differs from the preset) and from its fields. The data tab's
// augmentation preview shows and edits the training's own augmentation settings.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { test } from '@playwright/test';
import { openTab, useBuiltApp } from './support.mjs';

const RUN_TIMEOUT_MS = 180_000;
const RUN = 'preset=logreg&epochs=1&optimizer=momentum&lr=0.05&beta=0.8&batch=32&seed=7&l2=0.0001';

/** The form as its hash says (without the open tab), and a few of its fields. */
async function formState(page) {
  return page.evaluate(() => {
    const params = new URLSearchParams(location.hash.slice(1));
    params.delete('panel');
    params.delete('autostart');
    const value = (testId) => document.querySelector(`[data-testid="${testId}"]`)?.value;
    return { hash: params.toString(), preset: value('preset'), optimizer: value('optimizer'), seed: value('seed') };
  });
}

async function openFresh(page, url) {
  await page.goto('about:blank');
  await page.goto(url);
  await page.waitForSelector('[data-testid="backend"][data-state="ready"]', { timeout: 60_000 });
  await page.waitForFunction(() => document.querySelector('[data-testid="preset"]')?.value === 'mlp', null, { timeout: 30_000 });
}

async function reopenedResults(page) {
  await openTab(page, 'workspace');
  await page.getByTestId('test-accuracy').waitFor({ timeout: RUN_TIMEOUT_MS });
  return Number(await page.getByTestId('test-accuracy').getAttribute('data-value'));
}

/** The curves the page shows: loss points drawn and epoch rows. */
async function shownCurves(page) {
  await page.waitForFunction(() => Number(document.querySelector('[data-testid="loss-curve"]')?.dataset.points) > 0, null, { timeout: 30_000 });
  return {
    lossPoints: Number(await page.getByTestId('loss-curve').getAttribute('data-points')),
    epochRows: await page.locator('[data-testid="epoch-metrics"] tbody tr').count(),
  };
}

/** The curves a saved-model file carries (its JSON header's "history"). */
function savedCurves(bytes) {
  const headerLength = bytes.readUInt32LE(12);
  const { history } = JSON.parse(bytes.subarray(16, 16 + headerLength).toString('utf8'));
  return { lossPoints: history.losses.length, epochRows: history.epochs.length };
}

test.describe('one state', () => {
  const app = useBuiltApp();

  test('a reopened run (browser storage, then file) shows its own settings in the form', async () => {
    test.setTimeout(3 * RUN_TIMEOUT_MS);
    const page = await app.browser.context.newPage();
    try {
      await page.goto(`${app.server.url}#${RUN}&autostart=1`);
      await page.getByTestId('test-accuracy').waitFor({ timeout: RUN_TIMEOUT_MS });
      const trained = Number(await page.getByTestId('test-accuracy').getAttribute('data-value'));
      const ran = await formState(page);
      assert.deepEqual({ preset: ran.preset, optimizer: ran.optimizer, seed: ran.seed }, { preset: 'logreg', optimizer: 'momentum', seed: '7' });
      await openTab(page, 'history');
      await page.waitForFunction(() => !document.querySelector('[data-testid="save-model"]').disabled, null, { timeout: 30_000 });
      const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId('save-model').click()]);
      const saved = fs.readFileSync(await file.path());
      const curves = savedCurves(saved);
      assert.equal(curves.epochRows, 1);
      assert.ok(curves.lossPoints >= 100, `${curves.lossPoints} saved loss points`);

      // From the browser's storage, on a page set to another preset.
      await openFresh(page, `${app.server.url}#preset=mlp`);
      assert.notEqual((await formState(page)).hash, ran.hash);
      await openTab(page, 'history');
      await page.getByTestId('restore-model').click();
      assert.equal(await reopenedResults(page), trained);
      assert.deepEqual(await formState(page), ran);
      assert.deepEqual(await shownCurves(page), curves);

      // From its file.
      await openFresh(page, `${app.server.url}#preset=mlp`);
      await openTab(page, 'history');
      await page.getByTestId('load-model').setInputFiles({ name: 'run.profundo', mimeType: 'application/octet-stream', buffer: saved });
      assert.equal(await reopenedResults(page), trained);
      assert.deepEqual(await formState(page), ran);
      assert.deepEqual(await shownCurves(page), curves);
    } finally {
      await page.close();
    }
  });

  test("the augmentation preview shows and edits the training's own settings", async () => {
    test.setTimeout(120_000);
    const page = await app.browser.context.newPage();
    try {
      await page.goto(`${app.server.url}#preset=mlp&augment=1&rotation=12`);
      await page.waitForSelector('[data-testid="backend"][data-state="ready"]', { timeout: 60_000 });
      await page.waitForFunction(() => document.querySelector('[data-testid="rotation"]')?.value === '12', null, { timeout: 30_000 });
      await openTab(page, 'data');
      const previewed = async () => {
        await page.waitForSelector('[data-testid="augment-preview"][data-state="ready"]', { timeout: 30_000 });
        return JSON.parse(await page.getByTestId('augment-preview').getAttribute('data-augment'));
      };
      assert.equal((await previewed()).max_rotation, 12);
      assert.equal(await page.getByTestId('augment-max_rotation').inputValue(), '12');
      assert.equal(await page.getByTestId('augment-training').getAttribute('data-on'), 'true');

      // Edited in the data tab: it is the training's setting that changes.
      await page.getByTestId('augment-max_rotation').fill('20');
      await page.getByTestId('augment-max_rotation').dispatchEvent('change');
      await page.waitForFunction(() => JSON.parse(document.querySelector('[data-testid="augment-preview"]')?.dataset.augment ?? '{}').max_rotation === 20, null, { timeout: 30_000 });
      assert.match(await page.evaluate(() => location.hash), /rotation=20/);
      await openTab(page, 'workspace');
      assert.equal(await page.getByTestId('rotation').inputValue(), '20');
    } finally {
      await page.close();
    }
  });
});
