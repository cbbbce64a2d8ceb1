// `node scripts/bench-text-page.mjs --preset NAME [--minutes M] [--steps N] [--seed S] [--set text-hidden=256 ...] [--json]`:
// trains a text preset in the built app (dist/, cross-origin isolated, so the threads build, in
// headless Chromium) exactly as a student would — the text lab, the preset chosen in its picker,
// Train — and reports the best and the last validation loss, the steps and the wall time (issue
// #17's page figures: the best preset ≤ 1.52 nats/char in 10 minutes, the quick one ≤ 1.60 in 2).
// `--set TESTID=VALUE` fills one more field of the form after the preset (a candidate preset).
// The figure depends on the machine's speed: say how loaded it was (`uptime`) beside it.
import os from 'node:os';
import { StepError, main } from './lib/run.mjs';
import { startStaticServer } from './serve-static.mjs';
import { distDir, ensureDist, launchBrowser } from '../tests/web/browser/support.mjs';

const USAGE = 'usage: node scripts/bench-text-page.mjs --preset NAME [--minutes M] [--steps N] [--seed S] [--set TESTID=VALUE ...] [--json]';

function parseArgs(argv) {
  const opts = { preset: undefined, minutes: undefined, steps: undefined, seed: undefined, fields: [], json: false };
  const positive = (name, value) => {
    const n = Number(value);
    if (!(n > 0)) throw new StepError(`--${name} expects a number above 0, got ${value ?? 'nothing'}\n${USAGE}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--preset') opts.preset = argv[++i];
    else if (arg === '--minutes') opts.minutes = positive('minutes', argv[++i]);
    else if (arg === '--steps') opts.steps = positive('steps', argv[++i]);
    else if (arg === '--seed') opts.seed = positive('seed', argv[++i]);
    else if (arg === '--set') {
      const [testId, value] = (argv[++i] ?? '').split('=');
      if (!/^text-[a-z-]+$/.test(testId ?? '') || value === undefined) throw new StepError(`--set expects TESTID=VALUE (e.g. text-hidden=256), got ${argv[i] ?? 'nothing'}\n${USAGE}`);
      opts.fields.push({ testId, value });
    } else if (arg === '--json') opts.json = true;
    else throw new StepError(`unknown argument ${arg}\n${USAGE}`);
  }
  if (!opts.preset) throw new StepError(`--preset expects a text preset's name\n${USAGE}`);
  return opts;
}

/** "12,345" (the page in English) as 12345. */
function englishNumber(text) {
  return text === undefined ? undefined : Number(text.replaceAll(',', ''));
}

async function fill(page, testId, value) {
  const input = page.getByTestId(testId);
  await input.fill(value);
  await input.dispatchEvent('change');
}

async function trainPreset(opts, log) {
  ensureDist();
  const server = await startStaticServer({ dir: distDir, isolated: true });
  const browser = await launchBrowser();
  try {
    const page = await browser.context.newPage();
    const consoleLines = [];
    page.on('pageerror', (err) => consoleLines.push(`pageerror: ${err.message}`));
    await page.goto(`${server.url}#view=text`);
    await page.waitForSelector('[data-testid="backend"][data-state="ready"]', { timeout: 120_000 });
    const presets = await page.getByTestId('text-preset').locator('option').evaluateAll((options) => options.map((o) => o.value).filter(Boolean));
    if (!presets.includes(opts.preset)) throw new StepError(`--preset expects one of ${presets.join(', ')}, got ${opts.preset}\n${USAGE}`);
    await page.getByTestId('text-preset').selectOption(opts.preset);
    if (opts.minutes) await fill(page, 'text-minutes', String(opts.minutes));
    const minutes = Number(await page.getByTestId('text-minutes').inputValue()); // the preset's, or --minutes
    await fill(page, 'text-steps', opts.steps ? String(opts.steps) : '');
    if (opts.seed) await fill(page, 'text-seed', String(opts.seed));
    for (const { testId, value } of opts.fields) await fill(page, testId, value);
    const started = performance.now();
    await page.getByTestId('text-train').click();
    await page.waitForSelector('[data-testid="text-status"]:not([data-status="idle"])', { timeout: 60_000 });
    const timeout = (minutes * 60 + 300) * 1000; // the budget, the final validation and loading
    for (let waited = 0; ; waited += 30_000) {
      const idle = await page.$('[data-testid="text-status"][data-status="idle"], [data-testid="text-error"]');
      if (idle) break;
      if (waited > timeout) throw new StepError(`the text lab is still training after ${(waited / 1000).toFixed(0)} s`);
      const loss = page.getByTestId('text-loss');
      if ((await loss.count()) > 0) log(`  ${((performance.now() - started) / 1000).toFixed(0)} s: best ${await loss.getAttribute('data-best')} at step ${await loss.getAttribute('data-best-step')}`);
      await page.waitForTimeout(30_000);
    }
    if ((await page.getByTestId('text-error').count()) > 0) {
      throw new StepError(`the text lab shows an error: ${await page.getByTestId('text-error').textContent()}\n${consoleLines.join('\n')}`);
    }
    const loss = page.getByTestId('text-loss');
    const status = (await page.getByTestId('text-status').textContent()) ?? '';
    const backend = page.getByTestId('backend');
    return {
      preset: opts.preset,
      fields: opts.fields,
      minutes,
      seed: opts.seed ?? 1,
      bestValidationLoss: Number(await loss.getAttribute('data-best')),
      bestStep: Number(await loss.getAttribute('data-best-step')),
      lastValidationLoss: Number(await loss.getAttribute('data-value')),
      steps: englishNumber(status.match(/Finished after ([\d,]+) steps/)?.[1]),
      charactersPerSecond: englishNumber([...status.matchAll(/([\d,]+) characters\/s/g)].at(-1)?.[1]),
      status,
      seconds: (performance.now() - started) / 1000,
      variant: await backend.getAttribute('data-variant'),
      threads: Number(await backend.getAttribute('data-threads')),
      loadAverage: os.loadavg()[0],
    };
  } finally {
    await browser.close();
    await server.close();
  }
}

main(async () => {
  const opts = parseArgs(process.argv.slice(2));
  const log = opts.json ? () => {} : (line) => console.log(line);
  log(`[profundo] training ${opts.preset} in the built app's text lab …`);
  const result = await trainPreset(opts, log);
  if (opts.json) console.log(JSON.stringify(result));
  else {
    const fields = result.fields.map((f) => ` ${f.testId}=${f.value}`).join('');
    console.log(`${result.preset}${fields}: best validation loss ${result.bestValidationLoss.toFixed(4)} nats/char at step ${result.bestStep}, ` +
      `last ${result.lastValidationLoss.toFixed(4)}; ${result.steps} steps, ${result.charactersPerSecond} characters/s`);
    console.log(`engine ${result.variant}, ${result.threads} threads; ${result.seconds.toFixed(0)} s from Train; load average ${result.loadAverage.toFixed(1)} at the end`);
  }
  return 0;
});
