// Keeping work without a browser: the run record, the history over a store (in memory, and one
// that fails), CSV, the PNG encoder, the report builder, comparing runs, the saved-model header.
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { buildReportHtml } from '../../../web/src/report/report-html';
import { csvField, epochsCsv, stepsCsv, toCsv } from '../../../web/src/report/csv';
import { crc32, encodeGreyPng, greyPngDataUrl } from '../../../web/src/report/png';
import { niceTicks, svgLineChart } from '../../../web/src/report/svg-chart';
import { alignCurves, devAccuracyCurves, lossCurves } from '../../../web/src/screens/runs/compare';
import { RunHistory } from '../../../web/src/storage/run-history';
import { downsampleCurve, KEPT_MISTAKES, RunRecordBuilder, type RunRecord } from '../../../web/src/storage/run-record';
import { MemoryRunStore, StorageError, toStorageError, type KeptModel, type RunStore } from '../../../web/src/storage/run-store';
import { backendRecordText } from '../../../web/src/screens/runs/runs-store';
import { presetOfModel, readCheckpointHeader, settingsFromHeader } from '../../../web/src/worker/checkpoint-header';
import type { ProfundoModule } from '../../../web/src/engine/types';
import { EngineHost } from '../../../web/src/worker/engine-host';
import { strFromU8, unzipSync } from 'fflate';
import { continueTraining, exportNotebook, exportOnnx, exportPytorchZip, loadModel, saveModel } from '../../../web/src/worker/keep-model';
import { defaultsOf } from '../../../web/src/engine/settings-registry';
import type { DataConfig, LayerSpec, ModelSpec, TrainConfig } from '../../../web/src/engine/types';
import { toEngineError, type EngineEventOf, type ResolvedSettings } from '../../../web/src/worker/protocol';
import type { TrainingRun } from '../../../web/src/worker/training';

/** The engine's defaults (its registry) with SGD at α 0.1 for 2 epochs. */
const TRAINING: TrainConfig = defaultsOf<TrainConfig>('training');
Object.assign(TRAINING.optimizer, { kind: 'sgd', learning_rate: 0.1 });
Object.assign(TRAINING, { batch_size: 64, epochs: 2 });
const layer = (type: string, units = 0): LayerSpec => ({ type, units, vocabulary_size: 0, filters: 0, kernel_size: 0, stride: 1, padding: 'valid', init: 'auto', bias: 1, slope: 0.01, p: 0.5, momentum: 0.9, epsilon: 1e-5 });
const MODEL: ModelSpec = { input: [1, 28, 28], layers: [layer('flatten'), layer('dense', 10)], loss: 'softmax_cross_entropy' };
const DATA: DataConfig = { dev_size: 5000, normalization: 'scale', augment: { max_shift: 0, max_rotation: 0, max_zoom: 0, elastic_alpha: 0, elastic_sigma: 0 } };
const SETTINGS: ResolvedSettings = { preset: 'logreg', dataset: 'mnist', model: MODEL, training: TRAINING, data: DATA, epochs: 2, batchSize: 64, learningRate: 0.1, optimizer: 'sgd', seed: 1 };

/** A saved-model file's start: magic, version 1, the JSON header, and 8 bytes standing for the rest. */
function checkpointBytes(header: object | string): Uint8Array {
  const text = new TextEncoder().encode(typeof header === 'string' ? header : JSON.stringify(header));
  const bytes = new Uint8Array(16 + text.length + 8);
  bytes.set(new TextEncoder().encode('PROFUNDO'));
  const view = new DataView(bytes.buffer);
  view.setUint32(8, 1, true);
  view.setUint32(12, text.length, true);
  bytes.set(text, 16);
  return bytes;
}

function sampleRun(overrides: Partial<RunRecord> = {}): RunRecord {
  const classes = 10;
  const confusion = Array.from({ length: classes * classes }, (_, i) => (i % (classes + 1) === 0 ? 95 : i === 35 ? 5 : 0));
  const mistakePixels = new Uint8Array(2 * 784);
  mistakePixels.fill(200, 0, 784);
  return {
    id: 7,
    date: '2026-11-27T05:41:00.000Z',
    seconds: 12.5,
    backend: 'wasm-threads · 2 threads · SIMD',
    settings: SETTINGS,
    continued: false,
    trainCount: 55000,
    devCount: 5000,
    testCount: 10000,
    trainSample: 10000,
    epochs: [
      { epoch: 1, trainLoss: 0.4, trainAccuracy: 0.89, devLoss: 0.38, devAccuracy: 0.9 },
      { epoch: 2, trainLoss: 0.3, trainAccuracy: 0.915, devLoss: 0.31, devAccuracy: 0.91 },
    ],
    lossSteps: [1, 2, 3, 4],
    losses: [2.3, 1.2, 0.8, 0.5],
    totalSteps: 4,
    testAccuracy: 0.9234,
    testLoss: 0.2871,
    classes,
    confusion,
    perClassAccuracy: Array.from({ length: classes }, (_, c) => (c === 3 ? 0.95 : 1)),
    mistakes: [
      { index: 42, label: 3, predicted: 5, confidence: 0.875 },
      { index: 77, label: 9, predicted: 4, confidence: 0.5 },
    ],
    mistakePixels,
    ...overrides,
  };
}

describe('the run record', () => {
  it('downsamples long curves into bucket means and keeps short ones', () => {
    expect(downsampleCurve([1, 2, 3], [3, 2, 1], 5)).toEqual({ steps: [1, 2, 3], values: [3, 2, 1] });
    const steps = Array.from({ length: 10 }, (_, i) => i + 1);
    expect(downsampleCurve(steps, steps.map((s) => 2 * s), 5)).toEqual({ steps: [1.5, 3.5, 5.5, 7.5, 9.5], values: [3, 7, 11, 15, 19] });
    const long = downsampleCurve(Array.from({ length: 12345 }, (_, i) => i), new Array(12345).fill(1));
    expect(long.steps).toHaveLength(1000);
    expect(long.values.every((v) => v === 1)).toBe(true);
  });

  it('is built from a run\'s events, with a few mistakes and their pixels', () => {
    const started: EngineEventOf<'started'> = {
      type: 'started',
      settings: sampleRun().settings,
      batchesPerEpoch: 2,
      trainCount: 55000,
      devCount: 5000,
      testCount: 10000,
      threads: 2,
    };
    const builder = new RunRecordBuilder(started, 'wasm-simd · 1 thread · SIMD', 10000);
    builder.progress({ type: 'progress', epoch: 1, batch: 2, batchesPerEpoch: 2, step: 2, firstStep: 1, losses: Float32Array.of(2, 1), samplesPerSecond: 1, loss: 1, learningRate: 0.1 });
    builder.epoch({ type: 'epoch', epoch: 1, trainLoss: 0.5, trainAccuracy: 0.8, devLoss: 0.6, devAccuracy: 0.75 });
    const mistakes = Array.from({ length: 12 }, (_, i) => ({ index: i, label: 1, predicted: 2, confidence: 0.9 - i / 100 }));
    const pixels = new Uint8Array(12 * 784).map((_, i) => Math.floor(i / 784));
    const results: EngineEventOf<'results'> = { type: 'results', classes: 10, confusion: [1], perClassAccuracy: [1], mistakes, mistakePixels: pixels };
    expect(builder.build(results, new Date(0))).toBeUndefined(); // not done yet
    builder.finished({ type: 'done', testAccuracy: 0.77, testLoss: 0.7, testCount: 10000, seconds: 3, kept: { which: 'best', epoch: 1, bestEpoch: 1, bestDevAccuracy: 0.75, lastDevAccuracy: 0.75, stoppedEarly: false } });
    const record = builder.build(results, new Date('2026-01-02T03:04:05Z'))!;
    expect(record).toMatchObject({ date: '2026-01-02T03:04:05.000Z', seconds: 3, backend: 'wasm-simd · 1 thread · SIMD', testAccuracy: 0.77, continued: false, totalSteps: 2 });
    expect(record.lossSteps).toEqual([1, 2]);
    expect(record.losses).toEqual([2, 1]);
    expect(record.epochs).toEqual([{ epoch: 1, trainLoss: 0.5, trainAccuracy: 0.8, devLoss: 0.6, devAccuracy: 0.75 }]);
    expect(record.mistakes).toHaveLength(KEPT_MISTAKES);
    expect(record.mistakePixels).toHaveLength(KEPT_MISTAKES * 784);
    expect(record.mistakePixels[KEPT_MISTAKES * 784 - 1]).toBe(KEPT_MISTAKES - 1);
    expect(structuredClone(record)).toEqual(record); // storable in IndexedDB
  });
});

/** A store whose writes fail like a full IndexedDB. */
class FullStore extends MemoryRunStore {
  override async addRun(): Promise<number> {
    throw Object.assign(new Error('The quota has been exceeded.'), { name: 'QuotaExceededError' });
  }
  override async putLastModel(): Promise<void> {
    throw new DOMException('Quota exceeded', 'QuotaExceededError');
  }
}

const model = (testAccuracy: number): KeptModel => ({ bytes: Uint8Array.of(1, 2, 3), runId: 1, preset: 'logreg', dataset: 'mnist', date: '2026-01-01T00:00:00Z', testAccuracy });

describe('the run history over a store', () => {
  it('stores runs and the last model, and finds them again after a "reload"', async () => {
    const store = new MemoryRunStore();
    const history = new RunHistory(store);
    const a = await history.add(sampleRun({ id: undefined }));
    const b = await history.add(sampleRun({ id: undefined, testAccuracy: 0.5 }));
    expect([a.id, b.id]).toEqual([1, 2]);
    await history.keepModel(model(0.5));

    const reloaded = new RunHistory(store);
    await reloaded.load();
    expect(reloaded.runs.map((r) => [r.id, r.testAccuracy])).toEqual([[1, 0.9234], [2, 0.5]]);
    expect(Array.from(reloaded.lastModel!.bytes)).toEqual([1, 2, 3]);
    expect(reloaded.runs[0]!.mistakePixels).toBeInstanceOf(Uint8Array);

    await reloaded.remove(1);
    expect(reloaded.runs.map((r) => r.id)).toEqual([2]);
    expect((await store.listRuns()).map((r) => r.id)).toEqual([2]);
    expect(reloaded.problem).toBeUndefined();
    expect(reloaded.persistent).toBe(true);
  });

  it('a full quota is reported, and nothing in memory is lost', async () => {
    const history = new RunHistory(new FullStore());
    const run = await history.add(sampleRun({ id: undefined }));
    expect(run.id).toBeLessThan(0);
    expect(history.runs).toHaveLength(1);
    expect(history.problem).toMatchObject({ operation: 'add', error: { kind: 'quota' } });
    await history.keepModel(model(0.9));
    expect(history.lastModel?.testAccuracy).toBe(0.9);
    expect(history.problem).toMatchObject({ operation: 'keep-model', error: { kind: 'quota' } });
    await history.remove(run.id!);
    expect(history.runs).toHaveLength(0);
  });

  it('without a store (IndexedDB unavailable) it works for the session and says why', async () => {
    const history = new RunHistory(undefined, new StorageError('unavailable', 'this browser has no IndexedDB'));
    expect(history.persistent).toBe(false);
    expect(history.problem).toMatchObject({ operation: 'open', error: { kind: 'unavailable', message: 'this browser has no IndexedDB' } });
    await history.load();
    const a = await history.add(sampleRun());
    const b = await history.add(sampleRun());
    expect(new Set([a.id, b.id]).size).toBe(2);
    expect(history.runs).toHaveLength(2);
  });

  it('a failing read is reported, not thrown', async () => {
    const broken: RunStore = { ...new MemoryRunStore(), listRuns: () => Promise.reject(new Error('disk I/O error')), getLastModel: async () => undefined } as RunStore;
    const history = new RunHistory(broken);
    await history.load();
    expect(history.problem).toMatchObject({ operation: 'load', error: { kind: 'failed', message: 'disk I/O error' } });
  });

  it('a removed run leaves the list only once the store has deleted it (a reload in between would bring it back)', async () => {
    let finishDelete = () => {};
    class SlowDeleteStore extends MemoryRunStore {
      override async deleteRun(id: number): Promise<void> {
        await new Promise<void>((resolve) => (finishDelete = resolve));
        return super.deleteRun(id);
      }
    }
    const store = new SlowDeleteStore();
    const history = new RunHistory(store);
    const run = await history.add(sampleRun({ id: undefined }));
    const removing = history.remove(run.id!);
    await Promise.resolve();
    expect(history.runs.map((r) => r.id)).toEqual([run.id]);
    finishDelete();
    await removing;
    expect(history.runs).toEqual([]);
    expect(await store.listRuns()).toEqual([]);
  });

  it('classifies storage errors', () => {
    expect(toStorageError(new DOMException('x', 'QuotaExceededError')).kind).toBe('quota');
    expect(toStorageError(new Error('QuotaExceededError: the quota has been exceeded')).kind).toBe('quota');
    expect(toStorageError(new DOMException('denied', 'InvalidStateError'), 'unavailable')).toMatchObject({ kind: 'unavailable', message: 'denied' });
    expect(toStorageError('weird').kind).toBe('failed');
  });
});

describe('CSV', () => {
  it('quotes fields with commas, quotes and line breaks, and leaves the rest alone', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField(0.1)).toBe('0.1');
    expect(csvField(undefined)).toBe('');
    expect(csvField(NaN)).toBe('');
    expect(toCsv(['a', 'b'], [[1, 'x,y']])).toBe('a,b\r\n1,"x,y"\r\n');
  });

  it('writes per-epoch metrics with the run\'s settings, and per-step losses', () => {
    const run = sampleRun({ settings: { ...sampleRun().settings, preset: 'my, "model"' } });
    const lines = epochsCsv([run]).trimEnd().split('\r\n');
    expect(lines[0]).toBe('run,date,preset,dataset,optimizer,learning_rate,batch_size,seed,epoch,train_loss,train_accuracy,dev_loss,dev_accuracy,test_loss,test_accuracy');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toBe('7,2026-11-27T05:41:00.000Z,"my, ""model""",mnist,sgd,0.1,64,1,1,0.4,0.89,0.38,0.9,,');
    expect(lines[2]).toBe('7,2026-11-27T05:41:00.000Z,"my, ""model""",mnist,sgd,0.1,64,1,2,0.3,0.915,0.31,0.91,0.2871,0.9234');
    expect(stepsCsv([run, sampleRun({ id: 8, lossSteps: [1], losses: [9] })])).toBe('run,step,loss\r\n7,1,2.3\r\n7,2,1.2\r\n7,3,0.8\r\n7,4,0.5\r\n8,1,9\r\n');
  });
});

describe('PNG', () => {
  it('CRC-32 matches the standard check value', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
  });

  it('encodes a grey image that decodes back to the same pixels', () => {
    const pixels = Uint8Array.from({ length: 28 * 28 }, (_, i) => (i * 7) % 256);
    const png = encodeGreyPng(pixels, 28, 28);
    expect(Array.from(png.subarray(0, 8))).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const view = new DataView(png.buffer);
    expect(new TextDecoder().decode(png.subarray(12, 16))).toBe('IHDR');
    expect([view.getUint32(16), view.getUint32(20), png[24], png[25]]).toEqual([28, 28, 8, 0]);
    // IHDR chunk CRC over type + data.
    expect(view.getUint32(29)).toBe(crc32(png.subarray(12, 29)));
    const idatLength = view.getUint32(33);
    expect(new TextDecoder().decode(png.subarray(37, 41))).toBe('IDAT');
    const raw = inflateSync(png.subarray(41, 41 + idatLength)); // zlib checks the Adler-32
    expect(raw).toHaveLength(28 * 29);
    for (let y = 0; y < 28; y++) {
      expect(raw[y * 29]).toBe(0);
      expect(Array.from(raw.subarray(y * 29 + 1, (y + 1) * 29))).toEqual(Array.from(pixels.subarray(y * 28, (y + 1) * 28)));
    }
    expect(new TextDecoder().decode(png.subarray(-8, -4))).toBe('IEND');
    expect(greyPngDataUrl(pixels, 28, 28)).toMatch(/^data:image\/png;base64,iVBORw0KGgo/);
    expect(() => encodeGreyPng(new Uint8Array(3), 28, 28)).toThrow('3 pixels for a 28×28 image');
  });

  it('splits large images into several stored blocks', () => {
    const pixels = new Uint8Array(300 * 300).fill(9);
    const png = encodeGreyPng(pixels, 300, 300);
    const view = new DataView(png.buffer);
    const raw = inflateSync(png.subarray(41, 41 + view.getUint32(33)));
    expect(raw).toHaveLength(301 * 300);
    expect(raw[1]).toBe(9);
  });
});

describe('the report', () => {
  const html = buildReportHtml(sampleRun(), 'en');

  it('holds the test accuracy, configuration, date, backend, reading and per-class accuracy', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('92.34 %');
    expect(html).toContain('data-test-accuracy="0.9234"');
    for (const text of ['logreg', 'mnist', 'Gradient descent (SGD)', '>64<', '>0.1<', '55000 / 5000 / 10000', 'wasm-threads · 2 threads · SIMD', 'November 27, 2026']) expect(html).toContain(text);
    expect(html).toContain('[1×28×28] → flatten → dense(units 10, init auto, bias 1) · softmax_cross_entropy');
    expect(html).toContain('L2 regularisation λ</th><td class="text">0<');
    expect(html).toContain('Scale to [0, 1]');
    expect(html).toMatch(/data-section="diagnosis" data-reading="high-bias"/); // train error 8.5 %
    expect(html).toContain('High bias');
    expect(html.match(/<td data-class="\d">/g)).toHaveLength(10);
    expect(html).toContain('<td data-class="3">95.00 %</td>');
    expect(html).toContain('predicted 5 (87.50 %) / true 3');
    expect(html).toContain('@media print');
  });

  it('is self-contained: inline SVG charts, PNG data-URL images, no external resource or script', () => {
    expect(html.match(/<svg /g)).toHaveLength(2);
    expect(html.match(/<img src="data:image\/png;base64,[A-Za-z0-9+/=]+"/g)).toHaveLength(2);
    expect(html).not.toMatch(/https?:|\/\/[a-z]|<script|<link|<iframe|url\(/i);
    expect(html).not.toMatch(/src="(?!data:)/);
  });

  it('escapes text from the run and speaks Spanish', () => {
    const es = buildReportHtml(sampleRun({ settings: { ...sampleRun().settings, preset: '<img onerror=x>' } }), 'es');
    expect(es).not.toContain('<img onerror');
    expect(es).toContain('&lt;img onerror=x&gt;');
    expect(es).toContain('92,34 %');
    expect(es).toContain('Matriz de confusión');
    expect(es).toContain('lang="es"');
  });

  it('says exactly what ran: augmentation only when on (σ alone is not), every field of the optimiser', () => {
    const withSettings = (training: TrainConfig, augment: DataConfig['augment'], optimizer: string) =>
      sampleRun({ settings: { ...SETTINGS, training, data: { ...DATA, augment }, optimizer } });
    const configuration = (html: string) => html.slice(html.indexOf('data-section="configuration"'), html.indexOf('</table>', html.indexOf('data-section="configuration"')));
    const adam = { ...TRAINING, optimizer: { ...TRAINING.optimizer, kind: 'adam', beta1: 0.8, beta2: 0.99, epsilon: 1e-7, amsgrad: false } };
    const off = configuration(buildReportHtml(withSettings(adam, { ...DATA.augment, elastic_sigma: 4 }, 'adam'), 'en'));
    expect(off).toContain('Data augmentation</th><td class="text">off<');
    expect(off).not.toContain('σ');
    expect(off).toContain('Adam (β1 0.8, β2 0.99, ε 0.0000001)');
    expect(off).not.toContain('Gradient clipping');

    const on = configuration(buildReportHtml(withSettings({ ...adam, clip_norm: 5 }, { max_shift: 2, max_rotation: 10, max_zoom: 0, elastic_alpha: 34, elastic_sigma: 4 }, 'adam'), 'es'));
    expect(on).toContain('Aumento de datos</th><td class="text">Desplazamiento máximo (píxeles) 2, Rotación máxima (grados) 10, Intensidad elástica α 34, Suavidad elástica σ 4<');
    expect(on).toContain('β1 0,8, β2 0,99, ε 0,0000001');
    expect(on).toMatch(/>5</);
    const momentum = configuration(buildReportHtml(withSettings({ ...TRAINING, optimizer: { ...TRAINING.optimizer, kind: 'momentum', beta: 0.95 } }, DATA.augment, 'momentum'), 'en'));
    expect(momentum).toMatch(/\(β 0\.95\)</);
    expect(configuration(html)).toMatch(/Gradient descent \(SGD\)</); // SGD has no field of its own
    // L2: how it reached the weights, when it did.
    const decoupled = configuration(buildReportHtml(withSettings({ ...adam, l2: 96, l2_decoupled: true }, DATA.augment, 'adam'), 'es'));
    expect(decoupled).toMatch(/>96 \(decaimiento de pesos\)</);
    expect(configuration(buildReportHtml(withSettings({ ...adam, l2: 0, l2_decoupled: true }, DATA.augment, 'adam'), 'en'))).not.toContain('weight decay');
  });

  it('draws charts with round ticks and every point', () => {
    expect(niceTicks(0, 1)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(1, 3, 4)).toEqual([1, 1.5, 2, 2.5, 3]);
    const svg = svgLineChart({ title: 'T & U', xLabel: 'x', yLabel: 'y', series: [{ label: 'a', color: '#000', x: [1, 2, 3], y: [1, 4, 9] }] });
    expect(svg).toContain('T &amp; U');
    expect(svg.match(/<polyline [^>]*points="([^"]+)"/)![1]!.split(' ')).toHaveLength(3);
  });
});

describe('comparing runs', () => {
  it('aligns curves on the union of their x values, with gaps as null', () => {
    expect(alignCurves([{ x: [1, 3], y: [10, 30] }, { x: [2, 3], y: [20, 31] }])).toEqual({ x: [1, 2, 3], ys: [[10, null, 30], [null, 20, 31]] });
    const runs = [sampleRun(), sampleRun({ id: 8, lossSteps: [2, 6], losses: [1, 0.1], epochs: [{ epoch: 1, trainLoss: 1, trainAccuracy: 0.5, devLoss: 1, devAccuracy: 0.5 }] })];
    expect(lossCurves(runs)).toEqual({ x: [1, 2, 3, 4, 6], ys: [[2.3, 1.2, 0.8, 0.5, null], [null, 1, null, null, 0.1]] });
    expect(devAccuracyCurves(runs)).toEqual({ x: [1, 2], ys: [[90, 91], [50, null]] });
  });
});

describe('the saved-model header', () => {
  const training = { ...TRAINING, optimizer: { ...TRAINING.optimizer, kind: 'adam', learning_rate: Math.fround(0.001) }, batch_size: 32, epochs: 3, seed: 5 };
  const header = { kind: 'profundo-classifier', dataset: 'fashion-mnist-train', model: MODEL, training, data: DATA, progress: { epoch: 3 } };

  it('reads the dataset and settings to show', () => {
    const summary = readCheckpointHeader(checkpointBytes(header))!;
    expect(summary).toEqual({ dataset: 'fashion-mnist', epoch: 3, model: MODEL, training, data: DATA });
    expect(settingsFromHeader(summary, 'keras-cnn', 'fashion-mnist')).toEqual({
      preset: 'keras-cnn',
      dataset: 'fashion-mnist',
      model: MODEL,
      training: { ...training, optimizer: { ...training.optimizer, learning_rate: 0.001 } }, // float32 shown as written
      data: DATA,
      epochs: 3,
      batchSize: 32,
      learningRate: 0.001,
      optimizer: 'adam',
      seed: 5,
    });
    expect(readCheckpointHeader(checkpointBytes({ ...header, dataset: 'emnist-train' }))!.dataset).toBeUndefined();
    expect(readCheckpointHeader(checkpointBytes({ ...header, model: undefined }))).toBeUndefined(); // the engine will say what is missing
  });

  it("reads the run's curves (header.history); a file without them, or with malformed ones, has none", () => {
    const curves = { epochs: [{ epoch: 1, trainLoss: 0.3, trainAccuracy: 0.9, devLoss: 0.35, devAccuracy: 0.89 }], lossSteps: [1, 2, 3], losses: [2.3, 1.1, 0.7] };
    expect(readCheckpointHeader(checkpointBytes({ ...header, history: curves }))!.curves).toEqual(curves);
    expect(readCheckpointHeader(checkpointBytes(header))!.curves).toBeUndefined(); // saved before the history was kept
    for (const history of [{ ...curves, losses: [1] }, { ...curves, epochs: [{ epoch: 1 }] }, { ...curves, lossSteps: 'x' }, [], null]) {
      const summary = readCheckpointHeader(checkpointBytes({ ...header, history }))!;
      expect(summary.model).toEqual(MODEL); // the model still opens, without curves
      expect(summary.curves).toBeUndefined();
    }
  });

  it('finds the preset whose model the file holds', () => {
    const model = { input: [1, 28, 28], layers: [{ type: 'flatten' }, { type: 'dense', units: 10 }], loss: 'softmax_cross_entropy' };
    const presets = new Map([
      ['mlp', JSON.stringify({ ...model, layers: [{ type: 'flatten' }, { type: 'dense', units: 256 }] }, null, 2)],
      ['logreg', JSON.stringify(model, null, 2)],
    ]);
    expect(presetOfModel(model, presets)).toBe('logreg');
    expect(presetOfModel({ ...model, loss: 'mean_squared_error' }, presets)).toBeUndefined();
    expect(presetOfModel(undefined, presets)).toBeUndefined();
  });

  it('leaves anything unexpected to the engine (undefined)', () => {
    expect(readCheckpointHeader(new TextEncoder().encode('hello, this is not a model file'))).toBeUndefined();
    expect(readCheckpointHeader(checkpointBytes(header).subarray(0, 30))).toBeUndefined();
    expect(readCheckpointHeader(checkpointBytes('{not json'))).toBeUndefined();
    expect(readCheckpointHeader(new Uint8Array(0))).toBeUndefined();
  });
});

describe('the worker\'s keep-model requests', () => {
  type Run = TrainingRun;

  /** A TrainingRun stand-in: what keep-model.ts calls on it. */
  function fakeRun(name: string, log: string[]) {
    let model = false;
    return {
      name,
      get hasModel() {
        return model;
      },
      adopt: (_session: unknown, _data: unknown, settings: { preset: string; dataset: string }, source: string) => {
        log.push(`${name}.adopt ${source} ${settings.preset} ${settings.dataset}`);
        model = true;
      },
      save: () => {
        if (!model) throw new Error('no trained model: train one first');
        return Uint8Array.of(1, 2);
      },
      exportOnnx: () => {
        if (!model) throw new Error('no trained model: train one first');
        return Uint8Array.of(3, 4);
      },
      exportPytorchProject: () => ({ 'train.py': 'print("continue")\n', 'state.bin': Uint8Array.of(5, 6, 7) }),
      exportNotebook: (request: string) => request, // echoes what the engine would receive
      continueFrom: async (previous: { name: string }, epochs: number) => {
        log.push(`${name}.continueFrom ${previous.name} ${epochs}`);
        if (epochs < 1) throw new Error(`epochs must be a whole number ≥ 1, got ${epochs}`);
        model = true;
        return 'done';
      },
      dispose: () => {
        log.push(`${name}.dispose`);
        model = false;
      },
      withModel() {
        model = true;
        return this;
      },
    };
  }

  function worker(resume: (bytes: Uint8Array, source: string) => unknown, fromOnnx?: (bytes: Uint8Array, source: string) => unknown, onnxDataset?: (bytes: Uint8Array, source: string) => string) {
    const log: string[] = [];
    const events: { type: string; [key: string]: unknown }[] = [];
    let runs = 0;
    const engine = { buildInfo: () => ({ threads: 2 }), presetNames: () => [], ClassifierSession: { resume, fromOnnx, onnxDataset } } as unknown as ProfundoModule;
    const state = new EngineHost(engine, 'https://lab.example/', (event) => void events.push(event as (typeof events)[number]));
    state.trained = fakeRun('old', log).withModel() as unknown as Run;
    state.newRun = () => fakeRun(`run${++runs}`, log) as unknown as Run;
    Object.assign(state, {
      datasets: {
        get: async (name: string) => {
          log.push(`dataset ${name}`);
          return { name };
        },
      },
    });
    return { state, log, events };
  }

  it('a file the engine refuses leaves the current model in place, with the engine\'s message', async () => {
    const { state, log, events } = worker((_bytes, source) => {
      throw new Error(`${source}: corrupted: checksum 0x00000001 does not match the stored 0x00000002`);
    });
    const before = state.trained;
    await expect(loadModel(state, { bytes: Uint8Array.of(1), source: 'x.profundo', fallbackDataset: 'fashion-mnist' })).rejects.toMatchObject({
      code: 'model-file',
      message: 'x.profundo: corrupted: checksum 0x00000001 does not match the stored 0x00000002',
    });
    expect(log).toEqual(['dataset fashion-mnist']); // no header: the fallback dataset, and nothing disposed
    expect(state.trained).toBe(before);
  });

  it('a good file replaces the current model, which is freed', async () => {
    const { state, log, events } = worker(() => ({}));
    const bytes = checkpointBytes({ kind: 'profundo-classifier', dataset: 'mnist-train', model: MODEL, training: TRAINING, data: DATA, progress: { epoch: 2 } });
    await loadModel(state, { bytes, source: 'y.profundo', fallbackDataset: 'fashion-mnist', preset: 'mlp' });
    expect(log).toEqual(['dataset mnist', 'run1.adopt y.profundo mlp mnist', 'old.dispose']);
    expect((state.trained as unknown as { name: string }).name).toBe('run1');
    expect(events).toEqual([]);
    expect(saveModel(state)).toEqual(Uint8Array.of(1, 2));
  });

  it('an .onnx file is imported by the engine, its settings read from the session as the engine would save it', async () => {
    const saved = checkpointBytes({ kind: 'profundo-classifier', dataset: 'mnist-train', model: MODEL, training: TRAINING, data: DATA, progress: { epoch: 0 } });
    const refused = () => {
      throw new Error('resume must not open an ONNX file');
    };
    const { state, log, events } = worker(refused, (_bytes, source) => {
      log.push(`fromOnnx ${source}`);
      return { save: () => saved };
    }, () => 'mnist');
    await loadModel(state, { bytes: Uint8Array.of(8, 7), source: 'torch.ONNX', fallbackDataset: 'fashion-mnist' });
    // The file's dataset (its metadata's, else mnist), not the page's current one.
    expect(log).toEqual(['dataset mnist', 'fromOnnx torch.ONNX', 'run1.adopt torch.ONNX torch.ONNX mnist', 'old.dispose']);
    expect(events).toEqual([]);
    expect(exportOnnx(state)).toEqual(Uint8Array.of(3, 4));
  });

  it('the PyTorch project is zipped into one folder; the notebook request carries the curves in the engine\'s shape', async () => {
    const saved = checkpointBytes({ kind: 'profundo-classifier', dataset: 'mnist-train', model: MODEL, training: TRAINING, data: DATA, progress: { epoch: 0 } });
    const { state } = worker(() => ({ save: () => saved }));
    await loadModel(state, { bytes: saved, source: 'run.profundo', fallbackDataset: 'mnist' });
    const zip = unzipSync(exportPytorchZip(state));
    expect(Object.keys(zip).sort()).toEqual(['profundo-pytorch/state.bin', 'profundo-pytorch/train.py']);
    expect(strFromU8(zip['profundo-pytorch/train.py']!)).toBe('print("continue")\n');
    expect(zip['profundo-pytorch/state.bin']).toEqual(Uint8Array.of(5, 6, 7));
    const history = [{ epoch: 1, trainLoss: 0.5, trainAccuracy: 0.8, devLoss: 0.4, devAccuracy: 0.85 }];
    expect(JSON.parse(exportNotebook(state, { language: 'es', title: 'mlp', history }))).toEqual({
      language: 'es',
      title: 'mlp',
      history: [{ epoch: 1, train: { loss: 0.5, accuracy: 0.8 }, dev: { loss: 0.4, accuracy: 0.85 } }],
    });
  });

  it('an .onnx file the engine refuses (a text model) loads no dataset and leaves the current model', async () => {
    const refused = () => {
      throw new Error('must not be opened');
    };
    const { state, log } = worker(refused, refused, (_bytes, source) => {
      throw new Error(`${source}: metadata profundo.kind: this is a character model (a text run): open it in the text lab, not as an image classifier`);
    });
    const before = state.trained;
    await expect(loadModel(state, { bytes: Uint8Array.of(8, 7), source: 'text.onnx', fallbackDataset: 'mnist' })).rejects.toMatchObject({
      code: 'model-file',
      message: expect.stringMatching(/^text\.onnx: .*character model/),
    });
    expect(log).toEqual([]);
    expect(state.trained).toBe(before);
  });

  it('no loading during a run; more epochs move the model to a new run, or leave it when refused', async () => {
    const { state, log, events } = worker(() => ({}));
    let release: () => void = () => {};
    const busy = state.runner.start('image', () => new Promise((resolve) => (release = () => resolve('done'))));
    await expect(loadModel(state, { bytes: Uint8Array.of(1), source: 'z', fallbackDataset: 'mnist' })).rejects.toMatchObject({
      code: 'bad-request',
      message: expect.stringContaining('a training run is in progress'),
    });
    expect(() => continueTraining(state, 2)).toThrow(expect.objectContaining({ message: 'a training run is already in progress' }));
    release();
    await busy.finished;

    const failing = continueTraining(state, 0);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(events.find((e) => e.type === 'job' && e.job === failing && e.state === 'failed')).toMatchObject({
      error: { code: 'engine', message: 'epochs must be a whole number ≥ 1, got 0' },
    });
    expect((state.trained as unknown as { name: string }).name).toBe('old');
    const more = continueTraining(state, 2);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(log.at(-1)).toBe('run2.continueFrom old 2');
    expect((state.trained as unknown as { name: string }).name).toBe('run2');
    expect(state.runner.active('image')).toBeUndefined();
    expect(events.filter((e) => e.job === more).map((e) => e.state)).toEqual(['started', 'done']);
  });
});

describe('the engine in a run record', () => {
  it('is written in the engine\'s words whatever the page\'s language (no locale needed)', () => {
    expect(backendRecordText({ variant: 'wasm-threads', threads: 2, simd: true })).toBe('wasm-threads · 2 threads · SIMD');
    expect(backendRecordText({ variant: 'wasm-simd', threads: 1, simd: false })).toBe('wasm-simd · 1 thread');
  });
});
