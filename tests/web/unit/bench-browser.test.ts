// scripts/bench-browser.mjs: how the browser benchmark compares runtimes at the same thread count
// (issue #16: A-inf against TF.js wasm and ONNX Runtime Web on T threads and on 1).
import { describe, expect, it } from 'vitest';
import { compare, formatTable } from '../../../scripts/bench-browser.mjs';

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
