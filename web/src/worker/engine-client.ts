// Page-side handle on the engine worker: `api` is the worker's EngineApi through Comlink (async
// calls, replies matched to calls), `on()` subscribes to the events it sends on its event port.
// Vite's `?worker` import bundles the worker as a classic IIFE script in the build (so it can
// importScripts the Emscripten glue) and serves it as an ES module worker in dev.
// A worker that dies (an uncaught error, a wasm abort reported by the worker itself) is reported
// as an `error` event with code 'crashed' and rejects the calls waiting for it; restart() replaces
// it with a fresh one, keeping the page's handlers, so the page recovers without a reload.
import * as Comlink from 'comlink';
import type { EngineApi } from './engine.worker';
import EngineWorker from './engine.worker.ts?worker';
import type { EngineError, EngineEvent, EngineEventOf, EngineEventType, EngineReady } from './protocol';

export { isEngineError } from './protocol';

type Handler<T extends EngineEventType> = (event: EngineEventOf<T>) => void;

/** The worker's API as the page calls it: every method returns a promise. */
export type EngineRemote = Comlink.Remote<EngineApi>;

export class EngineClient {
  private worker!: Worker;
  private remote!: EngineRemote;
  private events!: MessagePort;
  /** The other end of the event channel, handed to the worker by init(). */
  private eventsForWorker: MessagePort | undefined;
  /** Rejects the calls in flight when the worker dies or is replaced (Comlink would wait forever). */
  private lost!: Promise<never>;
  private loseWorker!: (error: EngineError) => void;
  private readonly handlers = new Map<EngineEventType, Set<(event: EngineEvent) => void>>();

  /**
   * The engine's API; each call rejects with an EngineError (or with 'crashed' when the worker
   * died meanwhile). Call init() first.
   */
  readonly api: EngineRemote = new Proxy({} as EngineRemote, {
    get: (_target, method: string) => {
      if (method === 'then') return undefined; // not a promise itself
      return (...args: unknown[]) => Promise.race([(this.remote[method as keyof EngineRemote] as unknown as (...a: unknown[]) => Promise<unknown>)(...args), this.lost]);
    },
  });

  constructor() {
    this.spawn();
  }

  private spawn(): void {
    const worker = new EngineWorker({ name: 'profundo-engine' });
    this.worker = worker;
    this.remote = Comlink.wrap<EngineApi>(worker);
    this.lost = new Promise<never>((_resolve, reject) => (this.loseWorker = reject));
    this.lost.catch(() => undefined); // nobody may be waiting
    const channel = new MessageChannel();
    this.events = channel.port1;
    this.events.onmessage = (message: MessageEvent<EngineEvent>) => {
      if (worker === this.worker) this.dispatch(message.data);
    };
    this.eventsForWorker = channel.port2;
    // An error that escaped the worker's own handling: its state cannot be trusted any more.
    worker.onerror = (event) => {
      event.preventDefault();
      if (worker !== this.worker) return;
      const error: EngineError = { code: 'crashed', message: event.message || 'the engine worker stopped' };
      this.loseWorker(error);
      this.dispatch({ type: 'error', error });
    };
    worker.onmessageerror = () => {
      if (worker !== this.worker) return;
      this.dispatch({ type: 'error', error: { code: 'internal', message: 'a message from the engine worker could not be read' } });
    };
  }

  /** Ends the current worker (whatever its state) and starts a fresh one; call init() next. */
  restart(): void {
    this.end('the engine was restarted');
    this.spawn();
  }

  on<T extends EngineEventType>(type: T, handler: Handler<T>): () => void {
    const set = this.handlers.get(type) ?? new Set();
    set.add(handler as (event: EngineEvent) => void);
    this.handlers.set(type, set);
    return () => set.delete(handler as (event: EngineEvent) => void);
  }

  /** Loads the engine; resolves with what runs and its presets (also sent as a `ready` event), rejects with the worker's EngineError. */
  async init(assetBase: string, options: { testHooks?: boolean } = {}): Promise<EngineReady> {
    const port = this.eventsForWorker;
    if (!port) throw new Error('init() was already called on this worker: restart() first');
    this.eventsForWorker = undefined;
    const ready = await Promise.race([this.remote.init(assetBase, Comlink.transfer(port, [port]), options.testHooks === true), this.lost]);
    this.dispatch({ type: 'ready', ...ready });
    return ready;
  }

  terminate(): void {
    this.end('the engine was stopped');
  }

  private end(reason: string): void {
    this.loseWorker({ code: 'crashed', message: reason });
    this.events.close();
    this.worker.terminate();
  }

  private dispatch(event: EngineEvent): void {
    for (const handler of this.handlers.get(event.type) ?? []) handler(event);
  }
}
