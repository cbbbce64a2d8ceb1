// A setting's label and what is wrong with its value, in the page's language: the field's label
// (the locale key the engine's registry names), its key and the range or choices it accepts.
import { t, tf, type MessageKey } from '.';
import { rangeText, setting, type Setting, type SettingKey, type SettingProblem } from '../engine/settings-registry';
import type { EngineSettingError } from '../worker/protocol';

/** The label of a setting in the page's language (its key when the locale files lack it). */
export function settingLabel(s: Setting): string {
  return t(s.label as MessageKey) || s.key;
}

/** A problem in the page's language, naming the field (its label and key) and what it accepts. */
export function problemText(problem: SettingProblem): string {
  const s = problem.setting;
  const field = `${settingLabel(s)} (${s.key})`;
  if (problem.code === 'unknown_choice') return tf('settings.unknownChoice', { field, value: problem.value, choices: s.choices.join(', ') });
  if (problem.code === 'wrong_type') return tf(s.type === 'float' ? 'settings.notNumber' : s.type === 'bool' ? 'settings.notFlag' : 'settings.notInteger', { field, value: problem.value, range: rangeText(s) });
  return tf('settings.outOfRange', { field, value: problem.value, range: rangeText(s) });
}

/** The engine's refusal of a setting (error.setting from the worker) in the page's language. */
export function engineSettingText(refused: EngineSettingError): string {
  if (refused.code === 'unknown_field') return tf('settings.unknownField', { field: refused.path, known: (refused.expected as string[]).join(', ') });
  let s: Setting;
  try {
    s = setting(refused.path as SettingKey);
  } catch {
    return tf('settings.unknownField', { field: refused.path, known: '' });
  }
  const value = typeof refused.value === 'string' ? refused.value : JSON.stringify(refused.value);
  return problemText({ code: refused.code, setting: s, value });
}
