// The static site's runtime pieces that need no browser: which files the service worker
// precaches, the CSP strings, and which engine failures are fatal.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY_HEADER, DEV_CONTENT_SECURITY_POLICY } from '../../../scripts/lib/csp.mjs';
import { startStaticServer } from '../../../scripts/serve-static.mjs';
import { planPrecache, type PrecacheEntry } from '../../../web/src/sw/precache-list';
import { optedOutOfIsolation } from '../../../web/src/sw/register';
import { fetchGunzipped } from '../../../web/src/worker/datasets';
import { classifyFailure } from '../../../web/src/worker/failure';
import { datasetOffline } from '../../../web/src/ui/datasets-panel';

describe('planPrecache', () => {
  const build = [
    'index.html',
    'sw.js',
    'assets/index-abc.js',
    'assets/index-abc.js.map',
    'assets/engine.worker-def.js',
    'assets/index-ghi.css',
    'wasm/profundo-threads.js',
    'wasm/profundo-threads.wasm',
    'wasm/profundo-threads.worker.js',
    'wasm/profundo-simd.js',
    'wasm/profundo-simd.wasm',
    'data/manifest.json',
    'data/mnist/.verified.json',
    'data/mnist/train-images-idx3-ubyte.gz',
    'data/mnist/t10k-labels-idx1-ubyte.gz',
    'data/fashion-mnist/train-images-idx3-ubyte.gz',
    'data/text/quijote.txt',
  ].map((url) => ({ url, revision: `rev-${url}` }));
  const urls = (entries: PrecacheEntry[]) => entries.map((entry) => entry.url);

  it('stores the app and both wasm variants at install, the manifest and MNIST after the first load', () => {
    const { shell, data } = planPrecache(build);
    expect(urls(shell)).toEqual([
      'assets/engine.worker-def.js',
      'assets/index-abc.js',
      'assets/index-ghi.css',
      'index.html',
      'wasm/profundo-simd.js',
      'wasm/profundo-simd.wasm',
      'wasm/profundo-threads.js',
      'wasm/profundo-threads.wasm',
      'wasm/profundo-threads.worker.js',
    ]);
    expect(urls(data)).toEqual(['data/manifest.json', 'data/mnist/t10k-labels-idx1-ubyte.gz', 'data/mnist/train-images-idx3-ubyte.gz']);
    expect(shell.find((entry) => entry.url === 'index.html')?.revision).toBe('rev-index.html');
  });

  it('stores the other datasets on first use', () => {
    expect(urls(planPrecache(build).onFirstUse)).toEqual(['data/fashion-mnist/train-images-idx3-ubyte.gz', 'data/text/quijote.txt']);
  });

  it('leaves out the service worker, source maps and dotfiles', () => {
    const { shell, data, onFirstUse } = planPrecache(build);
    const all = urls([...shell, ...data, ...onFirstUse]);
    for (const left of ['sw.js', 'assets/index-abc.js.map', 'data/mnist/.verified.json']) expect(all).not.toContain(left);
  });

  it('lists each file once', () => {
    expect(urls(planPrecache([{ url: 'index.html', revision: 'a' }, { url: 'index.html', revision: 'a' }]).shell)).toEqual(['index.html']);
  });
});

describe('Content-Security-Policy', () => {
  const directive = (policy: string, name: string) =>
    policy
      .split(';')
      .map((part) => part.trim().split(/\s+/))
      .find(([first]) => first === name)
      ?.slice(1);

  it('allows compiling wasm but no eval, and only the page origin', () => {
    expect(directive(CONTENT_SECURITY_POLICY, 'script-src')).toEqual(["'self'", "'wasm-unsafe-eval'"]);
    expect(directive(CONTENT_SECURITY_POLICY, 'connect-src')).toEqual(["'self'"]);
    expect(directive(CONTENT_SECURITY_POLICY, 'worker-src')).toEqual(["'self'"]);
    expect(directive(CONTENT_SECURITY_POLICY, 'object-src')).toEqual(["'none'"]);
    for (const policy of [CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY_HEADER, DEV_CONTENT_SECURITY_POLICY]) {
      expect(policy).not.toContain("'unsafe-eval'");
    }
    expect(CONTENT_SECURITY_POLICY).not.toContain("'unsafe-inline'");
  });

  it('puts frame-ancestors in the header only (a <meta> policy cannot hold it)', () => {
    expect(directive(CONTENT_SECURITY_POLICY, 'frame-ancestors')).toBeUndefined();
    expect(directive(CONTENT_SECURITY_POLICY_HEADER, 'frame-ancestors')).toEqual(["'self'"]);
  });

  it('is sent by the static server with every file, isolated or not', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'profundo-csp-'));
    fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>x</title>');
    try {
      for (const isolated of [true, false]) {
        const server = await startStaticServer({ dir, isolated });
        try {
          const response = await fetch(server.url);
          await response.arrayBuffer(); // the whole response, so the connection is free
          expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY_HEADER);
        } finally {
          await server.close();
        }
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is not broken by the page\'s own code: no eval, no style attributes, no HTML strings', () => {
    // What the policy blocks (script-src without 'unsafe-eval', style-src without 'unsafe-inline');
    // styles go through the CSSOM (element.style) instead. report/ builds a separate, downloaded document.
    const blocked = /\beval\)?\(|new Function\(|setAttribute\(\s*['"]style['"]|\.innerHTML\s*=|insertAdjacentHTML|\.outerHTML\s*=/;
    const sourceDir = path.join(__dirname, '../../../web/src');
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const file = path.join(dir, entry.name);
        if (entry.isDirectory()) {
          if (entry.name !== 'report') walk(file);
        } else if (file.endsWith('.ts')) {
          fs.readFileSync(file, 'utf8')
            .split('\n')
            .forEach((line, i) => {
              if (blocked.test(line) && !line.trim().startsWith('//')) offenders.push(`${path.relative(sourceDir, file)}:${i + 1}: ${line.trim()}`);
            });
        }
      }
    };
    walk(sourceDir);
    expect(offenders).toEqual([]);
  });

  it('lets the dev server import the glue from a blob: and Vite inject styles', () => {
    expect(directive(DEV_CONTENT_SECURITY_POLICY, 'script-src')).toContain('blob:');
    expect(directive(DEV_CONTENT_SECURITY_POLICY, 'style-src')).toContain("'unsafe-inline'");
  });
});

describe('optedOutOfIsolation', () => {
  it('is ?coi=0 only', () => {
    expect(optedOutOfIsolation('?coi=0')).toBe(true);
    expect(optedOutOfIsolation('?x=1&coi=0')).toBe(true);
    expect(optedOutOfIsolation('?coi=1')).toBe(false);
    expect(optedOutOfIsolation('')).toBe(false);
  });
});

describe('classifyFailure', () => {
  it('reads the bindings\' out-of-memory message and failed allocations as out of memory', () => {
    expect(classifyFailure(new Error('out of memory: reduce the batch size or the model (a browser tab gives the engine at most 2 GB)'))).toBe('out-of-memory');
    expect(classifyFailure(new Error('std::bad_alloc'))).toBe('out-of-memory');
    expect(classifyFailure(new RangeError('Array buffer allocation failed'))).toBe('out-of-memory');
  });

  it('reads wasm traps and Emscripten aborts as crashes, whatever their reason', () => {
    expect(classifyFailure(new WebAssembly.RuntimeError('unreachable'))).toBe('crashed');
    expect(classifyFailure(new WebAssembly.RuntimeError('Aborted(OOM)'))).toBe('crashed');
    expect(classifyFailure('Aborted(native code called abort())')).toBe('crashed');
  });

  it('leaves the engine\'s own refusals as they are', () => {
    expect(classifyFailure(new Error('learning_rate must be a positive number, got -1'))).toBeUndefined();
    expect(classifyFailure(new Error('cannot fetch data/mnist/x.gz: HTTP 404'))).toBeUndefined();
  });
});

describe('fetchGunzipped on any static server', () => {
  const bytes = Uint8Array.from({ length: 300 }, (_, i) => (i * 7) % 256);
  // A copy in its own ArrayBuffer (gzipSync's Buffer may sit in a shared pool).
  const serve = (body: Uint8Array) => (async () => new Response(new Uint8Array(body).buffer as ArrayBuffer)) as unknown as typeof fetch;

  it('gunzips a .gz file served as is', async () => {
    expect(await fetchGunzipped('data/x.gz', serve(gzipSync(bytes)))).toEqual(bytes);
  });

  it('takes a .gz file the browser already decoded (served with Content-Encoding: gzip) as it is', async () => {
    expect(await fetchGunzipped('data/x.gz', serve(bytes))).toEqual(bytes);
  });

  it('names the file and what to do when the download fails', async () => {
    const offline = (async () => {
      throw new TypeError('Failed to fetch');
    }) as unknown as typeof fetch;
    await expect(fetchGunzipped('data/mnist/x.gz', offline)).rejects.toThrow(
      'cannot download data/mnist/x.gz (Failed to fetch): check the network connection and press Train again',
    );
  });
});

describe('datasetOffline', () => {
  const fashion = { id: 'fashion-mnist', available: true, files: ['fashion-mnist/a.gz', 'fashion-mnist/b.gz'] };
  it('says a dataset works offline only when every file is stored', () => {
    const stored = new Set(['data/fashion-mnist/a.gz', 'data/fashion-mnist/b.gz']);
    expect(datasetOffline(fashion, { storedFiles: stored, online: false })).toBe('stored');
    expect(datasetOffline(fashion, { storedFiles: new Set(['data/fashion-mnist/a.gz']), online: false })).toBe('needs-network');
    expect(datasetOffline(fashion, { storedFiles: new Set(), online: true })).toBe('on-first-use');
    expect(datasetOffline(fashion, { storedFiles: undefined, online: true })).toBe('online');
    expect(datasetOffline({ ...fashion, available: false }, { storedFiles: stored, online: true })).toBe('missing');
  });
});
