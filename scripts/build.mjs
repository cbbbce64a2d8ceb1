// Configures and builds CMake presets, then publishes the wasm outputs to public/wasm/.
// Usage: node scripts/build.mjs [native] [wasm-threads] [wasm-simd]   (default: all three)
import fs from 'node:fs';
import path from 'node:path';
import { buildDir, isMain, publicDir, repoRoot } from './lib/paths.mjs';
import { main, note, runOrThrow, step, StepError } from './lib/run.mjs';

export const ALL_PRESETS = ['native', 'wasm-threads', 'wasm-simd'];

/** Files each wasm preset produces and the page loads. The pthread worker exists only for threads. */
export const WASM_OUTPUTS = {
  'wasm-threads': ['profundo-threads.js', 'profundo-threads.wasm', 'profundo-threads.worker.js'],
  'wasm-simd': ['profundo-simd.js', 'profundo-simd.wasm'],
};

export const wasmPublicDir = path.join(publicDir, 'wasm');

function mtimeMs(file) {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
}

/** Configure when never configured, when the last configure failed (a cache but no
 *  build.ninja), or when the presets changed since (ninja's own re-run misses those). */
function needsConfigure(preset) {
  const cache = mtimeMs(path.join(buildDir, preset, 'CMakeCache.txt'));
  const ninjaFile = mtimeMs(path.join(buildDir, preset, 'build.ninja'));
  const configured = mtimeMs(configuredStamp(preset)); // CMake leaves an unchanged cache untouched
  const presets = mtimeMs(path.join(repoRoot, 'CMakePresets.json')) ?? 0;
  return cache === undefined || ninjaFile === undefined || presets > (configured ?? 0);
}

function configuredStamp(preset) {
  return path.join(buildDir, preset, '.profundo-configured');
}

export async function configureAndBuild(preset, { target } = {}) {
  if (!fs.existsSync(path.join(repoRoot, 'CMakePresets.json'))) {
    throw new StepError('CMakePresets.json is missing: the engine build is not set up in this checkout');
  }
  if (needsConfigure(preset)) {
    step(`cmake --preset ${preset}`);
    await runOrThrow('cmake', ['--preset', preset]);
    fs.writeFileSync(configuredStamp(preset), `${new Date().toISOString()}\n`);
  }
  step(`cmake --build --preset ${preset}${target ? ` --target ${target}` : ''}`);
  await runOrThrow('cmake', ['--build', '--preset', preset, ...(target ? ['--target', target] : [])]);
}

function sameFile(a, b) {
  try {
    const sa = fs.statSync(a);
    const sb = fs.statSync(b);
    return sa.size === sb.size && sa.mtimeMs === sb.mtimeMs;
  } catch {
    return false;
  }
}

/** Copies what a wasm preset produced into public/wasm/ (unchanged files are left alone,
 *  so a running dev server does not reload for nothing). */
export function publishWasm(preset) {
  const outDir = path.join(buildDir, preset, 'bindings');
  const produced = WASM_OUTPUTS[preset].filter((f) => fs.existsSync(path.join(outDir, f)));
  const [glue, wasm] = WASM_OUTPUTS[preset];
  if (!produced.includes(glue) || !produced.includes(wasm)) {
    throw new StepError(`preset ${preset} built, but ${outDir} lacks ${glue} and/or ${wasm}`);
  }
  fs.mkdirSync(wasmPublicDir, { recursive: true });
  for (const file of produced) {
    const src = path.join(outDir, file);
    const dest = path.join(wasmPublicDir, file);
    if (sameFile(src, dest)) continue;
    fs.copyFileSync(src, dest);
    const { atime, mtime } = fs.statSync(src);
    fs.utimesSync(dest, atime, mtime);
  }
  note(`${preset}: published ${produced.join(', ')} to public/wasm/`);
}

export async function buildPresets(presets = ALL_PRESETS) {
  for (const preset of presets) {
    if (!ALL_PRESETS.includes(preset)) throw new StepError(`unknown preset "${preset}" (known: ${ALL_PRESETS.join(', ')})`);
    await configureAndBuild(preset);
    if (WASM_OUTPUTS[preset]) publishWasm(preset);
  }
}

if (isMain(import.meta.url)) {
  main(async () => {
    const { ensureSystemDeps } = await import('./deps.mjs');
    await ensureSystemDeps({ quiet: true });
    const presets = process.argv.slice(2);
    await buildPresets(presets.length ? presets : ALL_PRESETS);
  });
}
