// Several (x, y) series sampled at different x (e.g. loss against seconds for each mini-batch
// size) on one shared, sorted x axis, with null where a series has no sample: uPlot's layout.
export function mergeSeries(series: { x: ArrayLike<number>; y: ArrayLike<number> }[]): { x: number[]; ys: (number | null)[][] } {
  const x = [...new Set(series.flatMap((s) => Array.from(s.x)))].sort((a, b) => a - b);
  const index = new Map(x.map((value, i) => [value, i]));
  const ys = series.map((s) => {
    const column: (number | null)[] = new Array<number | null>(x.length).fill(null);
    for (let i = 0; i < s.x.length; i++) column[index.get(s.x[i]!)!] = s.y[i]!;
    return column;
  });
  return { x, ys };
}
