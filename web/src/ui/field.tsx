// The page's form controls as components, one style for every screen: a labelled field (label,
// control, optional hint), a select of choices whose labels are locale keys, and a number typed
// as text.
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { t, type MessageKey } from '../i18n';

export function Field({ id, label, hint, checkbox, children }: { id: string; label: string; hint?: string | undefined; checkbox?: boolean; children: ComponentChildren }) {
  return (
    <label class={checkbox ? 'field checkbox' : 'field'} for={id}>
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

/** A value that is not one of the choices (from a URL) is kept as an option of its own: the engine will name it. */
export function Choice<T extends string>({ id, testId, value, choices, labelPrefix, onChange }: ChoiceProps<T>) {
  return (
    <select id={id} data-testid={testId} value={value} onChange={(event) => onChange(event.currentTarget.value as T)}>
      {choices.map((choice) => (
        <option key={choice} value={choice}>
          {t(`${labelPrefix}.${choice}` as MessageKey)}
        </option>
      ))}
      {value && !choices.includes(value) ? <option value={value}>{value}</option> : null}
    </select>
  );
}

export interface NumberTextProps {
  id?: string;
  testId: string;
  /** 'number' where the browser's spinner helps (the table's range as min and max). */
  type: 'text' | 'number';
  step?: string;
  min?: string | undefined;
  max?: string | undefined;
  placeholder?: string;
  /** The number as the model holds it (NaN: not a number; undefined: none shown). */
  value: number | undefined;
  /** The text a number is shown as, and the number a text means. */
  format?: (value: number | undefined) => string;
  parse?: (text: string) => number;
  onValue: (value: number) => void;
}

const sameNumber = (a: number | undefined, b: number | undefined) => Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b));

/**
 * An input for a number held as a number: the text stays as typed while it means the held value
 * ("1e-", "0." mid-typing), and a value changed elsewhere (a preset, a moved layer) replaces it.
 */
export function NumberText({ type, testId, value, format = (v) => (v === undefined ? '' : String(v)), parse = (text) => (text.trim() === '' ? NaN : Number(text)), onValue, ...input }: NumberTextProps) {
  const [text, setText] = useState(() => format(value));
  const shown = sameNumber(parse(text), value) ? text : format(value);
  const attributes = {
    ...input,
    inputmode: 'decimal' as const,
    'data-testid': testId,
    value: shown,
    onInput: (event: { currentTarget: HTMLInputElement }) => {
      setText(event.currentTarget.value);
      onValue(parse(event.currentTarget.value));
    },
  };
  // Two literal types: Preact's input attributes are a union discriminated by `type`.
  return type === 'number' ? <input {...attributes} type="number" /> : <input {...attributes} type="text" />;
}
