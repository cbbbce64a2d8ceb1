// Runs as CSV (RFC 4180: comma separated, CRLF, fields with a comma, quote or line break quoted,
// quotes doubled): one file of per-epoch metrics, one of per-step losses. Numbers are written in
// full precision with a dot, whatever the page's language, so spreadsheets and scripts read them.
import type { RunRecord } from '../storage/run-record';

export type CsvValue = string | number | boolean | undefined | null;

export function csvField(value: CsvValue): string {
  if (value === undefined || value === null) return '';
  const text = typeof value === 'number' && !Number.isFinite(value) ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(header: readonly string[], rows: readonly (readonly CsvValue[])[]): string {
  return [header, ...rows].map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}

const RUN_COLUMNS = ['run', 'date', 'preset', 'dataset', 'optimizer', 'learning_rate', 'batch_size', 'seed'] as const;

function runColumns(run: RunRecord): CsvValue[] {
  const s = run.settings;
  return [run.id, run.date, s.preset, s.dataset, s.optimizer, s.learningRate, s.batchSize, s.seed];
}

/** One row per run and epoch: the run's settings, then train/dev loss and accuracy (fractions). */
export function epochsCsv(runs: readonly RunRecord[]): string {
  return toCsv(
    [...RUN_COLUMNS, 'epoch', 'train_loss', 'train_accuracy', 'dev_loss', 'dev_accuracy', 'test_loss', 'test_accuracy'],
    runs.flatMap((run) =>
      run.epochs.map((e, i) => [
        ...runColumns(run),
        e.epoch,
        e.trainLoss,
        e.trainAccuracy,
        e.devLoss,
        e.devAccuracy,
        // The test set is measured once, after the last epoch.
        i === run.epochs.length - 1 ? run.testLoss : undefined,
        i === run.epochs.length - 1 ? run.testAccuracy : undefined,
      ]),
    ),
  );
}

/** One row per run and kept point of its loss curve (a step, or a bucket's mean step when downsampled). */
export function stepsCsv(runs: readonly RunRecord[]): string {
  return toCsv(
    ['run', 'step', 'loss'],
    runs.flatMap((run) => run.lossSteps.map((step, i) => [run.id, step, run.losses[i]])),
  );
}
