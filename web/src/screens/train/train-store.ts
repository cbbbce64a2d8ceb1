// The training screen's state, as signals fed by the worker's events: the run's phase, its settings
// as started, progress, the loss curve, the epochs, the result and the test results. Progress events
// are taken in at once but shown at most once per animation frame (one redraw per frame, however
// many events arrived: on a loaded machine port messages bunch up), the loss chart at most every
// CHART_INTERVAL_MS, and nothing in a background tab (no frames there) until it is shown again.
// No DOM: the frame clock is injected (ui/once-per-frame.ts), so a test runs frames by hand.
import { batch, signal } from '@preact/signals';
import { animationFrame, oncePerFrame, type FrameScheduler, type RequestFrame } from '../../ui/once-per-frame';
import { FATAL_ERROR_CODES, type CellImages, type EngineError, type EngineEventOf, type EngineEventType, type JobId, type RunCurves } from '../../worker/protocol';

export type Phase = 'waiting' | 'idle' | 'loading-data' | 'training' | 'paused' | 'evaluating' | 'done' | 'stopped' | 'failed';

export const RUNNING: readonly Phase[] = ['loading-data', 'training', 'paused', 'evaluating'];

/** The loss chart is redrawn at most this often while training. */
export const CHART_INTERVAL_MS = 250;

/** The worker's events (EngineClient.on, or a test's emitter). */
export interface EngineEvents {
  on<T extends EngineEventType>(type: T, handler: (event: EngineEventOf<T>) => void): unknown;
}

/** The loss per optimiser step as drawn (a copy at each redraw). */
export interface LossCurve {
  steps: number[];
  losses: number[];
}

export class TrainStore {
  readonly phase = signal<Phase>('waiting');
  readonly started = signal<EngineEventOf<'started'> | undefined>(undefined);
  /** The last progress event, as of the last frame. */
  readonly progress = signal<EngineEventOf<'progress'> | undefined>(undefined);
  readonly epochs = signal<EngineEventOf<'epoch'>[]>([]);
  readonly lossCurve = signal<LossCurve>({ steps: [], losses: [] });
  readonly result = signal<EngineEventOf<'done'> | undefined>(undefined);
  readonly stopped = signal<EngineEventOf<'stopped'> | undefined>(undefined);
  readonly error = signal<EngineError | undefined>(undefined);
  /** The test set in detail, after a finished run (the worker keeps the model for predictions). */
  readonly results = signal<EngineEventOf<'results'> | undefined>(undefined);
  readonly selectedCell = signal<{ label: number; predicted: number } | undefined>(undefined);
  readonly cellImages = signal<CellImages | undefined>(undefined);
  /** How many times the loss chart's data was replaced (the browser test compares it with frames). */
  readonly lossRedraws = signal(0);
  /** The image job in progress or last run (pause, resume and stop name it). */
  job: JobId | undefined;

  private steps: number[] = [];
  private losses: number[] = [];
  private latest: EngineEventOf<'progress'> | undefined;
  private lastChartDraw = -Infinity;
  /** How many losses the chart shows. */
  private drawnPoints = 0;
  /** The next frame redraws the chart whatever the interval (a phase changed, an epoch ended). */
  private chartDue = false;
  private readonly frames: FrameScheduler;

  constructor(events: EngineEvents, requestFrame: RequestFrame = animationFrame) {
    this.frames = oncePerFrame((now) => this.onFrame(now), requestFrame);
    events.on('status', (event) => this.setPhase(event.status));
    events.on('started', (event) => {
      if (event.continued) this.resetRun({ keepCurves: true }); // more epochs of the same model: the curves go on
      this.started.value = event;
    });
    events.on('progress', (event) => {
      this.latest = event;
      for (let i = 0; i < event.losses.length; i++) {
        this.steps.push(event.firstStep + i);
        this.losses.push(event.losses[i]!);
      }
      this.frames.schedule();
    });
    // A reopened model: its saved curves; its evaluation (epoch, done, results) follows.
    events.on('modelLoaded', (event) => this.showLoaded(event.curves));
    events.on('epoch', (event) => {
      // A reopened model's last epoch is measured again: it replaces the saved one.
      this.epochs.value = [...this.epochs.value.filter((e) => e.epoch !== event.epoch), event].sort((a, b) => a.epoch - b.epoch);
      this.redrawChart();
    });
    events.on('done', (event) => {
      batch(() => {
        this.result.value = event;
        this.phase.value = 'done';
      });
      this.redrawChart();
    });
    events.on('results', (event) => (this.results.value = event));
    events.on('stopped', (event) => {
      batch(() => {
        this.stopped.value = event;
        this.phase.value = 'stopped';
      });
      this.redrawChart();
    });
    events.on('job', (event) => {
      if (event.kind !== 'image') return;
      if (event.state === 'started') this.job = event.job;
      else if (event.state === 'paused' || event.state === 'resumed') this.setPhase(event.state === 'paused' ? 'paused' : 'training');
      else if (event.state === 'failed') this.showError(event.error!);
    });
    events.on('error', (event) => this.showError(event.error));
  }

  get running(): boolean {
    return RUNNING.includes(this.phase.value);
  }

  /** A new run was asked for: the shown one is cleared. */
  beginRun(): void {
    batch(() => {
      this.resetRun();
      this.phase.value = 'loading-data';
    });
  }

  /** The engine is ready (again). */
  engineReady(): void {
    this.phase.value = 'idle';
  }

  /** The engine worker was replaced: wait for the new one; charts and tables stay, the model is gone. */
  engineRestarted(): void {
    batch(() => {
      this.phase.value = 'waiting';
      this.forgetModel();
    });
  }

  selectCell(label: number, predicted: number): void {
    this.selectedCell.value = { label, predicted };
  }

  showCellImages(cell: CellImages): void {
    this.cellImages.value = cell;
  }

  private setPhase(phase: Phase): void {
    this.phase.value = phase;
    this.redrawChart();
  }

  private showError(error: EngineError): void {
    // Engine load failures are shown by the backend panel; here only what concerns training.
    if (error.code === 'load-failed') return;
    batch(() => {
      // So are crashes (with its Restart button); the run is over and the trained model is gone.
      if (FATAL_ERROR_CODES.includes(error.code)) this.forgetModel();
      else this.error.value = error;
      if (this.running) this.phase.value = 'failed';
    });
  }

  /** The worker that held the trained model is gone: no confusion-cell images. */
  private forgetModel(): void {
    this.results.value = undefined;
    this.selectedCell.value = undefined;
    this.cellImages.value = undefined;
  }

  /** A reopened run replaces the shown one, with the curves saved in its file (none in older files). */
  private showLoaded(curves: RunCurves | undefined): void {
    batch(() => {
      this.resetRun();
      this.steps = [...(curves?.lossSteps ?? [])];
      this.losses = [...(curves?.losses ?? [])];
      this.epochs.value = (curves?.epochs ?? []).map((e) => ({ type: 'epoch', ...e }));
    });
    this.redrawChart();
  }

  /** Clears the shown run (with keepCurves, its loss curve and epoch table stay). */
  private resetRun({ keepCurves = false } = {}): void {
    this.started.value = undefined;
    this.progress.value = undefined;
    this.latest = undefined;
    this.result.value = undefined;
    this.stopped.value = undefined;
    this.error.value = undefined;
    this.forgetModel();
    if (keepCurves) return;
    this.epochs.value = [];
    this.steps = [];
    this.losses = [];
    this.redrawChart();
  }

  /** The next frame redraws the loss chart, whatever the interval. */
  private redrawChart(): void {
    this.chartDue = true;
    this.frames.schedule();
  }

  private onFrame(now: number): void {
    batch(() => {
      this.progress.value = this.latest;
      const undrawn = this.losses.length !== this.drawnPoints;
      if (this.chartDue || (undrawn && now - this.lastChartDraw >= CHART_INTERVAL_MS)) {
        this.chartDue = false;
        this.lastChartDraw = now;
        this.drawnPoints = this.losses.length;
        this.lossCurve.value = { steps: this.steps.slice(), losses: this.losses.slice() }; // what was drawn stays as drawn
        this.lossRedraws.value++;
      }
    });
  }
}
