// A preset's description in the page's language. The engine writes it in English (the CLI shows
// it too); the locale files hold it as `preset.<name>.description`, the English one equal to the
// engine's (a unit test reads engine/model/presets.cpp). A preset the locale files do not know
// yet, say one added to the engine later, keeps the engine's English text.
import { getLocale, messages as messagesOf, type Locale } from '.';

export function presetDescriptionKey(name: string): string {
  return `preset.${name}.description`;
}

export function presetDescription(preset: { name: string; description: string }, locale: Locale = getLocale()): string {
  const messages: Record<string, string> = messagesOf(locale);
  const key = presetDescriptionKey(preset.name);
  return Object.hasOwn(messages, key) ? messages[key]! : preset.description;
}
