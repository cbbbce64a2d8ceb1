// The labs' handle on the engine worker: a request gets a promise of its result (an engine call).
// `latest()` keeps at most one request of a channel in flight and drops the ones a faster slider
// made stale, so a lab follows its controls without queueing work behind them.
import type { EngineClient } from '../../worker/engine-client';
import type { EngineError, LabRequest, LabResultOf } from '../../worker/protocol';

export class LabClient {
  private readonly channels = new Map<string, { busy: boolean; queued?: () => void }>();
  private engineReady: (ready: boolean, error?: EngineError) => void = () => undefined;
  /** Resolves when the engine has loaded (labs opened by URL ask before it has). */
  private readonly ready = new Promise<void>((resolve, reject) => {
    this.engineReady = (ready, error) => (ready ? resolve() : reject(error));
  });

  constructor(private readonly engine: EngineClient) {
    this.ready.catch(() => undefined); // a load failure is reported per request, and by the backend panel
  }

  /** The engine loaded (or failed to): requests wait for this before they are sent. */
  engineLoaded(error?: EngineError): void {
    this.engineReady(error === undefined, error);
  }

  async call<R extends LabRequest>(request: R): Promise<LabResultOf<R['lab']>> {
    await this.ready;
    return (await this.engine.api.lab(request)) as LabResultOf<R['lab']>;
  }

  /**
   * Sends `request` on `channel` unless one is in flight there; then it waits, replacing any older
   * waiting request. `onResult`/`onError` run for the requests that are actually sent.
   */
  latest<R extends LabRequest>(channel: string, request: R, onResult: (result: LabResultOf<R['lab']>) => void, onError: (error: EngineError) => void): void {
    const state = this.channels.get(channel) ?? { busy: false };
    this.channels.set(channel, state);
    const send = () => {
      state.busy = true;
      this.call(request)
        .then(onResult, onError)
        .finally(() => {
          state.busy = false;
          const next = state.queued;
          state.queued = undefined;
          next?.();
        });
    };
    if (state.busy) state.queued = send;
    else send();
  }
}
