// Tells the engine failures that need more than a message apart from the engine's refusals (a bad
// setting, a missing file):
// - crashed: the wasm module aborted or trapped; its memory may be inconsistent, so nothing more
//   runs on it and the page offers to restart the engine.
// - out-of-memory: an allocation failed (std::bad_alloc becomes "out of memory: …" in the
//   bindings, the module being linked with -sABORTING_MALLOC=0). The engine has released what it
//   had allocated and goes on working; the page says to use a smaller model or mini-batch.
import { toEngineError, type EngineError, type EngineErrorCode } from './protocol';

const OUT_OF_MEMORY = /bad_alloc|out of memory|array buffer allocation failed|cannot enlarge memory/i;

export function classifyFailure(error: unknown): Extract<EngineErrorCode, 'crashed' | 'out-of-memory'> | undefined {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  if (typeof WebAssembly !== 'undefined' && error instanceof WebAssembly.RuntimeError) return 'crashed';
  if (/^(RuntimeError: )?Aborted\(/.test(message)) return 'crashed';
  if (OUT_OF_MEMORY.test(message)) return 'out-of-memory';
  return undefined;
}

/** An engine error as it crosses to the page: a crash or running out of memory as such, else `code`. */
export function describeFailure(code: EngineErrorCode, err: unknown): EngineError {
  return toEngineError(classifyFailure(err) ?? code, err);
}
