// Build-time half of the service worker (web/src/sw/service-worker.ts): builds it as its own
// entry, emitted as sw.js at the app's root, and writes into it the list of files to precache
// and a version hashed from their contents (so a new build means a new cache). It also puts the
// Content-Security-Policy <meta> tag into the built index.html. Build only: in development the
// dev server sends the isolation headers itself and no service worker is registered.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Plugin, ResolvedConfig } from 'vite';
import { precacheFiles, SERVICE_WORKER_FILE, type PrecacheManifest } from '../src/sw/precache-list.ts';

const PLACEHOLDER = '__PRECACHE__';
const ENTRY_NAME = 'sw';

/** Every file under `dir`, relative and '/'-separated. */
function listFiles(dir: string, prefix = ''): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const relative = `${prefix}${entry.name}`;
    if (entry.isDirectory()) return listFiles(path.join(dir, entry.name), `${relative}/`);
    return entry.isFile() ? [relative] : [];
  });
}

function sha256(content: string | Uint8Array): string {
  return createHash('sha256').update(content).digest('hex');
}

export function serviceWorkerPlugin(options: { entry: string; contentSecurityPolicy: string }): Plugin {
  let config: ResolvedConfig;
  return {
    name: 'profundo-service-worker',
    apply: 'build',
    enforce: 'post', // generateBundle after Vite's HTML plugin has emitted index.html
    config(userConfig) {
      const input = userConfig.build?.rolldownOptions?.input;
      const html = path.join(userConfig.root ?? process.cwd(), 'index.html');
      return {
        build: {
          rolldownOptions: {
            input: { ...(typeof input === 'object' && !Array.isArray(input) ? input : { index: html }), [ENTRY_NAME]: options.entry },
            output: {
              entryFileNames: (chunk) => (chunk.name === ENTRY_NAME ? SERVICE_WORKER_FILE : 'assets/[name]-[hash].js'),
            },
          },
        },
      };
    },
    configResolved(resolved) {
      config = resolved;
    },
    transformIndexHtml() {
      return [{ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: options.contentSecurityPolicy }, injectTo: 'head-prepend' }];
    },
    generateBundle(_options, bundle) {
      const worker = Object.values(bundle).find((file) => file.type === 'chunk' && file.fileName === SERVICE_WORKER_FILE);
      if (!worker || worker.type !== 'chunk') throw new Error(`${SERVICE_WORKER_FILE} was not built`);
      if (worker.imports.length > 0) throw new Error(`${SERVICE_WORKER_FILE} imports ${worker.imports.join(', ')}: it must be self-contained`);

      const contents = new Map<string, string | Uint8Array>();
      for (const file of Object.values(bundle)) contents.set(file.fileName, file.type === 'chunk' ? file.code : file.source);
      const publicFiles = config.publicDir ? listFiles(config.publicDir) : [];
      const { shell, data } = precacheFiles([...contents.keys(), ...publicFiles]);

      const hash = createHash('sha256');
      for (const file of [...shell, ...data]) {
        const content = contents.get(file) ?? fs.readFileSync(path.join(config.publicDir, file));
        hash.update(`${file}\0${sha256(content)}\n`);
      }
      const manifest: PrecacheManifest = { version: hash.digest('hex').slice(0, 16), shell, data };
      if (!worker.code.includes(PLACEHOLDER)) throw new Error(`${SERVICE_WORKER_FILE} lost its ${PLACEHOLDER} placeholder`);
      worker.code = worker.code.replace(PLACEHOLDER, JSON.stringify(manifest));
    },
  };
}
