// Iso-lines of a grid of values (marching squares) and the levels to draw them at. Pure functions:
// the values come from the engine; this only decides where to draw lines between them.

/** One line piece in grid coordinates (column, row as fractions). */
export type Segment = [number, number, number, number];

/**
 * Segments where the grid crosses `level`. values is [rows, columns] row-major. Saddle cells
 * (two opposite corners above) are split by the cell's centre value.
 */
export function contourSegments(values: ArrayLike<number>, columns: number, rows: number, level: number): Segment[] {
  const segments: Segment[] = [];
  const at = (c: number, r: number) => values[r * columns + c]!;
  // Where along an edge from a to b the level is crossed (0..1).
  const cross = (a: number, b: number) => (a === b ? 0.5 : (level - a) / (b - a));
  for (let r = 0; r + 1 < rows; r++) {
    for (let c = 0; c + 1 < columns; c++) {
      const v0 = at(c, r), v1 = at(c + 1, r), v2 = at(c + 1, r + 1), v3 = at(c, r + 1);
      const index = (v0 > level ? 1 : 0) | (v1 > level ? 2 : 0) | (v2 > level ? 4 : 0) | (v3 > level ? 8 : 0);
      if (index === 0 || index === 15) continue;
      // Edge points: bottom (0-1), right (1-2), top (3-2), left (0-3).
      const bottom: [number, number] = [c + cross(v0, v1), r];
      const right: [number, number] = [c + 1, r + cross(v1, v2)];
      const top: [number, number] = [c + cross(v3, v2), r + 1];
      const left: [number, number] = [c, r + cross(v0, v3)];
      const add = (p: [number, number], q: [number, number]) => segments.push([p[0], p[1], q[0], q[1]]);
      const centreAbove = (v0 + v1 + v2 + v3) / 4 > level;
      switch (index) {
        case 1: case 14: add(left, bottom); break;
        case 2: case 13: add(bottom, right); break;
        case 3: case 12: add(left, right); break;
        case 4: case 11: add(right, top); break;
        case 6: case 9: add(bottom, top); break;
        case 7: case 8: add(left, top); break;
        case 5:
          if (centreAbove) { add(left, top); add(bottom, right); } else { add(left, bottom); add(right, top); }
          break;
        case 10:
          if (centreAbove) { add(left, bottom); add(right, top); } else { add(left, top); add(bottom, right); }
          break;
      }
    }
  }
  return segments;
}

/**
 * `count` levels between the grid's minimum and maximum, spaced evenly in log(J − min) so that
 * the narrow bottom of a valley gets as many lines as its steep walls.
 */
export function contourLevels(values: ArrayLike<number>, count: number): number[] {
  let min = Infinity, max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (!(max > min) || count < 1) return [];
  const span = max - min;
  const low = Math.log(span * 1e-4);
  const high = Math.log(span);
  return Array.from({ length: count }, (_, i) => min + Math.exp(low + ((high - low) * (i + 0.5)) / count));
}
