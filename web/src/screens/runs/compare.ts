// Several runs' curves on one chart: uPlot wants one shared x array and, per series, a value or
// null at each x. Pure; unit-tested.
import type { RunRecord } from '../../storage/run-record';

export interface AlignedSeries {
  x: number[];
  /** ys[s][i]: series s at x[i], or null where it has no point. */
  ys: (number | null)[][];
}

/** Merges several (x, y) curves on the sorted union of their x values. */
export function alignCurves(curves: readonly { x: readonly number[]; y: readonly number[] }[]): AlignedSeries {
  const x = [...new Set(curves.flatMap((c) => c.x))].sort((a, b) => a - b);
  const position = new Map(x.map((value, i) => [value, i]));
  const ys = curves.map((c) => {
    const column: (number | null)[] = new Array(x.length).fill(null);
    c.x.forEach((value, i) => (column[position.get(value)!] = c.y[i] ?? null));
    return column;
  });
  return { x, ys };
}

export function lossCurves(runs: readonly RunRecord[]): AlignedSeries {
  return alignCurves(runs.map((run) => ({ x: run.lossSteps, y: run.losses })));
}

/** Dev accuracy in % per epoch. */
export function devAccuracyCurves(runs: readonly RunRecord[]): AlignedSeries {
  return alignCurves(runs.map((run) => ({ x: run.epochs.map((e) => e.epoch), y: run.epochs.map((e) => e.devAccuracy * 100) })));
}

/** Distinct colours for up to 8 runs, then repeated. */
export const RUN_COLORS = ['#3552c8', '#d9730d', '#2a9d4b', '#b8325d', '#7b4bc4', '#0f8b8d', '#8a6d1f', '#555555'];

export function runColor(index: number): string {
  return RUN_COLORS[index % RUN_COLORS.length]!;
}
