// Vite serves and builds the web app from web/; public/ (wasm + data, generated) is copied as is.
// COOP/COEP make the page crossOriginIsolated, which the threads build (SharedArrayBuffer) needs.
// The build also emits the service worker (sw.js) and the CSP <meta> tag (offline-plugins.ts).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY_HEADER, DEV_CONTENT_SECURITY_POLICY } from './scripts/lib/csp.mjs';
import { offlinePlugins } from './web/vite/offline-plugins.ts';

// Absolute paths: Vite resolves a relative root against the working directory, not this file.
const repoRoot = fileURLToPath(new URL('.', import.meta.url));
const fromRoot = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const outDir = fromRoot('./dist');

const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  root: fromRoot('./web'),
  publicDir: fromRoot('./public'),
  base: './', // relative asset paths: dist/ works from any folder or sub-path
  build: {
    outDir,
    emptyOutDir: true,
    target: 'es2022',
  },
  // Preact's JSX without a plugin (Vite 8 transforms with Oxc; it replaced esbuild's `jsx` options).
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  // Classic worker: it loads the Emscripten glue (MODULARIZE, not ES6) with importScripts().
  worker: { format: 'iife' },
  plugins: offlinePlugins({ outDir, contentSecurityPolicy: CONTENT_SECURITY_POLICY }),
  server: { headers: { ...isolationHeaders, 'Content-Security-Policy': DEV_CONTENT_SECURITY_POLICY } },
  preview: { headers: { ...isolationHeaders, 'Content-Security-Policy': CONTENT_SECURITY_POLICY_HEADER } },
  test: {
    root: repoRoot,
    include: ['tests/web/unit/**/*.test.{ts,mjs}'],
    setupFiles: ['tests/web/unit/setup-locales.ts'],
    environment: 'node',
  },
});
