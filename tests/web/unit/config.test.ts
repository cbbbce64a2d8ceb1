// The configuration the student chooses before training: the form ↔ request, the URL hash (every
// field, a custom model), the model code, the worker's representability check and the model
// description, without wasm (a fake summarizeModel).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LOCALE_LIST, messages, setLocale, tf } from '../../../web/src/i18n';
import { defaultsOf, type SettingKey } from '../../../web/src/engine/settings-registry';
import type { DataConfig, LayerSpec, LayerSummary, ModelSpec, TrainConfig } from '../../../web/src/engine/types';
import { decodeLayers, encodeLayers } from '../../../web/src/screens/train/layer-code';
import { layerFields, LAYER_TYPES, newLayer } from '../../../web/src/screens/train/layer-types';
import { LAYER_TABLE } from '../../../web/src/engine/generated/layers';
import { modelToJson } from '../../../web/src/screens/train/model-json';
import { FORM_SETTINGS, formFromPreset, problemsOf, settingsFromForm, type TrainForm } from '../../../web/src/screens/train/settings';
import { formFromUrl, hashFromForm, parseUrlConfig } from '../../../web/src/screens/train/url-config';
import { checkModelSpec } from '../../../web/src/worker/config-check';
import { describeModel } from '../../../web/src/worker/model-summary';
import { toEngineError, type PresetSummary } from '../../../web/src/worker/protocol';
import { engineSettingText } from '../../../web/src/i18n/setting-problem';

/** The engine's default LayerSpec (engine/model/model_spec.hpp), as its layer table gives it. */
const DEFAULTS = { type: '', ...Object.fromEntries(LAYER_TABLE.fields.map((row) => [row.path, row.default])) } as LayerSpec;
const layer = (type: string, fields: Partial<LayerSpec> = {}): LayerSpec => ({ ...DEFAULTS, type, ...fields });

/** A preset at the engine's defaults (the registry's), with its optimiser, α and 5 epochs. */
function preset(name: string, layers: LayerSpec[], kind = 'adam', lr = 0.001): PresetSummary {
  const training = defaultsOf<TrainConfig>('training');
  Object.assign(training.optimizer, { kind, learning_rate: lr });
  training.epochs = 5;
  return { name, description: `${name} model`, model: { input: [1, 28, 28], layers, loss: 'softmax_cross_entropy' }, training, data: defaultsOf<DataConfig>('data') };
}

/** A form with some settings changed, by registry key. */
function changed(form: TrainForm, values: Partial<Record<SettingKey, string>>, rest: Partial<TrainForm> = {}): TrainForm {
  return { ...form, ...rest, values: { ...form.values, ...values } as TrainForm['values'] };
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
    expect(form).toEqual(changed(formFromPreset(KERAS, 'mnist'), { 'training.epochs': '1', 'training.optimizer.learning_rate': '0.001' }));
    expect(parseUrlConfig('#preset=keras-cnn&autostart=1').autostart).toBe(true);
    expect(parseUrlConfig('#preset=keras-cnn').autostart).toBe(false);
    const other = formOf('#bs=32&optimizer=momentum&seed=7&dataset=fashion-mnist&junk=1').form;
    expect(other).toMatchObject({ preset: 'logreg', dataset: 'fashion-mnist' });
    expect(other.values).toMatchObject({ 'training.batch_size': '32', 'training.optimizer.kind': 'momentum', 'training.seed': '7' });
    expect(formOf('#batchSize=16&learningRate=0.5').form.values).toMatchObject({ 'training.batch_size': '16', 'training.optimizer.learning_rate': '0.5' });
    expect(formOf('#batch=8').form.values['training.batch_size']).toBe('8');
    expect(formOf('#dataset=cifar').form.dataset).toBe('mnist');
  });

  it('keeps every URL key in use before the registry (with its aliases) working', () => {
    const before: Record<string, SettingKey> = {
      epochs: 'training.epochs', batch: 'training.batch_size', batchSize: 'training.batch_size', bs: 'training.batch_size',
      lr: 'training.optimizer.learning_rate', learningRate: 'training.optimizer.learning_rate', optimizer: 'training.optimizer.kind',
      beta: 'training.optimizer.beta', momentumBeta: 'training.optimizer.beta', beta1: 'training.optimizer.beta1', beta2: 'training.optimizer.beta2',
      eps: 'training.optimizer.epsilon', epsilon: 'training.optimizer.epsilon', schedule: 'training.schedule.kind', c1: 'training.schedule.c1',
      c2: 'training.schedule.c2', gamma: 'training.schedule.gamma', steps: 'training.schedule.step_size', stepSize: 'training.schedule.step_size',
      l2: 'training.l2', lambda: 'training.l2', seed: 'training.seed', dev: 'data.dev_size', devSize: 'data.dev_size', norm: 'data.normalization',
      normalization: 'data.normalization', shift: 'data.augment.max_shift', rotation: 'data.augment.max_rotation', zoom: 'data.augment.max_zoom',
      elastic: 'data.augment.elastic_alpha', elasticAlpha: 'data.augment.elastic_alpha', sigma: 'data.augment.elastic_sigma', elasticSigma: 'data.augment.elastic_sigma',
    };
    for (const [key, setting] of Object.entries(before)) expect(parseUrlConfig(`#${key}=0.25`).values, key).toEqual({ [setting]: '0.25' });
  });

  it('round-trips every field, a custom model and augmentation', () => {
    const form = formFromPreset(KERAS, 'fashion-mnist');
    const base = formFromPreset(KERAS, 'fashion-mnist').values;
    /** A valid value other than the preset's, within the setting's range. */
    const other = (s: (typeof FORM_SETTINGS)[number], i: number): string => {
      if (s.type === 'bool') return String(base[s.key] !== 'true');
      if (s.type === 'enum') return s.choices.find((c) => c !== base[s.key])!;
      if (s.type !== 'float') return String(Number(base[s.key]) + 1);
      if (!s.max) return String(Number(base[s.key]) + i + 0.5);
      const middle = (s.min!.value + s.max.value) / 2;
      return String(String(middle) === base[s.key] ? middle / 2 : middle);
    };
    FORM_SETTINGS.forEach((s, i) => (form.values[s.key] = other(s, i)));
    form.augment = true;
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
    for (const s of FORM_SETTINGS) expect(hash).toContain(`&${s.url_keys[0]}=`);
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
    Object.assign(form.values, { 'training.optimizer.kind': 'adam', 'training.optimizer.beta1': '0.8', 'training.l2': '0.0001', 'training.optimizer.learning_rate': '1e-3', 'training.batch_size': 'full' });
    for (const l of form.model.layers) {
      if (l.type === 'conv2d' || l.type === 'dense') l.init = 'xavier_uniform';
      if (l.type === 'dropout') l.p = 0.25;
    }
    const hash = hashFromForm(form, KERAS, DEFAULTS);
    expect(hash).toBe('dataset=mnist&preset=keras-cnn&init=xavier_uniform&dropout=0.25&lr=1e-3&beta1=0.8&batch=full&l2=0.0001');
    expect(formOf(`#${hash}`).form).toEqual(form);
    // One layer's init only: that is a custom model.
    form.model.layers[0]!.init = 'he_normal';
    expect(hashFromForm(form, KERAS, DEFAULTS)).toContain('model=conv2d:f=32:k=3:init=he_normal,relu,');
  });

  it('keeps invalid values in the form and reports each, naming the field and its range', () => {
    const { form, problems } = formOf('#preset=resnet&lr=-1&epochs=abc&beta2=1&norm=zscore&model=dense:u=x:q=1,conv2d:k,pool&augment=1&zoom=1.5');
    expect(form).toMatchObject({ preset: 'logreg', augment: true });
    expect(form.values).toMatchObject({ 'training.optimizer.learning_rate': '-1', 'training.epochs': 'abc', 'training.optimizer.beta2': '1', 'data.augment.max_zoom': '1.5' });
    expect(form.model.layers.map((l) => l.type)).toEqual(['dense', 'conv2d', 'pool']);
    expect(form.model.layers[0]!.units).toBeNaN();
    expect(problems).toEqual([
      "preset: unknown preset 'resnet' (known presets: logreg, keras-cnn)",
      'Learning rate (α) (training.optimizer.learning_rate): -1 is outside the allowed range (0, ∞)',
      'β2 (Adam, RMSProp) (training.optimizer.beta2): 1 is outside the allowed range [0, 1)',
      "Epochs (training.epochs): 'abc' is not a whole number (allowed: [1, 2147483647])",
      "Input normalisation (data.normalization): 'zscore' is not one of none, scale, standardize",
      'Max zoom (fraction) (data.augment.max_zoom): 1.5 is outside the allowed range [0, 1)',
      "model: layer 1 (dense): unknown option 'q' (expected u, init, bias)",
      "model: layer 2 (conv2d): 'k' is not name=value",
    ]);
    // Augmentation off: its strengths are not sent, so they are not a problem.
    expect(formOf('#zoom=1.5').problems).toEqual([]);
  });

  describe('in Spanish', () => {
    afterEach(async () => {
      await setLocale('en');
      vi.unstubAllGlobals();
    });
    it('names an out-of-range URL field and its range in the page\'s language', async () => {
      vi.stubGlobal('document', { documentElement: {} });
      await setLocale('es');
      // The engine's refusal crosses as data (error.setting) and is worded here too.
      const refused = toEngineError('engine', Object.assign(new Error('training.optimizer.beta2 must be in [0, 1), got 1.5'), { setting: { code: 'out_of_range', path: 'training.optimizer.beta2', expected: {}, value: 1.5 } }));
      expect(engineSettingText(refused.setting!)).toBe('β2 (Adam, RMSProp) (training.optimizer.beta2): 1.5 está fuera del rango permitido [0, 1)');
      expect(engineSettingText({ code: 'unknown_field', path: 'training.optimizer.beta3', expected: ['beta1', 'beta2'], value: 'beta3' })).toBe('training.optimizer.beta3: ajuste desconocido (aquí se conocen: beta1, beta2)');
      expect(formOf('#beta2=1.5&epochs=2.5').problems).toEqual([
        'β2 (Adam, RMSProp) (training.optimizer.beta2): 1.5 está fuera del rango permitido [0, 1)',
        'Épocas (training.epochs): «2.5» no es un número entero (permitido: [1, 2147483647])',
      ]);
    });
  });
});

describe('the layer table the editor reads (engine/model/layer_types.cpp)', () => {
  it('offers every type outside the sequence family, new layers as the table\'s example, and labels in every locale', () => {
    expect(LAYER_TYPES).toContain('global_avg_pool2d');
    expect(LAYER_TYPES).not.toContain('lstm');
    expect(newLayer('conv2d', DEFAULTS)).toMatchObject({ type: 'conv2d', filters: 8, kernel_size: 3, stride: 0 });
    expect(layerFields('maxpool2d')).toEqual(['kernel_size', 'stride']);
    const keys = [...LAYER_TABLE.fields.flatMap((row) => [row.label, `${row.label}Hint`]), ...LAYER_TABLE.types.map((type) => type.label), 'model.zeroMeans'];
    for (const locale of LOCALE_LIST) for (const key of keys) expect(messages(locale), key).toHaveProperty([key]);
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
    expect(decodeLayers('conv2d:f=4:k=3:s=2,global_avg_pool2d,dense:u=10', DEFAULTS)).toEqual({
      layers: [layer('conv2d', { filters: 4, kernel_size: 3, stride: 2 }), layer('global_avg_pool2d'), layer('dense', { units: 10 })],
      problems: [],
    });
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
  it('carries the whole configuration, every setting of the registry', () => {
    const form = changed(formFromPreset(KERAS, 'mnist'), {
      'training.optimizer.beta1': '0.8', 'training.optimizer.beta2': '0.99', 'training.optimizer.epsilon': '1e-7', 'training.l2': '0.0001', 'training.epochs': '1', 'data.dev_size': '1000',
      'training.schedule.kind': 'exponential', 'training.schedule.gamma': '0.9', 'training.schedule.step_size': '100', 'data.normalization': 'standardize',
      'data.augment.max_shift': '3', 'data.augment.max_rotation': '5', 'data.augment.max_zoom': '0.2', 'data.augment.elastic_alpha': '34', 'data.augment.elastic_sigma': '4',
    }, { augment: true });
    const settings = settingsFromForm(form);
    const training = defaultsOf<TrainConfig>('training');
    Object.assign(training, { epochs: 1, l2: 0.0001 });
    Object.assign(training.optimizer, { beta1: 0.8, beta2: 0.99, epsilon: 1e-7 });
    Object.assign(training.schedule, { kind: 'exponential', gamma: 0.9, step_size: 100 });
    expect(settings).toEqual({
      preset: 'keras-cnn',
      dataset: 'mnist',
      model: KERAS.model,
      training,
      data: { dev_size: 1000, normalization: 'standardize', augment: { max_shift: 3, max_rotation: 5, max_zoom: 0.2, elastic_alpha: 34, elastic_sigma: 4 } },
    });
    expect(settings.model).not.toBe(form.model);
    expect(problemsOf(form)).toEqual([]);
  });

  it('passes invalid values through (as numbers, NaN when not one) and names them; augmentation off sends the engine\'s defaults; full batch', () => {
    const form = changed(formFromPreset(LOGREG, 'mnist'), { 'training.optimizer.learning_rate': '-1', 'training.epochs': '', 'training.seed': 'abc', 'training.optimizer.beta2': '1.5', 'training.batch_size': ' FULL ' });
    const settings = settingsFromForm(form);
    expect(settings.training.optimizer.learning_rate).toBe(-1);
    expect(settings.training.optimizer.beta2).toBe(1.5);
    expect(settings.training.epochs).toBeNaN();
    expect(settings.training.seed).toBeNaN();
    expect(settings.fullBatch).toBe(true);
    expect(settings.data.augment).toEqual(defaultsOf<DataConfig>('data').augment);
    expect(problemsOf(form).map((p) => p.split(' (')[0])).toEqual(['Learning rate', 'β2', 'Epochs', 'Random seed']);
    expect(formFromPreset(LOGREG, 'mnist')).toMatchObject({ augment: false, values: { 'data.augment.max_shift': '2', 'data.augment.max_rotation': '10', 'data.augment.max_zoom': '0.1' } }); // the switch's starting strengths
  });
});

describe('the worker\'s check before the engine', () => {
  it('names a model field that would not cross unchanged', () => {
    const { model } = settingsFromForm(formFromPreset(KERAS, 'mnist'));
    expect(() => checkModelSpec({ ...model, layers: [layer('dense', { units: 2.5 })] })).toThrow('model.layers[0].units: expected a whole number, got 2.5');
    expect(() => checkModelSpec(model)).not.toThrow();
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
