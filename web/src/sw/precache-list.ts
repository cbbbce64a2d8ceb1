// Which files of a build the service worker stores, and when (pure; the service worker and the
// Vite config use it, and it is unit-tested). URLs are relative to the app's folder, '/'-separated,
// as in the manifest vite-plugin-pwa injects (self.__WB_MANIFEST).
//
//   shell       the app itself: index.html, assets/ (JS, CSS, the engine worker, the labs'
//               chunks), wasm/ (both variants: which one runs depends on isolation, which may
//               change between visits); stored when the service worker installs
//   data        data/manifest.json and MNIST (the lab's default dataset), stored right after the
//               first load (the page's `store-data` request) so that they do not delay it
//   onFirstUse  the other datasets (Fashion-MNIST, the text corpora): stored the first time the
//               page fetches them; their manifest entries carry an SRI hash, which is what lets
//               Workbox put a file fetched from the network into its precache

/** One file of the build, with a hash of its content (Workbox's precache entry). */
export interface PrecacheEntry {
  url: string;
  revision: string | null;
  integrity?: string;
}

export interface PrecachePlan {
  shell: PrecacheEntry[];
  data: PrecacheEntry[];
  onFirstUse: PrecacheEntry[];
}

export const SERVICE_WORKER_FILE = 'sw.js';
/** What the build's manifest lists (besides the service worker, which Workbox leaves out). */
export const PRECACHE_GLOBS = ['**/*.{html,js,css,wasm,json,gz,txt}'];
/** Data stored after the first load; the other data files are stored on first use. */
export const PRECACHED_DATA = ['data/manifest.json', 'data/mnist/'];

export const isDataFile = (url: string) => url.startsWith('data/');
const isPrecachedData = (url: string) => PRECACHED_DATA.some((prefix) => (prefix.endsWith('/') ? url.startsWith(prefix) : url === prefix));

export function planPrecache(entries: readonly PrecacheEntry[]): PrecachePlan {
  const plan: PrecachePlan = { shell: [], data: [], onFirstUse: [] };
  const seen = new Set<string>();
  for (const entry of [...entries].sort((a, b) => a.url.localeCompare(b.url))) {
    // Source maps and dotfiles (the data step's .verified.json) are never fetched by the page.
    if (seen.has(entry.url) || entry.url === SERVICE_WORKER_FILE || entry.url.endsWith('.map')) continue;
    if (entry.url.split('/').some((part) => part.startsWith('.'))) continue;
    seen.add(entry.url);
    if (!isDataFile(entry.url)) plan.shell.push(entry);
    else if (isPrecachedData(entry.url)) plan.data.push(entry);
    else plan.onFirstUse.push(entry);
  }
  return plan;
}
