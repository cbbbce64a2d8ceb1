// The training screen's components, drawn from its store (train-store.ts): the training (Train /
// Pause / Stop, progress, the run's settings, the engine's refusal, live loss and accuracy charts,
// the epoch table) and the results (test accuracy, the kept epoch, the results panel, the drawing
// pad). Each reads only the signals it shows, so a progress frame redraws the progress block alone;
// each that shows text reads pageLocale (with signals a component redraws only for its props and
// the signals it reads).
import { getLocale, t, tf, type MessageKey } from '../../i18n';
import { engineSettingText } from '../../i18n/setting-problem';
import { pageLocale } from '../../shell/page-locale';
import { LineChartView } from '../../ui/line-chart-view';
import { formatFixed } from '../../ui/format';
import type { LineChartOptions } from '../../ui/line-chart';
import { TableHead } from '../../ui/table-head';
import { TRAIN_EVAL_SAMPLES } from '../../worker/training';
import type { EngineError, EngineEventOf, KeptModel } from '../../worker/protocol';
import { estimateSecondsLeft, formatDuration, formatLoss, formatPercent, formatRate } from './format';
import { InsidePanel } from '../inside/inside-panel';
import { DrawPad } from './draw-pad';
import { ResultsPanel } from './results-panel';
import { RunSettings } from './run-settings';
import type { TrainScreen } from './train-screen';
import type { TrainStore } from './train-store';
import { engineErrorSentence } from '../../i18n/engine-error';

export function TrainRun({ screen }: { screen: TrainScreen }) {
  void pageLocale.value;
  const { store } = screen;
  const phase = store.phase.value;
  const running = store.running;
  const paused = phase === 'paused';
  const started = store.started.value;
  const error = store.error.value;
  return (
    <section class="card train-screen" aria-labelledby="train-title">
      <h2 id="train-title">{t('train.title')}</h2>
      <div class="buttons">
        <button type="button" class="primary" data-testid="train" disabled={!screen.config.canTrain.value || running} onClick={() => screen.start()}>
          {t('train.start')}
        </button>
        <button type="button" data-testid="pause" disabled={phase !== 'training' && !paused} onClick={() => screen.pauseOrResume()}>
          {t(paused ? 'train.resume' : 'train.pause')}
        </button>
        <button type="button" data-testid="stop" disabled={!running} onClick={() => screen.stop()}>
          {t('train.stop')}
        </button>
      </div>
      <Progress store={store} />
      {started && <RunSettings settings={started.settings} />}
      {error && <ErrorBox error={error} />}
      <div class="charts">
        <LossChart store={store} />
        <AccuracyChart store={store} />
      </div>
      <div class="table-scroll">
        <EpochTable store={store} />
      </div>
    </section>
  );
}

function Progress({ store }: { store: TrainStore }) {
  void pageLocale.value;
  const phase = store.phase.value;
  const progress = store.progress.value;
  const started = store.started.value;
  const seconds = store.result.value?.seconds ?? store.stopped.value?.seconds;
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
  if (seconds !== undefined) parts.push(`${t('train.progress.elapsed')} ${formatDuration(seconds)}`);
  return (
    <div
      class="progress"
      data-testid="progress"
      data-phase={phase}
      data-epoch={progress?.epoch ?? 0}
      data-batch={progress?.batch ?? 0}
      data-samples-per-second={Math.round(progress?.samplesPerSecond ?? 0)}
    >
      <progress max={1} value={fraction} aria-label={t('train.progress.label')} />
      <p class="progress-text">{parts.join(' · ')}</p>
    </div>
  );
}

function ErrorBox({ error }: { error: EngineError }) {
  void pageLocale.value;
  return (
    <div data-testid="error" data-code={error.code} class="error" role="alert">
      <strong>{`${t('error.title')}: ${engineErrorSentence(error)}`}</strong>
      {error.setting && <p data-testid="error-setting">{engineSettingText(error.setting)}</p>}
      <pre>{error.message}</pre>
    </div>
  );
}

function LossChart({ store }: { store: TrainStore }) {
  void pageLocale.value;
  const curve = store.lossCurve.value;
  const options: LineChartOptions = {
    title: t('train.chart.loss'),
    xLabel: t('train.chart.step'),
    yLabel: t('train.chart.lossAxis'),
    series: [{ label: t('train.chart.lossSeries'), color: '#3552c8' }],
    formatY: (v) => formatLoss(v, getLocale()),
    testId: 'loss-chart',
  };
  // data-points and data-redraws: what is drawn, for tests (redraws come one per animation frame at most).
  return (
    <div class="mount" data-testid="loss-curve" data-points={curve.losses.length} data-redraws={store.lossRedraws.value}>
      <LineChartView options={options} x={curve.steps} ys={[curve.losses]} />
    </div>
  );
}

function AccuracyChart({ store }: { store: TrainStore }) {
  void pageLocale.value;
  const epochs = store.epochs.value;
  const options: LineChartOptions = {
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
  return <LineChartView options={options} x={epochs.map((e) => e.epoch)} ys={[epochs.map((e) => e.trainAccuracy * 100), epochs.map((e) => e.devAccuracy * 100)]} />;
}

function EpochTable({ store }: { store: TrainStore }) {
  void pageLocale.value;
  const locale = getLocale();
  const epochs = store.epochs.value;
  const started = store.started.value;
  const caption = started
    ? tf('train.metrics.caption', { train: started.trainCount, dev: started.devCount, sample: Math.min(TRAIN_EVAL_SAMPLES, started.trainCount) })
    : t('train.metrics.empty');
  const columns = ['train.progress.epoch', 'train.metrics.trainLoss', 'train.metrics.trainAccuracy', 'train.metrics.devLoss', 'train.metrics.devAccuracy'] as const;
  return (
    <table class="epoch-metrics" data-testid="epoch-metrics">
      <caption>{caption}</caption>
      <TableHead columns={columns} />
      <tbody>
        {epochs.map((e) => (
          <tr key={e.epoch} data-epoch={e.epoch}>
            <td>{started ? `${e.epoch}/${started.settings.epochs}` : String(e.epoch)}</td>
            <td>{formatLoss(e.trainLoss, locale)}</td>
            <td>{formatPercent(e.trainAccuracy, locale)}</td>
            <td>{formatLoss(e.devLoss, locale)}</td>
            <td>{formatPercent(e.devAccuracy, locale)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function TrainResults({ screen }: { screen: TrainScreen }) {
  void pageLocale.value;
  const { store } = screen;
  const result = store.result.value;
  const results = store.results.value;
  const started = store.started.value;
  const trained = results !== undefined && store.phase.value === 'done';
  return (
    <section class="card train-results" aria-labelledby="results-title">
      <h2 id="results-title">{t('workspace.results')}</h2>
      {result ? <TestResult result={result} patience={started?.settings.training.patience ?? 0} /> : <p class="muted">{t('workspace.resultsEmpty')}</p>}
      {results && (
        <ResultsPanel
          results={results}
          dataset={screen.dataset()}
          lastEpoch={store.epochs.value.at(-1)}
          trainSample={Math.min(TRAIN_EVAL_SAMPLES, started?.trainCount ?? TRAIN_EVAL_SAMPLES)}
          selected={store.selectedCell.value}
          cell={store.cellImages.value}
          onSelect={(label, predicted) => screen.selectCell(label, predicted)}
        />
      )}
      {trained && <DrawPad store={screen.draw} dataset={screen.dataset()} />}
    </section>
  );
}

function TestResult({ result, patience }: { result: EngineEventOf<'done'>; patience: number }) {
  void pageLocale.value;
  const locale = getLocale();
  return (
    <div class="result">
      <h3>{t('train.test.title')}</h3>
      <p class="test-accuracy" data-testid="test-accuracy" data-value={result.testAccuracy}>
        {formatPercent(result.testAccuracy, locale)}
      </p>
      <p class="muted">{tf('train.test.detail', { count: result.testCount, loss: formatLoss(result.testLoss, locale), time: formatDuration(result.seconds) })}</p>
      <Kept kept={result.kept} patience={patience} />
    </div>
  );
}

/** Which epoch's model the test set measured (training.keep), chosen on the dev split. */
function Kept({ kept, patience }: { kept: KeptModel; patience: number }) {
  void pageLocale.value;
  if (kept.bestEpoch === 0) return null; // no dev split measured: nothing was chosen
  const locale = getLocale();
  return (
    <p class="muted" data-testid="kept-model" data-epoch={kept.epoch} data-which={kept.which}>
      {tf('train.kept', {
        epoch: kept.epoch,
        which: t(`train.keep.${kept.which}`),
        best: formatPercent(kept.bestDevAccuracy, locale),
        bestEpoch: kept.bestEpoch,
        last: formatPercent(kept.lastDevAccuracy, locale),
      })}
      {kept.stoppedEarly ? ` ${tf('train.kept.stoppedEarly', { patience })}` : ''}
    </p>
  );
}

/** The inside views' tab: the panel once a run finished, else why it is empty. */
export function InsideTab({ screen }: { screen: TrainScreen }) {
  void pageLocale.value;
  const trained = screen.store.results.value !== undefined && screen.store.phase.value === 'done';
  return (
    <div class="inside-tab">
      {trained ? <InsidePanel store={screen.inside} dataset={screen.dataset()} drawing={() => screen.draw.drawnInput} /> : <p class="card muted">{t('workspace.insideEmpty')}</p>}
    </div>
  );
}
