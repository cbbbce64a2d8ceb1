// The run history: one row per finished run (kept across reloads), with a checkbox to compare
// runs, and per run its report, its CSV files and a delete button. The table scrolls inside its
// own box (a phone's page never scrolls sideways).
import { getLocale, optimizerName, t, type MessageKey } from '../../i18n';
import { pageLocale } from '../../shell/page-locale';
import type { RunHistory } from '../../storage/run-history';
import { formatNumber, formatSetting } from '../../ui/format';
import { formatDuration, formatPercent } from '../train/format';
import type { RunsStore } from './runs-store';

const COLUMNS = ['runs.date', 'train.preset', 'train.dataset', 'train.epochs', 'train.optimizer', 'train.learningRate', 'train.batchSize', 'train.test.title', 'runs.time', 'runs.actions'] as const;

/** A runs table's head row: one column per locale key (after `first`, a column of its own). */
export function ColumnHeads({ keys, first }: { keys: readonly MessageKey[]; first?: string }) {
  return (
    <tr>
      {first !== undefined ? <th scope="col">{first}</th> : null}
      {keys.map((key) => (
        <th key={key} scope="col">
          {t(key)}
        </th>
      ))}
    </tr>
  );
}

function StorageProblem({ problem }: { problem: NonNullable<RunHistory['problem']> }) {
  void pageLocale.value; // redrawn in the page's language
  return (
    <div class="warning" role="alert" data-testid="storage-problem" data-kind={problem.error.kind} data-operation={problem.operation}>
      <strong>{`${t(`storage.${problem.operation}` as MessageKey)} ${t(`storage.kind.${problem.error.kind}` as MessageKey)}`}</strong> {t('storage.nothingLost')}
      <pre>{problem.error.message}</pre>
    </div>
  );
}

export function HistoryPanel({ store }: { store: RunsStore }) {
  void pageLocale.value; // redrawn in the page's language
  void store.version.value;
  const { history } = store;
  const selected = store.selected.value;
  const locale = getLocale();
  const shortDate = new Intl.DateTimeFormat(locale, { dateStyle: 'short', timeStyle: 'short' }); // the reader's time zone
  const whole = (value: number) => formatNumber(value, { maximumFractionDigits: 0 });
  return (
    <div class="run-history" data-testid="run-history" data-count={history.runs.length}>
      <h3>{t('runs.title')}</h3>
      {history.problem ? <StorageProblem problem={history.problem} /> : null}
      <p class="muted">{t(history.persistent ? 'runs.persistent' : 'runs.notPersistent')}</p>
      {history.runs.length ? (
        <div class="table-scroll" data-testid="run-history-scroll">
          <table class="runs">
            <thead>
              <ColumnHeads keys={COLUMNS} first={t('runs.compareColumn')} />
            </thead>
            <tbody>
              {[...history.runs].reverse().map((run) => {
                const id = run.id!;
                const s = run.settings;
                return (
                  <tr key={id} data-run-id={id}>
                    <td>
                      <input type="checkbox" data-testid="run-select" checked={selected.has(id)} aria-label={t('runs.select')} onChange={(event) => store.select(id, event.currentTarget.checked)} />
                    </td>
                    <td class="date">{shortDate.format(new Date(run.date))}</td>
                    <td>
                      {s.preset}
                      {run.continued ? ` (${t('runs.continued')})` : ''}
                    </td>
                    <td>{s.dataset}</td>
                    <td>{whole(s.epochs)}</td>
                    <td>{optimizerName(s.optimizer)}</td>
                    <td>{formatSetting(s.learningRate)}</td>
                    <td>{whole(s.batchSize)}</td>
                    <td data-value={run.testAccuracy}>{formatPercent(run.testAccuracy, locale)}</td>
                    <td>{formatDuration(run.seconds)}</td>
                    <td class="actions">
                      <button type="button" data-testid="export-report" onClick={() => store.exportReport(run)}>
                        {t('runs.report')}
                      </button>
                      <button type="button" data-testid="export-csv" onClick={() => store.exportCsv(run, 'epochs')}>
                        {t('runs.epochsCsv')}
                      </button>
                      <button type="button" data-testid="export-steps-csv" onClick={() => store.exportCsv(run, 'steps')}>
                        {t('runs.stepsCsv')}
                      </button>
                      <button type="button" data-testid="delete-run" onClick={() => void store.remove(run)}>
                        {t('runs.delete')}
                      </button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : (
        <p class="muted">{t('runs.empty')}</p>
      )}
      <div class="buttons">
        <button type="button" data-testid="compare-runs" disabled={selected.size < 1} onClick={() => store.compare()}>
          {t('runs.compare')}
        </button>
      </div>
    </div>
  );
}
