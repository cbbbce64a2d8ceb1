// The course labs' Embind surface (bindings/labs_bindings.cpp) in both wasm builds: every function
// and NetworkLab method the worker uses, with the numbers the native tests pin, and errors that
// carry the engine's message.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { disposeLoadedEngines, engineFor, readMnist, VARIANTS } from './support/engine.mjs';

after(disposeLoadedEngines);

const close = (actual, expected, tolerance = 1e-5) => assert.ok(Math.abs(actual - expected) <= tolerance, `${actual} ≠ ${expected}`);

for (const variant of Object.keys(VARIANTS)) {
  test(`${variant}: stateless labs give the pinned numbers`, async () => {
    const engine = await engineFor(variant);
    const softmax = engine.labSoftmax([3, -2, 6], 2);
    assert.deepEqual(softmax.softmax.map((p) => Number(p.toFixed(4))), [0.0474, 0.0003, 0.9523]);
    assert.deepEqual(softmax.hardmax, [0, 0, 1]);
    assert.equal(softmax.predicted, 2);
    assert.throws(() => engine.labSoftmax([1, 2], 5), /trueClass/);

    const ewa = engine.labEwa([10, 20], 0.9);
    close(ewa.plain[1], 2.9);
    close(ewa.corrected[1], 15.263158, 1e-4);
    assert.equal(engine.labTemperatureSeries(365, 3, 1).length, 365);

    const sgd = { kind: 'sgd', learning_rate: 0.02, beta: 0.9, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 };
    const path = engine.labTrajectory('bowl', sgd, 2, 1, 1);
    close(path.w1[1], 1.96); // W − α dW with dW = (w1, 50 w2) = (2, 50)
    close(path.w2[1], 0);
    assert.equal(path.diverged, false);
    const grid = engine.labSurfaceGrid('rosenbrock', 5, 4);
    assert.equal(grid.values.length, 20);
    assert.throws(() => engine.labSurfaceGrid('bowel', 5, 5), /bowel/);

    const curve = engine.labActivationCurve('sigmoid', -1, 1, 3, 0.01);
    close(curve.derivative[1], 0.25);
    const points = engine.labPointSet('circles', 20, 0, 1);
    assert.equal(points.x.length, 40);

    const init = engine.labInitializationStatistics({ ...engine.defaultInitializationLabConfig(), layers: 3, width: 20, samples: 50 });
    assert.equal(init.length, 3);
    const normalization = engine.labNormalization({ ...engine.defaultNormalizationLabConfig(), normalize: true, learning_rate: 0.03 });
    assert.equal(normalization.path_w1.length, 101);
    assert.equal(normalization.diverged, false);
  });

  test(`${variant}: a NetworkLab takes the by-hand logistic regression step`, async () => {
    const engine = await engineFor(variant);
    const config = engine.defaultNetworkLabConfig();
    config.hidden = [];
    config.init = 'zeros';
    config.training.optimizer.kind = 'sgd';
    config.training.optimizer.learning_rate = 0.1;
    config.training.batch_size = 2;
    const lab = new engine.NetworkLab(config, [1, 2, -1, 0], [1, 0]);
    try {
      close(lab.evaluate().loss, Math.log(2));
      const step = lab.train(1);
      assert.equal(step.steps, 1);
      assert.deepEqual(lab.gradient(0), [-0.5, -0.5]);
      lab.parameter(0).forEach((w) => close(w, 0.05));
      assert.equal(lab.parameterCount(), 2);
      assert.equal(lab.predictGrid(-1, 1, -1, 1, 2, 2).length, 4);
      assert.equal(lab.weightGradientNorms().length, 1);
      assert.deepEqual(lab.activationStatistics(5), []);
      lab.setPoints([0, 0, 1, 1, 2, 2], [0, 1, 1]);
      assert.equal(lab.points(), 3);
      assert.equal(lab.trainEpochs(1).epochs, 2);
      assert.throws(() => lab.linearCollapse(), /linear/);
      assert.throws(() => lab.setPoints([0], [1]), /network\.points/);
    } finally {
      lab.delete();
    }
    assert.throws(() => new engine.NetworkLab({ ...config, hidden: [0] }, [0, 0], [1]), /network\.hidden\[0\]/);
    const normed = new engine.NetworkLab({ ...config, init: 'auto', hidden: [3], batch_norm: true }, [1, 2, -1, 0], [1, 0]);
    try {
      assert.deepEqual(normed.batchNormRunning(0), [0, 0, 0, 1, 1, 1]); // μ starts at 0, σ² at 1
      normed.train(1);
      assert.notDeepEqual(normed.batchNormRunning(0), [0, 0, 0, 1, 1, 1]);
      assert.throws(() => normed.batchNormRunning(1), /no batch-norm layer 1/);
    } finally {
      normed.delete();
    }
  });

  test(`${variant}: a bias/variance experiment on MNIST and the augmentation preview`, async () => {
    const engine = await engineFor(variant);
    const { images, labels } = readMnist('train');
    const train = engine.loadImageSet(images, labels, 'mnist-train', 28, 28);
    try {
      // The experiment's training and data fields start at the engine's defaults (the lab's are in
      // web/src/labs/defaults.json); this one sets the rest. The settings registry writes floats as
      // their shortest decimal, value_object as the float itself: compared as float32.
      const neutral = engine.defaultBiasVarianceExperiment();
      const training = engine.defaultTrainConfig();
      const data = engine.defaultDataConfig();
      assert.deepEqual(
        [neutral.l2, neutral.l2_decoupled, neutral.epochs, neutral.learning_rate, neutral.seed, neutral.normalization, neutral.dev_size],
        [training.l2, training.l2_decoupled, training.epochs, Math.fround(training.optimizer.learning_rate), training.seed, data.normalization, data.dev_size],
      );
      const experiment = { ...neutral, train_size: 200, dev_size: 500, hidden: [32], epochs: 30 };
      const result = engine.labBiasVariance(train, experiment, engine.buildInfo().threads);
      // 200 images learnt almost by heart, 500 unseen ones much worse: the lecture's high variance.
      assert.ok(result.train_error < 0.05, `train error ${result.train_error}`);
      assert.ok(result.dev_error > result.train_error + 0.05, `dev error ${result.dev_error}`);
      assert.equal(result.parameters, 784 * 32 + 32 + 32 * 10 + 10);
      const pixels = engine.labAugmentationPreview(train, 0, 8, 1);
      assert.ok(pixels instanceof Uint8Array);
      assert.equal(pixels.length, 8 * 784);
      assert.throws(() => engine.labBiasVariance(train, { ...experiment, train_size: 60000 }, 1), /more than the 60000 training images/);
      assert.throws(() => engine.labBiasVariance(train, { ...experiment, normalization: 'zscore' }, 1), /normalization/);
    } finally {
      train.delete();
    }
  });
}
