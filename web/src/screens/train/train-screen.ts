// The training screen's controller: its store (train-store.ts, fed by the worker's events), the form's
// store (config-store.ts), the drawing pad's store (draw-store.ts), the inside views' store, and the
// actions the components call (Train, Pause/Resume, Stop, a confusion cell). The components
// (train-view.tsx, draw-pad.tsx, inside-panel.tsx) draw from the stores.
import * as Comlink from 'comlink';
import type { LayerSpec } from '../../engine/types';
import type { EngineClient } from '../../worker/engine-client';
import { FATAL_ERROR_CODES, type DatasetName, type PresetSummary } from '../../worker/protocol';
import type { RequestFrame } from '../../ui/once-per-frame';
import { InsideStore } from '../inside/inside-store';
import { ConfigStore } from './config-store';
import { DrawStore } from './draw-store';
import { TrainStore } from './train-store';

/** Test images shown for a clicked cell of the confusion matrix. */
const CELL_IMAGES = 24;

export class TrainScreen {
  readonly store: TrainStore;
  /** What the student chooses before training. */
  readonly config: ConfigStore;
  /** The drawing pad's state (draw-pad.tsx shows it). */
  readonly draw: DrawStore;
  /** The inside views' state (inside/inside-panel.tsx shows it). */
  readonly inside: InsideStore;

  constructor(
    private readonly engine: EngineClient,
    requestFrame?: RequestFrame,
  ) {
    this.store = new TrainStore(engine, requestFrame);
    this.config = new ConfigStore(engine.api);
    this.draw = new DrawStore((pixels) => engine.api.predict(Comlink.transfer(pixels, [pixels.buffer])));
    this.inside = new InsideStore(engine, {
      inspectModel: () => engine.api.inspectModel(),
      inspect: (source) => engine.api.inspect(Comlink.transfer(source, source.kind === 'pixels' ? [source.pixels.buffer] : [])),
    });
    engine.on('started', (event) => {
      // More epochs of the same model: its inside views go on; the drawing's prediction would be stale.
      if (event.continued) this.draw.clear();
      else this.forgetPictures();
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
      this.inside.open(event.mistakes, this.store.result.peek()?.testCount ?? 0);
    });
    // A crash: the model the drawing asked is gone.
    engine.on('error', (event) => FATAL_ERROR_CODES.includes(event.error.code) && this.draw.clear());
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
    this.draw.clear();
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
    this.draw.clear();
    this.inside.reset();
  }
}
