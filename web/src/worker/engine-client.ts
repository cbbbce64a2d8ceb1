// Page-side handle on the engine worker: typed requests out, typed events in.
// Vite's `?worker` import bundles the worker as a classic IIFE script in the build (so it can
// importScripts the Emscripten glue) and serves it as an ES module worker in dev.
import EngineWorker from './engine.worker.ts?worker';
import type { EngineError, EngineEvent, EngineEventOf, EngineEventType, EngineRequest } from './protocol';

type Handler<T extends EngineEventType> = (event: EngineEventOf<T>) => void;

export class EngineClient {
  private readonly worker: Worker;
  private readonly handlers = new Map<EngineEventType, Set<(event: EngineEvent) => void>>();

  constructor() {
    this.worker = new EngineWorker({ name: 'profundo-engine' });
    this.worker.onmessage = (message: MessageEvent<EngineEvent>) => this.dispatch(message.data);
    this.worker.onerror = (event) => {
      event.preventDefault();
      this.dispatch({ type: 'error', error: { code: 'internal', message: event.message || 'the engine worker failed to start' } });
    };
  }

  on<T extends EngineEventType>(type: T, handler: Handler<T>): () => void {
    const set = this.handlers.get(type) ?? new Set();
    set.add(handler as (event: EngineEvent) => void);
    this.handlers.set(type, set);
    return () => set.delete(handler as (event: EngineEvent) => void);
  }

  send(request: EngineRequest, transfer: Transferable[] = []): void {
    this.worker.postMessage(request, transfer);
  }

  /** Loads the engine; resolves with what runs and its presets, rejects with the worker's EngineError. */
  init(assetBase: string): Promise<Omit<EngineEventOf<'ready'>, 'type'>> {
    return new Promise((resolve, reject) => {
      const offReady = this.on('ready', (event) => {
        offReady();
        offError();
        const { type: _type, ...ready } = event;
        resolve(ready);
      });
      const offError = this.on('error', (event) => {
        offReady();
        offError();
        reject(event.error);
      });
      this.send({ type: 'init', assetBase });
    });
  }

  terminate(): void {
    this.worker.terminate();
  }

  private dispatch(event: EngineEvent): void {
    for (const handler of this.handlers.get(event.type) ?? []) handler(event);
  }
}

export function isEngineError(value: unknown): value is EngineError {
  return typeof value === 'object' && value !== null && 'code' in value && 'message' in value;
}
