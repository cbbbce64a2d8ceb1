// Parsing what the student types into lab fields. Pure, so the unit tests reach it.
import { tf, type Locale } from '../../i18n';

/** Why a typed list was refused, as data: the page words it in its language (numberListProblemText). */
export type NumberListProblem = { kind: 'count'; min: number; max: number; count: number } | { kind: 'not-a-number'; piece: string };

export type Parsed<T> = { ok: true; value: T } | { ok: false; problem: NumberListProblem };

/** "3, -2, 6" or "3 −2 6" → [3, −2, 6]; the problem names the piece that is not a number. */
export function parseNumberList(text: string, { min = 1, max = 20 } = {}): Parsed<number[]> {
  const pieces = text
    .replace(/[−–]/g, '-')
    .split(/[\s,;]+/)
    .filter((piece) => piece !== '');
  if (pieces.length < min || pieces.length > max) return { ok: false, problem: { kind: 'count', min, max, count: pieces.length } };
  const values: number[] = [];
  for (const piece of pieces) {
    const value = Number(piece);
    if (!Number.isFinite(value)) return { ok: false, problem: { kind: 'not-a-number', piece } };
    values.push(value);
  }
  return { ok: true, value: values };
}

/** The problem in the page's language ("'x' is not a number", "'x' no es un número"). */
export function numberListProblemText(problem: NumberListProblem, locale?: Locale): string {
  return problem.kind === 'count'
    ? tf('labs.numberList.count', { min: problem.min, max: problem.max, count: problem.count }, locale)
    : tf('labs.numberList.notANumber', { piece: problem.piece }, locale);
}
