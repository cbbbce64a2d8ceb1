// The table of `npm run bench`: profundo-bench's rows next to PyTorch's (tests/bench/pytorch_bench.py)
// per workload and thread count, with Profundo/PyTorch and each side's 2-thread/1-thread scaling.
// Both sides print the same JSON line per case: {model, kind, batch, threads, samples_per_second,
// min, max, gflops, runtime: "native" | "pytorch", unit: "samples" | "characters"}; PyTorch's rows
// also say which BLAS they loaded ("blas") and with which setup they ran ("blas_setup", one of
// BLAS_SETUPS). profundo-bench also prints, per thread count, the machine's f32x4 ceiling:
// {probe: "peak_f32x4", threads, gflops, runtime}, and natively {probe: "peak_widest", lanes, fused, ...}.

/** PyTorch runs once per BLAS setup (scripts/bench.mjs); each gets its own table. */
export const BLAS_SETUPS = ['as installed', 'OpenBLAS'];

/** Issue #7's names for the cases. */
const WORKLOAD_IDS = { 'tfjs-cnn/train': 'A', 'keras-cnn/train': 'B', 'tfjs-cnn/infer': 'A-inf', 'char-lstm/train': 'C' };

export const PYTORCH_MISSING_MESSAGE =
  "PyTorch not found (/usr/bin/python3 -c 'import torch' failed): `npm run bench -- --pytorch` installs Debian's python3-torch and adds it to this table.";

// Other processes on every core: threads wait for each other's time slices. libgomp's spinning
// barriers (PyTorch) suffer most (measured here under load: tfjs-cnn training 20-40× slower on 2
// threads than on 1, about as fast with OMP_WAIT_POLICY=PASSIVE), so the 2-thread ratios say little.
const LOADED_WARNING = (load, cores) =>
  `warning: the load was ${load.toFixed(1)} on ${cores} cores before the run: other processes share them, so multi-thread rates (PyTorch's spinning OpenMP threads most; OMP_WAIT_POLICY=PASSIVE npm run bench ... eases that) are low and the ratios unreliable; repeat on a quiet machine.`;

const caseKey = (row) => `${row.model}/${row.kind}/${row.batch}`;

/** FLOPs per sample behind a row's GFLOP/s (the same layer-shape count on both sides). */
export const flopsPerSample = (row) => (row.gflops * 1e9) / row.samples_per_second;

/**
 * One entry per case and thread count, in the order the native bench ran them (then any case only
 * PyTorch ran). `scaling` is samples/s at this thread count over samples/s at 1 thread, per side.
 */
export function combineRows(rows, { blasSetup } = {}) {
  const sides = {
    profundo: rows.filter((r) => r.runtime === 'native' && !r.probe),
    pytorch: rows.filter((r) => r.runtime === 'pytorch' && (blasSetup === undefined || r.blas_setup === blasSetup)),
  };
  const find = (side, key, threads) => sides[side].find((r) => caseKey(r) === key && r.threads === threads);
  const order = [];
  for (const r of [...sides.profundo, ...sides.pytorch]) {
    if (!order.some((o) => caseKey(o) === caseKey(r) && o.threads === r.threads)) order.push(r);
  }
  return order.map((r) => {
    const key = caseKey(r);
    const entry = {
      workload: WORKLOAD_IDS[`${r.model}/${r.kind}`] ?? '',
      model: r.model,
      kind: r.kind,
      batch: r.batch,
      threads: r.threads,
      unit: r.unit,
      profundo: find('profundo', key, r.threads),
      pytorch: find('pytorch', key, r.threads),
      scaling: {},
    };
    for (const side of ['profundo', 'pytorch']) {
      const single = find(side, key, 1);
      if (entry[side] && single && r.threads !== 1) entry.scaling[side] = entry[side].samples_per_second / single.samples_per_second;
    }
    if (entry.profundo && entry.pytorch) entry.ratio = entry.profundo.samples_per_second / entry.pytorch.samples_per_second;
    return entry;
  });
}

/**
 * The WebAssembly rows (runtime wasm-simd or wasm-threads, from Node) with each rate over the native
 * rate of the same case and thread count (how much of the native speed the browser build keeps),
 * and each GFLOP/s over the f32x4 ceiling that build measured on as many threads.
 */
export function formatWasm(rows) {
  const native = rows.filter((r) => r.runtime === 'native' && !r.probe);
  const peaks = rows.filter((r) => r.probe === 'peak_f32x4' && r.runtime.startsWith('wasm'));
  const header = ['', 'model', 'kind', 'batch', 'threads', 'build', 'samples/s*', 'min – max', 'GFLOP/s', 'of peak', '/native'];
  const table = [header];
  for (const r of rows.filter((row) => row.runtime.startsWith('wasm') && !row.probe)) {
    const same = native.find((n) => caseKey(n) === caseKey(r) && n.threads === r.threads);
    const peak = peaks.find((p) => p.runtime === r.runtime && p.threads === r.threads);
    table.push([
      WORKLOAD_IDS[`${r.model}/${r.kind}`] ?? '',
      r.model,
      r.kind,
      String(r.batch),
      String(r.threads),
      r.runtime,
      fmt(r.samples_per_second),
      `${fmt(r.min)} – ${fmt(r.max)}`,
      fmt(r.gflops, 1),
      peak ? `${((100 * r.gflops) / peak.gflops).toFixed(0)} %` : '—',
      same ? `${((100 * r.samples_per_second) / same.samples_per_second).toFixed(0)} %` : '—',
    ]);
  }
  const lines = ['The same engine as WebAssembly under Node (what the page runs), against the native rows above:'];
  for (const p of peaks) lines.push(`  ceiling (${p.runtime}, ${p.threads} thread${p.threads === 1 ? '' : 's'}): independent f32x4 multiply-adds, ${fmt(p.gflops, 1)} GFLOP/s`);
  // The native engine's GEMMs use the widest vectors: wasm can keep at most this share of a GEMM-bound native rate.
  for (const p of rows.filter((r) => r.probe === 'peak_widest' && r.runtime === 'native')) {
    const wasm = peaks.find((w) => w.runtime === 'wasm-threads' && w.threads === p.threads);
    const bound = wasm ? `; the wasm-threads ceiling is ${((100 * wasm.gflops) / p.gflops).toFixed(0)} % of it` : '';
    lines.push(`  native ceiling (${p.threads} thread${p.threads === 1 ? '' : 's'}): independent ${p.lanes}-float ${p.fused ? 'fused ' : ''}multiply-adds, ${fmt(p.gflops, 1)} GFLOP/s${bound}`);
  }
  lines.push('');
  lines.push(...alignColumns(table, new Set([0, 1, 2, 5])));
  return lines.join('\n');
}

/** Cases whose two sides count FLOPs differently (more than 1 % apart): their GFLOP/s do not compare. */
export function flopsMismatches(combined) {
  return combined.filter((c) => {
    if (!c.profundo || !c.pytorch) return false;
    const [a, b] = [flopsPerSample(c.profundo), flopsPerSample(c.pytorch)];
    return Math.abs(a - b) > 0.01 * Math.max(a, b);
  });
}

/** Rows of cells as lines: `textColumns` left-aligned, numbers right-aligned, two spaces apart. */
function alignColumns(table, textColumns) {
  const widths = table[0].map((_, i) => Math.max(...table.map((row) => row[i].length)));
  return table.map((row) => row.map((cell, i) => (textColumns.has(i) ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ').trimEnd());
}

const fmt = (n, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const times = (x) => (x === undefined ? '—' : `${x.toFixed(2)}×`);

function sideCells(row, scaling) {
  if (!row) return ['—', '', '', ''];
  return [fmt(row.samples_per_second), `${fmt(row.min)} – ${fmt(row.max)}`, fmt(row.gflops, 1), scaling === undefined ? '' : times(scaling)];
}

/**
 * The printed table. `pytorch`: 'ran', 'missing' (not installed: the line saying how to get it)
 * or 'skipped' (--no-pytorch). `load`: os.loadavg() before and after, shown because the machine
 * may be shared; a warning when the load before was already `cores` or more.
 */
export function formatCombined(combined, { pytorch = 'ran', pytorchVersion, blasSetup, seconds, repeats, load, cores } = {}) {
  const lines = [];
  const blas = combined.find((c) => c.pytorch?.blas)?.pytorch.blas;
  const withBlas = blasSetup || blas ? `, BLAS ${[blasSetup, blas && `loaded: ${blas}`].filter(Boolean).join(', ')}` : '';
  const against = pytorch === 'ran' ? ` vs PyTorch${pytorchVersion ? ` ${pytorchVersion}` : ''} (CPU${withBlas})` : '';
  const timing = seconds !== undefined && repeats !== undefined ? `, warm-up then ${repeats} × ≥ ${seconds} s` : '';
  lines.push(`Native benchmark: Profundo${against}, synthetic MNIST-shaped data${timing}; median (min – max).`);
  if (load) {
    lines.push(`Load average (1, 5, 15 min): ${load.before.map((l) => l.toFixed(2)).join(', ')} before, ${load.after.map((l) => l.toFixed(2)).join(', ')} after.`);
    if (cores !== undefined && load.before[0] >= cores) lines.push(LOADED_WARNING(load.before[0], cores));
  }
  lines.push('');
  const header = ['', 'model', 'kind', 'batch', 'threads', 'Profundo/s*', 'min – max', 'GFLOP/s', '/1 thread', 'PyTorch/s*', 'min – max', 'GFLOP/s', '/1 thread', 'Profundo/PyTorch'];
  const table = [header];
  for (const c of combined) {
    table.push([
      c.workload,
      c.model,
      c.kind,
      String(c.batch),
      String(c.threads),
      ...sideCells(c.profundo, c.scaling.profundo),
      ...sideCells(c.pytorch, c.scaling.pytorch),
      times(c.ratio),
    ]);
  }
  lines.push(...alignColumns(table, new Set([0, 1, 2])));
  lines.push('* characters per second for char-lstm (T 64 × N 32 characters per step); /1 thread: samples/s over the 1-thread samples/s');
  for (const c of flopsMismatches(combined)) {
    lines.push(`warning: ${c.model} ${c.kind}: FLOPs per sample differ (Profundo ${fmt(flopsPerSample(c.profundo))}, PyTorch ${fmt(flopsPerSample(c.pytorch))}); compare samples/s, not GFLOP/s`);
  }
  if (pytorch === 'missing') lines.push(PYTORCH_MISSING_MESSAGE);
  if (pytorch === 'skipped') lines.push('PyTorch skipped (--no-pytorch).');
  return lines.join('\n');
}
