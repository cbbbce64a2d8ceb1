// Building NetworkLabConfig values on the page (every field explicit: the lab decides its own
// settings) and running a stateful network lab in the worker: create, train in slices while
// running, dispose when the lab closes.
import type { NetworkLabConfig } from '../../engine/labs-types';
import type { EngineError, NetworkProbe, NetworkSnapshot, PointsSource } from '../../worker/protocol';
import type { LabClient } from './lab-client';

export interface NetworkSettings {
  hidden: number[];
  activation: string;
  learningRate: number;
  batchSize: number;
  seed: number;
  optimizer?: string;
  init?: string;
  bias?: number;
  batchNorm?: boolean;
}

export function networkConfig(settings: NetworkSettings): NetworkLabConfig {
  return {
    hidden: settings.hidden,
    activation: settings.activation,
    init: settings.init ?? 'auto',
    bias: settings.bias ?? 0,
    batch_norm: settings.batchNorm ?? false,
    training: {
      optimizer: { kind: settings.optimizer ?? 'sgd', learning_rate: settings.learningRate, beta: 0.9, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 },
      schedule: { kind: 'constant', c1: 1, c2: 100, gamma: 0.5, step_size: 1000 },
      batch_size: settings.batchSize,
      epochs: 1,
      l2: 0,
      clip_norm: 0,
      seed: settings.seed,
    },
  };
}

let sessionCounter = 0;

/**
 * One network in the worker. `train()` runs slices of steps back to back while `running`; every
 * snapshot goes to `onSnapshot`. Recreating replaces the worker's network of the same session.
 */
export class NetworkSession {
  readonly session = `network-${++sessionCounter}`;
  private running = false;
  private disposed = false;
  private generation = 0;

  constructor(
    private readonly client: LabClient,
    private readonly probe: () => NetworkProbe,
    private readonly onSnapshot: (snapshot: NetworkSnapshot) => void,
    private readonly onError: (error: EngineError) => void,
  ) {}

  get isRunning(): boolean {
    return this.running;
  }

  async create(config: NetworkLabConfig, points: PointsSource): Promise<void> {
    this.running = false;
    const generation = ++this.generation;
    try {
      const result = await this.client.call({ lab: 'network', op: 'create', session: this.session, config, points, probe: { ...this.probe(), points: true } });
      if (generation === this.generation && !this.disposed && result.snapshot) this.onSnapshot(result.snapshot);
    } catch (error) {
      this.onError(error as EngineError);
    }
  }

  async setPoints(x: number[], labels: number[]): Promise<void> {
    try {
      const result = await this.client.call({ lab: 'network', op: 'setPoints', session: this.session, x, labels, probe: { ...this.probe(), points: true } });
      if (!this.disposed && result.snapshot) this.onSnapshot(result.snapshot);
    } catch (error) {
      this.onError(error as EngineError);
    }
  }

  /** `steps` steps once. */
  async step(steps: number): Promise<void> {
    const generation = this.generation;
    try {
      const result = await this.client.call({ lab: 'network', op: 'train', session: this.session, steps, probe: this.probe() });
      if (generation === this.generation && !this.disposed && result.snapshot) this.onSnapshot(result.snapshot);
    } catch (error) {
      this.running = false;
      this.onError(error as EngineError);
    }
  }

  /** Slices of `steps` until stop(), `until` returns true, or the session is recreated. */
  async run(steps: number, until: () => boolean = () => false): Promise<void> {
    if (this.running) return;
    this.running = true;
    const generation = this.generation;
    while (this.running && !this.disposed && generation === this.generation && !until()) await this.step(steps);
    if (generation === this.generation) this.running = false;
  }

  stop(): void {
    this.running = false;
  }

  dispose(): void {
    this.disposed = true;
    this.running = false;
    void this.client.call({ lab: 'network', op: 'dispose', session: this.session }).catch(() => undefined);
  }
}
