// Long runs must not leak: 30 epochs of training and 50 models built, trained and deleted leave
// the wasm memory at its warmed-up size, malloc's count of live bytes where it was, and no Embind
// handle behind. Run on both builds (the threaded one has per-thread buffers of its own).
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { disposeLoadedEngines, engineFor, VARIANTS } from './support/engine.mjs';

after(disposeLoadedEngines);

/** A small seeded IDX pair (count images of 28×28 and their labels) that the engine parses. */
function idxPair(count, seed) {
  const images = new Uint8Array(16 + count * 784);
  const labels = new Uint8Array(8 + count);
  const header = (array, magic, dims) => {
    const view = new DataView(array.buffer);
    view.setUint32(0, magic);
    dims.forEach((d, i) => view.setUint32(4 + 4 * i, d));
  };
  header(images, 0x00000803, [count, 28, 28]);
  header(labels, 0x00000801, [count]);
  let state = seed;
  for (let i = 0; i < count; i++) {
    const label = i % 10;
    labels[8 + i] = label;
    for (let p = 0; p < 784; p++) {
      state = (state * 1103515245 + 12345) >>> 0;
      // A class-dependent stripe plus noise, so training has something to learn.
      images[16 + i * 784 + p] = ((p % 28) >> 1) % 10 === label ? 200 : state >>> 26;
    }
  }
  return { images, labels };
}

function tinyModel(engine) {
  const layer = (fields) => ({ ...engine.defaultLayerSpec(), ...fields });
  return {
    input: [1, 28, 28],
    layers: [
      layer({ type: 'conv2d', filters: 4, kernel_size: 3, padding: 'same' }),
      layer({ type: 'relu' }),
      layer({ type: 'maxpool2d', kernel_size: 2 }),
      layer({ type: 'flatten' }),
      layer({ type: 'dropout', p: 0.2 }),
      layer({ type: 'dense', units: 10 }),
    ],
    loss: 'softmax_cross_entropy',
  };
}

function trainEpochs(engine, session) {
  while (!session.finished()) session.trainNextBatch();
}

for (const variant of Object.keys(VARIANTS)) {
  test(`${variant}: 30 epochs and 50 model rebuilds do not grow memory or leak objects`, async () => {
    const engine = await engineFor(variant);
    const train = idxPair(256, 1);
    const test = idxPair(64, 2);
    const trainSet = engine.loadImageSet(train.images, train.labels, 'mnist', 28, 28);
    const testSet = engine.loadImageSet(test.images, test.labels, 'mnist', 28, 28);
    const data = engine.defaultDataConfig();
    data.dev_size = 32;
    data.augment.max_shift = 2; // augmentation buffers are part of the steady state too
    data.augment.max_rotation = 10;
    const training = engine.defaultTrainConfig();
    training.batch_size = 32;
    training.optimizer.kind = 'adam';
    const threads = engine.buildInfo().threads;

    const buildTrainEvaluate = (epochs) => {
      training.epochs = epochs;
      const session = new engine.ClassifierSession(tinyModel(engine), training, data, trainSet, testSet, threads);
      try {
        trainEpochs(engine, session);
        session.evaluate(engine.Split.test, 5, 0);
        const bytes = session.save();
        assert.ok(bytes.length > 0);
      } finally {
        session.delete();
      }
    };

    try {
      // Warm-up: every code path once, so caches and thread buffers reach their size.
      buildTrainEvaluate(2);
      const heapBefore = engine.HEAP8.buffer.byteLength;
      const allocatedBefore = engine.allocatedBytes();
      const handlesBefore = engine.count_emval_handles();

      buildTrainEvaluate(30);
      for (let i = 0; i < 50; i++) buildTrainEvaluate(1);

      const heapAfter = engine.HEAP8.buffer.byteLength;
      const allocatedAfter = engine.allocatedBytes();
      assert.equal(heapAfter, heapBefore, `wasm memory grew from ${heapBefore} to ${heapAfter} bytes`);
      assert.equal(allocatedAfter, allocatedBefore, `live malloc bytes went from ${allocatedBefore} to ${allocatedAfter}`);
      assert.equal(engine.count_emval_handles(), handlesBefore, 'Embind handles were left behind');

      // The check can fail: a session that is not deleted is seen.
      training.epochs = 1;
      const leaked = new engine.ClassifierSession(tinyModel(engine), training, data, trainSet, testSet, threads);
      assert.ok(engine.allocatedBytes() > allocatedAfter, 'an undeleted session must show in allocatedBytes()');
      leaked.delete();
    } finally {
      trainSet.delete();
      testSet.delete();
    }
  });
}

for (const variant of Object.keys(VARIANTS)) {
  test(`${variant}: a batch too large for the wasm heap is an "out of memory" Error, and the engine still works`, async () => {
    const engine = await engineFor(variant);
    const train = idxPair(64, 3);
    const trainSet = engine.loadImageSet(train.images, train.labels, 'mnist', 28, 28);
    const layer = (fields) => ({ ...engine.defaultLayerSpec(), ...fields });
    // 64 maps of 28×28 per image: a batch of 20,000 needs 4 GB for one activation, over the 2 GB cap.
    const wide = {
      input: [1, 28, 28],
      layers: [layer({ type: 'conv2d', filters: 64, kernel_size: 3, padding: 'same' }), layer({ type: 'flatten' }), layer({ type: 'dense', units: 10 })],
      loss: 'softmax_cross_entropy',
    };
    const data = engine.defaultDataConfig();
    data.dev_size = 0;
    const training = engine.defaultTrainConfig();
    training.batch_size = 20_000;
    try {
      const trainer = new engine.BatchTrainer(wide, training, 1);
      try {
        trainer.input(20_000); // 63 MB: fits
        trainer.target(20_000);
        assert.throws(() => trainer.step(), /out of memory: reduce the batch size or the model/);
      } finally {
        trainer.delete();
      }
      // Nothing is broken: a normal session trains afterwards.
      training.batch_size = 16;
      const session = new engine.ClassifierSession(tinyModel(engine), training, data, trainSet, null, 1);
      try {
        assert.ok(Number.isFinite(session.trainNextBatch().loss));
      } finally {
        session.delete();
      }
    } finally {
      trainSet.delete();
    }
  });
}
