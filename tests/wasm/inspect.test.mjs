// The Embind surface of bindings/inspect_bindings.cpp on both wasm builds: every layer's output
// for one MNIST image (typed arrays, ending in the logits of predictPixels), parameter and gradient
// histograms, conv filters, the augmentation preview, and uploaded IDX files with errors that
// name the file.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { disposeLoadedEngines, engineFor, readMnist, VARIANTS } from './support/engine.mjs';

after(disposeLoadedEngines);

/** The first `count` images (or labels) of MNIST bytes as a new, smaller IDX file. */
function firstOf(bytes, count, header) {
  const out = new Uint8Array(header + (count * (bytes.length - header)) / new DataView(bytes.buffer, bytes.byteOffset).getUint32(4));
  out.set(bytes.subarray(0, out.length));
  new DataView(out.buffer).setUint32(4, count);
  return out;
}

const train = readMnist('train');
const small = { images: firstOf(train.images, 600, 16), labels: firstOf(train.labels, 600, 8) };

for (const variant of Object.keys(VARIANTS)) {
  test(`${variant}: layer outputs, histograms and filters of a small trained tfjs-cnn`, async () => {
    const engine = await engineFor(variant);
    const { model, training } = engine.preset('tfjs-cnn');
    const set = engine.loadIdxFiles({ name: 'images', bytes: small.images }, { name: 'labels', bytes: small.labels }, 'small', 28, 28);
    const data = { ...engine.defaultDataConfig(), dev_size: 100 };
    const session = new engine.ClassifierSession(model, { ...training, batch_size: 50 }, data, set, null, 1);
    try {
      const zeroGrads = engine.parameterHistograms(session, 10);
      assert.ok(zeroGrads.every((p) => p.gradients.low === -0.5 && p.gradients.high === 0.5), 'no step yet: zero gradients');
      for (let i = 0; i < 5; i++) session.trainNextBatch();

      const pixels = small.images.slice(16, 16 + 784);
      const outputs = engine.layerOutputs(session, pixels);
      assert.deepEqual(outputs.map((o) => o.kind), model.layers.map((l) => l.type));
      assert.deepEqual(outputs[0].shape, [8, 24, 24]);
      assert.ok(outputs.every((o) => o.values instanceof Float32Array && o.values.length === o.shape.reduce((a, b) => a * b, 1)));
      const logits = Array.from(outputs.at(-1).values);
      const top = Math.max(...logits);
      const exp = logits.map((z) => Math.exp(z - top));
      const total = exp.reduce((a, b) => a + b, 0);
      const probabilities = session.predictPixels(pixels);
      exp.forEach((e, k) => assert.ok(Math.abs(e / total - probabilities[k]) < 1e-5, `class ${k}`));
      assert.throws(() => engine.layerOutputs(session, pixels.subarray(1)), /expected 784 pixels, got 783/);

      const histograms = engine.parameterHistograms(session, 20);
      assert.deepEqual(histograms.map((p) => `${p.layer}.${p.layer_kind}.${p.name}`), ['0.conv2d.W', '0.conv2d.b', '3.conv2d.W', '3.conv2d.b', '7.dense.W', '7.dense.b']);
      for (const p of histograms) {
        const size = p.shape.reduce((a, b) => a * b, 1);
        assert.equal(p.values.counts.length, 20);
        assert.equal(p.values.counts.reduce((a, b) => a + b, 0), size);
        assert.equal(p.gradients.counts.reduce((a, b) => a + b, 0) + p.gradients.non_finite, size);
      }
      assert.ok(histograms[0].gradients.low < 0 && histograms[0].gradients.high > 0, 'gradients after a step');
      assert.throws(() => engine.parameterHistograms(session, 0), /bins must be at least 1/);

      const filters = engine.convFilters(session);
      assert.deepEqual(filters.map((f) => [f.layer, f.shape]), [[0, [8, 1, 5, 5]], [3, [16, 8, 5, 5]]]);
      assert.ok(filters[0].weights instanceof Float32Array && filters[0].weights.length === 200);
    } finally {
      session.delete();
      set.delete();
    }
  });

  test(`${variant}: augmentation preview and uploaded IDX files`, async () => {
    const engine = await engineFor(variant);
    const images = small.images.slice(16, 16 + 4 * 784);
    const off = { max_shift: 0, max_rotation: 0, max_zoom: 0, elastic_alpha: 0, elastic_sigma: 4 };
    assert.deepEqual(engine.augmentPreview(images, 4, 1, 28, 28, off, 1), images);
    const on = { ...off, max_rotation: 20, max_shift: 2 };
    const a = engine.augmentPreview(images, 4, 1, 28, 28, on, 1);
    assert.ok(a instanceof Uint8Array && a.length === 4 * 784);
    assert.deepEqual(engine.augmentPreview(images, 4, 1, 28, 28, on, 1), a);
    assert.notDeepEqual(engine.augmentPreview(images, 4, 1, 28, 28, on, 2), a);
    assert.throws(() => engine.augmentPreview(images, 4, 1, 28, 28, { ...on, max_rotation: 200 }, 1), /^Error: data\.augment\.max_rotation must be in \[0, 180\], got 200$/);

    const bad = small.labels.slice();
    bad[0] = 0x12;
    assert.throws(
      () => engine.loadIdxFiles({ name: 'imgs.idx', bytes: small.images }, { name: 'lbls.idx', bytes: bad }, 'mine', 28, 28),
      /^Error: lbls\.idx: not an IDX file: the magic number is 0x12000801, expected 0x00000801/,
    );
    assert.throws(
      () => engine.loadIdxFiles({ name: 'imgs.idx', bytes: small.images.subarray(0, 1000) }, { name: 'lbls.idx', bytes: small.labels }, 'mine', 28, 28),
      /imgs\.idx: truncated: the header promises 470400 bytes of data but the file has 984/,
    );
    const set = engine.loadIdxFiles({ name: 'imgs.idx', bytes: small.images }, { name: 'lbls.idx', bytes: small.labels }, 'mine', 28, 28);
    assert.equal(set.count, 600);
    set.delete();
  });
}
