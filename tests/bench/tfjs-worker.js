// Benchmark worker for TensorFlow.js 4.22: builds the same layers model as the engine's preset
// (same layers, shapes, padding, activations, optimiser, fused softmax cross-entropy on logits) and
// times trainOnBatch / predictOnBatch on the same MNIST batches, with one backend: wasm, cpu or webgl.
'use strict';
importScripts(
  '/node_modules/@tensorflow/tfjs/dist/tf.min.js',
  '/node_modules/@tensorflow/tfjs-backend-wasm/dist/tf-backend-wasm.min.js',
  'bench-common.js',
);

const TFJS_WASM_DIR = new URL('/node_modules/@tensorflow/tfjs-backend-wasm/dist/', self.location.href).href;

/** The WebGL renderer's name (SwiftShader means WebGL emulated on the CPU), or undefined without WebGL. */
function webglRenderer() {
  const canvas = new OffscreenCanvas(1, 1);
  const gl = canvas.getContext('webgl2') || canvas.getContext('webgl');
  if (!gl) return undefined;
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  return String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
}

async function selectBackend(backend, threads) {
  if (backend === 'wasm') {
    // TF.js caps its XNNPACK thread pool at navigator.hardwareConcurrency / 2 (it assumes two
    // hyper-threads per core), so on a 2-core machine it would run on 1 thread. Report 2·threads
    // to this worker so that TF.js gets the same number of threads as Profundo.
    Object.defineProperty(WorkerNavigator.prototype, 'hardwareConcurrency', { get: () => 2 * threads, configurable: true });
    tf.wasm.setWasmPaths(TFJS_WASM_DIR);
    tf.wasm.setThreadsCount(threads);
  }
  let renderer;
  if (backend === 'webgl') {
    // tf.setBackend only answers false; ask the browser directly why.
    renderer = webglRenderer();
    if (!renderer) throw new Error('no WebGL context in this browser (headless Chromium with --disable-gpu)');
  }
  if (!(await tf.setBackend(backend))) throw new Error(`tf.setBackend('${backend}') failed`);
  await tf.ready();
  if (backend === 'webgl') return { backendInfo: `webgl (${/swiftshader/i.test(renderer) ? 'SwiftShader: emulated on the CPU' : renderer})` };
  if (backend !== 'wasm') return { backendInfo: backend };
  const [simd, multithread] = await Promise.all([
    tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'),
    tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT'),
  ]);
  const actual = multithread ? tf.wasm.getThreadsCount() : 1;
  return { backendInfo: `wasm ${multithread ? 'threads+' : ''}${simd ? 'SIMD' : 'no SIMD'}, ${actual} thread${actual === 1 ? '' : 's'}`, threads: actual };
}

/** The engine's layer list as TensorFlow.js layers; a ReLU right after conv2d/dense is fused into it. */
function buildModel(spec) {
  const [channels, height, width] = spec.input;
  const model = tf.sequential();
  let first = true;
  const inputShape = () => (first ? { inputShape: [height, width, channels] } : {});
  const layers = spec.layers;
  for (let i = 0; i < layers.length; i++) {
    const layer = layers[i];
    const fusedRelu = layers[i + 1] && layers[i + 1].type === 'relu';
    const activation = fusedRelu ? 'relu' : 'linear';
    let made;
    switch (layer.type) {
      case 'conv2d':
        made = tf.layers.conv2d({ ...inputShape(), filters: layer.filters, kernelSize: layer.kernel_size, strides: layer.stride || 1, padding: layer.padding, activation });
        if (fusedRelu) i++;
        break;
      case 'dense':
        made = tf.layers.dense({ ...inputShape(), units: layer.units, activation });
        if (fusedRelu) i++;
        break;
      case 'relu':
        made = tf.layers.reLU(inputShape());
        break;
      case 'maxpool2d':
        made = tf.layers.maxPooling2d({ ...inputShape(), poolSize: layer.kernel_size, strides: layer.stride || layer.kernel_size });
        break;
      case 'avgpool2d':
        made = tf.layers.averagePooling2d({ ...inputShape(), poolSize: layer.kernel_size, strides: layer.stride || layer.kernel_size });
        break;
      case 'flatten':
        made = tf.layers.flatten(inputShape());
        break;
      case 'dropout':
        made = tf.layers.dropout({ ...inputShape(), rate: layer.p });
        break;
      default:
        throw new Error(`the benchmark has no TensorFlow.js twin for layer type ${layer.type}`);
    }
    model.add(made);
    first = false;
  }
  return model;
}

function buildOptimizer({ kind, learning_rate, beta1, beta2, epsilon }) {
  if (kind === 'adam') return tf.train.adam(learning_rate, beta1, beta2, epsilon);
  if (kind === 'sgd') return tf.train.sgd(learning_rate);
  throw new Error(`the benchmark has no TensorFlow.js twin for optimizer ${kind}`);
}

/**
 * Workload C: the same character-level LSTM (1 layer, same hidden size, Adam, softmax
 * cross-entropy per character) on the same corpus, N streams of T characters per step. The input
 * is one-hot, since TF.js' Embedding fails on the wasm backend ('UnsortedSegmentSum').
 */
async function benchText(job, backendInfo, threads) {
  const text = await loadShakespeare();
  const characters = [...new Set(text)].sort();
  const vocabulary = characters.length;
  const indexOf = new Map(characters.map((c, i) => [c, i]));
  const ids = Int32Array.from(text, (c) => indexOf.get(c));
  const { batch, seqLength } = job;
  const model = tf.sequential();
  model.add(tf.layers.lstm({ units: job.hidden, returnSequences: true, inputShape: [seqLength, vocabulary] }));
  model.add(tf.layers.dense({ units: vocabulary })); // applied to every time step
  model.compile({
    optimizer: buildOptimizer(job.training.optimizer),
    loss: (y, logits) => tf.losses.softmaxCrossEntropy(y.reshape([-1, vocabulary]), logits.reshape([-1, vocabulary])),
  });
  // N streams through the text, each advancing T characters per step (as the engine batches it).
  const streamLength = Math.floor((ids.length - 1) / batch);
  const inputs = new Int32Array(batch * seqLength);
  const targets = new Int32Array(batch * seqLength);
  const step = async (index) => {
    const offset = (index * seqLength) % (streamLength - seqLength);
    for (let n = 0; n < batch; n++) {
      for (let t = 0; t < seqLength; t++) {
        const at = n * streamLength + offset + t;
        inputs[n * seqLength + t] = ids[at];
        targets[n * seqLength + t] = ids[at + 1];
      }
    }
    const [x, y] = tf.tidy(() => [
      tf.oneHot(tf.tensor2d(inputs, [batch, seqLength], 'int32'), vocabulary).toFloat(),
      tf.oneHot(tf.tensor2d(targets, [batch, seqLength], 'int32'), vocabulary).toFloat(),
    ]);
    try {
      await model.trainOnBatch(x, y);
    } finally {
      tf.dispose([x, y]);
    }
  };
  const rates = await measure(step, { ...job, batch: batch * seqLength });
  return { rates, backendInfo, threads, tfjsVersion: tf.version.tfjs, vocabulary };
}

runJob(async (job) => {
  const { backendInfo, threads } = await selectBackend(job.backend, job.threads);
  if (job.model === 'char-lstm') return benchText(job, backendInfo, threads);
  const pool = await loadMnistPool();
  if (job.spec.loss !== 'softmax_cross_entropy') throw new Error(`the benchmark expects softmax_cross_entropy, got ${job.spec.loss}`);
  const model = buildModel(job.spec);
  model.compile({ optimizer: buildOptimizer(job.training.optimizer), loss: (y, logits) => tf.losses.softmaxCrossEntropy(y, logits) });
  const images = (batch) => tf.tensor4d(batch.x, [job.batch, 28, 28, 1]);
  const step =
    job.kind === 'train'
      ? async (index) => {
          const batch = poolBatch(pool, job.batch, index);
          const x = images(batch);
          const y = tf.tensor2d(batch.y, [job.batch, 10]);
          try {
            await model.trainOnBatch(x, y); // reads the loss back: the step has run
          } finally {
            tf.dispose([x, y]);
          }
        }
      : async (index) => {
          const x = images(poolBatch(pool, job.batch, index));
          // predictOnBatch: the whole batch in one call (predict() would split it into batches of 32).
          const probabilities = tf.tidy(() => tf.softmax(model.predictOnBatch(x)));
          try {
            await probabilities.data();
          } finally {
            tf.dispose([x, probabilities]);
          }
        };
  const rates = await measure(step, job);
  return { rates, backendInfo, threads, tfjsVersion: tf.version.tfjs };
});
