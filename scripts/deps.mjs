// Ensures the Debian packages the build and tests need. When everything is present it only
// checks files and PATH (no apt call), so it is cheap to run before every start/test.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { buildDir, isMain } from './lib/paths.mjs';
import { commandExists, main, note, run, step, StepError } from './lib/run.mjs';

/** What we need, how we recognise it, and which Debian package provides it. */
export const REQUIRED = [
  { what: 'emcc', pkg: 'emscripten', present: () => commandExists('emcc') },
  { what: 'acorn for emcc', pkg: 'node-acorn', present: () => fs.existsSync('/usr/share/nodejs/acorn') },
  { what: 'cmake', pkg: 'cmake', present: () => commandExists('cmake') && commandExists('ctest') },
  { what: 'ninja', pkg: 'ninja-build', present: () => commandExists('ninja') },
  { what: 'Eigen headers', pkg: 'libeigen3-dev', present: () => fs.existsSync('/usr/include/eigen3/Eigen/Core') },
  { what: 'Catch2 headers', pkg: 'catch2', present: () => fs.existsSync('/usr/include/catch2/catch.hpp') },
  { what: 'nlohmann/json headers', pkg: 'nlohmann-json3-dev', present: () => fs.existsSync('/usr/include/nlohmann/json.hpp') },
  { what: 'zlib headers', pkg: 'zlib1g-dev', present: () => fs.existsSync('/usr/include/zlib.h') },
  { what: 'chromium', pkg: 'chromium', present: () => fs.existsSync('/usr/bin/chromium') },
  // ONNX interop tests: ONNX's own checker, and a model made by PyTorch (torch.onnx.export) to import.
  { what: 'onnx for /usr/bin/python3', pkg: 'python3-onnx', present: () => pythonImports('onnx') },
  { what: 'PyTorch for /usr/bin/python3', pkg: 'python3-torch', present: () => pythonImports('torch') },
  { what: 'nbformat for /usr/bin/python3 (the notebook export test)', pkg: 'python3-nbformat', present: () => pythonImports('nbformat') },
];

/** Only for `npm run fuzz`: clang with libFuzzer and its sanitizer runtimes. */
export const FUZZING = [
  { what: 'clang++', pkg: 'clang', present: () => commandExists('clang++') },
  {
    what: 'libFuzzer',
    pkg: 'libclang-rt-14-dev',
    present: () => fs.existsSync('/usr/lib/llvm-14/lib/clang/14.0.6/lib/linux/libclang_rt.fuzzer-x86_64.a') || fs.existsSync('/usr/lib/llvm-14/lib/clang/14/lib/linux/libclang_rt.fuzzer-x86_64.a'),
  },
];

/** Debian's python3, which python3-torch installs into (a pyenv `python3` may come first on PATH). */
export const SYSTEM_PYTHON = '/usr/bin/python3';

/** True when the system Python can import `module`. */
export function pythonImports(module) {
  return spawnSync(SYSTEM_PYTHON, ['-c', `import ${module}`], { stdio: 'ignore' }).status === 0;
}

/** True when the system Python can import PyTorch. */
export function pytorchInstalled() {
  return pythonImports('torch');
}

/** OpenBLAS's pthread build: PyTorch is also benchmarked with it (Debian's default BLAS is netlib's reference). */
export const OPENBLAS_DIR = '/usr/lib/x86_64-linux-gnu/openblas-pthread';

/** Only for `npm run bench -- --pytorch`: PyTorch on the CPU, to compare the native engine with. */
export const BENCHMARKING = [
  { what: 'PyTorch for /usr/bin/python3', pkg: 'python3-torch', present: pytorchInstalled },
  { what: 'OpenBLAS (pthread)', pkg: 'libopenblas0-pthread', present: () => fs.existsSync(path.join(OPENBLAS_DIR, 'libblas.so.3')) },
];

/** Only for `npm run screenshots`: 256-colour PNGs, about 60 % smaller than Chromium's. */
export const SCREENSHOTS = [{ what: 'pngquant', pkg: 'pngquant', present: () => commandExists('pngquant') }];

/** Nice to have: the lab offers the dataset when present, nothing fails without it. */
export const OPTIONAL = [
  { what: 'Fashion-MNIST', pkg: 'dataset-fashion-mnist', present: () => fs.existsSync('/usr/share/datasets/fashion-mnist') },
];

// We try the optional packages once per build tree, so a machine whose apt lacks them
// does not pay for an apt call on every run.
const optionalStamp = path.join(buildDir, '.profundo', 'optional-deps-tried');

function isRoot() {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

function canSudo() {
  return commandExists('sudo') && spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' }).status === 0;
}

async function aptInstall(packages, { asRoot }) {
  const prefix = asRoot ? [] : ['sudo', '-n'];
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const apt = (args) => (prefix.length ? run(prefix[0], [...prefix.slice(1), 'apt-get', ...args], { env }) : run('apt-get', args, { env }));
  if ((await apt(['update'])) !== 0) return false;
  return (await apt(['install', '-y', '--no-install-recommends', ...packages])) === 0;
}

/** `also`: more required packages for one command (e.g. FUZZING). */
export async function ensureSystemDeps({ quiet = false, also = [] } = {}) {
  const required = [...REQUIRED, ...also];
  const missing = required.filter((d) => !d.present());
  const optionalMissing = OPTIONAL.filter((d) => !d.present());
  const tryOptional = optionalMissing.length > 0 && (missing.length > 0 || !fs.existsSync(optionalStamp));
  if (missing.length === 0 && !tryOptional) {
    if (!quiet) note('system packages: all present');
    return;
  }

  const asRoot = isRoot();
  const installable = asRoot || canSudo();
  if (missing.length > 0) {
    const pkgs = [...new Set(missing.map((d) => d.pkg))];
    step(`installing system packages: ${pkgs.join(' ')}`);
    if (!installable || !(await aptInstall(pkgs, { asRoot }))) {
      throw new StepError(
        `missing system packages (${missing.map((d) => d.what).join(', ')}).\n` +
          `Install them as root, then run again:\n  apt-get update && apt-get install -y ${pkgs.join(' ')}`,
      );
    }
    const still = required.filter((d) => !d.present());
    if (still.length) throw new StepError(`still missing after install: ${still.map((d) => `${d.what} (${d.pkg})`).join(', ')}`);
  }

  if (tryOptional) {
    const pkgs = optionalMissing.map((d) => d.pkg);
    if (installable) {
      step(`installing optional packages: ${pkgs.join(' ')}`);
      const ok = await aptInstall(pkgs, { asRoot });
      if (!ok) note(`optional packages not installed (${pkgs.join(' ')}); the lab works without them`);
    } else {
      note(`optional: apt-get install -y ${pkgs.join(' ')} (adds Fashion-MNIST to the lab)`);
    }
    fs.mkdirSync(path.dirname(optionalStamp), { recursive: true });
    fs.writeFileSync(optionalStamp, `${new Date().toISOString()}\n`);
  }
}

if (isMain(import.meta.url)) main(() => ensureSystemDeps());
