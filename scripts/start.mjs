// `npm start`: everything a fresh clone needs, then the Vite dev server with COOP/COEP headers
// (so the page is crossOriginIsolated and runs the threads build). Re-runs are cheap: each step
// skips work that is already done.
// Options: --port N (default 5173), --host H (default localhost; 0.0.0.0 to expose it).
import { buildPresets } from './build.mjs';
import { prepareData } from './data.mjs';
import { ensureSystemDeps } from './deps.mjs';
import { ensureNodeModules } from './lib/node-modules.mjs';
import { repoRoot } from './lib/paths.mjs';
import { main, step } from './lib/run.mjs';

function parseArgs(argv) {
  const opts = { port: 5173, host: 'localhost' };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--port') opts.port = Number(argv[++i]);
    else if (argv[i] === '--host') opts.host = argv[++i];
  }
  return opts;
}

main(async () => {
  const opts = parseArgs(process.argv.slice(2));
  step('system packages');
  await ensureSystemDeps();
  await ensureNodeModules();
  await buildPresets();
  step('data');
  await prepareData();

  step('dev server');
  // Imported only now: on a fresh clone vite exists only after ensureNodeModules().
  const { createServer } = await import('vite');
  const server = await createServer({ configFile: `${repoRoot}/vite.config.ts`, server: { port: opts.port, host: opts.host } });
  await server.listen();
  server.printUrls();
  const url = server.resolvedUrls?.local?.[0] ?? `http://${opts.host}:${opts.port}/`;
  console.log(`\n[profundo] the lab is running at ${url}  (Ctrl-C to stop)`);
  await new Promise(() => {}); // serve until interrupted
});
