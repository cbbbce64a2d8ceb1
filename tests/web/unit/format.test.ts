// The one number-formatting module: the page's language decides the decimal separator, the
// grouping and the plural of the noun after a count.
import { describe, expect, it } from 'vitest';
import { formatBackend, formatCount, formatFixed, formatSetting, formatSignificant, formatVector, typedForLocale, typedFromLocale } from '../../../web/src/ui/format';
import { formatLoss, formatPercent } from '../../../web/src/screens/train/format';

describe('formatNumber and its shapes', () => {
  it('writes a histogram range with the language\'s decimal separator and a typographic minus', () => {
    expect(`${formatFixed(-3.49, 3, 'es')} … ${formatFixed(3.311, 3, 'es')}`).toBe('−3,490 … 3,311');
    expect(`${formatFixed(-3.49, 3, 'en')} … ${formatFixed(3.311, 3, 'en')}`).toBe('−3.490 … 3.311');
  });

  it('keeps a setting as typed, without grouping', () => {
    expect(formatSetting(0.9, 'es')).toBe('0,9');
    expect(formatSetting(0.001, 'en')).toBe('0.001');
    expect(formatSetting(1e-8, 'es')).toBe('0,00000001');
    expect(formatSetting(10000, 'es')).toBe('10000');
  });

  it('switches to scientific notation for tiny and huge values', () => {
    expect(formatSignificant(1.234e-5, 2, 'es')).toBe('1,2E−5');
    expect(formatSignificant(0.0489, 3, 'en')).toBe('0.0489');
    expect(formatSignificant(0, 3, 'es')).toBe('0');
  });

  it('accuracy and loss of the training screen', () => {
    expect(formatPercent(0.97844, 'es')).toBe('97,84 %');
    expect(formatPercent(0.97844, 'en')).toBe('97.84 %');
    expect(formatLoss(0.123456, 'es')).toBe('0,1235');
  });

  it('a vector separates its numbers with what is not the decimal separator', () => {
    expect(formatVector([0.12345, -0.5], 4, 'es')).toBe('(0,1235; −0,5000)');
    expect(formatVector([0.12345, -0.5], 4, 'en')).toBe('(0.1235, −0.5000)');
  });

  it("a setting's typed number is shown and read with the language's decimal separator, as typed otherwise", () => {
    expect(typedForLocale('0.001', 'es')).toBe('0,001');
    expect(typedForLocale('1e-8', 'es')).toBe('1e-8');
    expect(typedForLocale('0.001', 'en')).toBe('0.001');
    expect(typedFromLocale('0,85', 'es')).toBe('0.85');
    expect(typedFromLocale(typedForLocale('0.00015', 'es'), 'es')).toBe('0.00015');
    expect(typedFromLocale('0,85', 'en')).toBe('0,85'); // not a number in English: the engine names it
  });

  it('a count takes the noun its plural rule asks for', () => {
    expect(formatCount(1, 'backend.thread', 'backend.threads', 'es')).toBe('1 hilo');
    expect(formatCount(2, 'backend.thread', 'backend.threads', 'es')).toBe('2 hilos');
    expect(formatCount(1, 'backend.thread', 'backend.threads', 'en')).toBe('1 thread');
    expect(formatBackend({ variant: 'wasm-threads', threads: 2, simd: true }, 'es')).toBe('wasm-threads · 2 hilos · SIMD');
  });
});
