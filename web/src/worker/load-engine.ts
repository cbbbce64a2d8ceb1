// Picks and loads the wasm variant. Runs inside the engine worker only.
//   threads + SIMD  when the page is crossOriginIsolated (SharedArrayBuffer is available)
//   SIMD, 1 thread  otherwise
import type { EmscriptenModuleOptions, ProfundoFactory, ProfundoModule } from '../engine/types';
import type { VariantId } from './protocol';

export interface EngineVariant {
  id: VariantId;
  /** Emscripten glue file in wasm/, and the global factory it defines (EXPORT_NAME). */
  glue: string;
  factory: string;
}

export const VARIANTS: Record<VariantId, EngineVariant> = {
  'wasm-threads': { id: 'wasm-threads', glue: 'profundo-threads.js', factory: 'createProfundoThreads' },
  'wasm-simd': { id: 'wasm-simd', glue: 'profundo-simd.js', factory: 'createProfundoSimd' },
};

export function chooseVariant(crossOriginIsolated: boolean): EngineVariant {
  return crossOriginIsolated ? VARIANTS['wasm-threads'] : VARIANTS['wasm-simd'];
}

interface WorkerGlobals {
  importScripts?: (...urls: string[]) => void;
  [name: string]: unknown;
}

/**
 * Runs a classic (non-module) script in the worker's global scope. The production build's
 * worker is classic, so importScripts works. Vite's dev server always serves workers as ES
 * modules, where importScripts throws; there the script is imported as a module from a blob:
 * URL that re-exports the factory (no eval, so the Content-Security-Policy needs no
 * 'unsafe-eval'; the glue runs in strict mode, which it supports).
 */
async function loadClassicScript(url: string, globalName: string, scope: WorkerGlobals): Promise<void> {
  try {
    scope.importScripts!(url);
    return;
  } catch (err) {
    if (!(err instanceof TypeError)) throw err; // a network or syntax error in the glue itself
  }
  const response = await fetch(url);
  if (!response.ok) throw new Error(`cannot fetch ${url}: HTTP ${response.status}`);
  const source = `${await response.text()}\nexport default ${globalName};\n//# sourceURL=${url}`;
  const blobUrl = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
  try {
    const module = (await import(/* @vite-ignore */ blobUrl)) as { default: unknown };
    scope[globalName] = module.default;
  } finally {
    URL.revokeObjectURL(blobUrl);
  }
}

export interface LoadedEngine {
  module: ProfundoModule;
  variant: EngineVariant;
}

export async function loadEngine(
  assetBase: string,
  options: Pick<EmscriptenModuleOptions, 'print' | 'printErr' | 'onAbort'> = {},
  scope: WorkerGlobals = globalThis as unknown as WorkerGlobals,
): Promise<LoadedEngine> {
  const variant = chooseVariant(Boolean(scope['crossOriginIsolated']));
  const wasmBase = new URL('wasm/', assetBase);
  const glueUrl = new URL(variant.glue, wasmBase).href;
  await loadClassicScript(glueUrl, variant.factory, scope);
  const factory = scope[variant.factory] as ProfundoFactory | undefined;
  if (typeof factory !== 'function') {
    throw new Error(`${variant.glue} did not define ${variant.factory}()`);
  }
  const module = await factory({
    ...options,
    locateFile: (path) => new URL(path, wasmBase).href,
    mainScriptUrlOrBlob: glueUrl,
  });
  return { module, variant };
}
