// The engine worker: the only code that touches the wasm module. It answers EngineRequests
// with EngineEvents (see protocol.ts).
import type { ProfundoModule } from '../engine/types';
import { loadEngine } from './load-engine';
import { toEngineError, type EngineEvent, type EngineRequest } from './protocol';

interface EngineWorkerScope {
  crossOriginIsolated: boolean;
  postMessage(event: EngineEvent): void;
  onmessage: ((message: MessageEvent<EngineRequest>) => void) | null;
}

const scope = self as unknown as EngineWorkerScope;
let engine: ProfundoModule | undefined;

function post(event: EngineEvent): void {
  scope.postMessage(event);
}

async function init(assetBase: string): Promise<void> {
  if (engine) return; // init is idempotent: the page may re-send it after a reload of its own state
  try {
    const { module, variant } = await loadEngine(assetBase, {
      print: (text) => post({ type: 'log', stream: 'stdout', text }),
      printErr: (text) => post({ type: 'log', stream: 'stderr', text }),
    });
    engine = module;
    const info = module.buildInfo();
    post({
      type: 'ready',
      backend: {
        variant: info.variant,
        simd: info.simd,
        threads: info.threads,
        requestedVariant: variant.id,
        crossOriginIsolated: scope.crossOriginIsolated,
      },
    });
  } catch (err) {
    post({ type: 'error', error: toEngineError('load-failed', err) });
  }
}

scope.onmessage = (message) => {
  const request = message.data;
  switch (request.type) {
    case 'init':
      void init(request.assetBase);
      break;
    default: {
      const unknown: never = request.type;
      post({ type: 'error', error: { code: 'bad-request', message: `unknown request ${String(unknown)}` } });
    }
  }
};
