// The run history: one row per finished run (kept across reloads), with a checkbox to compare
// runs, and per run its report, its CSV files and a delete button. Rendered from data.
import { getLocale, optimizerName, t, type MessageKey } from '../../i18n';
import type { RunRecord } from '../../storage/run-record';
import type { RunHistory } from '../../storage/run-history';
import { h } from '../../ui/dom';
import { formatSetting } from '../../ui/format';
import { formatDuration, formatPercent } from '../train/format';

export interface HistoryView {
  runs: readonly RunRecord[];
  selected: ReadonlySet<number>;
  problem: RunHistory['problem'];
  persistent: boolean;
  onSelect(id: number, selected: boolean): void;
  onCompare(): void;
  onReport(run: RunRecord): void;
  onEpochsCsv(run: RunRecord): void;
  onStepsCsv(run: RunRecord): void;
  onDelete(run: RunRecord): void;
}

function storageProblem(problem: NonNullable<RunHistory['problem']>): HTMLElement {
  const what = t(`storage.${problem.operation}` as MessageKey);
  const why = t(`storage.kind.${problem.error.kind}` as MessageKey);
  return h(
    'div',
    { class: 'warning', role: 'alert', 'data-testid': 'storage-problem', 'data-kind': problem.error.kind, 'data-operation': problem.operation },
    h('strong', {}, `${what} ${why}`),
    ' ',
    t('storage.nothingLost'),
    h('pre', {}, problem.error.message),
  );
}

export function renderHistoryPanel(view: HistoryView): HTMLElement {
  const locale = getLocale();
  const shortDate = new Intl.DateTimeFormat(locale, { dateStyle: 'short', timeStyle: 'short' }); // the reader's time zone
  const head = h(
    'tr',
    {},
    h('th', { scope: 'col' }, t('runs.compareColumn')),
    ...(['runs.date', 'train.preset', 'train.dataset', 'train.epochs', 'train.optimizer', 'train.learningRate', 'train.batchSize', 'train.test.title', 'runs.time', 'runs.actions'] as const).map(
      (key) => h('th', { scope: 'col' }, t(key)),
    ),
  );
  const rows = [...view.runs].reverse().map((run) => {
    const id = run.id!;
    const select = h('input', { type: 'checkbox', 'data-testid': 'run-select', checked: view.selected.has(id), 'aria-label': t('runs.select') });
    select.addEventListener('change', () => view.onSelect(id, select.checked));
    const button = (testId: string, label: MessageKey, action: () => void) => {
      const element = h('button', { type: 'button', 'data-testid': testId }, t(label));
      element.addEventListener('click', action);
      return element;
    };
    const s = run.settings;
    return h(
      'tr',
      { 'data-run-id': id },
      h('td', {}, select),
      h('td', { class: 'date' }, shortDate.format(new Date(run.date))),
      h('td', {}, s.preset, run.continued ? ` (${t('runs.continued')})` : ''),
      h('td', {}, s.dataset),
      h('td', {}, String(s.epochs)),
      h('td', {}, optimizerName(s.optimizer)),
      h('td', {}, formatSetting(s.learningRate)),
      h('td', {}, String(s.batchSize)),
      h('td', { 'data-value': run.testAccuracy }, formatPercent(run.testAccuracy, locale)),
      h('td', {}, formatDuration(run.seconds)),
      h(
        'td',
        { class: 'actions' },
        button('export-report', 'runs.report', () => view.onReport(run)),
        button('export-csv', 'runs.epochsCsv', () => view.onEpochsCsv(run)),
        button('export-steps-csv', 'runs.stepsCsv', () => view.onStepsCsv(run)),
        button('delete-run', 'runs.delete', () => view.onDelete(run)),
      ),
    );
  });
  const compare = h('button', { type: 'button', 'data-testid': 'compare-runs', disabled: view.selected.size < 1 }, t('runs.compare'));
  compare.addEventListener('click', () => view.onCompare());
  return h(
    'div',
    { class: 'run-history', 'data-testid': 'run-history', 'data-count': view.runs.length },
    h('h3', {}, t('runs.title')),
    view.problem ? storageProblem(view.problem) : null,
    h('p', { class: 'muted' }, t(view.persistent ? 'runs.persistent' : 'runs.notPersistent')),
    view.runs.length
      ? h('div', { class: 'table-scroll' }, h('table', { class: 'runs' }, h('thead', {}, head), h('tbody', {}, ...rows)))
      : h('p', { class: 'muted' }, t('runs.empty')),
    h('div', { class: 'buttons' }, compare),
  );
}
