// `npm run build`: wasm builds + data + `vite build` into dist/ (static, relative paths).
// public/wasm and public/data are copied into dist/ by Vite.
import { buildPresets } from './build.mjs';
import { prepareData } from './data.mjs';
import { ensureSystemDeps } from './deps.mjs';
import { ensureNodeModules } from './lib/node-modules.mjs';
import { isMain } from './lib/paths.mjs';
import { main, npmBin, runOrThrow, step } from './lib/run.mjs';

export async function viteBuild() {
  step('vite build → dist/');
  await runOrThrow(npmBin('vite'), ['build', '--logLevel', 'warn']);
}

if (isMain(import.meta.url)) {
  main(async () => {
    await ensureSystemDeps({ quiet: true });
    await ensureNodeModules();
    await buildPresets(['wasm-threads', 'wasm-simd']);
    await prepareData();
    await viteBuild();
  });
}
