// The built page's weight and start-up time, for before/after comparisons of the web app.
// Usage: node scripts/page-metrics.mjs [--dir dist] [--loads 5]
// Prints the gzip size (level 9) of each dist/assets/*.js and *.css, their total and that of the
// files index.html loads at start plus the page's language (the labs' chunks come when a lab opens), and the time to interactive
// in headless Chromium: from navigation until the Train button is enabled (engine loaded, presets
// in the form), the median of --loads fresh loads (a new profile each: no cache, no service worker).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { chromium } from 'playwright-core';
import { distDir, isMain } from './lib/paths.mjs';
import { startStaticServer } from './serve-static.mjs';

export function gzipSizes(dir) {
  const assets = path.join(dir, 'assets');
  return fs
    .readdirSync(assets)
    .filter((name) => /\.(js|css)$/.test(name))
    .map((name) => ({ name, bytes: fs.statSync(path.join(assets, name)).size, gzip: zlib.gzipSync(fs.readFileSync(path.join(assets, name)), { level: 9 }).length }));
}

export async function timeToInteractive(dir, loads) {
  const server = await startStaticServer({ dir });
  const times = [];
  try {
    for (let i = 0; i < loads; i++) {
      const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'profundo-metrics-'));
      const context = await chromium.launchPersistentContext(profile, {
        executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
        headless: true,
        args: ['--no-sandbox', '--disable-gpu', '--no-first-run'],
        serviceWorkers: 'block',
        viewport: { width: 1366, height: 768 },
      });
      try {
        const page = await context.newPage();
        const started = Date.now();
        await page.goto(server.url);
        await page.waitForSelector('[data-testid="train"]:not([disabled])', { timeout: 120_000 });
        times.push(Date.now() - started);
      } finally {
        await context.close();
        fs.rmSync(profile, { recursive: true, force: true });
      }
    }
  } finally {
    await server.close();
  }
  const sorted = [...times].sort((a, b) => a - b);
  return { times, median: sorted[Math.floor(sorted.length / 2)] };
}

if (isMain(import.meta.url)) {
  const args = process.argv.slice(2);
  const option = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
  const dir = path.resolve(option('--dir', distDir));
  const loads = Number(option('--loads', '5'));
  for (const { name, bytes, gzip } of gzipSizes(dir)) console.log(`${name}: ${(bytes / 1000).toFixed(1)} kB, gzip ${(gzip / 1000).toFixed(1)} kB`);
  const sizes = gzipSizes(dir);
  const total = sizes.reduce((sum, asset) => sum + asset.gzip, 0);
  const html = fs.readFileSync(path.join(dir, 'index.html'), 'utf8');
  const initial = sizes.filter((asset) => html.includes(`assets/${asset.name}`)).reduce((sum, asset) => sum + asset.gzip, 0);
  // The page's language is a chunk of its own (web/src/i18n), fetched before the first render: the
  // larger of them counts as part of the start.
  const language = Math.max(0, ...sizes.filter((asset) => /^(en|es)-[\w-]+\.js$/.test(asset.name)).map((asset) => asset.gzip));
  console.log(`total gzip: ${(total / 1000).toFixed(1)} kB; loaded at start (index.html and the page's language): ${((initial + language) / 1000).toFixed(1)} kB`);
  const { times, median } = await timeToInteractive(dir, loads);
  console.log(`time to interactive (Train enabled), ${loads} loads: ${times.join(', ')} ms; median ${median} ms`);
}
