// What the current run uses, as the worker resolved it (batch size included): one line of
// headline values, and the whole configuration as JSON in data-config for tests and bug reports.
import { pageLocale } from '../../shell/page-locale';
import { getLocale, t, tf, type MessageKey } from '../../i18n';
import { formatSetting } from '../../ui/format';
import type { ResolvedSettings } from '../../worker/protocol';
import { augmentationOn, l2Text, optimizerFieldsText } from './settings';


export function runSettingsText(settings: ResolvedSettings): string {
  const { training, data, model } = settings;
  const { optimizer, schedule } = training;
  const locale = getLocale();
  const n = (value: number) => formatSetting(value, locale);
  const extra = optimizerFieldsText(optimizer, locale);
  const augment = augmentationOn(data.augment);
  return [
    `${settings.preset} (${tf('run.layers', { count: model.layers.length })})`,
    `${optimizer.kind}${extra ? ` (${extra})` : ''}`,
    schedule.kind === 'inverse_time' ? `α = ${n(schedule.c1)}/(t + ${n(schedule.c2)})` : `α ${n(optimizer.learning_rate)}${schedule.kind === 'constant' ? '' : ` · ${schedule.kind} (γ ${n(schedule.gamma)}, ${n(schedule.step_size)})`}`,
    `${t('train.batchSize')} ${training.batch_size.toLocaleString(locale)}`,
    `${t('train.epochs')} ${training.epochs}`,
    `λ ${l2Text(training, locale)}`,
    `${t('data.devSize')} ${data.dev_size.toLocaleString(locale)}`,
    t(`data.normalization.${data.normalization}` as MessageKey) || data.normalization,
    augment ? t('data.augment') : '',
    `${t('train.seed')} ${training.seed}`,
  ]
    .filter(Boolean)
    .join(' · ');
}

export function RunSettings({ settings }: { settings: ResolvedSettings }) {
  void pageLocale.value;
  const { model, training, data } = settings;
  return (
    <p class="muted run-settings" data-testid="run-settings" data-config={JSON.stringify({ preset: settings.preset, dataset: settings.dataset, model, training, data })}>
      {`${t('run.title')}: ${runSettingsText(settings)}`}
    </p>
  );
}
