// The training form's store without a page: a fake engine (describeModel, parseModel answered by
// hand) and a fake link (hash, clipboard). The form lives in signals: the URL fills it, every edit
// replaces it and rewrites the hash (keeping the open tab), an engine answer about layers that
// changed since is dropped, a refused model JSON is kept as the engine's error, and Train follows
// the engine's verdict.
import { describe, expect, it } from 'vitest';
import { defaultsOf } from '../../../web/src/engine/settings-registry';
import { LAYER_TABLE } from '../../../web/src/engine/generated/layers';
import type { DataConfig, LayerSpec, ModelSpec, TrainConfig } from '../../../web/src/engine/types';
import { ConfigStore, type LinkPort, type ModelQueries } from '../../../web/src/screens/train/config-store';
import type { EngineError, ModelSummary, ParsedModel, PresetSummary } from '../../../web/src/worker/protocol';

const DEFAULTS = { type: '', ...Object.fromEntries(LAYER_TABLE.fields.map((row) => [row.path, row.default])) } as LayerSpec;
const layer = (type: string, fields: Partial<LayerSpec> = {}): LayerSpec => ({ ...DEFAULTS, type, ...fields });

function preset(name: string, layers: LayerSpec[]): PresetSummary {
  const training = defaultsOf<TrainConfig>('training');
  training.epochs = 5;
  return { name, description: name, model: { input: [1, 28, 28], layers, loss: 'softmax_cross_entropy' }, training, data: defaultsOf<DataConfig>('data') };
}
const PRESETS = [preset('logreg', [layer('flatten'), layer('dense', { units: 10 })]), preset('mlp', [layer('flatten'), layer('dense', { units: 32 }), layer('relu'), layer('dense', { units: 10 })])];

/** An engine whose answers the test gives, in any order. */
function fakeEngine() {
  const asked: { model: ModelSpec; answer: (summary: ModelSummary) => void }[] = [];
  let parsed: ParsedModel = {};
  const engine: ModelQueries = {
    describeModel: (model) => new Promise((answer) => asked.push({ model, answer })),
    parseModel: () => Promise.resolve(parsed),
  };
  return { engine, asked, willParse: (answer: ParsedModel) => (parsed = answer) };
}

function fakeLink(hash: string) {
  const link: LinkPort & { current: string; copiedText?: string } = {
    current: hash,
    hash: () => link.current,
    replaceHash: (next) => (link.current = next),
    href: () => `http://lab/${link.current}`,
    copy: (text) => {
      link.copiedText = text;
      return Promise.resolve();
    },
  };
  return link;
}

const valid = (layers: number): ModelSummary => ({ layers: Array.from({ length: layers }, () => ({ outputShape: [10], parameterCount: 1 })) as ModelSummary['layers'], parameterCount: layers });
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('the training form store', () => {
  it('fills the form from the URL, keeps what it could not read, and says whether to start', () => {
    const { engine } = fakeEngine();
    const link = fakeLink('#preset=mlp&epochs=2&beta2=1.5&optimizer=adam&autostart=1&panel=data');
    const store = new ConfigStore(engine, link);
    expect(store.form.value).toBeUndefined();
    expect(store.setPresets(PRESETS, DEFAULTS)).toBe(true);
    expect(store.form.value).toMatchObject({ preset: 'mlp', dataset: 'mnist' });
    expect(store.form.value?.values['training.epochs']).toBe('2');
    expect(store.urlProblems.value.join('\n')).toMatch(/training\.optimizer\.beta2/);
    // The hash is the form's (no autostart: a reload does not start again), the open tab kept.
    expect(link.current).toBe('#dataset=mnist&preset=mlp&beta2=1.5&epochs=2&panel=data'); // adam is the preset's
  });

  it('every edit replaces the form and rewrites the hash; a new preset clears the URL problems', () => {
    const { engine } = fakeEngine();
    const link = fakeLink('#preset=logreg&lr=abc');
    const store = new ConfigStore(engine, link);
    store.setPresets(PRESETS, DEFAULTS);
    expect(store.urlProblems.value).toHaveLength(1);
    const before = store.form.value;
    store.setValue('training.l2', '0.001');
    expect(store.form.value).not.toBe(before); // a new form: components that read it redraw
    expect(before?.values['training.l2']).not.toBe('0.001'); // the old one untouched
    expect(link.current).toMatch(/&l2=0\.001/);
    store.setAugment(true);
    store.setAugmentation('max_rotation', '12');
    expect(store.augmentation()).toMatchObject({ on: true, config: { max_rotation: 12 } });
    expect(link.current).toMatch(/augment=1.*rotation=12/);

    store.addLayer('dropout');
    store.moveLayer(2, 1);
    expect(store.form.value?.model.layers.map((l) => l.type)).toEqual(['flatten', 'dropout', 'dense']);
    store.setDropoutAll(0.3);
    store.setInitAll('zeros');
    expect(link.current).toMatch(/model=flatten,dropout:p=0\.3,dense:u=10:init=zeros/);
    expect(store.preset.value.custom).toBe(true);
    store.removeLayer(1);
    store.setLayerField(1, 'init', 'auto');
    expect(store.preset.value.custom).toBe(false);
    expect(link.current).not.toMatch(/model=/);

    store.choosePreset('mlp');
    expect(store.urlProblems.value).toEqual([]);
    expect(store.form.value?.model.layers).toHaveLength(4);
  });

  it('drops an answer about layers that changed since; Train follows the latest answer', async () => {
    const { engine, asked } = fakeEngine();
    const store = new ConfigStore(engine, fakeLink('#preset=logreg'));
    store.setPresets(PRESETS, DEFAULTS);
    store.setLayerField(1, 'units', 7);
    expect(asked).toHaveLength(2);
    expect(store.canTrain.value).toBe(true); // while the engine is asked
    asked[1]!.answer({ ...valid(1), error: 'the last layer has 7 outputs but the dataset has 10 classes' });
    await settle();
    expect(store.canTrain.value).toBe(false);
    asked[0]!.answer(valid(2)); // about the first layers: too late
    await settle();
    expect(store.summary.value?.error).toMatch(/7 outputs/);
    expect(store.canTrain.value).toBe(false);
  });

  it("keeps a refused model JSON's error as the engine's data; an accepted one replaces the layers", async () => {
    const { engine, willParse } = fakeEngine();
    const store = new ConfigStore(engine, fakeLink('#preset=logreg'));
    store.setPresets(PRESETS, DEFAULTS);
    const refusal: EngineError = { code: 'model-file', message: "model.layers[0]: unknown field 'unit'" };
    willParse({ error: refusal });
    await store.applyJson('{"layers": [{"type": "dense", "unit": 10}]}');
    expect(store.jsonError.value).toEqual(refusal);
    willParse({ model: { input: [784], layers: [layer('dense', { units: 10 })], loss: 'softmax_cross_entropy' } });
    await store.applyJson('{...}');
    expect(store.jsonError.value).toBeUndefined();
    expect(store.form.value?.model.input).toEqual([784]);
    expect(store.form.value?.model.layers.map((l) => l.type)).toEqual(['dense']);
  });

  it("leaves a course lab's URL alone, and copies the training's link", async () => {
    const { engine } = fakeEngine();
    const link = fakeLink('#lab=ewa');
    const store = new ConfigStore(engine, link);
    store.setPresets(PRESETS, DEFAULTS);
    store.setValue('training.seed', '5');
    expect(link.current).toBe('#lab=ewa');
    link.current = '#preset=logreg';
    await store.copyLink();
    expect(link.copiedText).toBe('http://lab/#dataset=mnist&preset=logreg&seed=5');
    expect(store.copied.value).toEqual({ url: link.copiedText, ok: true });
  });
});
