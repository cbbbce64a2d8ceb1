// A line chart as an inline SVG string, for the exported report (no script, no external file, and
// it prints sharp). Pure: the same data gives the same text.

export interface SvgSeries {
  label: string;
  color: string;
  x: readonly number[];
  y: readonly number[];
  /** A dot on each point (short series, e.g. one value per epoch). */
  points?: boolean;
}

export interface SvgChartOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  series: SvgSeries[];
  width?: number;
  height?: number;
  formatY?: (value: number) => string;
  /** Whole-number x ticks only (epochs). */
  integerX?: boolean;
}

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** About `count` round tick values covering [min, max] (1, 2 or 5 × 10^k apart). */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [];
  if (min === max) return [min];
  const rough = (max - min) / count;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough) ?? 10 * power;
  const ticks: number[] = [];
  for (let v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step) ticks.push(Number(v.toPrecision(12)));
  return ticks;
}

const n = (value: number) => value.toFixed(1);

export function svgLineChart(options: SvgChartOptions): string {
  const width = options.width ?? 640;
  const height = options.height ?? 260;
  const margin = { left: 64, right: 16, top: 28, bottom: 58 };
  const plotW = width - margin.left - margin.right;
  const plotH = height - margin.top - margin.bottom;
  const xs = options.series.flatMap((s) => s.x.filter(Number.isFinite));
  const ys = options.series.flatMap((s) => s.y.filter(Number.isFinite));
  const formatY = options.formatY ?? ((v: number) => String(v));
  let [x0, x1] = xs.length ? [Math.min(...xs), Math.max(...xs)] : [0, 1];
  let [y0, y1] = ys.length ? [Math.min(...ys), Math.max(...ys)] : [0, 1];
  if (x0 === x1) [x0, x1] = [x0 - 1, x1 + 1];
  if (y0 === y1) [y0, y1] = [y0 - 1, y1 + 1];
  const px = (x: number) => margin.left + ((x - x0) / (x1 - x0)) * plotW;
  const py = (y: number) => margin.top + (1 - (y - y0) / (y1 - y0)) * plotH;

  const parts: string[] = [];
  parts.push(`<svg viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escapeXml(options.title)}" font-family="sans-serif" font-size="11">`);
  parts.push(`<text x="${width / 2}" y="16" text-anchor="middle" font-size="13" font-weight="bold">${escapeXml(options.title)}</text>`);
  for (const tick of niceTicks(y0, y1)) {
    const y = n(py(tick));
    parts.push(`<line x1="${margin.left}" x2="${width - margin.right}" y1="${y}" y2="${y}" stroke="#e2e2e0"/>`);
    parts.push(`<text x="${margin.left - 6}" y="${y}" text-anchor="end" dominant-baseline="middle" fill="#555">${escapeXml(formatY(tick))}</text>`);
  }
  for (const tick of niceTicks(x0, x1).filter((t) => !options.integerX || Number.isInteger(t))) {
    const x = n(px(tick));
    parts.push(`<line x1="${x}" x2="${x}" y1="${margin.top + plotH}" y2="${margin.top + plotH + 4}" stroke="#888"/>`);
    parts.push(`<text x="${x}" y="${margin.top + plotH + 16}" text-anchor="middle" fill="#555">${tick}</text>`);
  }
  parts.push(`<rect x="${margin.left}" y="${margin.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#888"/>`);
  parts.push(`<text x="${margin.left + plotW / 2}" y="${height - 28}" text-anchor="middle">${escapeXml(options.xLabel)}</text>`);
  parts.push(`<text transform="translate(14 ${margin.top + plotH / 2}) rotate(-90)" text-anchor="middle">${escapeXml(options.yLabel)}</text>`);
  for (const s of options.series) {
    const points = s.x.map((x, i) => [x, s.y[i]!] as const).filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
    if (points.length > 1) parts.push(`<polyline fill="none" stroke="${s.color}" stroke-width="1.5" points="${points.map(([x, y]) => `${n(px(x))},${n(py(y))}`).join(' ')}"/>`);
    if (s.points || points.length === 1) for (const [x, y] of points) parts.push(`<circle cx="${n(px(x))}" cy="${n(py(y))}" r="3" fill="${s.color}"/>`);
  }
  // Legend under the x label.
  let lx = margin.left;
  for (const s of options.series) {
    parts.push(`<rect x="${lx}" y="${height - 14}" width="12" height="4" fill="${s.color}"/>`);
    parts.push(`<text x="${lx + 16}" y="${height - 10}">${escapeXml(s.label)}</text>`);
    lx += 28 + 7 * s.label.length;
  }
  parts.push('</svg>');
  return parts.join('');
}
