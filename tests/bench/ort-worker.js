// Benchmark worker for ONNX Runtime Web (wasm execution provider: its SIMD + threads build, graph
// optimisations on): runs the ONNX file of the engine's model with the engine's weights
// (tests/bench/onnx_export.py) on the same MNIST batches, after checking that it gives the
// engine's probabilities on a few images.
'use strict';
importScripts('/node_modules/onnxruntime-web/dist/ort.wasm.min.js', 'bench-common.js');

/** Largest difference allowed between ONNX Runtime's probabilities and the engine's. */
const TOLERANCE = 1e-4;

runJob(async (job) => {
  ort.env.wasm.wasmPaths = new URL('/node_modules/onnxruntime-web/dist/', self.location.href).href;
  ort.env.wasm.numThreads = job.threads;
  ort.env.wasm.simd = true;
  const session = await ort.InferenceSession.create(job.onnxUrl, { executionProviders: ['wasm'], graphOptimizationLevel: 'all' });
  const run = async (x, count) => (await session.run({ images: new ort.Tensor('float32', x, [count, 1, 28, 28]) })).probabilities.data;

  const { images, probabilities, count } = job.check;
  const got = await run(Float32Array.from(images), count);
  const difference = Math.max(...probabilities.map((p, i) => Math.abs(p - got[i])));
  if (!(difference <= TOLERANCE)) throw new Error(`ONNX Runtime's probabilities differ from the engine's by ${difference} (> ${TOLERANCE})`);

  const pool = await loadMnistPool();
  const rates = await measure(async (index) => {
    await run(poolBatch(pool, job.batch, index).x, job.batch); // the output is copied out of wasm memory
  }, job);
  return {
    rates,
    threads: job.threads,
    backendInfo: `ONNX Runtime Web ${ort.env.versions.web}, wasm SIMD+threads, ${job.threads} thread${job.threads === 1 ? '' : 's'}`,
    checkDifference: difference,
  };
});
