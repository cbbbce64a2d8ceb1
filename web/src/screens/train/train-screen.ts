// The training screen: pick a preset and its settings, Train / Pause / Stop, a progress bar,
// live charts (loss per mini-batch, accuracy per epoch), the epoch table and the test accuracy.
// It owns its state; engine events update it. Progress events patch only the progress block and
// the loss chart; everything else is re-rendered from the state.
import { getLocale, t, tf, type MessageKey } from '../../i18n';
import { engineSettingText } from '../../i18n/setting-problem';
import { h } from '../../ui/dom';
import { formatFixed } from '../../ui/format';
import { LineChart, type LineChartOptions } from '../../ui/line-chart';
import type { EngineClient } from '../../worker/engine-client';
import { TRAIN_EVAL_SAMPLES } from '../../worker/training';
import type { LayerSpec } from '../../engine/types';
import { FATAL_ERROR_CODES, type CellImages, type EngineError, type EngineEventOf, type JobId, type KeptModel, type PresetSummary } from '../../worker/protocol';
import { ConfigPanel } from './config-panel';
import { InsidePanel } from '../inside/inside-panel';
import { DrawPanel } from './draw-panel';
import { renderResultsPanel } from './results-panel';
import { estimateSecondsLeft, formatDuration, formatLoss, formatPercent, formatRate } from './format';
import { renderRunSettings } from './run-settings';
import { engineErrorSentence } from '../../i18n/engine-error';

type Phase = 'waiting' | 'idle' | 'loading-data' | 'training' | 'paused' | 'evaluating' | 'done' | 'stopped' | 'failed';

interface TrainState {
  phase: Phase;
  started: EngineEventOf<'started'> | undefined;
  progress: EngineEventOf<'progress'> | undefined;
  epochs: EngineEventOf<'epoch'>[];
  result: EngineEventOf<'done'> | undefined;
  stopped: EngineEventOf<'stopped'> | undefined;
  error: EngineError | undefined;
  /** The test set in detail, after a finished run (the worker keeps the model for predictions). */
  results: EngineEventOf<'results'> | undefined;
  selectedCell: { label: number; predicted: number } | undefined;
  cellImages: CellImages | undefined;
}

/** The loss chart is redrawn at most this often while training. */
const CHART_INTERVAL_MS = 250;

/** Test images shown for a clicked cell of the confusion matrix. */
const CELL_IMAGES = 24;

const RUNNING: Phase[] = ['loading-data', 'training', 'paused', 'evaluating'];

type RunState = Pick<
  TrainState,
  'started' | 'progress' | 'epochs' | 'result' | 'stopped' | 'error' | 'results' | 'selectedCell' | 'cellImages'
>;

/** The part of the state that belongs to one training run, cleared when a new run starts. */
function emptyRun(): RunState {
  return {
    started: undefined,
    progress: undefined,
    epochs: [],
    result: undefined,
    stopped: undefined,
    error: undefined,
    results: undefined,
    selectedCell: undefined,
    cellImages: undefined,
  };
}

export class TrainScreen {
  /** The workspace's regions (shell/workspace.tsx places them): the training (buttons, progress,
   *  curves, epoch table), the results (test accuracy, matrix, drawing pad) and the inside views. */
  readonly runElement: HTMLElement;
  readonly resultsElement: HTMLElement;
  readonly insideElement: HTMLElement;
  private state: TrainState = { phase: 'waiting', ...emptyRun() };
  /** What the student chooses before training (kept across renders: typing keeps its focus). */
  private readonly config: ConfigPanel;
  private trainButton: HTMLButtonElement | undefined;
  private readonly drawPanel: DrawPanel;
  private readonly insidePanel: InsidePanel;
  private steps: number[] = [];
  private losses: number[] = [];
  private readonly lossChart: LineChart;
  private readonly accuracyChart: LineChart;
  private progressBlock: HTMLElement | undefined;
  private progressFrame: number | undefined;
  private lastChartDraw = -Infinity;
  /** How many losses the chart shows. */
  private drawnLosses = 0;
  /** The image job in progress or last run (pause, resume and stop name it). */
  private job: JobId | undefined;

  constructor(private readonly engine: EngineClient) {
    this.runElement = h('section', { class: 'card train-screen', 'aria-labelledby': 'train-title' });
    this.resultsElement = h('section', { class: 'card train-results', 'aria-labelledby': 'results-title' });
    this.insideElement = h('div', { class: 'inside-tab' });
    this.lossChart = new LineChart(this.lossChartOptions());
    this.accuracyChart = new LineChart(this.accuracyChartOptions());
    this.drawPanel = new DrawPanel(engine);
    this.config = new ConfigPanel(engine, () => this.updateTrainButton());
    this.insidePanel = new InsidePanel(
      engine,
      () => this.drawPanel.drawnInput,
      () => this.state.started?.settings.dataset ?? 'mnist',
    );

    engine.on('status', (event) => {
      this.flushLossChart();
      this.state.phase = event.status;
      this.render();
    });
    engine.on('started', (event) => {
      if (event.continued) this.resetRun({ keepCurves: true }); // more epochs of the same model: the curves go on
      this.state.started = event;
      performance.mark('profundo:train-start');
    });
    engine.on('progress', (event) => this.onProgress(event));
    // A reopened model: its configuration fills the form, its evaluation (epoch, done, results)
    // replaces the shown run.
    engine.on('modelLoaded', (event) => {
      this.config.showConfig(event.settings);
      this.resetRun();
      this.render();
    });
    engine.on('epoch', (event) => {
      this.flushLossChart();
      this.state.epochs.push(event);
      this.updateAccuracyChart();
      this.render();
    });
    engine.on('done', (event) => {
      performance.mark('profundo:train-end');
      this.flushLossChart();
      this.state.result = event;
      this.state.phase = 'done';
      this.render();
    });
    engine.on('results', (event) => {
      this.state.results = event;
      this.insidePanel.open(event.mistakes, this.state.result?.testCount ?? 0);
      this.render();
    });
    engine.on('stopped', (event) => {
      performance.mark('profundo:train-end');
      this.flushLossChart();
      this.state.stopped = event;
      this.state.phase = 'stopped';
      this.render();
    });
    engine.on('job', (event) => {
      if (event.kind !== 'image') return;
      if (event.state === 'started') this.job = event.job;
      else if (event.state === 'paused' || event.state === 'resumed') {
        this.flushLossChart();
        this.state.phase = event.state === 'paused' ? 'paused' : 'training';
        this.render();
      } else if (event.state === 'failed') this.showError(event.error!);
    });
    engine.on('error', (event) => this.showError(event.error));
    this.render();
  }

  private showError(error: EngineError): void {
    // Engine load failures are shown by the backend panel; here only what concerns training.
    if (error.code === 'load-failed') return;
    // So are crashes (with its Restart button); the run is over and the trained model is gone.
    if (FATAL_ERROR_CODES.includes(error.code)) {
      if (RUNNING.includes(this.state.phase)) this.state.phase = 'failed';
      this.forgetModel();
      this.render();
      return;
    }
    this.state.error = error;
    if (RUNNING.includes(this.state.phase)) this.state.phase = 'failed';
    this.render();
  }

  /** The engine is ready: fill the form from its presets and the URL, maybe start. */
  setPresets(presets: PresetSummary[], layerDefaults: LayerSpec): void {
    if (this.config.settings()) {
      // A restarted engine: the configuration keeps what the student set; nothing starts by itself.
      this.state.phase = 'idle';
      this.render();
      return;
    }
    const autostart = this.config.setPresets(presets, layerDefaults);
    this.state.phase = 'idle';
    this.render();
    if (autostart) this.start();
  }

  /** The engine worker was replaced: wait for the new one; charts and tables stay. */
  engineRestarted(): void {
    this.state.phase = 'waiting';
    this.forgetModel();
    this.render();
  }

  /** The worker that held the trained model is gone: no confusion-cell images, no drawing. */
  private forgetModel(): void {
    this.state.results = undefined;
    this.state.selectedCell = undefined;
    this.state.cellImages = undefined;
    this.drawPanel.clear();
  }

  /** Labels changed (language switch). */
  relabel(): void {
    this.lossChart.relabel(this.lossChartOptions());
    this.accuracyChart.relabel(this.accuracyChartOptions());
    this.drawPanel.render();
    this.config.relabel();
    this.insidePanel.render();
    this.render();
  }

  start(): void {
    const settings = this.config.settings();
    if (!settings || RUNNING.includes(this.state.phase)) return;
    this.resetRun();
    this.state.phase = 'loading-data';
    this.render();
    // A refusal comes back as an error event too (shown by showError).
    this.engine.api.train(settings).catch(() => undefined);
  }

  /** Clears the shown run (with keepCurves, its loss curve and epoch table stay). */
  private resetRun({ keepCurves = false } = {}): void {
    const { epochs } = this.state;
    Object.assign(this.state, emptyRun());
    this.drawPanel.clear();
    this.insidePanel.reset();
    if (keepCurves) {
      this.state.epochs = epochs;
      return;
    }
    this.steps = [];
    this.losses = [];
    this.drawLossChart();
    this.updateAccuracyChart();
  }

  private selectCell(label: number, predicted: number): void {
    this.state.selectedCell = { label, predicted };
    this.render();
    this.engine.api.cellImages(label, predicted, CELL_IMAGES).then((cell) => {
      this.state.cellImages = cell;
      this.render();
    }, () => undefined);
  }

  private onProgress(event: EngineEventOf<'progress'>): void {
    this.state.progress = event;
    for (let i = 0; i < event.losses.length; i++) {
      this.steps.push(event.firstStep + i);
      this.losses.push(event.losses[i]!);
    }
    // Drawn once per frame at most, and not at all in a background tab (no frames there): the
    // data keeps accumulating and is drawn when the tab is shown again. The chart, the costlier
    // part, is redrawn at most every CHART_INTERVAL_MS.
    this.progressFrame ??= requestAnimationFrame((now) => {
      this.progressFrame = undefined;
      if (now - this.lastChartDraw >= CHART_INTERVAL_MS || !RUNNING.includes(this.state.phase)) this.drawLossChart(now);
      this.renderProgress();
    });
  }

  private drawLossChart(now = performance.now()): void {
    this.lastChartDraw = now;
    this.drawnLosses = this.losses.length;
    this.lossChart.setData(this.steps, [this.losses]);
  }

  /** Draws the losses not drawn yet (on status changes and at the end, so none is left out). */
  private flushLossChart(): void {
    if (this.drawnLosses !== this.losses.length) this.drawLossChart();
  }

  private updateAccuracyChart(): void {
    const { epochs } = this.state;
    this.accuracyChart.setData(
      epochs.map((e) => e.epoch),
      [epochs.map((e) => e.trainAccuracy * 100), epochs.map((e) => e.devAccuracy * 100)],
    );
  }

  private lossChartOptions(): LineChartOptions {
    return {
      title: t('train.chart.loss'),
      xLabel: t('train.chart.step'),
      yLabel: t('train.chart.lossAxis'),
      series: [{ label: t('train.chart.lossSeries'), color: '#3552c8' }],
      formatY: (v) => formatLoss(v, getLocale()),
      testId: 'loss-chart',
    };
  }

  private accuracyChartOptions(): LineChartOptions {
    return {
      title: t('train.chart.accuracy'),
      xLabel: t('train.progress.epoch'),
      yLabel: t('train.chart.accuracyAxis'),
      series: [
        { label: t('train.set.train'), color: '#3552c8', points: true },
        { label: t('train.set.dev'), color: '#d9730d', points: true },
      ],
      formatY: (v) => `${formatFixed(v, 1)} %`,
      integerX: true,
      testId: 'accuracy-chart',
    };
  }

  // ---- rendering --------------------------------------------------------------------------------

  /** The form (the model and its settings), the workspace's first column. */
  get configElement(): HTMLElement {
    return this.config.element;
  }

  render(): void {
    const { state } = this;
    this.config.setRunning(RUNNING.includes(state.phase));
    this.progressBlock = this.renderProgressBlock();
    const shown = (children: (HTMLElement | undefined)[]) => children.filter((child): child is HTMLElement => child !== undefined);
    this.runElement.replaceChildren(
      ...shown([
        h('h2', { id: 'train-title' }, t('train.title')),
        this.renderButtons(),
        this.progressBlock,
        state.started ? renderRunSettings(state.started.settings) : undefined,
        state.error ? this.renderError(state.error) : undefined,
        h('div', { class: 'charts' }, this.lossChart.element, this.accuracyChart.element),
        h('div', { class: 'table-scroll' }, this.renderEpochTable()),
      ]),
    );
    const trained = state.results !== undefined && state.phase === 'done';
    this.resultsElement.replaceChildren(
      ...shown([
        h('h2', { id: 'results-title' }, t('workspace.results')),
        state.result ? this.renderResult(state.result) : h('p', { class: 'muted' }, t('workspace.resultsEmpty')),
        state.results
          ? renderResultsPanel({
              results: state.results,
              lastEpoch: state.epochs.at(-1),
              trainSample: Math.min(TRAIN_EVAL_SAMPLES, state.started?.trainCount ?? TRAIN_EVAL_SAMPLES),
              selected: state.selectedCell,
              cell: state.cellImages,
              onSelect: (label, predicted) => this.selectCell(label, predicted),
            })
          : undefined,
        trained ? this.drawPanel.element : undefined,
      ]),
    );
    this.insideElement.replaceChildren(trained ? this.insidePanel.element : h('p', { class: 'card muted' }, t('workspace.insideEmpty')));
  }

  private renderButtons(): HTMLElement {
    const { phase } = this.state;
    const running = RUNNING.includes(phase);
    const train = h('button', { type: 'button', class: 'primary', 'data-testid': 'train', disabled: !this.config.canTrain || running }, t('train.start'));
    train.addEventListener('click', () => this.start());
    this.trainButton = train;
    const paused = phase === 'paused';
    const pause = h('button', { type: 'button', 'data-testid': 'pause', disabled: phase !== 'training' && !paused }, t(paused ? 'train.resume' : 'train.pause'));
    pause.addEventListener('click', () => {
      if (this.job !== undefined) (paused ? this.engine.api.resume(this.job) : this.engine.api.pause(this.job)).catch(() => undefined); // a dead engine says so itself
    });
    const stop = h('button', { type: 'button', 'data-testid': 'stop', disabled: !running }, t('train.stop'));
    stop.addEventListener('click', () => {
      if (this.job !== undefined) this.engine.api.stop(this.job).catch(() => undefined);
    });
    return h('div', { class: 'buttons' }, train, pause, stop);
  }

  /** The model became valid or invalid (without re-rendering: the editor keeps its focus). */
  private updateTrainButton(): void {
    if (this.trainButton) this.trainButton.disabled = !this.config.canTrain || RUNNING.includes(this.state.phase);
  }

  private renderProgressBlock(): HTMLElement {
    const block = h('div', { class: 'progress', 'data-testid': 'progress' });
    this.fillProgress(block);
    return block;
  }

  private renderProgress(): void {
    if (this.progressBlock) this.fillProgress(this.progressBlock);
  }

  private fillProgress(block: HTMLElement): void {
    const { phase, progress, started, result, stopped } = this.state;
    const locale = getLocale();
    const epochs = started?.settings.epochs ?? 0;
    const batchesPerEpoch = progress?.batchesPerEpoch ?? started?.batchesPerEpoch ?? 0;
    const total = epochs * batchesPerEpoch;
    const done = progress ? (progress.epoch - 1) * progress.batchesPerEpoch + progress.batch : 0;
    const fraction = phase === 'done' ? 1 : total > 0 ? done / total : 0;

    const parts: string[] = [t(`train.status.${phase}` as MessageKey)];
    if (progress && started) {
      parts.push(`${t('train.progress.epoch')} ${progress.epoch}/${epochs}`);
      parts.push(`${t('train.progress.batch')} ${progress.batch}/${progress.batchesPerEpoch}`);
      parts.push(`${formatRate(progress.samplesPerSecond, locale)} ${t('train.progress.samplesPerSecond')}`);
      if (phase !== 'done' && phase !== 'stopped') {
        const left = estimateSecondsLeft(done, total, started.settings.batchSize, progress.samplesPerSecond);
        if (left !== undefined) parts.push(`${t('train.progress.timeLeft')} ${formatDuration(left)}`);
      }
    }
    const seconds = result?.seconds ?? stopped?.seconds;
    if (seconds !== undefined) parts.push(`${t('train.progress.elapsed')} ${formatDuration(seconds)}`);

    block.dataset['phase'] = phase;
    block.dataset['epoch'] = String(progress?.epoch ?? 0);
    block.dataset['batch'] = String(progress?.batch ?? 0);
    block.dataset['samplesPerSecond'] = String(Math.round(progress?.samplesPerSecond ?? 0));
    // Updated in place (no new elements on every progress event): less work per frame.
    const bar = block.querySelector('progress') ?? h('progress', { max: 1, 'aria-label': t('train.progress.label') });
    const text = block.querySelector('p') ?? h('p', { class: 'progress-text' });
    bar.value = fraction;
    text.textContent = parts.join(' · ');
    if (bar.parentElement !== block || text.parentElement !== block) block.replaceChildren(bar, text);
  }

  private renderError(error: EngineError): HTMLElement {
    return h(
      'div',
      { 'data-testid': 'error', 'data-code': error.code, class: 'error', role: 'alert' },
      h('strong', {}, `${t('error.title')}: ${engineErrorSentence(error)}`),
      error.setting ? h('p', { 'data-testid': 'error-setting' }, engineSettingText(error.setting)) : null,
      h('pre', {}, error.message),
    );
  }

  private renderResult(result: EngineEventOf<'done'>): HTMLElement {
    const locale = getLocale();
    return h(
      'div',
      { class: 'result' },
      h('h3', {}, t('train.test.title')),
      h('p', { class: 'test-accuracy', 'data-testid': 'test-accuracy', 'data-value': result.testAccuracy }, formatPercent(result.testAccuracy, locale)),
      h('p', { class: 'muted' }, tf('train.test.detail', { count: result.testCount, loss: formatLoss(result.testLoss, locale), time: formatDuration(result.seconds) })),
      this.renderKept(result.kept),
    );
  }

  /** Which epoch's model the test set measured (training.keep), chosen on the dev split. */
  private renderKept(kept: KeptModel): HTMLElement | null {
    if (kept.bestEpoch === 0) return null; // no dev split measured: nothing was chosen
    const locale = getLocale();
    const patience = this.state.started?.settings.training.patience ?? 0;
    return h(
      'p',
      { class: 'muted', 'data-testid': 'kept-model', 'data-epoch': kept.epoch, 'data-which': kept.which },
      tf('train.kept', {
        epoch: kept.epoch,
        which: t(`train.keep.${kept.which}`),
        best: formatPercent(kept.bestDevAccuracy, locale),
        bestEpoch: kept.bestEpoch,
        last: formatPercent(kept.lastDevAccuracy, locale),
      }),
      kept.stoppedEarly ? ` ${tf('train.kept.stoppedEarly', { patience })}` : '',
    );
  }

  private renderEpochTable(): HTMLElement {
    const locale = getLocale();
    const { epochs, started } = this.state;
    const head = h(
      'tr',
      {},
      ...(['train.progress.epoch', 'train.metrics.trainLoss', 'train.metrics.trainAccuracy', 'train.metrics.devLoss', 'train.metrics.devAccuracy'] as const).map((key) =>
        h('th', { scope: 'col' }, t(key)),
      ),
    );
    const rows = epochs.map((e) =>
      h(
        'tr',
        { 'data-epoch': e.epoch },
        h('td', {}, started ? `${e.epoch}/${started.settings.epochs}` : String(e.epoch)),
        h('td', {}, formatLoss(e.trainLoss, locale)),
        h('td', {}, formatPercent(e.trainAccuracy, locale)),
        h('td', {}, formatLoss(e.devLoss, locale)),
        h('td', {}, formatPercent(e.devAccuracy, locale)),
      ),
    );
    const caption = started
      ? tf('train.metrics.caption', { train: started.trainCount, dev: started.devCount, sample: Math.min(TRAIN_EVAL_SAMPLES, started.trainCount) })
      : t('train.metrics.empty');
    return h('table', { class: 'epoch-metrics', 'data-testid': 'epoch-metrics' }, h('caption', {}, caption), h('thead', {}, head), h('tbody', {}, ...rows));
  }
}
