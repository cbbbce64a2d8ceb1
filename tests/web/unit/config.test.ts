// The configuration the student chooses before training: the form ↔ request, the URL hash (every
// field, a custom model), the model code, the worker's representability check and the model
// description, without wasm (a fake summarizeModel).
import { describe, expect, it } from 'vitest';
import { tf } from '../../../web/src/i18n';
import type { LayerSpec, LayerSummary, ModelSpec } from '../../../web/src/engine/types';
import { decodeLayers, encodeLayers } from '../../../web/src/screens/train/layer-code';
import { layerFields, LAYER_TYPES, newLayer } from '../../../web/src/screens/train/layer-types';
import { modelToJson } from '../../../web/src/screens/train/model-json';
import { formFromPreset, settingsFromForm, TEXT_FIELDS, type TrainForm } from '../../../web/src/screens/train/settings';
import { formFromUrl, hashFromForm, parseUrlConfig, URL_KEYS } from '../../../web/src/screens/train/url-config';
import { checkDataConfig, checkModelSpec, checkTrainConfig } from '../../../web/src/worker/config-check';
import { describeModel } from '../../../web/src/worker/model-summary';
import type { PresetSummary } from '../../../web/src/worker/protocol';

/** The engine's default LayerSpec (engine/model/model_spec.hpp). */
const DEFAULTS: LayerSpec = { type: '', units: 0, filters: 0, kernel_size: 0, stride: 0, padding: 'valid', init: 'auto', bias: 0, slope: 0.01, p: 0.5, momentum: 0.9, epsilon: 1e-5 };
const layer = (type: string, fields: Partial<LayerSpec> = {}): LayerSpec => ({ ...DEFAULTS, type, ...fields });

function preset(name: string, layers: LayerSpec[], kind = 'adam', lr = 0.001): PresetSummary {
  return {
    name,
    description: `${name} model`,
    model: { input: [1, 28, 28], layers, loss: 'softmax_cross_entropy' },
    training: {
      optimizer: { kind, learning_rate: lr, beta: 0.9, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 },
      schedule: { kind: 'constant', c1: 1, c2: 100, gamma: 0.5, step_size: 1000 },
      batch_size: 64,
      epochs: 5,
      l2: 0,
      clip_norm: 0,
      seed: 1,
    },
    data: { dev_size: 5000, normalization: 'scale', augment: { max_shift: 0, max_rotation: 0, max_zoom: 0, elastic_alpha: 0, elastic_sigma: 4 } },
  };
}

const LOGREG = preset('logreg', [layer('flatten'), layer('dense', { units: 10 })], 'sgd', 0.1);
const KERAS = preset('keras-cnn', [
  layer('conv2d', { filters: 32, kernel_size: 3 }),
  layer('relu'),
  layer('maxpool2d', { kernel_size: 2 }),
  layer('flatten'),
  layer('dropout', { p: 0.5 }),
  layer('dense', { units: 10 }),
]);
const PRESETS = [LOGREG, KERAS];

/** The form a URL hash gives (with the test presets). */
const formOf = (hash: string) => formFromUrl(PRESETS, parseUrlConfig(hash), DEFAULTS);

describe('the URL hash', () => {
  it('keeps the first keys working: preset, epochs, batch/batchSize/bs, lr/learningRate, optimizer, seed, dataset, autostart', () => {
    const { form, problems } = formOf('#preset=keras-cnn&epochs=1&lr=0.001&autostart=1');
    expect(problems).toEqual([]);
    expect(form).toEqual({ ...formFromPreset(KERAS, 'mnist'), epochs: '1', learningRate: '0.001' });
    expect(parseUrlConfig('#preset=keras-cnn&autostart=1').autostart).toBe(true);
    expect(parseUrlConfig('#preset=keras-cnn').autostart).toBe(false);
    const other = formOf('#bs=32&optimizer=momentum&seed=7&dataset=fashion-mnist&junk=1').form;
    expect(other).toMatchObject({ preset: 'logreg', batchSize: '32', optimizer: 'momentum', seed: '7', dataset: 'fashion-mnist' });
    expect(formOf('#batchSize=16&learningRate=0.5').form).toMatchObject({ batchSize: '16', learningRate: '0.5' });
    expect(formOf('#batch=8').form.batchSize).toBe('8');
    expect(formOf('#dataset=cifar').form.dataset).toBe('mnist');
  });

  it('round-trips every field, a custom model and augmentation', () => {
    const form = formFromPreset(KERAS, 'fashion-mnist');
    TEXT_FIELDS.forEach((field, i) => (form[field] = `${i + 0.5}`));
    Object.assign(form, { optimizer: 'rmsprop', schedule: 'inverse_time', normalization: 'standardize', augment: true });
    form.model.layers = [
      layer('conv2d', { filters: 4, kernel_size: 5, stride: 2, padding: 'same', init: 'xavier_normal', bias: 0.1 }),
      layer('batchnorm', { momentum: 0.8, epsilon: 0.001 }),
      layer('leaky_relu', { slope: 0.2 }),
      layer('avgpool2d', { kernel_size: 2, stride: 1 }),
      layer('flatten'),
      layer('dropout', { p: 0.3 }),
      layer('dense', { units: 10, init: 'he_normal' }),
    ];
    const hash = hashFromForm(form, KERAS, DEFAULTS);
    expect(hash).toContain('model=conv2d:f=4:k=5:s=2:pad=same:init=xavier_normal:bias=0.1,batchnorm:m=0.8:eps=0.001,leaky_relu:slope=0.2,avgpool2d:k=2:s=1,flatten,dropout:p=0.3,dense:u=10:init=he_normal');
    for (const field of TEXT_FIELDS.filter((f) => !['optimizer', 'schedule', 'normalization'].includes(f))) expect(hash).toContain(`${URL_KEYS[field][0]}=`);
    const back = formOf(`#${hash}`);
    expect(back.problems).toEqual([]);
    expect(back.form).toEqual(form);
    // And from the other preset: everything is written, so the preset does not matter.
    const fromLogreg = { ...structuredClone(form), preset: 'logreg' };
    expect(formOf(`#${hashFromForm(fromLogreg, LOGREG, DEFAULTS)}`).form).toEqual(fromLogreg);
  });

  it('writes only what differs from the preset; one init or dropout p for all layers as init= / dropout=', () => {
    const form = formFromPreset(KERAS, 'mnist');
    expect(hashFromForm(form, KERAS, DEFAULTS)).toBe('dataset=mnist&preset=keras-cnn');
    Object.assign(form, { optimizer: 'adam', beta1: '0.8', l2: '0.0001', learningRate: '1e-3', batchSize: 'full' });
    for (const l of form.model.layers) {
      if (l.type === 'conv2d' || l.type === 'dense') l.init = 'xavier_uniform';
      if (l.type === 'dropout') l.p = 0.25;
    }
    const hash = hashFromForm(form, KERAS, DEFAULTS);
    expect(hash).toBe('dataset=mnist&preset=keras-cnn&init=xavier_uniform&dropout=0.25&batch=full&lr=1e-3&beta1=0.8&l2=0.0001');
    expect(formOf(`#${hash}`).form).toEqual(form);
    // One layer's init only: that is a custom model.
    form.model.layers[0]!.init = 'he_normal';
    expect(hashFromForm(form, KERAS, DEFAULTS)).toContain('model=conv2d:f=32:k=3:init=he_normal,relu,');
  });

  it('keeps invalid values for the engine and reports what it cannot read', () => {
    const { form, problems } = formOf('#preset=resnet&lr=-1&epochs=abc&model=dense:u=x:q=1,conv2d:k,pool&augment=1');
    expect(form).toMatchObject({ preset: 'logreg', learningRate: '-1', epochs: 'abc', augment: true });
    expect(form.model.layers.map((l) => l.type)).toEqual(['dense', 'conv2d', 'pool']);
    expect(form.model.layers[0]!.units).toBeNaN();
    expect(problems).toEqual([
      "preset: unknown preset 'resnet' (known presets: logreg, keras-cnn)",
      "model: layer 1 (dense): unknown option 'q' (expected u, init, bias)",
      "model: layer 2 (conv2d): 'k' is not name=value",
    ]);
  });
});

describe('the model code', () => {
  it('round-trips a layer of every type with every field it reads', () => {
    const layers = LAYER_TYPES.map((type, i) => {
      const l = newLayer(type, DEFAULTS);
      for (const field of layerFields(type)) {
        if (field === 'padding') l.padding = 'same';
        else if (field === 'init') l.init = 'zeros';
        else (l as unknown as Record<string, number>)[field] = i + 2;
      }
      return l;
    });
    const code = encodeLayers(layers, DEFAULTS);
    expect(decodeLayers(code, DEFAULTS)).toEqual({ layers, problems: [] });
    expect(decodeLayers('dense:units=10:kernel_size=3', DEFAULTS).problems).toEqual(["model: layer 1 (dense): unknown option 'kernel_size' (expected u, init, bias)"]);
    expect(decodeLayers('', DEFAULTS).layers).toEqual([]);
  });
});

describe('the model as JSON (the CLI\'s --model file)', () => {
  it('writes each layer with the fields its type reads', () => {
    const text = modelToJson(KERAS.model);
    expect(JSON.parse(text)).toEqual({
      input: [1, 28, 28],
      layers: [
        { type: 'conv2d', filters: 32, kernel_size: 3, stride: 0, padding: 'valid', init: 'auto', bias: 0 },
        { type: 'relu' },
        { type: 'maxpool2d', kernel_size: 2, stride: 0 },
        { type: 'flatten' },
        { type: 'dropout', p: 0.5 },
        { type: 'dense', units: 10, init: 'auto', bias: 0 },
      ],
      loss: 'softmax_cross_entropy',
    });
    expect(text.split('\n')[3]).toBe('    {"type":"conv2d","filters":32,"kernel_size":3,"stride":0,"padding":"valid","init":"auto","bias":0},');
  });

  it('keeps a changed input shape and loss in the URL', () => {
    const form = formFromPreset(LOGREG, 'mnist');
    form.model = { input: [784], layers: [layer('dense', { units: 10 })], loss: 'mean_squared_error' };
    const hash = hashFromForm(form, LOGREG, DEFAULTS);
    expect(hash).toBe('dataset=mnist&preset=logreg&model=dense:u=10&input=784&loss=mean_squared_error');
    expect(formOf(`#${hash}`).form).toEqual(form);
    expect(formOf('#input=1x28x28').form.model.input).toEqual([1, 28, 28]);
  });
});

describe('form → train request', () => {
  it('carries the whole configuration', () => {
    const form: TrainForm = { ...formFromPreset(KERAS, 'mnist'), optimizer: 'adam', beta1: '0.8', beta2: '0.99', epsilon: '1e-7', l2: '0.0001', clip: '2.5', epochs: '1', devSize: '1000' };
    Object.assign(form, { schedule: 'exponential', gamma: '0.9', stepSize: '100', normalization: 'standardize', augment: true, shift: '3', rotation: '5', zoom: '0.2', elasticAlpha: '34', elasticSigma: '4' });
    const settings = settingsFromForm(form);
    expect(settings).toEqual({
      preset: 'keras-cnn',
      dataset: 'mnist',
      model: KERAS.model,
      training: {
        optimizer: { kind: 'adam', learning_rate: 0.001, beta: 0.9, beta1: 0.8, beta2: 0.99, epsilon: 1e-7 },
        schedule: { kind: 'exponential', c1: 1, c2: 100, gamma: 0.9, step_size: 100 },
        batch_size: 64,
        epochs: 1,
        l2: 0.0001,
        clip_norm: 2.5,
        seed: 1,
      },
      data: { dev_size: 1000, normalization: 'standardize', augment: { max_shift: 3, max_rotation: 5, max_zoom: 0.2, elastic_alpha: 34, elastic_sigma: 4 } },
    });
    expect(settings.model).not.toBe(form.model);
  });

  it('passes invalid values through (as numbers, NaN when not one); augmentation off sends zeros; full batch', () => {
    const form: TrainForm = { ...formFromPreset(LOGREG, 'mnist'), learningRate: '-1', epochs: '', seed: 'abc', beta2: '1.5', batchSize: ' FULL ' };
    const settings = settingsFromForm(form);
    expect(settings.training.optimizer.learning_rate).toBe(-1);
    expect(settings.training.optimizer.beta2).toBe(1.5);
    expect(settings.training.epochs).toBeNaN();
    expect(settings.training.seed).toBeNaN();
    expect(settings.fullBatch).toBe(true);
    expect(settings.data.augment).toEqual({ max_shift: 0, max_rotation: 0, max_zoom: 0, elastic_alpha: 0, elastic_sigma: 4 });
    expect(formFromPreset(LOGREG, 'mnist')).toMatchObject({ augment: false, shift: '2', rotation: '10', zoom: '0.1' }); // the switch's starting strengths
  });
});

describe('the worker\'s check before the engine', () => {
  it('names a field that would not cross unchanged', () => {
    const { training, data, model } = settingsFromForm({ ...formFromPreset(KERAS, 'mnist'), epochs: '', seed: '-1', l2: 'x' });
    expect(() => checkTrainConfig(training)).toThrow('training.epochs: expected a whole number, got NaN');
    expect(() => checkTrainConfig({ ...training, epochs: 1 })).toThrow('training.l2: expected a number, got NaN');
    expect(() => checkTrainConfig({ ...training, epochs: 1, l2: 0 })).toThrow('training.seed: expected a whole number from 0 to 4294967295, got -1');
    expect(() => checkTrainConfig({ ...training, epochs: 1, l2: 0, seed: 3 })).not.toThrow();
    expect(() => checkDataConfig({ ...data, dev_size: 10.5 })).toThrow('data.dev_size: expected a whole number, got 10.5');
    expect(() => checkModelSpec({ ...model, layers: [layer('dense', { units: 2.5 })] })).toThrow('model.layers[0].units: expected a whole number, got 2.5');
    // Out-of-range but representable values are the engine's call.
    expect(() => checkTrainConfig({ ...training, epochs: 0, l2: -1, seed: 3 })).not.toThrow();
  });
});

describe('describeModel', () => {
  /** A fake builder: dense gives [units]; conv2d needs an image input and a kernel that fits. */
  const engine = {
    summarizeModel(spec: ModelSpec): LayerSummary[] {
      let shape = spec.input;
      return spec.layers.map((l, i) => {
        let parameters = 0;
        if (l.type === 'dense') {
          const inputs = shape.reduce((a, b) => a * b, 1);
          shape = [l.units];
          parameters = inputs * l.units + l.units;
        } else if (l.type === 'conv2d') {
          if (shape.length !== 3) throw new Error(`model.layers[${i}] (conv2d): conv2d needs an image input [channels, height, width], got [${shape.join(', ')}]`);
          if (l.kernel_size > shape[1]!) throw new Error(`model.layers[${i}] (conv2d): kernel_size ${l.kernel_size} is larger than the input`);
          parameters = l.filters * (shape[0]! * l.kernel_size ** 2 + 1);
          shape = [l.filters, shape[1]! - l.kernel_size + 1, shape[2]! - l.kernel_size + 1];
        } else if (l.type === 'flatten') shape = [shape.reduce((a, b) => a * b, 1)];
        return { type: l.type, output_shape: shape, parameter_count: parameters };
      });
    },
  };
  const model = (layers: LayerSpec[]): ModelSpec => ({ input: [1, 28, 28], layers, loss: 'softmax_cross_entropy' });

  it('gives every layer its output shape and parameters', () => {
    expect(describeModel(engine, model([layer('conv2d', { filters: 8, kernel_size: 5 }), layer('flatten'), layer('dense', { units: 10 })]), 10)).toEqual({
      layers: [
        { type: 'conv2d', outputShape: [8, 24, 24], parameterCount: 208 },
        { type: 'flatten', outputShape: [4608], parameterCount: 0 },
        { type: 'dense', outputShape: [10], parameterCount: 46090 },
      ],
      parameterCount: 46298,
    });
  });

  it('shows the engine\'s refusal and the layers before the one that does not fit', () => {
    const refused = describeModel(engine, model([layer('flatten'), layer('dense', { units: 10 }), layer('conv2d', { filters: 8, kernel_size: 3 })]), 10);
    expect(refused).toMatchObject({ errorLayer: 2, parameterCount: 7850, error: 'model.layers[2] (conv2d): conv2d needs an image input [channels, height, width], got [10]' });
    expect(refused.layers.map((l) => l.type)).toEqual(['flatten', 'dense']);
    expect(describeModel(engine, model([layer('conv2d', { filters: 8, kernel_size: 30 })]), 10)).toMatchObject({ layers: [], errorLayer: 0, error: expect.stringContaining('kernel_size 30') });
    expect(describeModel(engine, model([layer('flatten'), layer('dense', { units: 7 })]), 10)).toMatchObject({
      errorLayer: 1,
      error: 'the last layer has 7 outputs but the dataset has 10 classes (end with a dense layer of 10 units)',
      classMismatch: { outputs: 7, classes: 10 },
    });
    // The page words the mismatch in its language; in English, as the worker does.
    expect(tf('model.classMismatch', { outputs: 7, classes: 10 }, 'en')).toBe('the last layer has 7 outputs but the dataset has 10 classes (end with a dense layer of 10 units)');
    expect(tf('model.classMismatch', { outputs: 7, classes: 10 }, 'es')).toBe('la última capa tiene 7 salidas pero el conjunto de datos tiene 10 clases (termina con una capa densa de 10 unidades)');
    expect(describeModel(engine, model([layer('dense', { units: NaN })]), 10)).toEqual({ layers: [], parameterCount: 0, error: 'model.layers[0].units: expected a whole number, got NaN' });
  });
});
