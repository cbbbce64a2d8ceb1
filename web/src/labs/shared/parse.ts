// Parsing what the student types into lab fields. Pure, so the unit tests reach it.

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

/** "3, -2, 6" or "3 −2 6" → [3, −2, 6]; the error names the piece that is not a number. */
export function parseNumberList(text: string, { min = 1, max = 20 } = {}): Parsed<number[]> {
  const pieces = text
    .replace(/[−–]/g, '-')
    .split(/[\s,;]+/)
    .filter((piece) => piece !== '');
  if (pieces.length < min || pieces.length > max) return { ok: false, error: `expected ${min} to ${max} numbers, got ${pieces.length}` };
  const values: number[] = [];
  for (const piece of pieces) {
    const value = Number(piece);
    if (!Number.isFinite(value)) return { ok: false, error: `'${piece}' is not a number` };
    values.push(value);
  }
  return { ok: true, value: values };
}
