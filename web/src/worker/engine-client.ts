// Page-side handle on the engine worker: typed requests out, typed events in.
// Vite's `?worker` import bundles the worker as a classic IIFE script in the build (so it can
// importScripts the Emscripten glue) and serves it as an ES module worker in dev.
// A worker that dies (an uncaught error, a wasm abort reported by the worker itself) is reported
// as an `error` event with code 'crashed'; restart() replaces it with a fresh one, keeping the
// page's handlers, so the page recovers without a reload.
import EngineWorker from './engine.worker.ts?worker';
import type { EngineError, EngineEvent, EngineEventOf, EngineEventType, EngineRequest } from './protocol';

type Handler<T extends EngineEventType> = (event: EngineEventOf<T>) => void;

export class EngineClient {
  private worker: Worker;
  private readonly handlers = new Map<EngineEventType, Set<(event: EngineEvent) => void>>();

  constructor() {
    this.worker = this.spawn();
  }

  private spawn(): Worker {
    const worker = new EngineWorker({ name: 'profundo-engine' });
    worker.onmessage = (message: MessageEvent<EngineEvent>) => {
      if (worker === this.worker) this.dispatch(message.data);
    };
    // An error that escaped the worker's own handling: its state cannot be trusted any more.
    worker.onerror = (event) => {
      event.preventDefault();
      if (worker !== this.worker) return;
      this.dispatch({ type: 'error', error: { code: 'crashed', message: event.message || 'the engine worker stopped' } });
    };
    worker.onmessageerror = () => {
      if (worker !== this.worker) return;
      this.dispatch({ type: 'error', error: { code: 'internal', message: 'a message from the engine worker could not be read' } });
    };
    return worker;
  }

  /** Ends the current worker (whatever its state) and starts a fresh one; call init() next. */
  restart(): void {
    this.worker.terminate();
    this.worker = this.spawn();
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
  init(assetBase: string, options: { testHooks?: boolean } = {}): Promise<Omit<EngineEventOf<'ready'>, 'type'>> {
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
      this.send({ type: 'init', assetBase, ...(options.testHooks ? { testHooks: true } : {}) });
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
