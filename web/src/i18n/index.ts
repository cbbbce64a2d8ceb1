// Translations: one JSON file per locale with the same keys (English is the reference; a unit
// test checks that every locale has exactly its keys).
import en from './en.json';
import es from './es.json';
import { formatSetting } from '../ui/format';

export type MessageKey = keyof typeof en;
export type Messages = Record<MessageKey, string>;

export const LOCALES = { en, es } satisfies Record<string, Messages>;
export type Locale = keyof typeof LOCALES;
export const LOCALE_NAMES: Record<Locale, string> = { en: 'English', es: 'Español' };

const STORAGE_KEY = 'profundo.locale';

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && value in LOCALES;
}

/** First supported language among the browser's preferences ("es-AR" → "es"); else English. */
export function detectLocale(preferred: readonly string[]): Locale {
  for (const tag of preferred) {
    const base = tag.toLowerCase().split('-')[0];
    if (isLocale(base)) return base;
  }
  return 'en';
}

let current: Locale = 'en';
const listeners = new Set<(locale: Locale) => void>();

export function initLocale(): Locale {
  const saved = safeStorage()?.getItem(STORAGE_KEY);
  current = isLocale(saved) ? saved : detectLocale(navigator.languages ?? [navigator.language]);
  document.documentElement.lang = current;
  return current;
}

export function getLocale(): Locale {
  return current;
}

export function setLocale(locale: Locale): void {
  current = locale;
  document.documentElement.lang = locale;
  safeStorage()?.setItem(STORAGE_KEY, locale);
  for (const listener of listeners) listener(locale);
}

export function onLocaleChange(listener: (locale: Locale) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function t(key: MessageKey, locale: Locale = current): string {
  return LOCALES[locale][key] ?? LOCALES.en[key];
}

function safeStorage(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined; // storage can be blocked (privacy settings, sandboxed frames)
  }
}

/** t() with `{name}` placeholders filled from params: tf('x', { n: 3 }). A number is written in
 *  the language's way, as given (no rounding, no grouping: "0,9", "2000"); format it first for more. */
export function tf(key: MessageKey, params: Record<string, string | number>, locale: Locale = current): string {
  const text = (value: string | number) => (typeof value === 'number' ? formatSetting(value, locale) : value);
  return t(key, locale).replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? text(params[name]!) : whole));
}

/** An optimiser's name as the page's language writes it ("adam" → "Adam"); the engine's name if unknown. */
export function optimizerName(kind: string, locale: Locale = current): string {
  return t(`train.optimizer.${kind}` as MessageKey, locale) ?? kind;
}
