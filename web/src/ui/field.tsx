// The page's form controls as components, one style for every screen: a labelled field (label,
// control, optional hint) and a select of choices whose labels are locale keys.
import type { ComponentChildren } from 'preact';
import { t, type MessageKey } from '../i18n';

export function Field({ id, label, hint, children }: { id: string; label: string; hint?: string | undefined; children: ComponentChildren }) {
  return (
    <label class="field" for={id}>
      <span>{label}</span>
      {children}
      {hint ? <small class="muted hint">{hint}</small> : null}
    </label>
  );
}

export interface ChoiceProps<T extends string> {
  id: string;
  testId: string;
  value: T;
  choices: readonly T[];
  /** The locale key of a choice's label: `${labelPrefix}.${choice}`. */
  labelPrefix: string;
  onChange: (value: T) => void;
}

export function Choice<T extends string>({ id, testId, value, choices, labelPrefix, onChange }: ChoiceProps<T>) {
  return (
    <select id={id} data-testid={testId} value={value} onChange={(event) => onChange(event.currentTarget.value as T)}>
      {choices.map((choice) => (
        <option key={choice} value={choice}>
          {t(`${labelPrefix}.${choice}` as MessageKey)}
        </option>
      ))}
    </select>
  );
}
