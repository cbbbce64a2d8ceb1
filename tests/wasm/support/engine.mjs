// Loads the WebAssembly builds of the engine under Node, and the MNIST files for them.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const require = createRequire(import.meta.url);

export const VARIANTS = {
  'wasm-simd': { dir: 'build/wasm-simd/bindings', file: 'profundo-simd', factory: 'createProfundoSimd' },
  'wasm-threads': { dir: 'build/wasm-threads/bindings', file: 'profundo-threads', factory: 'createProfundoThreads' },
};

/** Instantiates one build. wasmBinary is passed so Node's fetch never tries to load a file path. */
export async function loadEngine(variant) {
  const { dir, file } = VARIANTS[variant];
  const base = path.join(repoRoot, dir, file);
  const factory = require(`${base}.js`);
  return factory({ wasmBinary: fs.readFileSync(`${base}.wasm`) });
}

export function readMnist(prefix) {
  const dir = path.join(repoRoot, 'public/data/mnist');
  const read = (name) => new Uint8Array(zlib.gunzipSync(fs.readFileSync(path.join(dir, name))));
  return { images: read(`${prefix}-images-idx3-ubyte.gz`), labels: read(`${prefix}-labels-idx1-ubyte.gz`) };
}

/** Relative difference, safe near zero. */
export function relativeDifference(a, b) {
  return Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b), 1e-12);
}

const loaded = {};
/** One instance per variant per test file; call disposeLoadedEngines() in an after() hook. */
export async function engineFor(variant) {
  loaded[variant] ??= await loadEngine(variant);
  return loaded[variant];
}
export function disposeLoadedEngines() {
  Object.values(loaded).forEach(disposeEngine);
}

/** Ends the threaded build's worker threads so that Node can exit. */
export function disposeEngine(engine) {
  const pthreads = engine.PThread;
  if (!pthreads) return;
  pthreads.terminateAllThreads();
  for (const worker of pthreads.unusedWorkers ?? []) worker.terminate();
}
