// The variant loader and the backend text, with a fake Emscripten glue (no wasm needed).
import { describe, expect, it } from 'vitest';
import type { BuildInfo } from '../../../web/src/engine/types';
import { formatBackend } from '../../../web/src/ui/format';
import { chooseVariant, loadEngine, VARIANTS } from '../../../web/src/worker/load-engine';

describe('chooseVariant', () => {
  it('uses threads+SIMD only when cross-origin isolated', () => {
    expect(chooseVariant(true)).toEqual(VARIANTS['wasm-threads']);
    expect(chooseVariant(false)).toEqual(VARIANTS['wasm-simd']);
    expect(VARIANTS['wasm-threads'].factory).toBe('createProfundoThreads');
    expect(VARIANTS['wasm-simd'].factory).toBe('createProfundoSimd');
  });
});

describe('loadEngine', () => {
  function fakeScope(isolated: boolean) {
    const loaded: string[] = [];
    const options: unknown[] = [];
    const scope: Record<string, unknown> = {
      crossOriginIsolated: isolated,
      importScripts: (url: string) => {
        loaded.push(url);
        const variant = url.includes('threads') ? 'wasm-threads' : 'wasm-simd';
        const factory = variant === 'wasm-threads' ? 'createProfundoThreads' : 'createProfundoSimd';
        scope[factory] = async (opts: unknown) => {
          options.push(opts);
          return { buildInfo: (): BuildInfo => ({ variant, simd: true, threads: variant === 'wasm-threads' ? 2 : 1 }) };
        };
      },
    };
    return { scope, loaded, options };
  }

  it('loads the threads glue from wasm/ under the app base and points locateFile there', async () => {
    const { scope, loaded, options } = fakeScope(true);
    const { module, variant } = await loadEngine('https://lab.example/sub/', {}, scope);
    expect(variant.id).toBe('wasm-threads');
    expect(loaded).toEqual(['https://lab.example/sub/wasm/profundo-threads.js']);
    const opts = options[0] as { locateFile: (p: string, prefix: string) => string; mainScriptUrlOrBlob: string };
    expect(opts.locateFile('profundo-threads.worker.js', '')).toBe('https://lab.example/sub/wasm/profundo-threads.worker.js');
    expect(opts.mainScriptUrlOrBlob).toBe('https://lab.example/sub/wasm/profundo-threads.js');
    expect(module.buildInfo()).toEqual({ variant: 'wasm-threads', simd: true, threads: 2 });
  });

  it('falls back to the single-thread SIMD glue when not isolated', async () => {
    const { scope, loaded } = fakeScope(false);
    const { variant } = await loadEngine('https://lab.example/', {}, scope);
    expect(variant.id).toBe('wasm-simd');
    expect(loaded).toEqual(['https://lab.example/wasm/profundo-simd.js']);
  });

  it('fails clearly when the glue does not define its factory', async () => {
    const scope = { crossOriginIsolated: false, importScripts: () => {} };
    await expect(loadEngine('https://lab.example/', {}, scope)).rejects.toThrow('profundo-simd.js did not define createProfundoSimd()');
  });
});

describe('formatBackend', () => {
  it('names the variant, the thread count and SIMD', () => {
    expect(formatBackend({ variant: 'wasm-threads', threads: 2, simd: true }, 'en')).toBe('wasm-threads · 2 threads · SIMD');
    expect(formatBackend({ variant: 'wasm-simd', threads: 1, simd: true }, 'es')).toBe('wasm-simd · 1 hilo · SIMD');
    expect(formatBackend({ variant: 'wasm-simd', threads: 1, simd: false }, 'en')).toBe('wasm-simd · 1 thread');
  });
});
