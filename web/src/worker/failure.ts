// Tells an engine failure the page can recover from (a bad setting, a missing file) from one
// after which the engine must be restarted: the wasm module aborted or trapped (its memory may
// be inconsistent), or it ran out of memory (allocations fail as std::bad_alloc, since the module
// is linked with -sABORTING_MALLOC=0; the grown heap cannot be given back without a new worker).
import type { EngineErrorCode } from './protocol';

const OUT_OF_MEMORY = /bad_alloc|out of memory|\bOOM\b|array buffer allocation failed|cannot enlarge memory/i;

export function fatalFailure(error: unknown): Extract<EngineErrorCode, 'crashed' | 'out-of-memory'> | undefined {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  if (OUT_OF_MEMORY.test(message)) return 'out-of-memory';
  if (typeof WebAssembly !== 'undefined' && error instanceof WebAssembly.RuntimeError) return 'crashed';
  if (/^(RuntimeError: )?Aborted\(/.test(message)) return 'crashed';
  return undefined;
}
