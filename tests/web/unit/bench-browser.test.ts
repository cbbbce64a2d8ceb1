// scripts/bench-browser.mjs: how the browser benchmark compares runtimes at the same thread count
// (issue #16: A-inf against TF.js wasm and ONNX Runtime Web on T threads and on 1).
import { describe, expect, it } from 'vitest';
import { compare, formatSeeds, formatTable, parsePercent, summarizeSeeds } from '../../../scripts/bench-browser.mjs';

const row = (side: string, backend: string, threads: number, samplesPerSecond: number | undefined, extra = {}) => ({
  workload: 'A-inf', model: 'tfjs-cnn', kind: 'infer', batch: 256, side, backend, threads, samplesPerSecond,
  min: samplesPerSecond, max: samplesPerSecond, gflops: samplesPerSecond && (samplesPerSecond * 645_120) / 1e9,
  runtime: side, label: `${side} ${backend} ${threads}`, ...(samplesPerSecond === undefined ? { error: 'failed' } : {}), ...extra,
});

const ROWS = [
  row('profundo', 'wasm-threads', 2, 60_000, { ofPeak: 0.25 }),
  row('profundo', 'wasm-simd', 1, 30_000),
  row('tfjs', 'wasm', 2, 30_000),
  row('tfjs', 'wasm', 1, 25_000),
  row('tfjs', 'cpu', 1, 500),
  row('tfjs', 'webgl', 1, undefined),
  row('ort', 'wasm', 2, 50_000),
  row('ort', 'wasm', 1, 32_000),
];

describe('compare', () => {
  it('puts Profundo over TF.js wasm and ONNX Runtime Web at each thread count, with the targets', () => {
    const [inference] = compare(ROWS);
    expect(inference.ratio).toBeCloseTo(2, 12); // over TF.js' fastest backend (wasm, 2 threads)
    expect(inference.perThreads).toEqual([
      { threads: 2, profundo: 60_000, ratioToWasm: 2, ratioToOnnx: 1.2 },
      { threads: 1, profundo: 30_000, ratioToWasm: 1.2, ratioToOnnx: 0.9375 },
    ]);
    expect(inference.checks).toEqual([
      { what: '≥ 2× TF.js fastest', met: true },
      { what: '≥ 1.5× TF.js wasm on 2 threads', met: true },
      { what: 'ahead of ONNX Runtime Web on 2 threads', met: true },
      { what: '≥ 1.5× TF.js wasm on 1 thread', met: false },
      { what: 'ahead of ONNX Runtime Web on 1 thread', met: false },
    ]);
  });

  it('prints the fraction of the ceiling and the per-thread ratios', () => {
    const text: string = formatTable({
      page: { hardwareConcurrency: 2, crossOriginIsolated: true }, seconds: 1, repeats: 1, rows: ROWS,
      peaks: [{ threads: 1, gflops: 80 }, { threads: 2, gflops: 155 }], comparisons: compare(ROWS), wasm: [],
    });
    expect(text).toContain('Ceiling: independent f32x4 multiply-adds in wasm on 2 threads: 155.0 GFLOP/s');
    expect(text).toMatch(/profundo wasm-threads 2 +60,000 +60,000 – 60,000 +38\.71 +25 %/);
    expect(text).toContain('on 1 thread: 30,000 = 1.20× TF.js wasm, 0.94× ONNX Runtime Web');
    expect(text).toContain('ahead of ONNX Runtime Web on 1 thread: NOT met');
  });
});

describe('time to accuracy over seeds', () => {
  const run = (seed: number, testAccuracy: number, seconds: number) => ({ preset: 'fast99', seed, epochs: 5, testAccuracy, devAccuracy: 0.99, seconds, variant: 'wasm-threads', threads: 2 });

  it('meets fast99\'s target only with 5 seeds, each ≥ 99.0 %, and a median ≤ 30 s', () => {
    const five = [run(1, 0.991, 28), run(2, 0.9905, 35), run(3, 0.992, 29), run(4, 0.993, 27), run(5, 0.9901, 40)];
    const summary = summarizeSeeds(five);
    expect(summary.medianSeconds).toBe(29);
    expect(summary.lowestTestAccuracy).toBe(0.9901);
    expect(summary.target.met).toBe(true);
    expect(summarizeSeeds(five.slice(0, 4)).target.met).toBe(false); // too few seeds
    expect(summarizeSeeds([...five.slice(0, 4), run(5, 0.9899, 20)]).target.met).toBe(false); // one seed under 99 %
    expect(summarizeSeeds(five.map((r) => ({ ...r, seconds: r.seconds + 2 }))).target.met).toBe(false); // median 31 s
    const text: string = formatSeeds(summary);
    expect(text).toContain('seed 2: fast99, 5 epochs: test accuracy 99.05 % after 35.0 s');
    expect(text).toContain('median 29.0 s, lowest test accuracy 99.01 %');
    expect(text).toContain('every seed ≥ 99.0 %, median of 5 seeds ≤ 30 s: met');
  });

  it('reads the page\'s percentages in either locale', () => {
    expect(parsePercent('99,12 %')).toBeCloseTo(0.9912, 12);
    expect(parsePercent('98.5 %')).toBeCloseTo(0.985, 12);
    expect(parsePercent('—')).toBeUndefined();
  });
});
