// The only language the page and the engine worker speak. Both ends import these types, so a
// message that is not declared here does not compile.
import type { BuildInfo } from '../engine/types';

export type VariantId = 'wasm-threads' | 'wasm-simd';

/** Page → worker. Later: loadDataset, buildModel, train, pause, stop, evaluate. */
export type EngineRequest = {
  type: 'init';
  /** Absolute URL of the app's base folder; the wasm files live in `${assetBase}wasm/`. */
  assetBase: string;
};

/** What runs: the engine's own report plus what the loader decided. */
export interface BackendInfo extends BuildInfo {
  requestedVariant: VariantId;
  crossOriginIsolated: boolean;
}

export type EngineErrorCode = 'load-failed' | 'bad-request' | 'internal';

/** Errors cross as data (a code the UI can translate), never as scraped log text. */
export interface EngineError {
  code: EngineErrorCode;
  message: string;
  detail?: string;
}

/** Worker → page. Later: progress, metrics, done. */
export type EngineEvent =
  | { type: 'ready'; backend: BackendInfo }
  | { type: 'log'; stream: 'stdout' | 'stderr'; text: string }
  | { type: 'error'; error: EngineError };

export type EngineEventType = EngineEvent['type'];
export type EngineEventOf<T extends EngineEventType> = Extract<EngineEvent, { type: T }>;

export function toEngineError(code: EngineErrorCode, err: unknown): EngineError {
  if (err instanceof Error) return { code, message: err.message, detail: err.stack };
  return { code, message: String(err) };
}
