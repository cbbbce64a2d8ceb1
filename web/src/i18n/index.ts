// Translations: one JSON file per locale with the same keys (English is the reference; a unit
// test checks that every locale has exactly its keys). A page shows one language, so each file is
// a chunk of its own, loaded before the first render and when the student switches (about 16 kB
// gzip each that a visitor does not fetch twice).
import type en from './en.json';
import { formatSetting } from '../ui/format';

export type MessageKey = keyof typeof en;
export type Messages = Record<MessageKey, string>;

const LOADERS = {
  en: () => import('./en.json'),
  es: () => import('./es.json'),
} satisfies Record<string, () => Promise<{ default: Messages }>>;
export type Locale = keyof typeof LOADERS;
export const LOCALE_NAMES: Record<Locale, string> = { en: 'English', es: 'Español' };
export const LOCALE_LIST = Object.keys(LOADERS) as Locale[];

const loaded: Partial<Record<Locale, Messages>> = {};

/** Fetches a language's messages (once); t() can write in it afterwards. */
export async function loadLocale(locale: Locale): Promise<Messages> {
  return (loaded[locale] ??= (await LOADERS[locale]()).default);
}

/** A loaded language's messages; a language not loaded yet is a bug of the caller, said as such. */
export function messages(locale: Locale = current): Messages {
  const found = loaded[locale];
  if (!found) throw new Error(`the '${locale}' messages are not loaded yet: await loadLocale('${locale}') first`);
  return found;
}

const STORAGE_KEY = 'profundo.locale';

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && Object.hasOwn(LOADERS, value);
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

/** The saved or the browser's language, loaded: before the page's first render. */
export async function initLocale(): Promise<Locale> {
  const saved = safeStorage()?.getItem(STORAGE_KEY);
  const locale = isLocale(saved) ? saved : detectLocale(navigator.languages ?? [navigator.language]);
  await loadLocale(locale);
  current = locale;
  document.documentElement.lang = current;
  return current;
}

export function getLocale(): Locale {
  return current;
}

/** Switches once the language is loaded; listeners then redraw in it. */
export async function setLocale(locale: Locale): Promise<void> {
  await loadLocale(locale);
  current = locale;
  document.documentElement.lang = locale;
  safeStorage()?.setItem(STORAGE_KEY, locale);
  for (const listener of listeners) listener(locale);
}

export function onLocaleChange(listener: (locale: Locale) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The message in `locale` (the page's language by default); undefined for a key no file has. */
export function t(key: MessageKey, locale: Locale = current): string {
  return messages(locale)[key];
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
