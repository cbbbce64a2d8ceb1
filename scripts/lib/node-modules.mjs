// Installs npm dependencies when node_modules is missing or older than package.json / the lock.
import fs from 'node:fs';
import path from 'node:path';
import { nodeModulesDir, repoRoot } from './paths.mjs';
import { note, runOrThrow, step, toolEnv } from './run.mjs';

// Our own stamp, touched after a successful install: npm may rewrite the lock during install,
// so comparing against npm's files could make us reinstall on every run.
const stamp = path.join(nodeModulesDir, '.profundo-installed');

function mtime(file) {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
}

// onnxruntime-node bundles its CPU binaries; its install script would only fetch GPU extras from a
// host this project never reaches (and fail there). `npm ci` by hand needs the same variable.
const npmEnv = () => toolEnv({ ONNXRUNTIME_NODE_INSTALL: 'skip' });

export async function ensureNodeModules() {
  const lock = path.join(repoRoot, 'package-lock.json');
  const manifest = path.join(repoRoot, 'package.json');
  const hasLock = fs.existsSync(lock);
  if (!fs.existsSync(nodeModulesDir)) {
    step(hasLock ? 'npm ci' : 'npm install');
    await runOrThrow('npm', [hasLock ? 'ci' : 'install', '--no-audit', '--no-fund'], { env: npmEnv() });
  } else {
    const installedAt = mtime(stamp) ?? 0;
    const changedAt = Math.max(mtime(manifest) ?? 0, mtime(lock) ?? 0);
    if (changedAt <= installedAt) {
      note('npm dependencies: up to date');
      return;
    }
    step('npm install (package.json or lock changed)');
    await runOrThrow('npm', ['install', '--no-audit', '--no-fund'], { env: npmEnv() });
  }
  fs.writeFileSync(stamp, `${new Date().toISOString()}\n`);
}
