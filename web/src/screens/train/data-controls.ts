// The data controls: the dev split's size, the input normalisation, and data augmentation
// (on/off with its shift, rotation, zoom and elastic strengths). Only the values; the preview of
// augmented samples lives with the dataset panel.
import { t } from '../../i18n';
import { h } from '../../ui/dom';
import type { SettingKey } from '../../engine/settings-registry';
import { settingField, unplacedFields, type FieldEvents } from './form-fields';
import { FORM_SETTINGS, isAugmentation, type TrainForm } from './settings';

/** The settings the layout places; the rest of the data group (and of augmentation, when on) is added after them. */
const PLACED: SettingKey[] = ['data.dev_size', 'data.normalization', 'data.augment.max_shift', 'data.augment.max_rotation', 'data.augment.max_zoom', 'data.augment.elastic_alpha', 'data.augment.elastic_sigma'];

export function renderDataControls(form: TrainForm, events: FieldEvents): HTMLElement {
  const augment = h('input', { id: 'train-augment', type: 'checkbox', 'data-testid': 'augment', checked: form.augment });
  augment.addEventListener('change', () => {
    form.augment = augment.checked;
    events.onChange();
  });
  const fields: HTMLElement[] = [
    settingField(form, 'data.dev_size', events, { testId: 'dev-size', hint: t('data.devSizeHint') }),
    settingField(form, 'data.normalization', events, { testId: 'normalization' }),
    h('label', { class: 'field checkbox', for: 'train-augment' }, h('span', {}, t('data.augment')), augment, h('small', { class: 'muted hint' }, t('data.augmentHint'))),
  ];
  fields.push(...unplacedFields(form, FORM_SETTINGS.filter((s) => !isAugmentation(s)), ['data'], PLACED, events));
  if (form.augment) {
    fields.push(
      settingField(form, 'data.augment.max_shift', events, { testId: 'shift' }),
      settingField(form, 'data.augment.max_rotation', events, { testId: 'rotation' }),
      settingField(form, 'data.augment.max_zoom', events, { testId: 'zoom' }),
      settingField(form, 'data.augment.elastic_alpha', events, { testId: 'elastic-alpha', hint: t('data.elasticHint') }),
      settingField(form, 'data.augment.elastic_sigma', events, { testId: 'elastic-sigma' }),
      ...unplacedFields(form, FORM_SETTINGS.filter(isAugmentation), ['augmentation'], PLACED, events),
    );
  }
  return h('fieldset', { class: 'config-section data-controls', 'data-testid': 'data-controls' }, h('legend', {}, t('data.title')), h('div', { class: 'train-form' }, ...fields));
}
