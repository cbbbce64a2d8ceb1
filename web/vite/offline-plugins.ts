// Build-time half of the service worker (web/src/sw/sw.ts): vite-plugin-pwa's injectManifest
// builds it as sw.js at the app's root and writes the build's files with their content hashes
// into it (Workbox's precache manifest; a new build stores only what changed). Data files also
// get an SRI hash, which lets the worker store them when the page first fetches them. A second
// plugin puts the Content-Security-Policy <meta> tag into the built index.html. Build only: in
// development the dev server sends the isolation headers itself and no service worker is registered.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Plugin, PluginOption } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import { isDataFile, PRECACHE_GLOBS, SERVICE_WORKER_FILE } from '../src/sw/precache-list.ts';

/** Bigger than any file of the build (MNIST's training images are 9.9 MB, Fashion-MNIST's 26 MB). */
const LARGEST_PRECACHED_FILE = 64 * 1024 * 1024;

function contentSecurityPolicyMeta(policy: string): Plugin {
  return {
    name: 'profundo-csp-meta',
    apply: 'build',
    transformIndexHtml: () => [{ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: policy }, injectTo: 'head-prepend' }],
  };
}

export function offlinePlugins(options: { outDir: string; contentSecurityPolicy: string }): PluginOption[] {
  const sri = (url: string) => `sha384-${createHash('sha384').update(fs.readFileSync(path.join(options.outDir, url))).digest('base64')}`;
  return [
    contentSecurityPolicyMeta(options.contentSecurityPolicy),
    VitePWA({
      strategies: 'injectManifest',
      srcDir: 'src/sw',
      filename: SERVICE_WORKER_FILE.replace(/\.js$/, '.ts'),
      injectRegister: false, // web/src/sw/register.ts registers it (and reloads once for isolation)
      manifest: false,
      injectManifest: {
        globPatterns: PRECACHE_GLOBS,
        maximumFileSizeToCacheInBytes: LARGEST_PRECACHED_FILE,
        rollupFormat: 'iife', // a classic script: registered without { type: 'module' }
        manifestTransforms: [
          (entries) => ({ manifest: entries.map((entry) => (isDataFile(entry.url) ? { ...entry, integrity: sri(entry.url) } : entry)), warnings: [] }),
        ],
      },
    }),
  ];
}
