// Which files of a build the service worker stores at install time (pure; used by the Vite
// plugin at build time and unit-tested). Paths are relative to the app's folder, '/'-separated.
//
//   shell  the app itself: index.html, assets/ (JS, CSS, the engine worker), wasm/ (both
//          variants: which one runs depends on isolation, which may change between visits)
//   data   data/manifest.json and the MNIST files, fetched after the first load so they do
//          not delay it; other datasets are stored the first time they are used
//
// Source maps, dotfiles (the data step's .verified.json) and the service worker itself are left out.

export interface PrecacheManifest {
  /** Hash of every precached file's path and content: a new build gets a new cache. */
  version: string;
  shell: string[];
  data: string[];
}

export const SERVICE_WORKER_FILE = 'sw.js';
/** Data files precached besides the manifest (the lab's default dataset). */
export const PRECACHED_DATA_FOLDERS = ['data/mnist/'];

export function precacheFiles(files: readonly string[]): Omit<PrecacheManifest, 'version'> {
  const shell: string[] = [];
  const data: string[] = [];
  for (const file of [...new Set(files)].sort()) {
    if (file === SERVICE_WORKER_FILE || file.endsWith('.map')) continue;
    if (file.split('/').some((part) => part.startsWith('.'))) continue;
    if (file.startsWith('data/')) {
      if (file === 'data/manifest.json' || PRECACHED_DATA_FOLDERS.some((folder) => file.startsWith(folder))) data.push(file);
    } else {
      shell.push(file);
    }
  }
  return { shell, data };
}
