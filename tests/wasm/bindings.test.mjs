// The Embind surface of both wasm builds: build info, presets, the settings registry, errors that
// carry their message, engine-owned batch buffers.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { disposeLoadedEngines, engineFor, readMnist, repoRoot, VARIANTS } from './support/engine.mjs';

/** What the native CLI describes (`profundo-cli settings`, `profundo-cli layers`). */
function nativeDescription(command) {
  const run = spawnSync(path.join(repoRoot, 'build/native/engine/profundo-cli'), [command], { encoding: 'utf8' });
  assert.equal(run.status, 0, `build the native CLI first: ${run.stderr}`);
  return JSON.parse(run.stdout);
}
const nativeRegistry = () => nativeDescription('settings');
const nativeLayerTypes = () => nativeDescription('layers');

after(disposeLoadedEngines);

for (const variant of Object.keys(VARIANTS)) {
  test(`${variant}: buildInfo names the variant, with SIMD`, async () => {
    const engine = await engineFor(variant);
    const info = engine.buildInfo();
    assert.equal(info.variant, variant);
    assert.equal(info.simd, true);
    if (variant === 'wasm-threads') assert.ok(info.threads >= 2, `threads = ${info.threads}`);
    else assert.equal(info.threads, 1);
  });

  test(`${variant}: describeSettings() and layerTypes() are the native engine's tables, and configs come back as its JSON`, async () => {
    const engine = await engineFor(variant);
    assert.deepEqual(JSON.parse(engine.describeSettings()), nativeRegistry());
    assert.deepEqual(JSON.parse(engine.layerTypes()), nativeLayerTypes());
    // Floats come back as the decimals they were written as (the engine writes the shortest form).
    assert.equal(engine.preset('mlp').training.optimizer.learning_rate, 0.001);
    assert.equal(engine.defaultTrainConfig().optimizer.amsgrad, false);
  });

  test(`${variant}: presets come from the engine and model errors arrive as Error messages`, async () => {
    const engine = await engineFor(variant);
    assert.deepEqual(engine.presetNames(), ['logreg', 'mlp', 'tfjs-cnn', 'keras-cnn', 'lenet5', 'best', 'fast99']);
    const mlp = engine.preset('mlp');
    assert.deepEqual(mlp.model.input, [1, 28, 28]);
    assert.equal(mlp.training.optimizer.kind, 'adam');
    const summary = engine.summarizeModel(mlp.model);
    assert.deepEqual(summary.map((row) => row.parameter_count), [0, 200960, 0, 32896, 0, 1290]);
    const broken = structuredClone(mlp.model);
    broken.layers[1].units = 0;
    // The layer table's range (engine/model/layer_types.cpp), for a spec that did not come from JSON.
    assert.throws(() => engine.summarizeModel(broken), /^Error: model\.layers\[1\]\.units must be in \[1, 2147483647\], got 0$/);
    assert.throws(() => engine.preset('resnet'), /unknown preset 'resnet'/);
    assert.throws(() => engine.modelSpecFromJson('{"input": [784], "layers": [{"type": "dense", "unit": 3}]}'), /unknown field 'unit'/);
  });

  test(`${variant}: a BatchTrainer learns logistic regression from JS-written buffers`, async () => {
    const engine = await engineFor(variant);
    const model = { input: [2], layers: [{ ...engine.defaultLayerSpec(), type: 'dense', units: 1 }], loss: 'sigmoid_binary_cross_entropy' };
    const training = engine.defaultTrainConfig();
    training.optimizer.kind = 'sgd';
    training.optimizer.learning_rate = 0.5;
    const trainer = new engine.BatchTrainer(model, training, 1);
    try {
      const n = 64;
      const x = trainer.input(n);
      const points = new Float32Array(n * 2);
      const labels = new Float32Array(n);
      for (let i = 0; i < n; i++) {
        labels[i] = i % 2;
        points[2 * i] = (i % 2 ? 1 : -1) + Math.sin(i) * 0.3;
        points[2 * i + 1] = (i % 2 ? 1 : -1) + Math.cos(i) * 0.3;
      }
      x.set(points);
      trainer.target(n).set(labels);
      const first = trainer.step().loss;
      let last = first;
      for (let i = 0; i < 50; i++) last = trainer.step().loss;
      assert.ok(last < first / 3, `loss ${first} -> ${last}`);
      const probabilities = Float32Array.from(trainer.predict());
      for (let i = 0; i < n; i++) assert.equal(probabilities[i] > 0.5, labels[i] === 1);
      assert.throws(() => trainer.setParameter(0, [1, 2, 3]), /has 2 values, got 3/);
      trainer.setParameter(0, [0.25, -0.5]);
      assert.deepEqual(trainer.parameter(0), [0.25, -0.5]);
    } finally {
      trainer.delete();
    }
  });

  test(`${variant}: invalid hyper-parameters are refused with the field and the value`, async () => {
    const engine = await engineFor(variant);
    const { model, training } = engine.preset('logreg');
    for (const [change, message] of [
      [(t) => (t.optimizer.learning_rate = -1), /^Error: training\.optimizer\.learning_rate must be in \(0, inf\), got -1$/],
      [(t) => (t.optimizer.learning_rate = NaN), /^Error: training\.optimizer\.learning_rate: expected a number, got null$/],
      [(t) => (t.batch_size = 0), /^Error: training\.batch_size must be in \[1, 2147483647\], got 0$/],
      [(t) => (t.batch_size = 2.5), /^Error: training\.batch_size: expected an integer, got 2\.5$/],
      [(t) => (t.optimizer.beta1 = 1), /^Error: training\.optimizer\.beta1 must be in \[0, 1\), got 1$/],
      [(t) => (t.l2 = -0.5), /^Error: training\.l2 must be in \[0, inf\), got -0\.5$/],
      [(t) => (t.optimizer.lr = 0.1), /^Error: training\.optimizer: unknown field 'lr'/],
      [(t) => (t.schedule = 'step'), /^Error: training\.schedule: expected an object, got "step"$/],
    ]) {
      const bad = structuredClone(training);
      change(bad);
      assert.throws(() => new engine.BatchTrainer(model, bad, 1), message);
    }
    // The refusal also crosses as data, for the page to word in its language.
    assert.throws(
      () => new engine.BatchTrainer(model, { ...training, epochs: 0 }, 1),
      (error) => {
        assert.deepEqual(error.setting, { code: 'out_of_range', path: 'training.epochs', expected: { min: { value: 1, inclusive: true }, max: { value: 2147483647, inclusive: true } }, value: 0 });
        return true;
      },
    );
  });
}

for (const variant of Object.keys(VARIANTS)) {
  test(`${variant}: a session saved to bytes and resumed continues exactly, and damaged bytes are refused`, async () => {
    const engine = await engineFor(variant);
    const { model, training } = engine.preset('logreg');
    const train = readMnist('train');
    const set = engine.loadImageSet(train.images, train.labels, 'mnist-train', 28, 28);
    const make = () => new engine.ClassifierSession(model, training, engine.defaultDataConfig(), set, null, 1);
    const straight = make();
    const first = make();
    let resumed;
    try {
      for (let i = 0; i < 30; i++) straight.trainNextBatch();
      for (let i = 0; i < 10; i++) first.trainNextBatch();
      const bytes = first.save();
      assert.ok(bytes instanceof Uint8Array && bytes.length > 7850 * 4);
      resumed = engine.ClassifierSession.resume(bytes, 'logreg.profundo', set, null, 1);
      for (let i = 0; i < 20; i++) resumed.trainNextBatch();
      assert.deepEqual(resumed.parameter(0), straight.parameter(0));
      bytes[bytes.length >> 1] ^= 0x40;
      assert.throws(() => engine.ClassifierSession.resume(bytes, 'logreg.profundo', set, null, 1), /logreg\.profundo: corrupted/);
      const dev = resumed.evaluate(engine.Split.dev, 3, 0);
      assert.equal(dev.count, 5000);
      assert.equal(dev.mistakes.length, 3);
      assert.ok(dev.mistakes[0].confidence >= dev.mistakes[2].confidence);
      assert.equal(dev.per_class_accuracy.length, 10);
    } finally {
      for (const s of [straight, first, resumed]) s?.delete();
      set.delete();
    }
  });
}

for (const variant of Object.keys(VARIANTS)) {
  test(`${variant}: a session exported as ONNX reopens with the same predictions, and a broken file is refused`, async () => {
    const engine = await engineFor(variant);
    const { model, training } = engine.preset('tfjs-cnn');
    const train = readMnist('train');
    const set = engine.loadImageSet(train.images, train.labels, 'mnist-train', 28, 28);
    let trained;
    let imported;
    try {
      trained = new engine.ClassifierSession(model, training, engine.defaultDataConfig(), set, null, 1);
      for (let i = 0; i < 5; i++) trained.trainNextBatch();
      const bytes = trained.exportOnnx();
      assert.ok(bytes instanceof Uint8Array && bytes.length > 4 * 5000);
      imported = engine.ClassifierSession.fromOnnx(bytes, 'tfjs.onnx', set, null, 1);
      const digit = train.images.subarray(16, 16 + 784);
      assert.deepEqual(imported.predictPixels(digit), trained.predictPixels(digit));
      assert.deepEqual(imported.exportOnnx(), bytes);
      assert.equal(engine.ClassifierSession.onnxDataset(bytes, 'tfjs.onnx'), 'mnist'); // the file's metadata
      assert.throws(() => engine.ClassifierSession.fromOnnx(bytes.subarray(0, 1000), 'tfjs.onnx', set, null, 1), /tfjs\.onnx: /);
    } finally {
      for (const s of [trained, imported]) s?.delete();
      set.delete();
    }
  });
}

for (const variant of Object.keys(VARIANTS)) {
  test(`${variant}: the PyTorch project and the notebook come out of the same engine code as the CLI's`, async () => {
    const engine = await engineFor(variant);
    const { model, training } = engine.preset('tfjs-cnn');
    const train = readMnist('train');
    const test = readMnist('t10k');
    const set = engine.loadImageSet(train.images, train.labels, 'mnist-train', 28, 28);
    const testSet = engine.loadImageSet(test.images, test.labels, 'mnist-test', 28, 28);
    let trained;
    try {
      trained = new engine.ClassifierSession(model, training, engine.defaultDataConfig(), set, testSet, 1);
      for (let i = 0; i < 3; i++) trained.trainNextBatch();
      const files = trained.exportPytorchProject();
      assert.deepEqual(Object.keys(files).sort(), ['README.md', 'data.py', 'model.py', 'optim.py', 'run.json', 'state.bin', 'state.json', 'train.py']);
      assert.match(files['model.py'], /nn\.Conv2d\(1, 8, kernel_size=5\)/);
      assert.match(files['train.py'], /DistributedDataParallel/);
      assert.ok(files['state.bin'] instanceof Uint8Array);
      const index = JSON.parse(files['state.json']);
      const last = index.tensors.at(-1);
      assert.equal(files['state.bin'].length, last.offset + 4 * last.shape.reduce((a, b) => a * b, 1));
      assert.equal(JSON.parse(files['run.json']).progress.steps, 3);
      const notebook = JSON.parse(trained.exportNotebook(JSON.stringify({ language: 'es', title: 'tfjs-cnn', history: [] })));
      assert.equal(notebook.nbformat, 4);
      assert.match(notebook.cells[0].source, /^# Profundo: tfjs-cnn en mnist/);
      assert.throws(() => trained.exportNotebook('{"colour": "blue"}'), /notebook request: unexpected 'colour'/);
      // The run's curves travel in the saved file's header ("history"), as given.
      const history = { epochs: [], lossSteps: [1, 2, 3], losses: [2.5, 2.25, 2] };
      trained.setHistory(JSON.stringify(history));
      const saved = trained.save();
      const headerLength = new DataView(saved.buffer, saved.byteOffset).getUint32(12, true);
      assert.deepEqual(JSON.parse(new TextDecoder().decode(saved.subarray(16, 16 + headerLength))).history, history);
      assert.throws(() => trained.setHistory('{not json'), /history: not JSON/);
    } finally {
      trained?.delete();
      set.delete();
      testSet.delete();
    }
  });
}
