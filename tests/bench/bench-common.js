// Shared by the benchmark workers (classic scripts): the MNIST batches both sides train on, and
// the timing loop. Both sides copy each batch from the same Float32Array, as a training loop would.
'use strict';

const IMAGE_SIZE = 28 * 28;
const CLASSES = 10;
/** Images kept for the benchmark: 8192 = 128 batches of 64, 64 of 128, 32 of 256. */
const POOL_IMAGES = 8192;
const MNIST_DIR = '/public/data/mnist/';

async function gunzipUrl(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`cannot fetch ${url}: HTTP ${response.status}`);
  const stream = response.body.pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/**
 * The first POOL_IMAGES MNIST training images scaled to [0, 1] (the engine's "scale"
 * normalisation) and their one-hot labels. One image channel: the engine's NCHW [N,1,28,28] and
 * TensorFlow.js' NHWC [N,28,28,1] have the same memory layout.
 */
async function loadMnistPool() {
  const [images, labels] = await Promise.all([
    gunzipUrl(`${MNIST_DIR}train-images-idx3-ubyte.gz`),
    gunzipUrl(`${MNIST_DIR}train-labels-idx1-ubyte.gz`),
  ]);
  const IMAGE_HEADER = 16;
  const LABEL_HEADER = 8;
  if (images.length < IMAGE_HEADER + POOL_IMAGES * IMAGE_SIZE || labels.length < LABEL_HEADER + POOL_IMAGES) {
    throw new Error(`MNIST files in ${MNIST_DIR} are shorter than ${POOL_IMAGES} images`);
  }
  const x = new Float32Array(POOL_IMAGES * IMAGE_SIZE);
  for (let i = 0; i < x.length; i++) x[i] = images[IMAGE_HEADER + i] / 255;
  const y = new Float32Array(POOL_IMAGES * CLASSES);
  for (let i = 0; i < POOL_IMAGES; i++) y[i * CLASSES + labels[LABEL_HEADER + i]] = 1;
  return { x, y };
}

const SHAKESPEARE_URL = '/public/data/text/shakespeare.txt';

/** Tiny Shakespeare as text, the corpus of workload C (character-level LSTM). */
async function loadShakespeare() {
  const response = await fetch(SHAKESPEARE_URL);
  if (!response.ok) throw new Error(`cannot fetch ${SHAKESPEARE_URL}: HTTP ${response.status} (run \`npm run data\`)`);
  return response.text();
}

/** Batch number `index` of size `batch` from the pool (cycling): views, not copies. */
function poolBatch(pool, batch, index) {
  const start = (index % Math.floor(POOL_IMAGES / batch)) * batch;
  return {
    x: pool.x.subarray(start * IMAGE_SIZE, (start + batch) * IMAGE_SIZE),
    y: pool.y.subarray(start * CLASSES, (start + batch) * CLASSES),
  };
}

/** Samples per second of `step(index)` over at least `seconds` (and at least one step). */
async function samplesPerSecond(step, batch, seconds, firstIndex) {
  const start = performance.now();
  let steps = 0;
  let elapsed = 0;
  do {
    await step(firstIndex + steps);
    steps++;
    elapsed = (performance.now() - start) / 1000;
  } while (elapsed < seconds);
  return { rate: (steps * batch) / elapsed, steps };
}

/** A warm-up (half the time, at most 1 s, at least one step), then `repeats` timed runs. */
async function measure(step, { batch, seconds, repeats }) {
  let index = 0;
  index += (await samplesPerSecond(step, batch, Math.min(1, seconds / 2), index)).steps;
  const rates = [];
  for (let r = 0; r < repeats; r++) {
    const run = await samplesPerSecond(step, batch, seconds, index);
    index += run.steps;
    rates.push(run.rate);
  }
  return rates;
}

/** Reports a job's outcome to the page; errors cross as their message. */
function runJob(handler) {
  self.onmessage = async ({ data: job }) => {
    try {
      self.postMessage({ ok: true, ...(await handler(job)) });
    } catch (error) {
      self.postMessage({ ok: false, error: String(error && error.message ? error.message : error) });
    }
  };
}
