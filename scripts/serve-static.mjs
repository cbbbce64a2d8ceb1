// A tiny static file server for dist/ (used by the browser tests and to preview a build).
// Usage: node scripts/serve-static.mjs [--dir dist] [--port 0] [--host 127.0.0.1] [--isolated | --no-isolation]
// With --isolated (the default) it sends COOP/COEP so the page is crossOriginIsolated and can
// use the threads build; --no-isolation leaves them out, as a host that cannot send headers does
// (the app's service worker then isolates the page; ?coi=0 in the page's URL turns that off).
// Every response carries the app's Content-Security-Policy (scripts/lib/csp.mjs): workers take
// their policy from their own script's headers, not from the page's <meta> tag.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { CONTENT_SECURITY_POLICY_HEADER } from './lib/csp.mjs';
import { distDir, isMain, repoRoot } from './lib/paths.mjs';

export const MIME_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.gz': 'application/gzip',
  '.map': 'application/json; charset=utf-8',
};

export const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

function resolveInside(root, urlPath) {
  let decoded;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  const file = path.resolve(root, '.' + path.posix.normalize('/' + decoded));
  return file === root || file.startsWith(root + path.sep) ? file : undefined;
}

/**
 * Starts the server; resolves to { server, url, close() } once it listens. `csp: false` leaves
 * the app's Content-Security-Policy out (for pages that are not the app, e.g. the benchmark's).
 */
export function startStaticServer({ dir = distDir, port = 0, host = '127.0.0.1', isolated = true, csp = true } = {}) {
  const root = path.resolve(dir);
  const server = http.createServer((req, res) => {
    const headers = {
      'Cache-Control': 'no-store',
      'Cross-Origin-Resource-Policy': 'same-origin',
      ...(csp ? { 'Content-Security-Policy': CONTENT_SECURITY_POLICY_HEADER } : {}),
      ...(isolated ? ISOLATION_HEADERS : {}),
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { ...headers, Allow: 'GET, HEAD' }).end();
      return;
    }
    let file = resolveInside(root, new URL(req.url ?? '/', 'http://x').pathname);
    if (file && fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
    if (!file || !fs.existsSync(file)) {
      res.writeHead(404, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' }).end('not found\n');
      return;
    }
    const type = MIME_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
    res.writeHead(200, { ...headers, 'Content-Type': type, 'Content-Length': fs.statSync(file).size });
    if (req.method === 'HEAD') res.end();
    else fs.createReadStream(file).pipe(res);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const { port: actual } = server.address();
      // close() also ends open connections: a keep-alive client (Node's fetch, a browser) would
      // otherwise hold it for seconds.
      const close = () =>
        new Promise((r) => {
          server.close(r);
          server.closeAllConnections();
        });
      resolve({ server, url: `http://${host}:${actual}/`, close });
    });
  });
}

function parseArgs(argv) {
  const opts = { dir: distDir, port: 0, host: '127.0.0.1', isolated: true };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--dir') opts.dir = path.resolve(repoRoot, argv[++i]);
    else if (arg === '--port') opts.port = Number(argv[++i]);
    else if (arg === '--host') opts.host = argv[++i];
    else if (arg === '--isolated') opts.isolated = true;
    else if (arg === '--no-isolation') opts.isolated = false;
    else throw new Error(`unknown argument ${arg}`);
  }
  return opts;
}

if (isMain(import.meta.url)) {
  const opts = parseArgs(process.argv.slice(2));
  const { url } = await startStaticServer(opts);
  console.log(`serving ${path.relative(repoRoot, opts.dir) || '.'} at ${url} (${opts.isolated ? 'cross-origin isolated' : 'no isolation headers'})`);
  console.log(`port: ${new URL(url).port}`);
}
