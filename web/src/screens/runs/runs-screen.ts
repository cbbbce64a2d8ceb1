// "Keep your work": the model panel (save, load, restore, continue) and the run history (compare,
// report, CSV, delete). Finished runs are recorded from the worker's events and kept in the
// browser (IndexedDB) with the last model; storage failures are shown, never fatal.
import * as Comlink from 'comlink';
import { getLocale, optimizerName, t, tf } from '../../i18n';
import { buildReportHtml } from '../../report/report-html';
import { epochsCsv, stepsCsv } from '../../report/csv';
import { downloadBlob, fileStamp, safeFilePart } from '../../report/download';
import { RunHistory } from '../../storage/run-history';
import { RunRecordBuilder, type RunRecord } from '../../storage/run-record';
import { IdbRunStore, toStorageError } from '../../storage/run-store';
import { h } from '../../ui/dom';
import { formatBackend, formatFixed, formatSetting } from '../../ui/format';
import { LineChart, type LineChartOptions } from '../../ui/line-chart';
import type { EngineClient } from '../../worker/engine-client';
import type { BackendInfo, EngineError } from '../../worker/protocol';
import { TRAIN_EVAL_SAMPLES } from '../../worker/training';
import { formatLoss, formatPercent } from '../train/format';
import { devAccuracyCurves, lossCurves, runColor } from './compare';
import { renderHistoryPanel } from './history-panel';
import { renderKeepPanel } from './keep-panel';

export class RunsScreen {
  readonly element: HTMLElement;
  private history = new RunHistory(undefined);
  private backend: BackendInfo | undefined;
  private builder: RunRecordBuilder | undefined;
  private hasModel = false;
  private running = false;
  private busy: 'saving' | 'loading' | undefined;
  private loaded: { source: string; epochs: number } | undefined;
  private continueEpochs = '1';
  private readonly selected = new Set<number>();
  private compared: RunRecord[] = [];
  private readonly lossChart: LineChart;
  private readonly accuracyChart: LineChart;
  private nextSaveId = 1;
  /** Save requests in flight: a download, or keeping the model of a finished run (with its stored record). */
  private readonly saves = new Map<number, { kind: 'download' } | { kind: 'onnx' } | { kind: 'keep'; run: Promise<RunRecord> }>();

  constructor(private readonly engine: EngineClient) {
    this.element = h('section', { class: 'card runs-screen', 'aria-labelledby': 'runs-title' });
    this.lossChart = new LineChart(this.lossChartOptions());
    this.accuracyChart = new LineChart(this.accuracyChartOptions());
    this.listen();
    this.render();
  }

  /** Opens the browser's storage and shows what it holds (the history, the last model). */
  async open(): Promise<void> {
    try {
      this.history = new RunHistory(await IdbRunStore.open());
    } catch (err) {
      this.history = new RunHistory(undefined, toStorageError(err, 'unavailable'));
    }
    await this.history.load();
    this.render();
  }

  relabel(): void {
    this.lossChart.relabel(this.lossChartOptions(this.compared));
    this.accuracyChart.relabel(this.accuracyChartOptions(this.compared));
    this.render();
  }

  private listen(): void {
    const { engine } = this;
    engine.on('ready', (event) => (this.backend = event.backend));
    engine.on('status', (event) => {
      if (event.status === 'loading-data') {
        // A new run: the worker drops the current model.
        this.hasModel = false;
        this.running = true;
        this.loaded = undefined;
        this.render();
      }
    });
    engine.on('started', (event) => {
      this.hasModel = false;
      this.running = true;
      const backend = this.backend ? formatBackend(this.backend, 'en') : '';
      this.builder = new RunRecordBuilder(event, backend, Math.min(TRAIN_EVAL_SAMPLES, event.trainCount));
      this.render();
    });
    engine.on('progress', (event) => this.builder?.progress(event));
    engine.on('epoch', (event) => this.builder?.epoch(event));
    engine.on('done', (event) => this.builder?.finished(event));
    engine.on('results', (event) => {
      this.hasModel = true;
      this.running = false;
      const record = this.builder?.build(event, new Date());
      this.builder = undefined;
      if (record) this.keep(record);
      this.render();
    });
    engine.on('stopped', () => {
      this.builder = undefined;
      this.running = false;
      this.hasModel = false;
      this.render();
    });
    engine.on('modelLoaded', (event) => {
      this.builder = undefined;
      this.busy = undefined;
      this.hasModel = true;
      this.loaded = { source: event.source, epochs: event.epochs };
      this.render();
    });
    engine.on('error', (event) => this.failed(event.error));
    engine.on('job', (event) => {
      if (event.kind === 'image' && event.state === 'failed') this.failed(event.error!);
    });
  }

  private failed(error: EngineError): void {
    if (error.code === 'load-failed') return;
    if (this.running) this.hasModel = false;
    this.builder = undefined;
    this.running = false;
    this.busy = undefined;
    this.render();
  }

  /** The trained model as the engine's file (or as ONNX), for `request` (a failure is an error event too). */
  private requestSave(id: number, format: 'profundo' | 'onnx' = 'profundo'): void {
    const bytes = format === 'onnx' ? this.engine.api.exportOnnx() : this.engine.api.saveModel();
    bytes.then((file) => this.onSaved(id, file), () => this.saves.delete(id));
  }

  /** Stores a finished run and, as the last model, the model it trained. */
  private keep(record: RunRecord): void {
    const id = this.nextSaveId++;
    const stored = this.history.add(record);
    this.saves.set(id, { kind: 'keep', run: stored });
    this.requestSave(id); // now, before another run replaces the model
    void stored.then(() => this.render());
  }

  private async onSaved(id: number, bytes: Uint8Array): Promise<void> {
    const request = this.saves.get(id);
    this.saves.delete(id);
    if (!request) return;
    if (request.kind === 'download' || request.kind === 'onnx') {
      this.busy = undefined;
      const name = this.downloadName();
      const extension = request.kind === 'onnx' ? 'onnx' : 'profundo';
      downloadBlob(new Blob([bytes as BlobPart], { type: 'application/octet-stream' }), `${name}-${fileStamp(new Date().toISOString())}.${extension}`);
    } else {
      const run = await request.run;
      await this.history.keepModel({
        bytes,
        runId: run.id,
        preset: run.settings.preset,
        dataset: run.settings.dataset,
        date: run.date,
        testAccuracy: run.testAccuracy,
      });
    }
    this.render();
  }

  /** The name downloads of the current model start with. */
  private downloadName(): string {
    const settings = this.history.runs.at(-1)?.settings;
    return this.loaded ? this.loaded.source.replace(/\.(profundo|onnx)$/, '') : `profundo-${safeFilePart(settings?.preset ?? 'model')}-${settings?.dataset ?? ''}`;
  }

  /** Downloads the run as a PyTorch project (zip) or as the hand-in notebook (a failure is an error event too). */
  private async exportRun(kind: 'pytorch' | 'notebook'): Promise<void> {
    this.busy = 'saving';
    this.render();
    const name = `${this.downloadName()}-${fileStamp(new Date().toISOString())}`;
    try {
      if (kind === 'pytorch') {
        const zip = await this.engine.api.exportPytorch();
        downloadBlob(new Blob([zip as BlobPart], { type: 'application/zip' }), `${name}-pytorch.zip`);
      } else {
        const run = this.loaded ? undefined : this.history.runs.at(-1);
        const history = (run?.epochs ?? []).map(({ epoch, trainLoss, trainAccuracy, devLoss, devAccuracy }) => ({ epoch, trainLoss, trainAccuracy, devLoss, devAccuracy }));
        const text = await this.engine.api.exportNotebook({ language: getLocale(), title: run?.settings.preset ?? this.downloadName(), history });
        downloadBlob(new Blob([text], { type: 'application/x-ipynb+json' }), `${name}.ipynb`);
      }
    } catch {
      // The worker's error event says why.
    } finally {
      this.busy = undefined;
      this.render();
    }
  }

  /** Downloads the model as the engine's file ('download') or as ONNX. */
  private save(kind: 'download' | 'onnx'): void {
    const id = this.nextSaveId++;
    this.saves.set(id, { kind });
    this.busy = 'saving';
    this.render();
    this.requestSave(id, kind === 'onnx' ? 'onnx' : 'profundo');
  }

  private async load(file: File): Promise<void> {
    this.busy = 'loading';
    this.render();
    const bytes = new Uint8Array(await file.arrayBuffer());
    // Its events (modelLoaded…) show the model; a failure comes as an error event too.
    this.engine.api.loadModel(Comlink.transfer({ bytes, source: file.name, fallbackDataset: 'mnist' }, [bytes.buffer])).catch(() => undefined);
  }

  private restore(): void {
    const last = this.history.lastModel;
    if (!last) return;
    this.busy = 'loading';
    this.render();
    const bytes = last.bytes.slice(); // the kept copy stays for another restore
    this.engine.api
      .loadModel(Comlink.transfer({ bytes, source: t('keep.lastModelSource'), fallbackDataset: last.dataset, preset: last.preset }, [bytes.buffer]))
      .catch(() => undefined);
  }

  private continueTraining(epochs: number): void {
    this.engine.api.continueTraining(epochs).catch(() => undefined); // a refusal comes as an error event too
  }

  private compare(): void {
    this.compared = this.history.runs.filter((run) => this.selected.has(run.id!));
    this.lossChart.relabel(this.lossChartOptions(this.compared));
    this.accuracyChart.relabel(this.accuracyChartOptions(this.compared));
    const loss = lossCurves(this.compared);
    this.lossChart.setData(loss.x, loss.ys);
    const accuracy = devAccuracyCurves(this.compared);
    this.accuracyChart.setData(accuracy.x, accuracy.ys);
    // Points drawn per run, for tests and curious readers of the DOM.
    const counts = (ys: (number | null)[][]) => ys.map((y) => y.filter((v) => v !== null).length).join(',');
    this.lossChart.element.dataset['points'] = counts(loss.ys);
    this.accuracyChart.element.dataset['points'] = counts(accuracy.ys);
    this.render();
  }

  private async remove(run: RunRecord): Promise<void> {
    this.selected.delete(run.id!);
    await this.history.remove(run.id!);
    if (this.compared.some((r) => r.id === run.id)) {
      this.selected.forEach((id) => this.history.runs.some((r) => r.id === id) || this.selected.delete(id));
      this.compare();
    }
    this.render();
  }

  private runLabel(run: RunRecord): string {
    return `#${run.id} ${run.settings.preset}`;
  }

  private lossChartOptions(runs: RunRecord[] = []): LineChartOptions {
    return {
      title: t('runs.compare.loss'),
      xLabel: t('train.chart.step'),
      yLabel: t('train.chart.lossAxis'),
      series: runs.map((run, i) => ({ label: this.runLabel(run), color: runColor(i), spanGaps: true })),
      formatY: (v) => formatLoss(v, getLocale()),
      testId: 'compare-loss-chart',
    };
  }

  private accuracyChartOptions(runs: RunRecord[] = []): LineChartOptions {
    return {
      title: t('runs.compare.accuracy'),
      xLabel: t('train.progress.epoch'),
      yLabel: t('train.chart.accuracyAxis'),
      series: runs.map((run, i) => ({ label: this.runLabel(run), color: runColor(i), points: true, spanGaps: true })),
      formatY: (v) => `${formatFixed(v, 1)} %`,
      integerX: true,
      testId: 'compare-accuracy-chart',
    };
  }

  private exportReport(run: RunRecord): void {
    const html = buildReportHtml(run, getLocale());
    downloadBlob(new Blob([html], { type: 'text/html;charset=utf-8' }), `profundo-report-${safeFilePart(run.settings.preset)}-${fileStamp(run.date)}.html`);
  }

  private exportCsv(run: RunRecord, kind: 'epochs' | 'steps'): void {
    const text = kind === 'epochs' ? epochsCsv([run]) : stepsCsv([run]);
    downloadBlob(new Blob([text], { type: 'text/csv;charset=utf-8' }), `profundo-${kind}-${safeFilePart(run.settings.preset)}-${fileStamp(run.date)}.csv`);
  }

  private renderComparison(): HTMLElement | null {
    if (this.compared.length === 0) return null;
    const locale = getLocale();
    const head = h(
      'tr',
      {},
      ...(['runs.run', 'train.preset', 'train.dataset', 'train.epochs', 'train.optimizer', 'train.learningRate', 'train.batchSize', 'train.seed', 'train.test.title'] as const).map((key) =>
        h('th', { scope: 'col' }, t(key)),
      ),
    );
    const rows = this.compared.map((run, i) =>
      h(
        'tr',
        { 'data-run-id': run.id },
        h('td', {}, h('span', { class: 'swatch', style: `background:${runColor(i)}` }), ` #${run.id}`),
        h('td', {}, run.settings.preset),
        h('td', {}, run.settings.dataset),
        h('td', {}, String(run.settings.epochs)),
        h('td', {}, optimizerName(run.settings.optimizer)),
        h('td', {}, formatSetting(run.settings.learningRate)),
        h('td', {}, String(run.settings.batchSize)),
        h('td', {}, String(run.settings.seed)),
        h('td', {}, formatPercent(run.testAccuracy, locale)),
      ),
    );
    return h(
      'div',
      { class: 'comparison', 'data-testid': 'comparison', 'data-count': this.compared.length },
      h('h3', {}, tf('runs.compare.title', { count: this.compared.length })),
      h('div', { class: 'charts' }, this.lossChart.element, this.accuracyChart.element),
      h('table', { class: 'runs' }, h('thead', {}, head), h('tbody', {}, ...rows)),
    );
  }

  render(): void {
    this.element.replaceChildren(
      h('h2', { id: 'runs-title' }, t('runs.screenTitle')),
      renderKeepPanel({
        hasModel: this.hasModel,
        running: this.running,
        busy: this.busy,
        loaded: this.loaded,
        lastModel: this.history.lastModel,
        continueEpochs: this.continueEpochs,
        onSave: () => this.save('download'),
        onExportOnnx: () => this.save('onnx'),
        onExportPytorch: () => void this.exportRun('pytorch'),
        onExportNotebook: () => void this.exportRun('notebook'),
        onLoad: (file) => void this.load(file),
        onRestore: () => this.restore(),
        onContinue: (epochs) => this.continueTraining(epochs),
        onContinueEpochs: (value) => (this.continueEpochs = value),
      }),
      renderHistoryPanel({
        runs: this.history.runs,
        selected: this.selected,
        problem: this.history.problem,
        persistent: this.history.persistent,
        onSelect: (id, on) => {
          if (on) this.selected.add(id);
          else this.selected.delete(id);
          this.render();
        },
        onCompare: () => this.compare(),
        onReport: (run) => this.exportReport(run),
        onEpochsCsv: (run) => this.exportCsv(run, 'epochs'),
        onStepsCsv: (run) => this.exportCsv(run, 'steps'),
        onDelete: (run) => void this.remove(run),
      }),
      ...[this.renderComparison()].filter((e): e is HTMLElement => e !== null),
    );
  }
}
