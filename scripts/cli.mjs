// `npm run cli -- ARGS`: (re)builds the native CLI when needed, prepares data, runs it.
import path from 'node:path';
import { spawn } from 'node:child_process';
import { configureAndBuild } from './build.mjs';
import { prepareData } from './data.mjs';
import { ensureSystemDeps } from './deps.mjs';
import { buildDir, publicDir, repoRoot } from './lib/paths.mjs';
import { main, toolEnv } from './lib/run.mjs';

export const CLI_BINARY = path.join(buildDir, 'native', 'engine', 'profundo-cli');

main(async () => {
  await ensureSystemDeps({ quiet: true });
  await configureAndBuild('native', { target: 'profundo-cli' }); // a no-op for ninja when up to date
  const dataDir = path.join(publicDir, 'data');
  await prepareData({ dataOut: dataDir, log: () => {} });
  const child = spawn(CLI_BINARY, process.argv.slice(2), {
    cwd: repoRoot,
    stdio: 'inherit',
    env: toolEnv({ PROFUNDO_DATA_DIR: dataDir }),
  });
  // Let the child handle Ctrl-C itself; we only report its exit.
  process.on('SIGINT', () => {});
  return new Promise((resolve) => {
    child.on('error', (err) => {
      console.error(`[profundo] cannot run ${CLI_BINARY}: ${err.message}`);
      resolve(127);
    });
    child.on('close', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
});
