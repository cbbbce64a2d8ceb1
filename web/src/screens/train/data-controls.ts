// The data controls: the dev split's size, the input normalisation, and data augmentation
// (on/off with its shift, rotation, zoom and elastic strengths). Only the values; the preview of
// augmented samples lives with the dataset panel.
import { t } from '../../i18n';
import { h } from '../../ui/dom';
import { choiceField, numberField, type FieldEvents } from './form-fields';
import { NORMALIZATIONS, type TrainForm } from './settings';

export function renderDataControls(form: TrainForm, events: FieldEvents): HTMLElement {
  const augment = h('input', { id: 'train-augment', type: 'checkbox', 'data-testid': 'augment', checked: form.augment });
  augment.addEventListener('change', () => {
    form.augment = augment.checked;
    events.onChange();
  });
  const fields: HTMLElement[] = [
    numberField(form, 'devSize', 'data.devSize', events, { testId: 'dev-size', hint: t('data.devSizeHint') }),
    choiceField(form, 'normalization', 'data.normalization', NORMALIZATIONS, 'data.normalization', events),
    h('label', { class: 'field checkbox', for: 'train-augment' }, h('span', {}, t('data.augment')), augment, h('small', { class: 'muted hint' }, t('data.augmentHint'))),
  ];
  if (form.augment) {
    fields.push(
      numberField(form, 'shift', 'data.shift', events),
      numberField(form, 'rotation', 'data.rotation', events),
      numberField(form, 'zoom', 'data.zoom', events),
      numberField(form, 'elasticAlpha', 'data.elasticAlpha', events, { testId: 'elastic-alpha', hint: t('data.elasticHint') }),
      numberField(form, 'elasticSigma', 'data.elasticSigma', events, { testId: 'elastic-sigma' }),
    );
  }
  return h('fieldset', { class: 'config-section data-controls', 'data-testid': 'data-controls' }, h('legend', {}, t('data.title')), h('div', { class: 'train-form' }, ...fields));
}
