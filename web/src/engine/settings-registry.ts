// The engine's settings registry on the page (generated/settings.ts, from engine/settings/):
// a setting's key is its table and path ('training.optimizer.epsilon'). Forms, the URL codec and
// the messages read names, types, ranges, choices, defaults and URL keys from here; the engine's
// strict JSON reader still judges what is sent. Nothing here lists a field.
import { SETTINGS, type SettingRow, type SettingsTable } from './generated/settings';

export type { SettingRow, SettingsTable };

/** 'training.optimizer.epsilon': the table, then the field's path in its configuration. */
export type SettingKey = `${SettingsTable}.${string}`;

export interface Setting extends SettingRow {
  readonly key: SettingKey;
  readonly table: SettingsTable;
}

/** Every setting of `table`, in the engine's order. */
export function settingsOf(table: SettingsTable): Setting[] {
  return (SETTINGS[table] as readonly SettingRow[]).map((row) => ({ ...row, key: `${table}.${row.path}` as SettingKey, table }));
}

/** The setting with this key; throws for a key the engine does not know. */
export function setting(key: SettingKey): Setting {
  const table = key.slice(0, key.indexOf('.')) as SettingsTable;
  const found = table in SETTINGS ? settingsOf(table).find((s) => s.key === key) : undefined;
  if (!found) throw new Error(`unknown setting '${key}'`);
  return found;
}

/** object.a.b for path 'a.b' (undefined when missing). */
export function valueAt(object: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((node, part) => (node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined), object);
}

/** Sets object.a.b for path 'a.b', creating the objects on the way. */
export function setValueAt(object: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let node = object;
  for (const part of parts.slice(0, -1)) node = (node[part] ??= {}) as Record<string, unknown>;
  node[parts.at(-1)!] = value;
}

/** A configuration with every field at the engine's default. */
export function defaultsOf<T>(table: SettingsTable): T {
  const config: Record<string, unknown> = {};
  for (const s of settingsOf(table)) setValueAt(config, s.path, s.default);
  return config as T;
}

/** A form's text for a setting as the value the engine reads: numbers as numbers (NaN when not one), flags as booleans. */
export function valueOfText(s: SettingRow, text: string): number | string | boolean {
  const trimmed = text.trim();
  if (s.type === 'enum') return trimmed;
  if (s.type === 'bool') return trimmed === 'true' || trimmed === '1';
  return trimmed === '' ? NaN : Number(trimmed);
}

/** What is wrong with a typed value, as data (the page words it in its language). */
export type SettingProblem =
  | { code: 'wrong_type'; setting: Setting; value: string }
  | { code: 'out_of_range'; setting: Setting; value: string }
  | { code: 'unknown_choice'; setting: Setting; value: string };

/** The engine's rules for one value, read from the registry: the page can name a problem before sending. */
export function problemWith(s: Setting, text: string): SettingProblem | undefined {
  const value = valueOfText(s, text);
  if (s.type === 'enum') return s.choices.includes(value as string) ? undefined : { code: 'unknown_choice', setting: s, value: text };
  if (s.type === 'bool') return ['true', 'false', '1', '0'].includes(text.trim()) ? undefined : { code: 'wrong_type', setting: s, value: text };
  const number = value as number;
  if (!Number.isFinite(number) || (s.type !== 'float' && !Number.isInteger(number))) return { code: 'wrong_type', setting: s, value: text };
  const aboveMin = !s.min || (s.min.inclusive ? number >= s.min.value : number > s.min.value);
  const belowMax = !s.max || (s.max.inclusive ? number <= s.max.value : number < s.max.value);
  return aboveMin && belowMax ? undefined : { code: 'out_of_range', setting: s, value: text };
}

/** '[0, 1)', '(0, ∞)': the range in the engine's notation. */
export function rangeText(s: SettingRow): string {
  return `${s.min?.inclusive ? '[' : '('}${s.min ? s.min.value : '−∞'}, ${s.max ? s.max.value : '∞'}${s.max?.inclusive ? ']' : ')'}`;
}

/** The setting whose URL keys include `key`. */
export function settingOfUrlKey(settings: readonly Setting[], key: string): Setting | undefined {
  return settings.find((s) => s.url_keys.includes(key));
}
