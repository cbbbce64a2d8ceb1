// Every number the page shows goes through here: Intl.NumberFormat and Intl.PluralRules of the
// page's language ("97,84 %", "−3,49 … 3,31", "1 hilo / 2 hilos" in Spanish). Pure (no DOM),
// unit-tested.
import { getLocale, t, type Locale, type MessageKey } from '../i18n';
import type { BackendInfo } from '../worker/protocol';

const formats = new Map<string, Intl.NumberFormat>();

/** `value` in the page's language (or `locale`); formatters are built once per options. */
export function formatNumber(value: number, options: Intl.NumberFormatOptions = {}, locale: Locale = getLocale()): string {
  if (Number.isNaN(value)) return '–';
  const key = `${locale}|${JSON.stringify(options)}`;
  let format = formats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, options);
    formats.set(key, format);
  }
  // The typographic minus, as the course typesets negatives.
  return format.format(value).replaceAll('-', '−');
}

/** Exactly `digits` decimals: 0.5 → "0.500" / "0,500". */
export function formatFixed(value: number, digits: number, locale?: Locale): string {
  return formatNumber(value, { minimumFractionDigits: digits, maximumFractionDigits: digits }, locale);
}

/** `digits` significant digits, in scientific notation below 1e-3 and from 1e5 (gradients, losses). */
export function formatSignificant(value: number, digits: number, locale?: Locale): string {
  if (value === 0 || !Number.isFinite(value)) return formatNumber(value, {}, locale);
  const scientific = Math.abs(value) < 1e-3 || Math.abs(value) >= 1e5;
  return formatNumber(value, { maximumSignificantDigits: digits, ...(scientific ? { notation: 'scientific' } : {}) }, locale);
}

/** A value as given, unrounded and ungrouped (a setting as typed: 0.001, 0.9, 64; a count: 2000). */
export function formatSetting(value: number, locale?: Locale): string {
  return formatNumber(value, { maximumFractionDigits: 20, useGrouping: false }, locale);
}

/** "1 hilo", "2 hilos": the count with the noun its plural rule asks for. */
export function formatCount(count: number, one: MessageKey, other: MessageKey, locale: Locale = getLocale()): string {
  const rule = new Intl.PluralRules(locale).select(count);
  return `${formatNumber(count, {}, locale)} ${t(rule === 'one' ? one : other, locale)}`;
}

/** "wasm-threads · 2 threads · SIMD" / "wasm-simd · 1 hilo · SIMD" */
export function formatBackend(info: Pick<BackendInfo, 'variant' | 'threads' | 'simd'>, locale: Locale): string {
  return [info.variant, formatCount(info.threads, 'backend.thread', 'backend.threads', locale), info.simd ? 'SIMD' : undefined].filter(Boolean).join(' · ');
}

/** A vector "(0.1234, −0.5)" / "(0,1234; −0,5)": where the comma is the decimal separator, "; " separates. */
export function formatVector(values: readonly number[], digits: number, locale: Locale = getLocale()): string {
  return formatTuple(values.map((value) => formatFixed(value, digits, locale)), locale);
}

/** Whether `locale` writes decimals with a comma (0,5). */
function decimalComma(locale: Locale): boolean {
  return formatNumber(0.5, {}, locale).includes(',');
}

/** Numbers already written, as a tuple: "(5e−10, 1)" / "(5e−10; 1)". */
export function formatTuple(numbers: readonly string[], locale: Locale = getLocale()): string {
  return `(${numbers.join(decimalComma(locale) ? '; ' : ', ')})`;
}

/** A number typed in a setting's field, as the page's language writes it: "0.001" → "0,001" in Spanish (the text is kept, not rounded). */
export function typedForLocale(text: string, locale: Locale = getLocale()): string {
  return decimalComma(locale) ? text.replaceAll('.', ',') : text;
}

/** What a student typed in the page's language, as the engine and the URL read it: "0,001" → "0.001" in Spanish. */
export function typedFromLocale(text: string, locale: Locale = getLocale()): string {
  return decimalComma(locale) ? text.replaceAll(',', '.') : text;
}
