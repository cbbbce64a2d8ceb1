// Shared lab controls: a labelled slider with its value, a number field, a select, a button.
// Each takes the current value and a callback; none keeps state of its own beyond the DOM.
import { h } from '../../ui/dom';
import { formatFixed, formatSetting, formatSignificant } from '../../ui/format';

export interface SliderOptions {
  label: string;
  min: number;
  max: number;
  step: number;
  value: number;
  testId: string;
  /** Logarithmic scale (the slider moves log10 of the value), for α and the like. */
  log?: boolean;
  format?: (value: number) => string;
  onInput: (value: number) => void;
}

export function slider(options: SliderOptions): HTMLElement {
  const format = options.format ?? ((v: number) => formatSetting(v));
  const toSlider = (v: number) => (options.log ? Math.log10(v) : v);
  const fromSlider = (v: number) => (options.log ? Number(Math.pow(10, v).toPrecision(3)) : v);
  const output = h('output', {}, format(options.value));
  const input = h('input', {
    type: 'range',
    min: toSlider(options.min),
    max: toSlider(options.max),
    step: options.log ? 0.01 : options.step,
    value: toSlider(options.value),
    'data-testid': options.testId,
  });
  input.addEventListener('input', () => {
    const value = fromSlider(Number(input.value));
    output.textContent = format(value);
    options.onInput(value);
  });
  return h('label', { class: 'lab-control' }, h('span', {}, options.label), input, output);
}

export interface NumberFieldOptions {
  label: string;
  value: number;
  step?: number;
  testId: string;
  onChange: (value: number) => void;
}

/** A number input; empty or non-numeric text is ignored until it parses. */
export function numberField(options: NumberFieldOptions): HTMLElement {
  const input = h('input', { type: 'number', step: options.step ?? 'any', value: options.value, 'data-testid': options.testId });
  input.addEventListener('input', () => {
    const value = Number(input.value);
    if (input.value.trim() !== '' && Number.isFinite(value)) options.onChange(value);
  });
  return h('label', { class: 'lab-control lab-number' }, h('span', {}, options.label), input);
}

export interface SelectOptions<T extends string> {
  label: string;
  value: T;
  options: { value: T; label: string }[];
  testId: string;
  onChange: (value: T) => void;
}

export function select<T extends string>(options: SelectOptions<T>): HTMLElement {
  const element = h('select', { 'data-testid': options.testId });
  for (const option of options.options) {
    element.append(h('option', { value: option.value, selected: option.value === options.value }, option.label));
  }
  element.addEventListener('change', () => options.onChange(element.value as T));
  return h('label', { class: 'lab-control' }, h('span', {}, options.label), element);
}

export function button(label: string, testId: string, onClick: () => void): HTMLButtonElement {
  const element = h('button', { type: 'button', 'data-testid': testId }, label);
  element.addEventListener('click', onClick);
  return element;
}

export function checkbox(label: string, checked: boolean, testId: string, onChange: (checked: boolean) => void): HTMLElement {
  const input = h('input', { type: 'checkbox', checked, 'data-testid': testId });
  input.addEventListener('change', () => onChange(input.checked));
  return h('label', { class: 'lab-control lab-check' }, input, h('span', {}, label));
}

/** Fixed-precision number in the page's language, with "−" for negatives (as typeset in the course). */
export function fixed(value: number, digits = 3): string {
  return formatFixed(value, digits);
}

/** Significant-digit number for values spanning orders of magnitude (gradients, losses). */
export function significant(value: number, digits = 3): string {
  return formatSignificant(value, digits);
}
