// Benchmark worker for Profundo's engine: loads one wasm variant (as the app's worker does) and
// times BatchTrainer steps on MNIST batches written into the engine-owned buffers.
'use strict';
importScripts('bench-common.js');

const VARIANTS = {
  'wasm-threads': { glue: 'profundo-threads.js', factory: 'createProfundoThreads' },
  'wasm-simd': { glue: 'profundo-simd.js', factory: 'createProfundoSimd' },
};
const WASM_DIR = new URL('/public/wasm/', self.location.href).href;

async function loadEngine(variantId) {
  const variant = VARIANTS[variantId];
  if (!variant) throw new Error(`unknown engine variant ${variantId}`);
  const glueUrl = WASM_DIR + variant.glue;
  importScripts(glueUrl);
  return self[variant.factory]({ locateFile: (file) => WASM_DIR + file, mainScriptUrlOrBlob: glueUrl });
}

/** The presets' models and training settings, for TensorFlow.js to build the same models. */
function describe(engine, models) {
  const presets = {};
  for (const name of models) {
    const preset = engine.preset(name);
    presets[name] = {
      model: preset.model,
      training: preset.training,
      forwardFlops: engine.forwardFlopsPerSample(preset.model),
      trainingFlops: engine.trainingFlopsPerSample(preset.model),
    };
  }
  return { presets, build: engine.buildInfo() };
}

async function bench(engine, job) {
  const pool = await loadMnistPool();
  const preset = engine.preset(job.model);
  const training = { ...preset.training, batch_size: job.batch };
  const trainer = new engine.BatchTrainer(preset.model, training, job.threads);
  try {
    // Views on wasm memory are taken afresh each step: memory may grow (and detach old views).
    const fill = (index) => {
      const batch = poolBatch(pool, job.batch, index);
      trainer.input(job.batch).set(batch.x);
      trainer.target(job.batch).set(batch.y);
    };
    const step =
      job.kind === 'train'
        ? (index) => {
            fill(index);
            trainer.step();
          }
        : (index) => {
            fill(index);
            trainer.predict().slice(); // probabilities copied out, as a caller would
          };
    const rates = await measure(step, job);
    return { rates, threads: trainer.threads(), build: engine.buildInfo() };
  } finally {
    trainer.delete();
  }
}

/**
 * The model's weights as the engine initialised them (every parameter in Model::parameters()
 * order: W then b of each layer with parameters) and its probabilities for the first `count`
 * images: what tests/bench/onnx_export.py needs to write and check the ONNX file.
 */
async function reference(engine, job) {
  const pool = await loadMnistPool();
  const preset = engine.preset(job.model);
  const trainer = new engine.BatchTrainer(preset.model, { ...preset.training, batch_size: job.count }, 1);
  try {
    const images = pool.x.subarray(0, job.count * IMAGE_SIZE);
    trainer.input(job.count).set(images);
    const probabilities = Array.from(trainer.predict());
    const trained = engine.summarizeModel(preset.model).filter((layer) => layer.parameter_count > 0).length;
    const parameters = [];
    for (let i = 0; i < 2 * trained; i++) parameters.push(Array.from(trainer.parameter(i)));
    return { spec: preset.model, parameters, images: Array.from(images), probabilities, count: job.count };
  } finally {
    trainer.delete();
  }
}

/** Workload C: truncated-BPTT steps of the engine's TextSession (its own batching of the corpus). */
async function benchText(engine, job) {
  const config = engine.defaultTextConfig();
  Object.assign(config, {
    cell: 'lstm',
    layers: 1,
    hidden_size: job.hidden,
    embedding_size: job.embedding,
    seq_length: job.seqLength,
    batch_size: job.batch,
    seed: 1,
  });
  Object.assign(config.optimizer, job.training.optimizer);
  const session = new engine.TextSession(await loadShakespeare(), config, job.threads);
  try {
    // Characters per step: batch streams × sequence length.
    const rates = await measure(() => session.trainSteps(1), { ...job, batch: job.batch * job.seqLength });
    return { rates, threads: session.threads(), build: engine.buildInfo(), vocabulary: session.vocabularySize() };
  } finally {
    session.delete();
  }
}

runJob(async (job) => {
  const engine = await loadEngine(job.backend);
  if (job.kind === 'describe') return describe(engine, job.models);
  if (job.kind === 'reference') return reference(engine, job);
  if (job.kind === 'peak') return { gflops: engine.peakF32x4Gflops(job.threads, job.seconds), threads: job.threads };
  return job.model === 'char-lstm' ? benchText(engine, job) : bench(engine, job);
});
