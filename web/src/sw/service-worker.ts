// The lab's service worker, one for both jobs a scope allows only one worker for:
//
// 1. Cross-origin isolation on hosts that cannot send headers: every same-origin response it
//    serves gets Cross-Origin-Opener-Policy and Cross-Origin-Embedder-Policy (what the
//    coi-serviceworker package does), so after one reload the page is crossOriginIsolated and
//    runs the threads build. `?coi=0` in the page's URL opts that navigation out.
// 2. Offline: the app shell is stored at install time, MNIST when the page asks (after its first
//    load), other same-origin files the first time they are fetched. Everything is then served
//    from the cache first. The cache is named after the build's content hash: a new build
//    installs a new cache and deletes the old one.
//
// Built by Vite as its own entry (sw.js at the app's root, so its scope is the whole app); the
// build replaces __PRECACHE__ with the file lists (web/vite/service-worker-plugin.ts). It must not
// import anything at run time: it is loaded as a classic script.
import type { PrecacheManifest } from './precache-list';
import type { ServiceWorkerReply, ServiceWorkerRequest } from './messages';

// Minimal service-worker typings (the WebWorker lib cannot be mixed with the DOM lib).
interface ExtendableEvent extends Event {
  waitUntil(promise: Promise<unknown>): void;
}
interface FetchEvent extends ExtendableEvent {
  readonly request: Request;
  respondWith(response: Promise<Response>): void;
}
interface ExtendableMessageEvent extends ExtendableEvent {
  readonly data: unknown;
  readonly ports: readonly MessagePort[];
}
interface ServiceWorkerScope {
  readonly registration: { readonly scope: string };
  readonly location: Location;
  readonly clients: { claim(): Promise<void> };
  skipWaiting(): Promise<void>;
  addEventListener(type: 'install' | 'activate', listener: (event: ExtendableEvent) => void): void;
  addEventListener(type: 'fetch', listener: (event: FetchEvent) => void): void;
  addEventListener(type: 'message', listener: (event: ExtendableMessageEvent) => void): void;
}

declare const __PRECACHE__: PrecacheManifest;
const PRECACHE: PrecacheManifest = __PRECACHE__;
const sw = self as unknown as ServiceWorkerScope;

const CACHE_PREFIX = 'profundo-';
const CACHE_NAME = `${CACHE_PREFIX}${PRECACHE.version}`;
const ISOLATION_HEADERS: Record<string, string> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

const scopeUrl = (path: string) => new URL(path, sw.registration.scope).href;
/** Bypasses the HTTP cache: what is stored must be this build's file. */
const freshRequest = (path: string) => new Request(scopeUrl(path), { cache: 'reload' });

sw.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE_NAME);
      await cache.addAll(PRECACHE.shell.map(freshRequest));
      await sw.skipWaiting(); // a new build takes over at once; pages pick it up on their next load
    })(),
  );
});

sw.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) if (name.startsWith(CACHE_PREFIX) && name !== CACHE_NAME) await caches.delete(name);
      await sw.clients.claim();
    })(),
  );
});

/** Stores the precached data files that are not stored yet; returns how many are stored. */
async function storeData(): Promise<ServiceWorkerReply> {
  const cache = await caches.open(CACHE_NAME);
  const missing: string[] = [];
  for (const path of PRECACHE.data) if (!(await cache.match(scopeUrl(path)))) missing.push(path);
  await cache.addAll(missing.map(freshRequest));
  return status(cache);
}

async function status(cache: Cache): Promise<ServiceWorkerReply> {
  const all = [...PRECACHE.shell, ...PRECACHE.data];
  let stored = 0;
  for (const path of all) if (await cache.match(scopeUrl(path))) stored++;
  return { type: 'status', version: PRECACHE.version, stored, total: all.length };
}

sw.addEventListener('message', (event) => {
  const request = event.data as ServiceWorkerRequest;
  const port = event.ports[0];
  if (!port || typeof request !== 'object' || request === null) return;
  const work = request.type === 'store-data' ? storeData() : caches.open(CACHE_NAME).then(status);
  event.waitUntil(
    work.then(
      (reply) => port.postMessage(reply),
      (error: unknown) => port.postMessage({ type: 'failed', message: String(error) } satisfies ServiceWorkerReply),
    ),
  );
});

function withIsolation(response: Response, isolate: boolean): Response {
  if (!isolate || response.status === 0 || response.type === 'opaqueredirect') return response;
  const headers = new Headers(response.headers);
  for (const [name, value] of Object.entries(ISOLATION_HEADERS)) headers.set(name, value);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

async function respond(request: Request): Promise<Response> {
  const navigation = request.mode === 'navigate';
  // ?coi=0 on the page: served as the host sends it (no isolation), e.g. to compare the builds.
  const isolate = !(navigation && new URL(request.url).searchParams.get('coi') === '0');
  const cache = await caches.open(CACHE_NAME);
  // Every navigation inside the scope is the single page.
  const key = navigation ? scopeUrl('index.html') : request;
  const cached = await cache.match(key);
  if (cached) return withIsolation(cached, isolate);
  const response = await fetch(request);
  if (response.ok && response.type === 'basic' && !request.headers.has('range')) await cache.put(key, response.clone());
  return withIsolation(response, isolate);
}

sw.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET' || !request.url.startsWith(sw.registration.scope)) return; // the browser's own handling
  event.respondWith(respond(request));
});
