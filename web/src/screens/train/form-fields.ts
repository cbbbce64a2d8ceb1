// Labelled controls bound to a setting of the TrainForm (by registry key): typing updates the form
// and calls onInput (the URL follows); a select or a checkbox calls onChange, after which the owner
// re-renders (other fields may appear or hide). Labels and choices come from the registry.
import { setting, valueOfText, type Setting, type SettingKey } from '../../engine/settings-registry';
import { t, type MessageKey } from '../../i18n';
import { h } from '../../ui/dom';
import { settingLabel } from '../../i18n/setting-problem';
import type { TrainForm } from './settings';

export interface FieldEvents {
  /** A value was typed (nothing to re-render). */
  onInput(): void;
  /** A choice changed what is shown. */
  onChange(): void;
}

/** Where the page places a setting: its data-testid (kept stable for tests), and optionally another label and a hint. */
export interface Placement {
  testId?: string;
  label?: MessageKey;
  hint?: string;
}

/** A label with its control and an optional hint under it. */
export function labelled(id: string, label: string, control: HTMLElement, hint?: string): HTMLElement {
  return h('label', { class: 'field', for: id }, h('span', {}, label), control, hint ? h('small', { class: 'muted hint' }, hint) : null);
}

/** The control a setting's type calls for: a select for choices, a checkbox for a flag, else a text input for a number. */
export function settingField(form: TrainForm, key: SettingKey, events: FieldEvents, placement: Placement = {}): HTMLElement {
  const s = setting(key);
  const testId = placement.testId ?? key;
  const id = `train-${testId}`;
  const label = placement.label ? t(placement.label) : settingLabel(s);
  if (s.type === 'enum') return labelled(id, label, choiceControl(form, s, id, testId, events), placement.hint);
  if (s.type === 'bool') {
    const box = h('input', { id, type: 'checkbox', 'data-testid': testId, checked: valueOfText(s, form.values[key] ?? '') === true });
    box.addEventListener('change', () => {
      form.values[key] = String(box.checked);
      events.onChange();
    });
    return h('label', { class: 'field checkbox', for: id }, h('span', {}, label), box, placement.hint ? h('small', { class: 'muted hint' }, placement.hint) : null);
  }
  const input = h('input', { id, type: 'text', inputmode: s.type === 'float' ? 'decimal' : 'numeric', 'data-testid': testId, value: form.values[key] ?? '' });
  input.addEventListener('input', () => {
    form.values[key] = input.value;
    events.onInput();
  });
  return labelled(id, label, input, placement.hint);
}

/** A select of the setting's choices (labelled by `label.choice`); an unknown current value is kept as an option. */
function choiceControl(form: TrainForm, s: Setting, id: string, testId: string, events: FieldEvents): HTMLElement {
  const select = h('select', { id, 'data-testid': testId });
  const current = form.values[s.key] ?? '';
  const values: string[] = [...s.choices];
  if (current && !values.includes(current)) values.push(current); // from the URL; the engine will say
  for (const value of values) {
    const text = s.choices.includes(value) ? t(`${s.label}.${value}` as MessageKey) : value;
    select.append(h('option', { value, selected: value === current }, text));
  }
  select.addEventListener('change', () => {
    form.values[s.key] = select.value;
    events.onChange();
  });
  return select;
}

/** The settings of `groups` that the page's layout did not place (a new engine setting shows up here). */
export function unplacedFields(form: TrainForm, settings: readonly Setting[], groups: readonly string[], placed: readonly SettingKey[], events: FieldEvents): HTMLElement[] {
  return settings.filter((s) => groups.includes(s.group) && !placed.includes(s.key)).map((s) => settingField(form, s.key, events));
}
