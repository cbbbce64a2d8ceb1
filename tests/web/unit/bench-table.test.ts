// scripts/lib/bench-table.mjs: the table of `npm run bench`, Profundo next to PyTorch.
import { describe, expect, it } from 'vitest';
import { BLAS_SETUPS, combineRows, flopsMismatches, formatCombined, formatWasm, PYTORCH_MISSING_MESSAGE } from '../../../scripts/lib/bench-table.mjs';

interface Row {
  model: string;
  kind: string;
  batch: number;
  threads: number;
  samples_per_second: number;
  min: number;
  max: number;
  gflops: number;
  runtime: 'native' | 'pytorch' | 'wasm-simd' | 'wasm-threads';
  unit: string;
  blas?: string;
  blas_setup?: string;
}

/** A row as both benchmarks print it; `flops` per sample gives its GFLOP/s. */
function row(runtime: Row['runtime'], model: string, kind: string, batch: number, threads: number, rate: number, flops: number): Row {
  return {
    model, kind, batch, threads, runtime,
    samples_per_second: rate,
    min: rate * 0.9,
    max: rate * 1.1,
    gflops: (rate * flops) / 1e9,
    unit: model === 'char-lstm' ? 'characters' : 'samples',
  };
}

const CNN_FLOPS = 1_935_552;
const LSTM_FLOPS = 639_744;

const NATIVE = [
  row('native', 'tfjs-cnn', 'train', 64, 1, 20_000, CNN_FLOPS),
  row('native', 'tfjs-cnn', 'train', 64, 2, 36_000, CNN_FLOPS),
  row('native', 'char-lstm', 'train', 32, 1, 80_000, LSTM_FLOPS),
  row('native', 'char-lstm', 'train', 32, 2, 120_000, LSTM_FLOPS),
];
const PYTORCH = [
  row('pytorch', 'tfjs-cnn', 'train', 64, 1, 16_000, CNN_FLOPS),
  row('pytorch', 'tfjs-cnn', 'train', 64, 2, 24_000, CNN_FLOPS),
  row('pytorch', 'char-lstm', 'train', 32, 1, 10_000, LSTM_FLOPS),
  row('pytorch', 'char-lstm', 'train', 32, 2, 12_500, LSTM_FLOPS),
];

/** The printed line of one workload and thread count, split on runs of two or more spaces. */
function cells(text: string, workload: string, threads: number): string[] {
  const line = text.split('\n').find((l) => l.startsWith(`${workload} `) && l.split(/ {2,}/)[4] === String(threads));
  if (!line) throw new Error(`no line for ${workload} with ${threads} threads in:\n${text}`);
  return line.split(/ {2,}/);
}

describe('bench table', () => {
  it('pairs each case and thread count, with the ratio and each side’s scaling over 1 thread', () => {
    const combined = combineRows([...NATIVE, ...PYTORCH]);
    expect(combined.map((c: { workload: string; threads: number }) => `${c.workload}/${c.threads}`)).toEqual(['A/1', 'A/2', 'C/1', 'C/2']);
    const [a1, a2, , c2] = combined;
    expect(a1.ratio).toBeCloseTo(20_000 / 16_000, 12);
    expect(a1.scaling).toEqual({});
    expect(a2.ratio).toBeCloseTo(1.5, 12);
    expect(a2.scaling.profundo).toBeCloseTo(1.8, 12);
    expect(a2.scaling.pytorch).toBeCloseTo(1.5, 12);
    expect(c2.ratio).toBeCloseTo(9.6, 12);
    expect(c2.scaling.profundo).toBeCloseTo(1.5, 12);
    expect(c2.scaling.pytorch).toBeCloseTo(1.25, 12);
    expect(flopsMismatches(combined)).toEqual([]);
  });

  it('prints the ratio and scaling columns', () => {
    const text: string = formatCombined(combineRows([...NATIVE, ...PYTORCH]), { pytorch: 'ran', pytorchVersion: '1.13.1', seconds: 5, repeats: 3, load: { before: [1, 2, 3], after: [1.5, 2, 3] } });
    expect(text).toContain('Profundo vs PyTorch 1.13.1 (CPU)');
    expect(text).toContain('warm-up then 3 × ≥ 5 s');
    expect(text).toContain('Load average (1, 5, 15 min): 1.00, 2.00, 3.00 before, 1.50, 2.00, 3.00 after.');
    // workload, model, kind, batch, threads, Profundo/s, range, GFLOP/s, /1 thread, PyTorch/s, range, GFLOP/s, /1 thread, ratio
    expect(cells(text, 'A', 2)).toEqual(['A', 'tfjs-cnn', 'train', '64', '2', '36,000', '32,400 – 39,600', '69.7', '1.80×', '24,000', '21,600 – 26,400', '46.5', '1.50×', '1.50×']);
    expect(cells(text, 'C', 2).slice(-6)).toEqual(['1.50×', '12,500', '11,250 – 13,750', '8.0', '1.25×', '9.60×']);
    expect(cells(text, 'A', 1).at(-1)).toBe('1.25×');
    expect(text).not.toContain(PYTORCH_MISSING_MESSAGE);
    expect(text).not.toContain('warning');
  });

  it('warns when the machine was already loaded before the run', () => {
    const combined = combineRows([...NATIVE, ...PYTORCH]);
    const quiet = formatCombined(combined, { load: { before: [1.9, 1, 1], after: [2, 1, 1] }, cores: 2 });
    expect(quiet).not.toContain('warning');
    const loaded = formatCombined(combined, { load: { before: [5.2, 4, 3], after: [6, 4, 3] }, cores: 2 });
    expect(loaded).toContain('warning: the load was 5.2 on 2 cores before the run');
  });

  it('without PyTorch: dashes in its columns and one line saying how to get it', () => {
    const text: string = formatCombined(combineRows(NATIVE), { pytorch: 'missing' });
    expect(cells(text, 'A', 2).slice(5)).toEqual(['36,000', '32,400 – 39,600', '69.7', '1.80×', '—', '—']);
    expect(text.split('\n').filter((l) => l.includes('--pytorch'))).toEqual([PYTORCH_MISSING_MESSAGE]);
    expect(PYTORCH_MISSING_MESSAGE).toContain('npm run bench -- --pytorch');
    expect(formatCombined(combineRows(NATIVE), { pytorch: 'skipped' })).not.toContain(PYTORCH_MISSING_MESSAGE);
  });

  it('one table per BLAS setup of PyTorch, each naming the BLAS its rows loaded; the ceiling rows left out', () => {
    const withBlas = (setup: string, blas: string, factor: number) =>
      PYTORCH.map((r) => ({ ...r, samples_per_second: r.samples_per_second * factor, blas_setup: setup, blas }));
    const rows = [
      { probe: 'peak_f32x4', threads: 1, gflops: 50, runtime: 'native' },
      ...NATIVE,
      ...withBlas('as installed', 'reference BLAS (netlib, /usr/lib/x/blas/libblas.so.3)', 1),
      ...withBlas('OpenBLAS', 'OpenBLAS 0.3.21 (Haswell kernels, /usr/lib/x/openblas-pthread/libblas.so.3)', 2),
    ];
    expect(BLAS_SETUPS).toEqual(['as installed', 'OpenBLAS']);
    const installed = combineRows(rows, { blasSetup: 'as installed' });
    const openblas = combineRows(rows, { blasSetup: 'OpenBLAS' });
    expect(installed.length).toBe(4);
    expect(installed[0].ratio).toBeCloseTo(20_000 / 16_000, 12);
    expect(openblas[0].ratio).toBeCloseTo(20_000 / 32_000, 12);
    const text: string = formatCombined(openblas, { pytorchVersion: '1.13.1', blasSetup: 'OpenBLAS' });
    expect(text).toContain('vs PyTorch 1.13.1 (CPU, BLAS OpenBLAS, loaded: OpenBLAS 0.3.21 (Haswell kernels, /usr/lib/x/openblas-pthread/libblas.so.3))');
    expect(formatCombined(installed, { blasSetup: 'as installed' })).toContain('BLAS as installed, loaded: reference BLAS (netlib');
  });

  it('warns when the two sides count different FLOPs per sample', () => {
    const off = PYTORCH.map((r) => (r.model === 'char-lstm' ? { ...r, gflops: r.gflops * 1.5 } : r));
    const combined = combineRows([...NATIVE, ...off]);
    expect(flopsMismatches(combined).map((c: { model: string; threads: number }) => `${c.model}/${c.threads}`)).toEqual(['char-lstm/1', 'char-lstm/2']);
    expect(formatCombined(combined)).toMatch(/warning: char-lstm train: FLOPs per sample differ \(Profundo 639,744, PyTorch 959,616\)/);
  });
});

describe('formatWasm', () => {
  it('puts each WebAssembly rate over the native rate of the same case and thread count', () => {
    const text = formatWasm([
      ...NATIVE,
      row('wasm-simd', 'tfjs-cnn', 'train', 64, 1, 5_000, CNN_FLOPS),
      row('wasm-threads', 'tfjs-cnn', 'train', 64, 2, 9_000, CNN_FLOPS),
      row('wasm-threads', 'keras-cnn', 'train', 128, 2, 900, CNN_FLOPS),
    ]);
    const lines: string[] = text.split('\n');
    expect(lines.find((l) => l.includes('wasm-simd'))).toMatch(/5,000 .* 25 %$/);
    expect(lines.find((l) => l.includes('wasm-threads') && l.includes('tfjs-cnn'))).toMatch(/9,000 .* 25 %$/);
    // No native keras-cnn row: no ratio, and no native row is listed as WebAssembly.
    expect(lines.find((l) => l.includes('keras-cnn'))).toMatch(/—$/);
    expect(lines.filter((l) => l.includes(' train ')).length).toBe(3);
  });

  it('puts each WebAssembly GFLOP/s over the f32x4 ceiling of the same build and thread count', () => {
    const text = formatWasm([
      ...NATIVE,
      { probe: 'peak_f32x4', threads: 2, gflops: 40, runtime: 'native' },
      { probe: 'peak_f32x4', threads: 1, gflops: 20, runtime: 'wasm-simd' },
      { probe: 'peak_f32x4', threads: 2, gflops: 34.84, runtime: 'wasm-threads' },
      row('wasm-simd', 'tfjs-cnn', 'train', 64, 1, 5_000, CNN_FLOPS), // 9.68 GFLOP/s of 20: 48 %
      row('wasm-threads', 'tfjs-cnn', 'train', 64, 2, 9_000, CNN_FLOPS), // 17.42 of 34.84: 50 %
    ]);
    const lines: string[] = text.split('\n');
    expect(lines.find((l) => l.includes('wasm-simd') && l.includes('tfjs-cnn'))).toMatch(/9\.7 +48 % +25 %$/);
    expect(lines.find((l) => l.includes('wasm-threads') && l.includes('tfjs-cnn'))).toMatch(/17\.4 +50 % +25 %$/);
    expect(text).toContain('ceiling (wasm-threads, 2 threads): independent f32x4 multiply-adds, 34.8 GFLOP/s');
    expect(text).not.toContain('ceiling (native');
  });

  it('gives the native widest-vector ceiling and the share of it the wasm-threads ceiling is', () => {
    const text = formatWasm([
      ...NATIVE,
      { probe: 'peak_f32x4', threads: 1, gflops: 60, runtime: 'native' },
      { probe: 'peak_widest', threads: 1, gflops: 200, lanes: 16, fused: true, runtime: 'native' },
      { probe: 'peak_f32x4', threads: 1, gflops: 61, runtime: 'wasm-threads' },
    ]);
    expect(text).toContain('native ceiling (1 thread): independent 16-float fused multiply-adds, 200.0 GFLOP/s; the wasm-threads ceiling is 31 % of it');
  });
});
