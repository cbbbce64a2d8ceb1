// The text lab: choose a corpus (built-in, pasted or uploaded) and a character-level RNN/GRU/LSTM,
// train it in the worker with live loss and perplexity curves and a sample every few seconds, then
// generate with a temperature and a priming text; save and load the run. The inputs are built
// once per language (they keep their values in `form`); the rest is updated in place.
import * as Comlink from 'comlink';
import { getLocale, t, tf, type MessageKey } from '../../i18n';
import { engineSettingText, problemText } from '../../i18n/setting-problem';
import { downloadBlob, safeFilePart } from '../../report/download';
import { h } from '../../ui/dom';
import { formatCount } from '../../ui/format';
import { LineChart, type LineChartOptions } from '../../ui/line-chart';
import type { EngineClient } from '../../worker/engine-client';
import type { EngineError, EngineEventOf, GeneratedText, JobId, TextCorpusSource, TextLoaded, TextModelChoice, TextStatus } from '../../worker/protocol';
import { perplexity } from '../../worker/text-stats';
import { LossHistory } from './loss-history';
import { applyTextPreset, defaultTextForm, FieldError, TEXT_PRESETS, MAX_TEXT_BYTES, TEXT_CELLS, TEXT_KEEP, TEXT_OPTIMIZERS, TEXT_SCHEDULES, textRequest, utf8Length, type FlagField, type NumberField, type TextForm } from './text-form';
import { engineErrorSentence } from '../../i18n/engine-error';

const NUMBER_FIELDS: { field: NumberField; label: MessageKey; testId: string }[] = [
  { field: 'layers', label: 'text.layers', testId: 'text-layers' },
  { field: 'hidden', label: 'text.hidden', testId: 'text-hidden' },
  { field: 'embedding', label: 'text.embedding', testId: 'text-embedding' },
  { field: 'dropout', label: 'text.dropout', testId: 'text-dropout' },
  { field: 'seqLength', label: 'text.seqLength', testId: 'text-seq' },
  { field: 'batch', label: 'text.batch', testId: 'text-batch' },
  { field: 'learningRate', label: 'text.learningRate', testId: 'text-lr' },
  { field: 'c1', label: 'hyper.c1', testId: 'text-c1' },
  { field: 'c2', label: 'hyper.c2', testId: 'text-c2' },
  { field: 'gamma', label: 'hyper.gamma', testId: 'text-gamma' },
  { field: 'stepSize', label: 'hyper.stepSize', testId: 'text-step-size' },
  { field: 'l2', label: 'hyper.l2', testId: 'text-l2' },
  { field: 'clip', label: 'text.clip', testId: 'text-clip' },
  { field: 'seed', label: 'text.seed', testId: 'text-seed' },
  { field: 'patience', label: 'text.patience', testId: 'text-patience' },
  { field: 'minutes', label: 'text.minutes', testId: 'text-minutes' },
  { field: 'steps', label: 'text.steps', testId: 'text-steps' },
];

const FLAG_FIELDS: { field: FlagField; label: MessageKey; testId: string }[] = [
  { field: 'dropoutEmbedding', label: 'text.dropoutEmbedding', testId: 'text-dropout-embedding' },
  { field: 'dropoutHead', label: 'text.dropoutHead', testId: 'text-dropout-head' },
];

interface ShownError {
  title: string;
  message: string;
  code: string;
}

interface ShownSample {
  kind: 'training' | 'generated';
  model: TextModelChoice;
  prime: string;
  text: string;
  temperature: number;
  step: number;
}

function format(value: number, digits: number): string {
  return value.toLocaleString(getLocale(), { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

export class TextScreen {
  readonly element: HTMLElement;
  private readonly form: TextForm = defaultTextForm();
  private ownText = '';
  private ownFile: { name: string; bytes: Uint8Array } | undefined;
  private prime = 'ROMEO:';
  private sampleLength = '300';
  private temperature = 0.8;
  /** Which model generates: the best so far by default. */
  private sampleFrom: TextModelChoice = 'best';

  private status: TextStatus = 'idle';
  private hasModel = false;
  private started: Omit<EngineEventOf<'textStarted'>, 'type'> | undefined;
  private loaded: TextLoaded | undefined;
  private progress: EngineEventOf<'textProgress'> | undefined;
  private done: EngineEventOf<'textDone'> | undefined;
  private error: ShownError | undefined;
  private sample: ShownSample | undefined;
  private readonly history = new LossHistory();
  private requestId = 0;
  /** The generate request whose text the sample box waits for (0: none). */
  private pendingGenerate = 0;
  /** The text job in progress or last run (pause, resume and stop name it). */
  private job: JobId | undefined;

  private readonly lossChart = new LineChart(this.chartOptions(false));
  private readonly perplexityChart = new LineChart(this.chartOptions(true));
  // Filled by build(), updated by update().
  private ownBox = h('div');
  private buttons = h('div');
  private statusBox = h('div');
  private errorBox = h('div');
  private lossBox = h('div');
  private sampleBox = h('div');
  private modelButtons = h('div');
  private bestMarker = h('p');
  private generateButton = h('button');

  constructor(private readonly engine: EngineClient) {
    this.element = h('section', { class: 'card text-screen', 'aria-labelledby': 'text-title', 'data-testid': 'text-screen' });
    engine.on('textStatus', (event) => {
      this.status = event.status;
      this.update();
    });
    engine.on('textStarted', ({ type: _type, ...started }) => {
      this.started = started;
      this.loaded = undefined;
      this.hasModel = true;
      this.history.baseline = started.unigramEntropy;
      this.updateCharts();
      this.update();
    });
    engine.on('textProgress', (event) => {
      this.progress = event;
      this.history.add(event.step, 'train', event.loss);
      this.updateCharts();
      this.update();
    });
    engine.on('textEval', (event) => {
      this.history.add(event.step, 'validation', event.validationLoss);
      this.history.best = { step: event.bestStep, loss: event.bestValidationLoss };
      this.updateCharts();
      this.update();
    });
    engine.on('textSample', (event) => {
      if (this.pendingGenerate !== 0) return; // a requested text is on its way: keep the box for it
      this.showSample('training', event);
    });
    engine.on('textDone', (event) => {
      this.done = event;
      this.update();
    });
    engine.on('job', (event) => {
      if (event.kind !== 'text') return;
      if (event.state === 'started') this.job = event.job;
      else if (event.state === 'paused') this.status = 'paused';
      else if (event.state === 'resumed') this.status = 'training';
      else this.status = 'idle'; // done, stopped or failed
      if (event.state === 'failed') this.failed(event.error!);
      this.update();
    });
    this.build();
  }

  /** After a language change. */
  relabel(): void {
    this.lossChart.relabel(this.chartOptions(false));
    this.perplexityChart.relabel(this.chartOptions(true));
    this.build();
  }

  /** The worker was replaced: its text model and run are gone. */
  engineRestarted(): void {
    this.status = 'idle';
    this.hasModel = false;
    this.pendingGenerate = 0;
    this.update();
  }

  private get running(): boolean {
    return this.status !== 'idle';
  }

  // ---- actions ----------------------------------------------------------------------------------

  private showSample(kind: ShownSample['kind'], sample: GeneratedText): void {
    this.sample = { kind, model: sample.model, prime: sample.prime, text: sample.text, temperature: sample.temperature, step: sample.step };
    this.update();
  }

  /** An engine error ends a pending generate request too. */
  private failed(error: EngineError): void {
    this.pendingGenerate = 0;
    this.showEngineError(error);
  }

  private showEngineError(error: EngineError): void {
    this.error = { title: `${t('error.title')}: ${engineErrorSentence(error)}`, message: error.setting ? `${engineSettingText(error.setting)}\n${error.message}` : error.message, code: error.code };
    this.update();
  }

  private showPageError(key: MessageKey, params: Record<string, string | number>): void {
    this.error = { title: t('error.title'), message: tf(key, params), code: 'page' };
    this.update();
  }

  private corpusSource(): TextCorpusSource | undefined {
    if (this.form.corpus !== 'own') return { kind: 'builtin', id: this.form.corpus };
    if (this.ownFile) return { kind: 'file', name: this.ownFile.name, bytes: this.ownFile.bytes.slice() };
    if (this.ownText === '') {
      this.showPageError('text.error.noText', {});
      return undefined;
    }
    const bytes = utf8Length(this.ownText);
    if (bytes > MAX_TEXT_BYTES) {
      this.showPageError('text.error.tooLarge', { name: t('text.corpus.pasted'), bytes, max: MAX_TEXT_BYTES });
      return undefined;
    }
    return { kind: 'pasted', text: this.ownText };
  }

  private train(): void {
    this.error = undefined;
    const corpus = this.corpusSource();
    if (!corpus) return;
    let request;
    try {
      request = textRequest(this.form, corpus);
    } catch (err) {
      if (!(err instanceof FieldError)) throw err;
      if (err.problem) {
        this.error = { title: t('error.title'), message: problemText(err.problem), code: 'page' };
        this.update();
        return;
      }
      const label = NUMBER_FIELDS.find((f) => f.field === err.field)!.label;
      this.showPageError('text.error.field', { field: t(label), value: err.value });
      return;
    }
    this.clearRun();
    this.loaded = undefined;
    this.sample = undefined;
    this.hasModel = false;
    this.status = 'loading-data';
    const transfer = corpus.kind === 'file' ? [corpus.bytes.buffer] : [];
    this.engine.api.textTrain(Comlink.transfer(request, transfer)).catch((error: EngineError) => {
      this.status = 'idle';
      this.failed(error);
    });
    this.update();
  }

  private generate(): void {
    const length = Number(this.sampleLength);
    if (!Number.isInteger(length) || length < 1) {
      this.showPageError('text.error.field', { field: t('text.length'), value: this.sampleLength });
      return;
    }
    this.error = undefined;
    const asked = ++this.requestId;
    this.pendingGenerate = asked;
    const seed = Number(this.form.seed);
    this.engine.api.textGenerate(this.prime, length, this.temperature, Number.isInteger(seed) && seed >= 0 ? seed : 1, this.sampleFrom).then(
      (generated) => {
        if (asked !== this.pendingGenerate) return; // an older request
        this.pendingGenerate = 0;
        this.showSample('generated', generated);
      },
      (error: EngineError) => this.failed(error),
    );
    this.update();
  }

  private async chooseFile(file: File): Promise<void> {
    if (file.size > MAX_TEXT_BYTES) {
      this.ownFile = undefined;
      this.showPageError('text.error.tooLarge', { name: file.name, bytes: file.size, max: MAX_TEXT_BYTES });
      return;
    }
    this.ownFile = { name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) };
    this.error = undefined;
    this.update();
  }

  private async loadFile(file: File): Promise<void> {
    this.error = undefined;
    const bytes = new Uint8Array(await file.arrayBuffer());
    try {
      this.opened(await this.engine.api.textLoad(Comlink.transfer(bytes, [bytes.buffer]), file.name));
    } catch (error) {
      this.failed(error as EngineError);
    }
  }

  private opened(loaded: TextLoaded): void {
    this.clearRun();
    this.loaded = loaded;
    this.hasModel = true;
    this.update();
  }

  /** Forgets the shown run: its settings, progress, result and curves. */
  private clearRun(): void {
    this.started = undefined;
    this.progress = undefined;
    this.done = undefined;
    this.history.clear();
    this.updateCharts();
  }

  /** Downloads the model as the engine's saved run, or as ONNX. */
  private async save(format: 'profundo' | 'onnx' = 'profundo'): Promise<void> {
    try {
      const bytes = format === 'onnx' ? await this.engine.api.textExportOnnx() : await this.engine.api.textSave();
      const cell = this.started?.config.cell ?? this.loaded?.config.cell ?? 'text';
      downloadBlob(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'application/octet-stream' }), `${safeFilePart(`text-${cell}-${this.progress?.step ?? this.loaded?.steps ?? 0}`)}.${format}`);
    } catch (error) {
      this.failed(error as EngineError);
    }
  }

  // ---- building ---------------------------------------------------------------------------------

  private field(id: string, label: string, control: HTMLElement, hint?: string): HTMLElement {
    control.id = id;
    return h('label', { class: 'field', for: id }, h('span', {}, label), control, hint ? h('small', { class: 'muted hint' }, hint) : null);
  }

  private select(testId: string, value: string, choices: readonly string[], labelPrefix: string, onChange: (value: string) => void): HTMLSelectElement {
    const select = h('select', { 'data-testid': testId });
    for (const choice of choices) select.append(h('option', { value: choice, selected: choice === value }, t(`${labelPrefix}.${choice}` as MessageKey)));
    select.addEventListener('change', () => onChange(select.value));
    return select;
  }

  private build(): void {
    const { form } = this;
    const preset = h('select', { 'data-testid': 'text-preset' }, h('option', { value: '' }, t('text.preset.custom')));
    for (const p of TEXT_PRESETS) {
      const kind = p.name.endsWith('-quick') ? 'text.preset.quick' : 'text.preset.best';
      preset.append(h('option', { value: p.name }, tf(kind, { corpus: t(`text.corpus.${p.corpus}` as MessageKey), minutes: p.minutes })));
    }
    preset.addEventListener('change', () => {
      const chosen = TEXT_PRESETS.find((p) => p.name === preset.value);
      if (!chosen) return;
      applyTextPreset(form, chosen);
      this.build(); // every field shows the preset's value
    });
    const corpus = this.select('text-corpus', form.corpus, ['shakespeare', 'quijote', 'own'], 'text.corpus', (value) => {
      form.corpus = value as TextForm['corpus'];
      this.update();
    });
    const textarea = h('textarea', { 'data-testid': 'text-own', rows: 5, placeholder: t('text.own.placeholder'), spellcheck: false });
    textarea.value = this.ownText;
    textarea.addEventListener('input', () => {
      this.ownText = textarea.value;
      this.ownFile = undefined; // typing replaces an uploaded file
      this.update();
    });
    const upload = h('input', { type: 'file', accept: '.txt,text/plain', 'data-testid': 'text-upload' });
    upload.addEventListener('change', () => {
      const file = upload.files?.[0];
      if (file) void this.chooseFile(file);
    });
    const ownFields = h(
      'div',
      { class: 'text-own' },
      this.field('text-own', t('text.own.paste'), textarea),
      this.field('text-upload', t('text.own.upload'), upload, tf('text.own.hint', { max: MAX_TEXT_BYTES / (1024 * 1024) })),
    );
    this.ownBox = h('div', {}, ownFields, h('p', { class: 'muted', 'data-testid': 'text-own-status' }));

    const cell = this.select('text-cell', form.cell, TEXT_CELLS, 'text.cell', (value) => (form.cell = value));
    const optimizer = this.select('text-optimizer', form.optimizer, TEXT_OPTIMIZERS, 'train.optimizer', (value) => (form.optimizer = value));
    const schedule = this.select('text-schedule', form.schedule, TEXT_SCHEDULES, 'hyper.schedule', (value) => (form.schedule = value));
    const flags = FLAG_FIELDS.map(({ field, label, testId }) => {
      const box = h('input', { type: 'checkbox', 'data-testid': testId, checked: form[field] === 'true' });
      box.addEventListener('change', () => (form[field] = String(box.checked)));
      return this.field(`text-field-${field}`, t(label), box);
    });
    const keep = this.select('text-keep', form.keep, TEXT_KEEP, 'text.keep', (value) => (form.keep = value));
    const sampleFrom = this.select('text-sample-from', this.sampleFrom, ['best', 'last'], 'text.sampleFrom', (value) => (this.sampleFrom = value as TextModelChoice));
    const numbers = NUMBER_FIELDS.map(({ field, label, testId }) => {
      const input = h('input', { type: 'text', inputmode: 'decimal', 'data-testid': testId, value: form[field] });
      input.addEventListener('input', () => (form[field] = input.value));
      return this.field(`text-field-${field}`, t(label), input, field === 'clip' ? t('text.clip.hint') : field === 'steps' ? t('text.steps.hint') : field === 'l2' ? t('hyper.l2Hint') : undefined);
    });

    const prime = h('input', { type: 'text', 'data-testid': 'text-prime', value: this.prime });
    prime.addEventListener('input', () => (this.prime = prime.value));
    const length = h('input', { type: 'text', inputmode: 'numeric', 'data-testid': 'text-length', value: this.sampleLength });
    length.addEventListener('input', () => (this.sampleLength = length.value));
    const temperatureValue = h('output', { 'data-testid': 'text-temperature-value' }, format(this.temperature, 2));
    const temperature = h('input', { type: 'range', min: 0, max: 2, step: 0.05, value: this.temperature, 'data-testid': 'text-temperature' });
    temperature.addEventListener('input', () => {
      this.temperature = Number(temperature.value);
      temperatureValue.textContent = format(this.temperature, 2);
    });
    this.generateButton = h('button', { type: 'button', class: 'primary', 'data-testid': 'text-generate' }, t('text.generate'));
    this.generateButton.addEventListener('click', () => this.generate());

    const loadInput = h('input', { type: 'file', accept: '.profundo', 'data-testid': 'text-load' });
    loadInput.addEventListener('change', () => {
      const file = loadInput.files?.[0];
      if (file) void this.loadFile(file);
      loadInput.value = '';
    });

    this.buttons = h('div', { class: 'buttons' });
    this.statusBox = h('p', { class: 'progress-text', 'data-testid': 'text-status' });
    this.errorBox = h('div');
    this.lossBox = h('p', { class: 'text-loss', 'data-testid': 'text-loss' });
    this.sampleBox = h('div', { class: 'text-sample-box' });
    this.modelButtons = h('div', { class: 'buttons' });
    this.bestMarker = h('p', { class: 'muted', 'data-testid': 'text-best-marker' });

    this.element.replaceChildren(
      h('h2', { id: 'text-title' }, t('text.title')),
      h('p', { class: 'muted' }, t('text.intro')),
      h('div', { class: 'train-form' }, this.field('text-preset-select', t('text.preset'), preset, t('text.preset.hint')), this.field('text-corpus-select', t('text.corpus'), corpus)),
      this.ownBox,
      h('div', { class: 'train-form' }, this.field('text-cell-select', t('text.cell'), cell), this.field('text-optimizer-select', t('train.optimizer'), optimizer), this.field('text-schedule-select', t('hyper.schedule'), schedule), ...numbers, ...flags, this.field('text-keep-select', t('text.keep'), keep)),
      this.buttons,
      this.statusBox,
      this.errorBox,
      this.lossBox,
      h('div', { class: 'charts' }, this.lossChart.element, this.perplexityChart.element),
      this.bestMarker,
      h('h3', {}, t('text.sample.title')),
      this.sampleBox,
      h(
        'div',
        { class: 'train-form' },
        this.field('text-prime-input', t('text.prime'), prime),
        this.field('text-length-input', t('text.length'), length),
        this.field('text-temperature-input', t('text.temperature'), h('span', {}, temperature, ' ', temperatureValue), t('text.temperature.hint')),
        this.field('text-sample-from-select', t('text.sampleFrom'), sampleFrom),
      ),
      h('div', { class: 'buttons' }, this.generateButton),
      h('h3', {}, t('text.model.title')),
      this.modelButtons,
      this.field('text-load-input', t('text.load'), loadInput, t('text.load.hint')),
    );
    this.update();
  }

  // ---- updating ---------------------------------------------------------------------------------

  private update(): void {
    const running = this.running;
    this.ownBox.hidden = this.form.corpus !== 'own';
    const ownStatus = this.ownBox.querySelector('[data-testid="text-own-status"]');
    if (ownStatus) {
      ownStatus.textContent = this.ownFile
        ? tf('text.own.file', { name: this.ownFile.name, bytes: this.ownFile.bytes.length.toLocaleString(getLocale()) })
        : tf('text.own.pastedCount', { characters: [...this.ownText].length.toLocaleString(getLocale()) });
    }

    const train = h('button', { type: 'button', class: 'primary', 'data-testid': 'text-train', disabled: running }, t('text.train'));
    train.addEventListener('click', () => this.train());
    const paused = this.status === 'paused';
    const pause = h('button', { type: 'button', 'data-testid': 'text-pause', disabled: !running || this.status === 'loading-data' }, t(paused ? 'train.resume' : 'train.pause'));
    pause.addEventListener('click', () => {
      if (this.job !== undefined) (paused ? this.engine.api.resume(this.job) : this.engine.api.pause(this.job)).catch(() => undefined); // a dead engine says so itself
    });
    const stop = h('button', { type: 'button', 'data-testid': 'text-stop', disabled: !running }, t('train.stop'));
    stop.addEventListener('click', () => {
      if (this.job !== undefined) this.engine.api.stop(this.job).catch(() => undefined);
    });
    this.buttons.replaceChildren(train, pause, stop);

    this.statusBox.dataset['status'] = this.status;
    this.statusBox.replaceChildren(...this.statusLines().map((line) => h('span', { class: 'status-line' }, line)));

    this.errorBox.replaceChildren(
      ...(this.error
        ? [h('div', { class: 'error', role: 'alert', 'data-testid': 'text-error', 'data-code': this.error.code }, h('strong', {}, this.error.title), h('pre', {}, this.error.message))]
        : []),
    );

    const validation = this.history.lastValidation;
    const best = this.history.best;
    this.lossBox.dataset['value'] = validation === undefined ? '' : String(validation);
    this.lossBox.dataset['best'] = best ? String(best.loss) : '';
    this.lossBox.dataset['bestStep'] = best ? String(best.step) : '';
    this.lossBox.dataset['baseline'] = Number.isNaN(this.history.baseline) ? '' : String(this.history.baseline);
    this.lossBox.textContent =
      validation === undefined
        ? t('text.loss.none')
        : tf('text.loss.value', {
            loss: format(validation, 3),
            perplexity: format(perplexity(validation), 2),
            baseline: format(this.history.baseline, 3),
            baselinePerplexity: format(perplexity(this.history.baseline), 1),
          });
    if (best && validation !== undefined) this.lossBox.textContent += ` ${tf('text.best', { best: format(best.loss, 3), step: best.step.toLocaleString(getLocale()), last: format(validation, 3) })}`;
    this.bestMarker.dataset['step'] = best ? String(best.step) : '';
    this.bestMarker.textContent = best ? tf('text.chart.bestLabel', { loss: format(best.loss, 2), step: best.step.toLocaleString(getLocale()) }) : '';

    const { sample } = this;
    this.sampleBox.replaceChildren(
      h(
        'p',
        { class: 'muted' },
        sample
          ? tf(sample.kind === 'training' ? 'text.sample.training' : 'text.sample.generated', { model: t(`text.model.${sample.model}`), step: sample.step, temperature: format(sample.temperature, 2) })
          : t(this.pendingGenerate ? 'text.sample.waiting' : 'text.sample.none'),
      ),
      h(
        'pre',
        {
          class: 'text-sample',
          'data-testid': 'text-sample',
          'data-kind': sample?.kind ?? '',
          'data-temperature': sample ? String(sample.temperature) : '',
          'data-step': sample ? String(sample.step) : '',
          'data-model': sample?.model ?? '',
        },
        ...(sample ? [h('strong', {}, sample.prime), sample.text] : []),
      ),
    );

    this.generateButton.disabled = !this.hasModel || this.pendingGenerate !== 0;
    const save = h('button', { type: 'button', 'data-testid': 'text-save', disabled: !this.hasModel }, t('text.save'));
    save.addEventListener('click', () => void this.save());
    const onnx = h('button', { type: 'button', 'data-testid': 'text-export-onnx', disabled: !this.hasModel }, t('keep.exportOnnx'));
    onnx.addEventListener('click', () => void this.save('onnx'));
    this.modelButtons.replaceChildren(save, onnx);
  }

  private statusLines(): string[] {
    const lines: string[] = [t(`text.status.${this.status}` as MessageKey)];
    const locale = getLocale();
    if (this.started) {
      const { stats, parameterCount, threads, config } = this.started;
      lines.push(
        tf('text.stats', {
          characters: stats.characters.toLocaleString(locale),
          vocabulary: stats.vocabulary_size,
          train: stats.train_characters.toLocaleString(locale),
          validation: stats.validation_characters.toLocaleString(locale),
          parameters: parameterCount.toLocaleString(locale),
          threads: formatCount(threads, 'backend.thread', 'backend.threads', locale),
          cell: config.cell.toUpperCase(),
        }),
      );
    }
    if (this.loaded) {
      lines.push(tf('text.loaded', { source: this.loaded.source, cell: this.loaded.config.cell.toUpperCase(), steps: this.loaded.steps, vocabulary: this.loaded.vocabularySize }));
    }
    if (this.progress) {
      const p = this.progress;
      lines.push(
        tf('text.progress', {
          step: p.step.toLocaleString(locale),
          epoch: p.epoch,
          loss: format(p.loss, 3),
          speed: Math.round(p.charactersPerSecond).toLocaleString(locale),
          clipped: format(p.clippedFraction * 100, 1),
          seconds: format(p.seconds, 0),
        }),
      );
    }
    if (this.done && !this.running) {
      const { done } = this;
      const key = done.stoppedEarly ? 'text.done.early' : done.stopped ? 'text.done.stopped' : 'text.done.finished';
      lines.push(tf(key, { step: done.step.toLocaleString(locale), seconds: format(done.seconds, 0), patience: this.started?.config.patience ?? '' }));
    }
    return lines;
  }

  private updateCharts(): void {
    const loss = this.history.series(false);
    this.lossChart.setData(loss.x, loss.ys);
    const ppl = this.history.series(true);
    this.perplexityChart.setData(ppl.x, ppl.ys);
    this.lossChart.element.dataset['points'] = String(loss.x.length);
  }

  private chartOptions(asPerplexity: boolean): LineChartOptions {
    return {
      title: t(asPerplexity ? 'text.chart.perplexity' : 'text.chart.loss'),
      xLabel: t('text.chart.step'),
      yLabel: t(asPerplexity ? 'text.chart.perplexityAxis' : 'text.chart.lossAxis'),
      series: [
        { label: t('text.chart.train'), color: '#3552c8', spanGaps: true },
        { label: t('text.chart.validation'), color: '#d9730d', points: true, spanGaps: true },
        { label: t('text.chart.baseline'), color: '#8a8a8a', spanGaps: true },
        { label: t('text.chart.best'), color: '#1a7f37', points: true },
      ],
      formatY: (v) => format(v, asPerplexity ? 1 : 2),
      testId: asPerplexity ? 'text-perplexity-chart' : 'text-loss-chart',
    };
  }
}
