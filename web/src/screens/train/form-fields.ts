// Labelled controls bound to a TrainForm field: typing updates the form and calls onInput (the
// URL follows); a select calls onChange, after which the owner re-renders (other fields may
// appear or hide).
import { t, type MessageKey } from '../../i18n';
import { h } from '../../ui/dom';
import type { TextField, TrainForm } from './settings';

export interface FieldEvents {
  /** A value was typed (nothing to re-render). */
  onInput(): void;
  /** A choice changed what is shown. */
  onChange(): void;
}

/** A label with its control and an optional hint under it. */
export function labelled(id: string, label: string, control: HTMLElement, hint?: string): HTMLElement {
  return h('label', { class: 'field', for: id }, h('span', {}, label), control, hint ? h('small', { class: 'muted hint' }, hint) : null);
}

/** A text input for a number (kept as typed). `testId` defaults to the field name. */
export function numberField(form: TrainForm, field: TextField, label: MessageKey, events: FieldEvents, options: { testId?: string; hint?: string } = {}): HTMLElement {
  const id = `train-${field}`;
  const input = h('input', { id, type: 'text', inputmode: 'decimal', 'data-testid': options.testId ?? field, value: form[field] });
  input.addEventListener('input', () => {
    form[field] = input.value;
    events.onInput();
  });
  return labelled(id, t(label), input, options.hint);
}

/** A select of `choices` (labelled by `labelPrefix.choice`); an unknown current value is kept as an option. */
export function choiceField(form: TrainForm, field: TextField, label: MessageKey, choices: readonly string[], labelPrefix: string, events: FieldEvents, testId: string = field): HTMLElement {
  const id = `train-${field}`;
  const select = h('select', { id, 'data-testid': testId });
  const values = [...choices];
  if (form[field] && !values.includes(form[field])) values.push(form[field]); // from the URL; the engine will say
  for (const value of values) {
    const text = choices.includes(value) ? t(`${labelPrefix}.${value}` as MessageKey) : value;
    select.append(h('option', { value, selected: value === form[field] }, text));
  }
  select.addEventListener('change', () => {
    form[field] = select.value;
    events.onChange();
  });
  return labelled(id, t(label), select);
}
