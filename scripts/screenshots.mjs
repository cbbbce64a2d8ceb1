// Screenshots of every screen of the built page, for the README and docs/: the MNIST lab on a
// first visit ("Start here") and after a run (workspace, data, inside, history tabs), the text
// lab, the labs' contents and each course lab, at 1,440×900 (desktop) and 390×844 (phone), in
// English and Spanish, into docs/screenshots/ with an index (docs/screenshots/README.md), as
// 256-colour PNGs (Debian's pngquant, which the script installs: about 60 % smaller than Chromium's).
// Usage: npm run screenshots [-- --no-build] [--out docs/screenshots] [--only workspace,lab-ewa]
// Builds dist/ first (vite build; the wasm builds and the data must be there) unless --no-build,
// serves it with the isolation headers (no reload: the service worker only stores the offline
// copy) and drives /usr/bin/chromium (CHROMIUM_PATH) with
// playwright-core. One run of tfjs-cnn for 1 epoch fills the results, the inside views and the history.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { viteBuild } from './build-web.mjs';
import { distDir, isMain, repoRoot } from './lib/paths.mjs';
import { SCREENSHOTS, ensureSystemDeps } from './deps.mjs';
import { StepError, main, step } from './lib/run.mjs';
import { startStaticServer } from './serve-static.mjs';

export const DEVICES = {
  desktop: { width: 1440, height: 900 },
  phone: { width: 390, height: 844 },
};
export const LOCALES = { en: 'English', es: 'Español' };
const RUN = '#preset=tfjs-cnn&epochs=1';
const RUN_TIMEOUT_MS = 300_000;

/** Waits until the page has drawn what it has (two animation frames: charts redraw on the next one). */
const settle = (page) => page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));

async function openTab(page, name) {
  await page.getByTestId(`tab-${name}`).click();
  await page.waitForSelector(`#panel-${name}:not([hidden])`);
}

/** The screens after the run, in the order of the index: name, caption, how to open it. */
function screens(labs) {
  const tab = (name, ready) => async (page) => {
    await page.getByTestId('nav-train').click();
    await openTab(page, name);
    if (ready) await page.waitForSelector(ready, { timeout: 60_000 });
  };
  return [
    { name: 'workspace', caption: 'MNIST lab after a run: model, training and results side by side', open: tab('workspace', '[data-testid="confusion"]') },
    { name: 'data', caption: 'Data tab: datasets, samples, augmentation preview', open: tab('data', '[data-testid="sample-grid"][data-state="ready"]') },
    { name: 'inside', caption: 'Inside tab: what each layer computes for one image', open: tab('inside', '[data-testid="feature-maps"][data-state="ready"]') },
    { name: 'history', caption: 'History tab: saved runs, export', open: tab('history', '[data-testid="run-history"][data-count="1"]') },
    {
      name: 'text',
      caption: 'Text lab',
      open: async (page) => {
        await page.getByTestId('nav-text').click();
        await page.getByTestId('text-screen').waitFor({ timeout: 60_000 });
      },
    },
    {
      name: 'labs',
      caption: "Course labs' contents",
      open: async (page) => {
        await page.getByTestId('nav-labs').click();
        await page.getByTestId('labs-menu').waitFor();
      },
    },
    ...labs.map((lab) => ({
      name: `lab-${lab}`,
      caption: `Course lab: ${lab}`,
      open: async (page) => {
        await page.evaluate((hash) => (location.hash = hash), `#lab=${lab}`);
        await page.waitForSelector(`[data-testid="lab-${lab}"][data-ready="true"]`, { timeout: 60_000 });
      },
    })),
  ];
}

export const fileName = (screen, locale, device) => `${screen}-${locale}-${device}.png`;

/** A screenshot as a 256-colour PNG (pngquant reads the PNG on stdin and writes the smaller one). */
function toPalette(png) {
  const quantized = spawnSync('pngquant', ['--quality', '70-100', '--speed', '3', '256', '-'], { input: png, maxBuffer: 64 << 20 });
  if (quantized.status !== 0) throw new StepError(`pngquant failed (exit ${quantized.status}): ${quantized.stderr}`);
  return quantized.stdout;
}

async function shoot(page, outDir, screen, locale, taken) {
  for (const [device, viewport] of Object.entries(DEVICES)) {
    await page.setViewportSize(viewport);
    await page.evaluate(() => scrollTo(0, 0));
    await settle(page);
    const file = fileName(screen, locale, device);
    fs.writeFileSync(path.join(outDir, file), toPalette(await page.screenshot()));
    taken.push(file);
  }
}

async function setLanguage(page, locale) {
  await page.getByTestId('language').selectOption(locale);
  await page.waitForFunction((lang) => document.documentElement.lang === lang, locale);
}

/** Takes every screenshot; returns the screens (name, caption) in the index's order. */
export async function takeScreenshots({ dir = distDir, outDir, only }) {
  fs.mkdirSync(outDir, { recursive: true });
  const server = await startStaticServer({ dir, isolated: true });
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'profundo-screenshots-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run'],
    serviceWorkers: 'allow', // the Engine panel shows the offline copy as a student sees it
    viewport: DEVICES.desktop,
    locale: 'en-GB',
  });
  const wanted = (name) => !only || only.includes(name);
  const taken = [];
  try {
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${server.url}${RUN}`);
    await page.waitForSelector('[data-testid="train"]:not([disabled])', { timeout: 120_000 });
    await page.waitForSelector('[data-testid="offline"][data-state="ready"]', { timeout: 120_000 });
    // A first visit: "Start here" above the workspace.
    const start = { name: 'start', caption: 'First visit: "Start here" above the MNIST lab' };
    for (const locale of Object.keys(LOCALES)) {
      await setLanguage(page, locale);
      await page.getByTestId('start-here').waitFor();
      if (wanted(start.name)) await shoot(page, outDir, start.name, locale, taken);
    }
    await page.getByTestId('start-here-dismiss').click();
    if (['workspace', 'data', 'inside', 'history'].some(wanted)) {
      await page.getByTestId('train').click();
      await page.waitForSelector('[data-testid="test-accuracy"], [data-testid="error"]', { timeout: RUN_TIMEOUT_MS });
      const error = page.getByTestId('error');
      if ((await error.count()) > 0) throw new Error(`the run failed: ${await error.first().textContent()}`);
    }
    await page.getByTestId('nav-labs').click();
    await page.getByTestId('labs-menu').waitFor();
    const labNames = await page.$$eval('[data-testid="labs-menu"] a', (anchors) => anchors.map((a) => a.getAttribute('href').replace('#lab=', '')));
    const list = screens(labNames);
    for (const locale of Object.keys(LOCALES)) {
      await setLanguage(page, locale);
      for (const screen of list) {
        if (!wanted(screen.name)) continue;
        await page.setViewportSize(DEVICES.desktop);
        await screen.open(page);
        await shoot(page, outDir, screen.name, locale, taken);
      }
    }
    if (errors.length > 0) throw new Error(`the page threw: ${errors.join('\n')}`);
    return { screens: [start, ...list].filter((screen) => wanted(screen.name)), taken };
  } finally {
    await context.close();
    fs.rmSync(profile, { recursive: true, force: true });
    await server.close();
  }
}

/** docs/screenshots/README.md: one section per screen, a table of its four pictures. */
export function indexMarkdown(screens) {
  const lines = [
    '# Screenshots',
    '',
    'Made by `npm run screenshots` (`scripts/screenshots.mjs`) from the built page in headless Chromium:',
    `desktop ${DEVICES.desktop.width}×${DEVICES.desktop.height} and phone ${DEVICES.phone.width}×${DEVICES.phone.height}, English and Spanish.`,
    'The screens after "Start here" show the MNIST lab after one epoch of `tfjs-cnn`. Retake them after changing a screen.',
    '',
  ];
  for (const screen of screens) {
    lines.push(`## ${screen.caption}`, '', '| | English | Español |', '| --- | --- | --- |');
    for (const device of Object.keys(DEVICES)) {
      const cells = Object.keys(LOCALES).map((locale) => `<img src="${fileName(screen.name, locale, device)}" alt="${screen.name}, ${locale}, ${device}" width="${device === 'phone' ? 195 : 360}">`);
      lines.push(`| ${device} | ${cells.join(' | ')} |`);
    }
    lines.push('');
  }
  return lines.join('\n');
}

if (isMain(import.meta.url)) {
  const args = process.argv.slice(2);
  const option = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
  const outDir = path.resolve(repoRoot, option('--out', 'docs/screenshots'));
  const only = option('--only', undefined)?.split(',');
  main(async () => {
    await ensureSystemDeps({ quiet: true, also: SCREENSHOTS });
    if (!args.includes('--no-build')) await viteBuild();
    step(`screenshots → ${path.relative(repoRoot, outDir)}/`);
    const { screens: shown, taken } = await takeScreenshots({ outDir, only });
    if (!only) fs.writeFileSync(path.join(outDir, 'README.md'), `${indexMarkdown(shown)}\n`);
    const bytes = taken.reduce((sum, file) => sum + fs.statSync(path.join(outDir, file)).size, 0);
    console.log(`${taken.length} screenshots, ${(bytes / 1e6).toFixed(1)} MB`);
  });
}
