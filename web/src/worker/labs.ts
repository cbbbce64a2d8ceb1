// The course labs' side of the worker: answers LabRequests with the engine's numbers
// (engine/labs/ through bindings/labs_bindings.cpp). Stateful labs keep their NetworkLab here,
// by session name, until the page disposes of it (the lab closed) or replaces it.
import type { LabsModule, NetworkLab, NetworkLabConfig, PointSet } from '../engine/labs-types';
import type { LoadedDataset } from './datasets';
import type { LabRequest, LabResult, NetworkProbe, NetworkSnapshot, PointsSource } from './protocol';

export class LabHost {
  private readonly sessions = new Map<string, NetworkLab>();

  /** `mnist` loads (once) the MNIST training images for the labs that train on them. */
  constructor(
    private readonly engine: LabsModule,
    private readonly mnist: () => Promise<LoadedDataset>,
    private readonly threads: number,
  ) {}

  handle(request: LabRequest): LabResult | Promise<LabResult> {
    const { engine } = this;
    switch (request.lab) {
      case 'softmax':
        return { lab: 'softmax', report: engine.labSoftmax(request.logits, request.trueClass) };
      case 'ewa': {
        const theta = engine.labTemperatureSeries(request.days, request.noise, request.seed);
        return { lab: 'ewa', theta, series: request.betas.map((beta) => engine.labEwa(theta, beta)) };
      }
      case 'optimizers': {
        const [w1, w2] = request.start;
        return {
          lab: 'optimizers',
          grid: engine.labSurfaceGrid(request.surface, request.gridSize, request.gridSize),
          trajectories: request.optimizers.map((optimizer) => engine.labTrajectory(request.surface, optimizer, w1, w2, request.steps)),
        };
      }
      case 'activationCurves':
        return {
          lab: 'activationCurves',
          curves: request.names.map((name) => engine.labActivationCurve(name, request.from, request.to, request.points, request.slope)),
        };
      case 'network':
        return this.network(request);
      case 'deadUnits':
        return this.withNetwork(request.config, request.points, (network) => {
          const before = network.activationStatistics(request.bins);
          const step = network.train(request.steps);
          return { lab: 'deadUnits', before, after: network.activationStatistics(request.bins), step };
        });
      case 'initialization':
        return { lab: 'initialization', layers: engine.labInitializationStatistics(request.config) };
      case 'biasVariance':
        return this.mnist().then(({ train }) => ({ lab: 'biasVariance', result: engine.labBiasVariance(train, request.experiment, this.threads) }));
      case 'augmentationPreview':
        return this.mnist().then(({ train }) => ({
          lab: 'augmentationPreview',
          pixels: engine.labAugmentationPreview(train, request.index, request.count, request.seed),
        }));
      case 'normalization': {
        const config = { ...engine.defaultNormalizationLabConfig(), learning_rate: request.learningRate, steps: request.steps };
        Object.assign(config, { columns: request.gridSize, rows: request.gridSize, seed: request.seed });
        return {
          lab: 'normalization',
          raw: engine.labNormalization({ ...config, normalize: false }),
          normalized: engine.labNormalization({ ...config, normalize: true }),
        };
      }
      case 'gdVariants': {
        const runs = request.batchSizes.map((batchSize) => {
          const config = networkConfig(engine, { hidden: request.hidden, activation: 'relu' });
          config.training = {
            ...config.training,
            optimizer: { ...config.training.optimizer, kind: 'sgd', learning_rate: request.learningRate },
            schedule: request.schedule,
            batch_size: batchSize,
            seed: request.seed,
          };
          return this.withNetwork(config, request.points, (network) => {
            const first = network.evaluate();
            const loss = [first.loss];
            const seconds = [0];
            const learningRate = [first.learning_rate];
            for (let epoch = 0; epoch < request.epochs; epoch++) {
              const step = network.trainEpochs(1);
              loss.push(step.loss);
              seconds.push(step.seconds);
              learningRate.push(step.learning_rate);
            }
            return { batchSize: Math.min(batchSize, network.points()), loss, seconds, learningRate };
          });
        });
        return { lab: 'gdVariants', runs };
      }
      default: {
        const unknown: never = request;
        throw new Error(`unknown lab request ${JSON.stringify(unknown)}`);
      }
    }
  }

  /** Frees every network (the page went away or asked for it). */
  disposeAll(): void {
    for (const network of this.sessions.values()) network.delete();
    this.sessions.clear();
  }

  private network(request: Extract<LabRequest, { lab: 'network' }>): LabResult {
    const { session } = request;
    if (request.op === 'dispose') {
      this.sessions.get(session)?.delete();
      this.sessions.delete(session);
      return { lab: 'network', session };
    }
    if (request.op === 'create') {
      const points = this.points(request.points);
      const created = new this.engine.NetworkLab(request.config, points.x, points.labels);
      this.sessions.get(session)?.delete();
      this.sessions.set(session, created);
      return { lab: 'network', session, snapshot: snapshot(created, created.evaluate(), request.probe, points) };
    }
    const network = this.sessions.get(session);
    if (!network) throw new Error(`no network lab named '${session}': create it first`);
    if (request.op === 'setPoints') {
      network.setPoints(request.x, request.labels);
      return { lab: 'network', session, snapshot: snapshot(network, network.evaluate(), request.probe, { x: request.x, labels: request.labels }) };
    }
    return { lab: 'network', session, snapshot: snapshot(network, network.train(request.steps), request.probe) };
  }

  private points(source: PointsSource): PointSet {
    return source.kind === 'given' ? { x: source.x, labels: source.labels } : this.engine.labPointSet(source.kind, source.count, source.noise, source.seed);
  }

  /** A throw-away network: built, used, freed. */
  private withNetwork<T>(config: NetworkLabConfig, source: PointsSource, use: (network: NetworkLab) => T): T {
    const points = this.points(source);
    const network = new this.engine.NetworkLab(config, points.x, points.labels);
    try {
      return use(network);
    } finally {
      network.delete();
    }
  }
}

/** The engine's default network config with some fields replaced. */
export function networkConfig(engine: LabsModule, fields: Partial<NetworkLabConfig>): NetworkLabConfig {
  return { ...engine.defaultNetworkLabConfig(), ...fields };
}

function snapshot(network: NetworkLab, step: NetworkSnapshot['step'], probe: NetworkProbe, points?: PointSet): NetworkSnapshot {
  const result: NetworkSnapshot = { step };
  if (probe.points && points) result.points = points;
  if (probe.grid) {
    const g = probe.grid;
    result.grid = network.predictGrid(g.x1Min, g.x1Max, g.x2Min, g.x2Max, g.columns, g.rows);
  }
  if (probe.gradientNorms) result.gradientNorms = network.weightGradientNorms();
  if (probe.statistics) result.statistics = network.activationStatistics(probe.statistics);
  if (probe.parameters) {
    const count = network.parameterCount();
    const values: number[][] = [];
    const gradients: number[][] = [];
    for (let i = 0; i < count; i++) {
      values.push(network.parameter(i));
      gradients.push(network.gradient(i));
    }
    result.parameters = { values, gradients };
  }
  if (probe.collapse) result.collapse = network.linearCollapse();
  if (probe.batchNorm !== undefined) result.batchNormRunning = network.batchNormRunning(probe.batchNorm);
  return result;
}
