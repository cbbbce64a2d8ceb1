// Pure formatting for the training screen (unit-tested, no DOM); numbers through ui/format.ts.
import type { Locale } from '../../i18n';
import { formatNumber } from '../../ui/format';

/** 0.97853 → "97.85 %" (en) / "97,85 %" (es). */
export function formatPercent(fraction: number, locale: Locale): string {
  return `${formatNumber(fraction * 100, { minimumFractionDigits: 2, maximumFractionDigits: 2 }, locale)} %`;
}

/** A loss value with 4 significant digits. */
export function formatLoss(value: number, locale: Locale): string {
  return formatNumber(value, { maximumSignificantDigits: 4 }, locale);
}

/** Samples per second, rounded: "1,234" / "1234". */
export function formatRate(value: number, locale: Locale): string {
  return formatNumber(value, { maximumFractionDigits: 0 }, locale);
}

/** "42 s", "3 min 05 s", "1 h 02 min". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '–';
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
}

/**
 * Seconds until the run ends at the current speed (evaluation passes not included), or undefined
 * while the speed is unknown. `done` counts finished batches over all epochs.
 */
export function estimateSecondsLeft(done: number, total: number, batchSize: number, samplesPerSecond: number): number | undefined {
  if (!(samplesPerSecond > 0) || total <= 0) return undefined;
  return (Math.max(0, total - done) * batchSize) / samplesPerSecond;
}
