// The lab's service worker, one for both jobs a scope allows only one worker for:
//
// 1. Cross-origin isolation on hosts that cannot send headers: every response it serves gets
//    Cross-Origin-Opener-Policy and Cross-Origin-Embedder-Policy (what the coi-serviceworker
//    package does), so after one reload the page is crossOriginIsolated and runs the threads
//    build. `?coi=0` in the page's URL opts that navigation out.
// 2. Offline, with Workbox's precache (vite-plugin-pwa's injectManifest writes the build's files
//    and their content hashes into self.__WB_MANIFEST): the app shell is stored at install time,
//    MNIST when the page asks (after its first load), the other datasets the first time they are
//    fetched (precache-list.ts). Cache first; a new build stores only the files that changed and
//    drops the ones it no longer lists.
//
// Built by vite-plugin-pwa as sw.js at the app's root (its scope is the whole app), a classic
// script with Workbox bundled in.
import { clientsClaim } from 'workbox-core';
import { PrecacheController, PrecacheRoute } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { NetworkOnly } from 'workbox-strategies';
import type { ServiceWorkerReply, ServiceWorkerRequest } from './messages';
import { planPrecache, type PrecacheEntry } from './precache-list';

// Minimal service-worker typings (the WebWorker lib cannot be mixed with the DOM lib).
interface ExtendableEvent extends Event {
  waitUntil(promise: Promise<unknown>): void;
}
interface ExtendableMessageEvent extends ExtendableEvent {
  readonly data: unknown;
  readonly ports: readonly MessagePort[];
}
interface ServiceWorkerScope {
  readonly registration: { readonly scope: string };
  skipWaiting(): Promise<void>;
  addEventListener(type: 'install' | 'activate', listener: (event: ExtendableEvent) => void): void;
  addEventListener(type: 'message', listener: (event: ExtendableMessageEvent) => void): void;
}

const sw = self as unknown as ServiceWorkerScope;
// Written as `self.__WB_MANIFEST`: the text the build replaces with the manifest.
const plan = planPrecache((self as unknown as { __WB_MANIFEST: PrecacheEntry[] }).__WB_MANIFEST);

const ISOLATION_HEADERS: Record<string, string> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/** Workbox plugin: the isolation headers on every response handed to the page. */
const isolation = {
  handlerWillRespond: async ({ event, response }: { event: Event; response: Response }): Promise<Response> => {
    const request = (event as Event & { request?: Request }).request; // none while installing
    if (!request || response.status === 0 || response.type === 'opaqueredirect') return response;
    // ?coi=0 on the page: served as the host sends it (no isolation), e.g. to compare the builds.
    if (request.mode === 'navigate' && new URL(request.url).searchParams.get('coi') === '0') return response;
    const headers = new Headers(response.headers);
    for (const [name, value] of Object.entries(ISOLATION_HEADERS)) headers.set(name, value);
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
  },
};

const shell = new PrecacheController({ cacheName: 'shell', plugins: [isolation] });
const data = new PrecacheController({ cacheName: 'data', plugins: [isolation] });
shell.addToCacheList(plan.shell);
data.addToCacheList([...plan.data, ...plan.onFirstUse]);
const precaches = [shell, data];

sw.addEventListener('install', (event) => {
  shell.install(event);
  event.waitUntil(sw.skipWaiting()); // a new build takes over at once; pages pick it up on their next load
});
sw.addEventListener('activate', (event) => {
  for (const precache of precaches) precache.activate(event); // drops files this build no longer lists
  event.waitUntil(deleteHandWrittenCaches());
});
clientsClaim();

/** The caches of the service worker before Workbox ('profundo-' and a 16-digit hash). */
async function deleteHandWrittenCaches(): Promise<void> {
  for (const name of await caches.keys()) if (/^profundo-[0-9a-f]{16}$/.test(name)) await caches.delete(name);
}

for (const precache of precaches) registerRoute(new PrecacheRoute(precache));
// Every navigation inside the scope is the single page.
registerRoute(new NavigationRoute(shell.createHandlerBoundToURL('index.html')));
// Anything else in the scope (nothing the page needs offline) still gets the isolation headers.
registerRoute(({ url }) => url.href.startsWith(sw.registration.scope), new NetworkOnly({ plugins: [isolation] }));

const relative = (url: string) => new URL(url).href.slice(sw.registration.scope.length);

async function storedURLs(precache: PrecacheController): Promise<string[]> {
  const cache = await caches.open(precache.strategy.cacheName);
  const keys = new Set((await cache.keys()).map((request) => request.url));
  return [...precache.getURLsToCacheKeys()].filter(([, cacheKey]) => keys.has(cacheKey)).map(([url]) => relative(url));
}

async function status(): Promise<ServiceWorkerReply> {
  const stored = new Set([...(await storedURLs(shell)), ...(await storedURLs(data))]);
  const offlineCopy = [...plan.shell, ...plan.data].map((entry) => entry.url);
  return {
    type: 'status',
    stored: offlineCopy.filter((url) => stored.has(url)).length,
    total: offlineCopy.length,
    storedData: [...stored].filter((url) => url.startsWith('data/')).sort(),
  };
}

/** Stores MNIST and the data manifest, through the data precache's own strategy (which stores a
 *  file it fetches when the manifest gives its SRI hash, as for a first use). */
async function storeData(event: ExtendableEvent): Promise<ServiceWorkerReply> {
  const keys = data.getURLsToCacheKeys();
  await Promise.all(
    plan.data.map(async (entry) => {
      const url = new URL(entry.url, sw.registration.scope).href;
      const cacheKey = keys.get(url);
      const params = { cacheKey, integrity: cacheKey && data.getIntegrityForCacheKey(cacheKey) };
      const response = await data.strategy.handle({ event, request: new Request(url, { cache: 'reload' }), params });
      if (!response.ok) throw new Error(`${entry.url}: HTTP ${response.status}`);
    }),
  );
  return status();
}

sw.addEventListener('message', (event) => {
  const request = event.data as ServiceWorkerRequest;
  const port = event.ports[0];
  if (!port || typeof request !== 'object' || request === null) return;
  const work = request.type === 'store-data' ? storeData(event) : status();
  event.waitUntil(
    work.then(
      (reply) => port.postMessage(reply),
      (error: unknown) => port.postMessage({ type: 'failed', message: String(error) } satisfies ServiceWorkerReply),
    ),
  );
});
