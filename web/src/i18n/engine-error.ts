// An engine error in the page's language: one sentence that names the file or field (from the
// error's data: its problem, subject or refused setting), then the engine's own words (English)
// as the detail. Every EngineErrorCode has `error.<code>` (no subject known) and `error.<code>.about`.
import { getLocale, t, tf, type Locale, type MessageKey } from '.';
import type { EngineError, EngineProblem } from '../worker/protocol';

function problemSentence(problem: EngineProblem, locale: Locale): string {
  switch (problem.kind) {
    case 'not-json':
      return tf('error.problem.not-json', { file: problem.file ?? t('error.problem.not-json.file', locale) }, locale);
    case 'damaged-gzip':
      return tf('error.problem.damaged-gzip', { file: problem.file }, locale);
    case 'idx-magic':
      return tf(`error.problem.idx-magic.${problem.contents}`, { file: problem.file, expected: problem.expected, found: problem.found }, locale);
  }
}

/** The sentence a student reads first. */
export function engineErrorSentence(error: EngineError, locale: Locale = getLocale()): string {
  if (error.problem) return problemSentence(error.problem, locale);
  const subject = error.subject ?? error.setting?.path;
  return subject ? tf(`error.${error.code}.about` as MessageKey, { subject }, locale) : t(`error.${error.code}` as MessageKey, locale);
}

/** The sentence, then the engine's words (for a plain-text box). */
export function engineErrorText(error: EngineError, locale: Locale = getLocale()): string {
  return error.message ? `${engineErrorSentence(error, locale)}\n${error.message}` : engineErrorSentence(error, locale);
}
