// The page side of the browser benchmark: runs one case in a fresh worker and returns its result.
// A fresh worker per case keeps the cases apart (memory, thread pools, a backend that failed).
'use strict';

const WORKERS = { profundo: 'profundo-worker.js', tfjs: 'tfjs-worker.js', ort: 'ort-worker.js' };

/**
 * job: { side: 'profundo' | 'tfjs' | 'ort', backend, threads, model, spec, training, kind, batch, seconds, repeats }
 * Resolves to { ok: true, rates, ... } or { ok: false, error }.
 */
globalThis.runBenchCase = (job) =>
  new Promise((resolve) => {
    const worker = new Worker(WORKERS[job.side]);
    const finish = (result) => {
      worker.terminate();
      resolve(result);
    };
    worker.onmessage = (event) => finish(event.data);
    worker.onerror = (event) => finish({ ok: false, error: `worker error: ${event.message}` });
    worker.postMessage(job);
  });

globalThis.benchPageInfo = () => ({
  crossOriginIsolated: globalThis.crossOriginIsolated,
  hardwareConcurrency: navigator.hardwareConcurrency,
  userAgent: navigator.userAgent,
});
