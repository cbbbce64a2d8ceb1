// The training screen's controller: its store (train-store.ts, fed by the worker's events), the form's
// store (config-store.ts), the drawing pad and the inside views, and the actions the components call
// (Train, Pause/Resume, Stop, a confusion cell). The components (train-view.tsx) draw from the store.
import type { LayerSpec } from '../../engine/types';
import type { EngineClient } from '../../worker/engine-client';
import { FATAL_ERROR_CODES, type DatasetName, type PresetSummary } from '../../worker/protocol';
import { InsidePanel } from '../inside/inside-panel';
import { ConfigStore } from './config-store';
import { DrawPanel } from './draw-panel';
import type { RequestFrame } from '../../ui/once-per-frame';
import { TrainStore } from './train-store';

/** Test images shown for a clicked cell of the confusion matrix. */
const CELL_IMAGES = 24;

export class TrainScreen {
  readonly store: TrainStore;
  /** What the student chooses before training. */
  readonly config: ConfigStore;
  readonly drawPanel: DrawPanel;
  readonly insidePanel: InsidePanel;

  constructor(
    private readonly engine: EngineClient,
    requestFrame?: RequestFrame,
  ) {
    this.store = new TrainStore(engine, requestFrame);
    this.config = new ConfigStore(engine.api);
    this.drawPanel = new DrawPanel(engine, () => this.dataset());
    this.insidePanel = new InsidePanel(
      engine,
      () => this.drawPanel.drawnInput,
      () => this.dataset(),
    );
    engine.on('started', (event) => {
      if (!event.continued) this.forgetPictures();
      performance.mark('profundo:train-start');
    });
    engine.on('done', () => performance.mark('profundo:train-end'));
    engine.on('stopped', () => performance.mark('profundo:train-end'));
    // A reopened model: its configuration fills the form, its curves and evaluation replace the shown run.
    engine.on('modelLoaded', (event) => {
      this.config.showConfig(event.settings);
      this.forgetPictures();
    });
    engine.on('results', (event) => {
      this.insidePanel.open(event.mistakes, this.store.result.peek()?.testCount ?? 0);
      this.drawPanel.render(); // in the words of the run's dataset
    });
    // A crash: the model the drawing asked is gone.
    engine.on('error', (event) => FATAL_ERROR_CODES.includes(event.error.code) && this.drawPanel.clear());
  }

  /** The dataset of the shown run (its class names), else the form's. */
  dataset(): DatasetName {
    return this.store.started.peek()?.settings.dataset ?? this.config.settings()?.dataset ?? 'mnist';
  }

  /** The engine is ready: fill the form from its presets and the URL, maybe start. */
  setPresets(presets: PresetSummary[], layerDefaults: LayerSpec): void {
    // A restarted engine: the configuration keeps what the student set; nothing starts by itself.
    const autostart = this.config.settings() ? false : this.config.setPresets(presets, layerDefaults);
    this.store.engineReady();
    if (autostart) this.start();
  }

  /** The engine worker was replaced: wait for the new one; charts and tables stay. */
  engineRestarted(): void {
    this.store.engineRestarted();
    this.drawPanel.clear();
  }

  /** Labels changed (language switch): the imperative parts redraw; components follow by themselves. */
  relabel(): void {
    this.drawPanel.render();
    this.insidePanel.render();
  }

  start(): void {
    const settings = this.config.settings();
    if (!settings || this.store.running) return;
    this.store.beginRun();
    this.forgetPictures();
    // A refusal comes back as an error event too (shown by the store).
    this.engine.api.train(settings).catch(() => undefined);
  }

  pauseOrResume(): void {
    const { job } = this.store;
    if (job === undefined) return;
    // A dead engine says so itself.
    (this.store.phase.peek() === 'paused' ? this.engine.api.resume(job) : this.engine.api.pause(job)).catch(() => undefined);
  }

  stop(): void {
    if (this.store.job !== undefined) this.engine.api.stop(this.store.job).catch(() => undefined);
  }

  selectCell(label: number, predicted: number): void {
    this.store.selectCell(label, predicted);
    this.engine.api.cellImages(label, predicted, CELL_IMAGES).then(
      (cell) => this.store.showCellImages(cell),
      () => undefined,
    );
  }

  /** Another model is shown: its drawing and inside views go. */
  private forgetPictures(): void {
    this.drawPanel.clear();
    this.insidePanel.reset();
  }
}
