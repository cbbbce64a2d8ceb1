// The text lab's state, in signals, fed by the worker's text events (textStatus, textStarted,
// textProgress, textEval, textSample, textDone and the text job's lifecycle) and changed by the
// lab's actions (train, pause, stop, generate, load, save). Created once, on the lab's first
// visit, and kept: leaving the view and coming back shows the same run. The components read it;
// the curves change in place (LossHistory) and `curves` counts the changes, for the charts.
import { batch, computed, signal } from '@preact/signals';
import * as Comlink from 'comlink';
import { t, tf, type MessageKey } from '../../i18n';
import { engineSettingText, problemText } from '../../i18n/setting-problem';
import { downloadBlob, safeFilePart } from '../../report/download';
import type { EngineClient } from '../../worker/engine-client';
import type { EngineError, EngineEventOf, GeneratedText, JobId, TextCorpusSource, TextLoaded, TextModelChoice, TextStatus } from '../../worker/protocol';
import { LossHistory } from './loss-history';
import {
  applyTextPreset,
  CORPUS_PRIMES,
  defaultTextForm,
  FieldError,
  MAX_TEXT_BYTES,
  NUMBER_FIELDS,
  primeAfterCorpusChange,
  TEXT_PRESETS,
  textRequest,
  utf8Length,
  type CorpusChoice,
  type TextForm,
} from './text-form';
import { engineErrorSentence } from '../../i18n/engine-error';

export interface ShownError {
  title: string;
  message: string;
  code: string;
}

export interface ShownSample {
  kind: 'training' | 'generated';
  model: TextModelChoice;
  prime: string;
  text: string;
  temperature: number;
  step: number;
}

export type TextStarted = Omit<EngineEventOf<'textStarted'>, 'type'>;

export class TextStore {
  readonly form = signal<TextForm>(defaultTextForm());
  readonly ownText = signal('');
  readonly ownFile = signal<{ name: string; bytes: Uint8Array } | undefined>(undefined);
  readonly prime = signal(CORPUS_PRIMES[this.form.value.corpus]);
  readonly sampleLength = signal('300');
  readonly temperature = signal(0.8);
  /** Which model generates: the best so far by default. */
  readonly sampleFrom = signal<TextModelChoice>('best');

  readonly status = signal<TextStatus>('idle');
  readonly hasModel = signal(false);
  readonly started = signal<TextStarted | undefined>(undefined);
  readonly loaded = signal<TextLoaded | undefined>(undefined);
  readonly progress = signal<EngineEventOf<'textProgress'> | undefined>(undefined);
  readonly done = signal<EngineEventOf<'textDone'> | undefined>(undefined);
  readonly error = signal<ShownError | undefined>(undefined);
  readonly sample = signal<ShownSample | undefined>(undefined);
  /** The generate request whose text the sample box waits for (0: none). */
  readonly pendingGenerate = signal(0);
  /** The run's curves (changed in place); `curves` counts the changes. */
  readonly history = new LossHistory();
  readonly curves = signal(0);
  readonly running = computed(() => this.status.value !== 'idle');

  private requestId = 0;
  /** The text job in progress or last run (pause, resume and stop name it). */
  private job: JobId | undefined;

  constructor(private readonly engine: EngineClient) {
    engine.on('textStatus', (event) => (this.status.value = event.status));
    engine.on('textStarted', ({ type: _type, ...started }) =>
      batch(() => {
        this.started.value = started;
        this.loaded.value = undefined;
        this.hasModel.value = true;
        this.history.baseline = started.unigramEntropy;
        this.curves.value++;
      }),
    );
    engine.on('textProgress', (event) =>
      batch(() => {
        this.progress.value = event;
        this.history.add(event.step, 'train', event.loss);
        this.curves.value++;
      }),
    );
    engine.on('textEval', (event) => {
      this.history.add(event.step, 'validation', event.validationLoss);
      this.history.best = { step: event.bestStep, loss: event.bestValidationLoss };
      this.curves.value++;
    });
    engine.on('textSample', (event) => {
      if (this.pendingGenerate.value !== 0) return; // a requested text is on its way: keep the box for it
      this.showSample('training', event);
    });
    engine.on('textDone', (event) => (this.done.value = event));
    engine.on('job', (event) => {
      if (event.kind !== 'text') return;
      batch(() => {
        if (event.state === 'started') this.job = event.job;
        else if (event.state === 'paused') this.status.value = 'paused';
        else if (event.state === 'resumed') this.status.value = 'training';
        else this.status.value = 'idle'; // done, stopped or failed
        if (event.state === 'failed') this.failed(event.error!);
      });
    });
  }

  // ---- the form ---------------------------------------------------------------------------------

  setField<K extends keyof TextForm>(field: K, value: TextForm[K]): void {
    this.form.value = { ...this.form.value, [field]: value };
  }

  /** Another corpus: the priming text follows it (unless the student wrote one). */
  setCorpus(corpus: CorpusChoice): void {
    batch(() => {
      this.prime.value = primeAfterCorpusChange(this.prime.value, this.form.value.corpus, corpus);
      this.setField('corpus', corpus);
    });
  }

  /** A preset of engine/text/text_presets.cpp: every setting, its corpus (and so the prime) and minutes. */
  choosePreset(name: string): void {
    const preset = TEXT_PRESETS.find((p) => p.name === name);
    if (!preset) return;
    const form = { ...this.form.value };
    applyTextPreset(form, preset);
    batch(() => {
      this.setCorpus(form.corpus);
      this.form.value = form;
    });
  }

  setOwnText(text: string): void {
    batch(() => {
      this.ownText.value = text;
      this.ownFile.value = undefined; // typing replaces an uploaded file
    });
  }

  async chooseFile(file: File): Promise<void> {
    if (file.size > MAX_TEXT_BYTES) {
      this.ownFile.value = undefined;
      this.showPageError('text.error.tooLarge', { name: file.name, bytes: file.size, max: MAX_TEXT_BYTES });
      return;
    }
    const bytes = new Uint8Array(await file.arrayBuffer());
    batch(() => {
      this.ownFile.value = { name: file.name, bytes };
      this.error.value = undefined;
    });
  }

  // ---- actions ----------------------------------------------------------------------------------

  /** The worker was replaced: its text model and run are gone. */
  engineRestarted(): void {
    batch(() => {
      this.status.value = 'idle';
      this.hasModel.value = false;
      this.pendingGenerate.value = 0;
    });
  }

  train(): void {
    this.error.value = undefined;
    const corpus = this.corpusSource();
    if (!corpus) return;
    let request;
    try {
      request = textRequest(this.form.value, corpus);
    } catch (err) {
      if (!(err instanceof FieldError)) throw err;
      if (err.problem) this.error.value = { title: t('error.title'), message: problemText(err.problem), code: 'page' };
      else this.showPageError('text.error.field', { field: t(NUMBER_FIELDS.find((f) => f.field === err.field)!.label), value: err.value });
      return;
    }
    batch(() => {
      this.clearRun();
      this.sample.value = undefined;
      this.hasModel.value = false;
      this.status.value = 'loading-data';
    });
    const transfer = corpus.kind === 'file' ? [corpus.bytes.buffer] : [];
    this.engine.api.textTrain(Comlink.transfer(request, transfer)).catch((error: EngineError) => {
      this.status.value = 'idle';
      this.failed(error);
    });
  }

  pauseOrResume(): void {
    if (this.job === undefined) return;
    const paused = this.status.value === 'paused';
    (paused ? this.engine.api.resume(this.job) : this.engine.api.pause(this.job)).catch(() => undefined); // a dead engine says so itself
  }

  stop(): void {
    if (this.job !== undefined) this.engine.api.stop(this.job).catch(() => undefined);
  }

  generate(): void {
    const length = Number(this.sampleLength.value);
    if (!Number.isInteger(length) || length < 1) {
      this.showPageError('text.error.field', { field: t('text.length'), value: this.sampleLength.value });
      return;
    }
    this.error.value = undefined;
    const asked = ++this.requestId;
    this.pendingGenerate.value = asked;
    const seed = Number(this.form.value.seed);
    this.engine.api.textGenerate(this.prime.value, length, this.temperature.value, Number.isInteger(seed) && seed >= 0 ? seed : 1, this.sampleFrom.value).then(
      (generated) => {
        if (asked !== this.pendingGenerate.value) return; // an older request
        batch(() => {
          this.pendingGenerate.value = 0;
          this.showSample('generated', generated);
        });
      },
      (error: EngineError) => this.failed(error),
    );
  }

  async load(file: File): Promise<void> {
    this.error.value = undefined;
    const bytes = new Uint8Array(await file.arrayBuffer());
    try {
      const loaded = await this.engine.api.textLoad(Comlink.transfer(bytes, [bytes.buffer]), file.name);
      batch(() => {
        this.clearRun();
        this.loaded.value = loaded;
        this.hasModel.value = true;
      });
    } catch (error) {
      this.failed(error as EngineError);
    }
  }

  /** Downloads the model as the engine's saved run, or as ONNX. */
  async save(format: 'profundo' | 'onnx' = 'profundo'): Promise<void> {
    try {
      const bytes = format === 'onnx' ? await this.engine.api.textExportOnnx() : await this.engine.api.textSave();
      const cell = this.started.value?.config.cell ?? this.loaded.value?.config.cell ?? 'text';
      const step = this.progress.value?.step ?? this.loaded.value?.steps ?? 0;
      downloadBlob(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'application/octet-stream' }), `${safeFilePart(`text-${cell}-${step}`)}.${format}`);
    } catch (error) {
      this.failed(error as EngineError);
    }
  }

  // ---- helpers ----------------------------------------------------------------------------------

  private showSample(kind: ShownSample['kind'], sample: GeneratedText): void {
    this.sample.value = { kind, model: sample.model, prime: sample.prime, text: sample.text, temperature: sample.temperature, step: sample.step };
  }

  /** An engine error ends a pending generate request too. */
  private failed(error: EngineError): void {
    batch(() => {
      this.pendingGenerate.value = 0;
      this.error.value = { title: `${t('error.title')}: ${engineErrorSentence(error)}`, message: error.setting ? `${engineSettingText(error.setting)}\n${error.message}` : error.message, code: error.code };
    });
  }

  private showPageError(key: MessageKey, params: Record<string, string | number>): void {
    this.error.value = { title: t('error.title'), message: tf(key, params), code: 'page' };
  }

  private corpusSource(): TextCorpusSource | undefined {
    const { corpus } = this.form.value;
    if (corpus !== 'own') return { kind: 'builtin', id: corpus };
    const file = this.ownFile.value;
    if (file) return { kind: 'file', name: file.name, bytes: file.bytes.slice() };
    const text = this.ownText.value;
    if (text === '') {
      this.showPageError('text.error.noText', {});
      return undefined;
    }
    const bytes = utf8Length(text);
    if (bytes > MAX_TEXT_BYTES) {
      this.showPageError('text.error.tooLarge', { name: t('text.corpus.pasted'), bytes, max: MAX_TEXT_BYTES });
      return undefined;
    }
    return { kind: 'pasted', text };
  }

  /** Forgets the shown run: its settings, progress, result and curves. */
  private clearRun(): void {
    this.started.value = undefined;
    this.loaded.value = undefined;
    this.progress.value = undefined;
    this.done.value = undefined;
    this.history.clear();
    this.curves.value++;
  }
}
