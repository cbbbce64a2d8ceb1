// The course labs in Chromium: the built app (threads build, isolated), one browser and one page.
// The contents menu lists the labs in the lecture's order; every shipped lab opens by URL
// (#lab=NAME), shows engine numbers, and changes them when one of its controls changes — within
// a bound we record. The softmax lab shows the lecture's 0.047, 0.0003, 0.952.
import assert from 'node:assert/strict';
import { test } from '@playwright/test';
import { launchBrowser, openLab, servedApp } from './support.mjs';

/** Time from a control change to new engine output; the labs aim at well under a second. */
const REACTION_LIMIT_MS = 2_000;
/** Labs that train on MNIST (loaded on first use) answer a button, not a slider. */
const SLOW_LIMIT_MS = 60_000;

/** How to change one control of each lab, and where its output is. */
const LABS = {
  logistic: { act: (page) => page.getByTestId('lab-logistic-step').click() },
  softmax: { act: (page) => page.getByTestId('lab-softmax-logits').fill('1, 2, 3') },
  nonlinearity: { output: 'lab-nonlinearity-linear-text', act: (page) => page.getByTestId('lab-nonlinearity-step').click() },
  activations: { act: (page) => setRange(page, 'lab-activations-slope', 0.2) },
  'bias-variance': { act: (page) => page.getByTestId('lab-bv-run').click(), slow: true },
  normalization: { act: (page) => setRange(page, 'lab-normalization-alpha', Math.log10(0.1)) },
  initialization: { act: (page) => page.getByTestId('lab-initialization-init').selectOption('he_normal') },
  'gd-variants': { act: (page) => setRange(page, 'lab-gd-epochs', 5) },
  batchnorm: { act: (page) => page.getByTestId('lab-batchnorm-step').click() },
  ewa: { act: (page) => setRange(page, 'lab-ewa-beta1', 0.7) },
  optimizers: { act: (page) => page.getByTestId('lab-optimizers-surface').selectOption('rosenbrock') },
};

/** Moves a range input (its own scale: log10 for the log sliders) and fires `input`. */
async function setRange(page, testId, value) {
  await page.getByTestId(testId).evaluate((input, v) => {
    input.value = String(v);
    input.dispatchEvent(new Event('input', { bubbles: true }));
  }, value);
}

async function outputText(page, name, testId) {
  return (await page.locator(`[data-testid="lab-${name}"] [data-testid="${testId}"]`).first().textContent()) ?? '';
}

test.describe('course labs', () => {
  let server;
  let browser;
  let page;
  let consoleLines;

  test.beforeAll(async () => {
    browser = await launchBrowser();
    server = servedApp();
    // Opened straight on a lab's URL.
    ({ page, consoleLines } = await openLab(browser.context, `${server.url}#lab=softmax`));
  });

  test.afterAll(async () => {
    await browser?.close();
  });

  test('the softmax lab opens by URL with the lecture\'s example', async () => {
    await page.waitForSelector('[data-testid="lab-softmax"][data-ready="true"]', { timeout: 30_000 });
    const values = await page.$$eval('[data-testid="lab-softmax"] td[data-value]', (cells) => cells.map((cell) => Number(cell.dataset.value)));
    assert.equal(values.length, 3);
    assert.equal(values[0].toFixed(3), '0.047');
    assert.equal(values[1].toFixed(4), '0.0003');
    assert.equal(values[2].toFixed(3), '0.952');
    assert.match(await outputText(page, 'softmax', 'lab-softmax-loss'), /0\.0489/);
  });

  test('the contents menu lists the labs in the lecture\'s order', async () => {
    await page.getByTestId('nav-labs').click();
    await page.getByTestId('labs-menu').waitFor();
    const links = await page.$$eval('[data-testid="labs-menu"] a', (anchors) => anchors.map((a) => a.getAttribute('href')));
    assert.deepEqual(links, Object.keys(LABS).map((name) => `#lab=${name}`));
  });

  test('every lab reacts to a control with new engine numbers', async () => {
    test.setTimeout(240_000);
    const timings = {};
    for (const [name, { output = 'lab-output', act, slow = false }] of Object.entries(LABS)) {
      await page.evaluate((hash) => (location.hash = hash), `#lab=${name}`);
      await page.waitForSelector(`[data-testid="lab-${name}"][data-ready="true"]`, { timeout: 30_000 });
      const before = await outputText(page, name, output);
      assert.ok(before.length > 0, `${name}: no output`);
      const started = Date.now();
      await act(page);
      await page.waitForFunction(
        ([selector, text]) => (document.querySelector(selector)?.textContent ?? '') !== text,
        [`[data-testid="lab-${name}"] [data-testid="${output}"]`, before],
        { timeout: slow ? SLOW_LIMIT_MS : 15_000 },
      );
      timings[name] = Date.now() - started;
      if (!slow) assert.ok(timings[name] < REACTION_LIMIT_MS, `${name} took ${timings[name]} ms`);
      const error = page.locator(`[data-testid="lab-${name}"] [data-testid="lab-error"]`);
      assert.equal(await error.isVisible(), false, `${name}: ${await error.textContent()}`);
    }
    console.log('lab reaction times (ms):', JSON.stringify(timings));
    assert.deepEqual(
      consoleLines.filter((line) => line.startsWith('pageerror')),
      [],
    );
  });

  test('the bias/variance recipe makes the lecture\'s point in the page: too simple reads high bias, the tiny set high variance, and L2, dropout and augmentation each lower its dev error', async () => {
    test.setTimeout(180_000);
    await page.evaluate(() => (location.hash = '#lab=bias-variance'));
    await page.waitForSelector('[data-testid="lab-bias-variance"][data-ready="true"]', { timeout: 30_000 });
    await page.getByTestId('lab-bv-recipe').click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="lab-output"] tr[data-step]').length === 6, undefined, { timeout: 150_000 });
    const rows = Object.fromEntries(
      await page.$$eval('[data-testid="lab-output"] tr[data-step]', (trs) => trs.map((tr) => [tr.dataset.step.replace('labs.bv.recipe.', ''), { dev: Number(tr.dataset.dev), reading: tr.dataset.reading }])),
    );
    console.log('bias/variance recipe in the page (dev error %):', JSON.stringify(rows));
    assert.equal(rows.bias.reading, 'high-bias');
    assert.equal(rows.tiny.reading, 'high-variance');
    for (const step of ['l2', 'dropout', 'augment']) assert.ok(rows[step].dev < rows.tiny.dev, `${step}: ${rows[step].dev} % against ${rows.tiny.dev} %`);
  });

  test('an unknown lab name shows the contents with a note', async () => {
    await page.evaluate(() => (location.hash = '#lab=nope'));
    await page.getByTestId('labs-menu').waitFor();
    assert.match((await page.getByTestId('labs-menu').textContent()) ?? '', /nope/);
  });
});
