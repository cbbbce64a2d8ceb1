// "Keep your work", its state in signals: the model panel (save, load, restore, continue) and the
// run history (compare, report, CSV, delete). Finished runs are recorded from the worker's events
// and kept in the browser (IndexedDB) with the last model; storage failures are shown, never
// fatal. The history is a RunHistory changed in place; `version` counts its changes.
import { batch, signal } from '@preact/signals';
import * as Comlink from 'comlink';
import { getLocale, t } from '../../i18n';
import { buildReportHtml } from '../../report/report-html';
import { epochsCsv, stepsCsv } from '../../report/csv';
import { downloadBlob, fileStamp, safeFilePart } from '../../report/download';
import { RunHistory } from '../../storage/run-history';
import { RunRecordBuilder, type RunRecord } from '../../storage/run-record';
import { IdbRunStore, toStorageError } from '../../storage/run-store';
import type { EngineClient } from '../../worker/engine-client';
import type { BackendInfo, EngineError } from '../../worker/protocol';
import { TRAIN_EVAL_SAMPLES } from '../../worker/training';

export class RunsStore {
  history = new RunHistory(undefined);
  /** Counts the history's changes (its runs, last model and storage problem). */
  readonly version = signal(0);
  readonly hasModel = signal(false);
  readonly running = signal(false);
  /** A load or save in progress. */
  readonly busy = signal<'saving' | 'loading' | undefined>(undefined);
  /** What the current model is, once loaded from a file or the browser. */
  readonly loaded = signal<{ source: string; epochs: number } | undefined>(undefined);
  readonly continueEpochs = signal('1');
  /** Runs ticked for comparison, by id. */
  readonly selected = signal<ReadonlySet<number>>(new Set());
  /** The runs on the comparison charts. */
  readonly compared = signal<RunRecord[]>([]);

  private backend: BackendInfo | undefined;
  private builder: RunRecordBuilder | undefined;
  private nextSaveId = 1;
  /** Save requests in flight: a download, or keeping the model of a finished run (with its stored record). */
  private readonly saves = new Map<number, { kind: 'download' } | { kind: 'onnx' } | { kind: 'keep'; run: Promise<RunRecord> }>();

  constructor(private readonly engine: EngineClient) {
    this.listen();
  }

  /** Opens the browser's storage and shows what it holds (the history, the last model). */
  async open(): Promise<void> {
    try {
      this.history = new RunHistory(await IdbRunStore.open());
    } catch (err) {
      this.history = new RunHistory(undefined, toStorageError(err, 'unavailable'));
    }
    await this.history.load();
    this.version.value++;
  }

  private listen(): void {
    const { engine } = this;
    engine.on('ready', (event) => (this.backend = event.backend));
    engine.on('status', (event) => {
      if (event.status !== 'loading-data') return;
      // A new run: the worker drops the current model.
      batch(() => {
        this.hasModel.value = false;
        this.running.value = true;
        this.loaded.value = undefined;
      });
    });
    engine.on('started', (event) => {
      const backend = this.backend ? backendRecordText(this.backend) : '';
      this.builder = new RunRecordBuilder(event, backend, Math.min(TRAIN_EVAL_SAMPLES, event.trainCount));
      batch(() => {
        this.hasModel.value = false;
        this.running.value = true;
      });
    });
    engine.on('progress', (event) => this.builder?.progress(event));
    engine.on('epoch', (event) => this.builder?.epoch(event));
    engine.on('done', (event) => this.builder?.finished(event));
    engine.on('results', (event) => {
      const record = this.builder?.build(event, new Date());
      this.builder = undefined;
      batch(() => {
        this.hasModel.value = true;
        this.running.value = false;
      });
      if (record) this.keep(record);
    });
    engine.on('stopped', () => {
      this.builder = undefined;
      batch(() => {
        this.running.value = false;
        this.hasModel.value = false;
      });
    });
    engine.on('modelLoaded', (event) => {
      this.builder = undefined;
      batch(() => {
        this.busy.value = undefined;
        this.hasModel.value = true;
        this.loaded.value = { source: event.source, epochs: event.epochs };
      });
    });
    engine.on('error', (event) => this.failed(event.error));
    engine.on('job', (event) => {
      if (event.kind === 'image' && event.state === 'failed') this.failed(event.error!);
    });
  }

  private failed(error: EngineError): void {
    if (error.code === 'load-failed') return;
    this.builder = undefined;
    batch(() => {
      if (this.running.value) this.hasModel.value = false;
      this.running.value = false;
      this.busy.value = undefined;
    });
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
    void stored.then(() => this.version.value++);
  }

  private async onSaved(id: number, bytes: Uint8Array): Promise<void> {
    const request = this.saves.get(id);
    this.saves.delete(id);
    if (!request) return;
    if (request.kind === 'download' || request.kind === 'onnx') {
      this.busy.value = undefined;
      const extension = request.kind === 'onnx' ? 'onnx' : 'profundo';
      downloadBlob(new Blob([bytes as BlobPart], { type: 'application/octet-stream' }), `${this.downloadName()}-${fileStamp(new Date().toISOString())}.${extension}`);
    } else {
      const run = await request.run;
      await this.history.keepModel({ bytes, runId: run.id, preset: run.settings.preset, dataset: run.settings.dataset, date: run.date, testAccuracy: run.testAccuracy });
      this.version.value++;
    }
  }

  /** The name downloads of the current model start with. */
  private downloadName(): string {
    const settings = this.history.runs.at(-1)?.settings;
    const loaded = this.loaded.value;
    return loaded ? loaded.source.replace(/\.(profundo|onnx)$/, '') : `profundo-${safeFilePart(settings?.preset ?? 'model')}-${settings?.dataset ?? ''}`;
  }

  /** Downloads the model as the engine's file ('download') or as ONNX. */
  save(kind: 'download' | 'onnx'): void {
    const id = this.nextSaveId++;
    this.saves.set(id, { kind });
    this.busy.value = 'saving';
    this.requestSave(id, kind === 'onnx' ? 'onnx' : 'profundo');
  }

  /** Downloads the run as a PyTorch project (zip) or as the hand-in notebook (a failure is an error event too). */
  async exportRun(kind: 'pytorch' | 'notebook'): Promise<void> {
    this.busy.value = 'saving';
    const name = `${this.downloadName()}-${fileStamp(new Date().toISOString())}`;
    try {
      if (kind === 'pytorch') {
        const zip = await this.engine.api.exportPytorch();
        downloadBlob(new Blob([zip as BlobPart], { type: 'application/zip' }), `${name}-pytorch.zip`);
      } else {
        const run = this.loaded.value ? undefined : this.history.runs.at(-1);
        const history = (run?.epochs ?? []).map(({ epoch, trainLoss, trainAccuracy, devLoss, devAccuracy }) => ({ epoch, trainLoss, trainAccuracy, devLoss, devAccuracy }));
        const text = await this.engine.api.exportNotebook({ language: getLocale(), title: run?.settings.preset ?? this.downloadName(), history });
        downloadBlob(new Blob([text], { type: 'application/x-ipynb+json' }), `${name}.ipynb`);
      }
    } catch {
      // The worker's error event says why.
    } finally {
      this.busy.value = undefined;
    }
  }

  async load(file: File): Promise<void> {
    this.busy.value = 'loading';
    const bytes = new Uint8Array(await file.arrayBuffer());
    // Its events (modelLoaded…) show the model; a failure comes as an error event too.
    this.engine.api.loadModel(Comlink.transfer({ bytes, source: file.name, fallbackDataset: 'mnist' }, [bytes.buffer])).catch(() => undefined);
  }

  restore(): void {
    const last = this.history.lastModel;
    if (!last) return;
    this.busy.value = 'loading';
    const bytes = last.bytes.slice(); // the kept copy stays for another restore
    this.engine.api.loadModel(Comlink.transfer({ bytes, source: t('keep.lastModelSource'), fallbackDataset: last.dataset, preset: last.preset }, [bytes.buffer])).catch(() => undefined);
  }

  continueTraining(epochs: number): void {
    this.engine.api.continueTraining(epochs).catch(() => undefined); // a refusal comes as an error event too
  }

  select(id: number, on: boolean): void {
    const selected = new Set(this.selected.value);
    if (on) selected.add(id);
    else selected.delete(id);
    this.selected.value = selected;
  }

  compare(): void {
    this.compared.value = this.history.runs.filter((run) => this.selected.value.has(run.id!));
  }

  async remove(run: RunRecord): Promise<void> {
    this.select(run.id!, false);
    await this.history.remove(run.id!);
    batch(() => {
      if (this.compared.value.some((r) => r.id === run.id)) {
        this.selected.value = new Set([...this.selected.value].filter((id) => this.history.runs.some((r) => r.id === id)));
        this.compare();
      }
      this.version.value++;
    });
  }

  exportReport(run: RunRecord): void {
    const html = buildReportHtml(run, getLocale());
    downloadBlob(new Blob([html], { type: 'text/html;charset=utf-8' }), `profundo-report-${safeFilePart(run.settings.preset)}-${fileStamp(run.date)}.html`);
  }

  exportCsv(run: RunRecord, kind: 'epochs' | 'steps'): void {
    const text = kind === 'epochs' ? epochsCsv([run]) : stepsCsv([run]);
    downloadBlob(new Blob([text], { type: 'text/csv;charset=utf-8' }), `profundo-${kind}-${safeFilePart(run.settings.preset)}-${fileStamp(run.date)}.csv`);
  }
}

/** The engine as a run record keeps it: data in the engine's words, whatever the page's language
 *  (reports show it as written), "wasm-threads · 2 threads · SIMD". */
export function backendRecordText({ variant, threads, simd }: Pick<BackendInfo, 'variant' | 'threads' | 'simd'>): string {
  return [variant, `${threads} ${threads === 1 ? 'thread' : 'threads'}`, simd ? 'SIMD' : undefined].filter(Boolean).join(' · ');
}
