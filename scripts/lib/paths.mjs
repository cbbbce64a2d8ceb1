// Paths every script agrees on. All relative paths in the project resolve from the repo root.
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const buildDir = path.join(repoRoot, 'build');
export const publicDir = path.join(repoRoot, 'public');
export const distDir = path.join(repoRoot, 'dist');
export const nodeModulesDir = path.join(repoRoot, 'node_modules');
/** The browser tests' JSON report (playwright.config.mjs), which `npm test` counts the tests from. */
export const browserTestReport = path.join(buildDir, 'playwright', 'report.json');

/** True when the module whose import.meta.url is given was started as `node that-file.mjs`. */
export function isMain(moduleUrl) {
  return process.argv[1] !== undefined && moduleUrl === pathToFileURL(path.resolve(process.argv[1])).href;
}
