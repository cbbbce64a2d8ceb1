// `npm run fuzz -- [--minutes N] [--target NAME]...`: builds the `fuzz` preset (clang, libFuzzer,
// ASan + UBSan) and runs each fuzz target of tests/fuzz for N minutes (default 10), one after the
// other, starting from the committed corpus tests/fuzz/corpus/<target>/. It prints executions and
// findings per target. A finding (crash, sanitizer report, timeout, huge allocation) is saved in
// build/fuzz/findings/<target>/; once fixed, copy it into tests/fuzz/corpus/<target>/ so that
// `npm test` replays it forever (the fuzz_regression_* ctest tests).
import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { configureAndBuild } from './build.mjs';
import { ensureSystemDeps, FUZZING } from './deps.mjs';
import { buildDir, isMain, repoRoot } from './lib/paths.mjs';
import { main, note, step, StepError, toolEnv } from './lib/run.mjs';

export const FUZZ_TARGETS = ['idx', 'checkpoint', 'model_json', 'text_corpus', 'text_checkpoint', 'onnx'];

function parseArgs(argv) {
  const options = { minutes: 10, targets: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new StepError(`${arg} needs a value`);
      return argv[++i];
    };
    if (arg === '--minutes') {
      options.minutes = Number(value());
      if (!(options.minutes > 0)) throw new StepError(`--minutes must be a positive number, got "${argv[i]}"`);
    } else if (arg === '--target') {
      const name = value();
      if (!FUZZ_TARGETS.includes(name)) throw new StepError(`unknown fuzz target "${name}"; targets: ${FUZZ_TARGETS.join(', ')}`);
      options.targets.push(name);
    } else {
      throw new StepError(`unknown option ${arg}; usage: npm run fuzz -- [--minutes N] [--target ${FUZZ_TARGETS.join('|')}]...`);
    }
  }
  if (options.targets.length === 0) options.targets = [...FUZZ_TARGETS];
  return options;
}

/** Runs one libFuzzer executable; resolves to { executions, findings, exitCode }. */
function runFuzzer(name, seconds) {
  const binary = path.join(buildDir, 'fuzz', 'tests', 'fuzz', `fuzz_${name}`);
  const workCorpus = path.join(buildDir, 'fuzz', 'corpus', name); // grows; never committed
  const findings = path.join(buildDir, 'fuzz', 'findings', name);
  fs.mkdirSync(workCorpus, { recursive: true });
  fs.mkdirSync(findings, { recursive: true });
  const before = new Set(fs.readdirSync(findings));
  const args = [
    `-max_total_time=${Math.round(seconds)}`,
    '-timeout=10', // a single input taking longer is a hang
    '-rss_limit_mb=2048',
    '-malloc_limit_mb=512', // one allocation above this is a finding: sizes must be checked first
    '-print_final_stats=1',
    `-artifact_prefix=${findings}/`,
    workCorpus,
    path.join(repoRoot, 'tests', 'fuzz', 'corpus', name),
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { env: toolEnv({ ASAN_OPTIONS: 'detect_leaks=1' }), stdio: ['ignore', 'inherit', 'pipe'] });
    let executions = 0;
    let tail = '';
    child.stderr.on('data', (chunk) => {
      const text = chunk.toString();
      tail = (tail + text).slice(-20_000);
      const match = /stat::number_of_executed_units:\s*(\d+)/.exec(text);
      if (match) executions = Number(match[1]);
      // Progress lines ("#123456 pulse ...") would flood the log; keep findings and the end.
      for (const line of text.split('\n')) if (/ERROR|WARNING|SUMMARY|DEATH|crash-|leak-|timeout-|oom-/.test(line)) console.error(line);
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const found = fs.readdirSync(findings).filter((f) => !before.has(f));
      if (executions === 0) {
        const last = /#(\d+)\s+(?:DONE|pulse|NEW|REDUCE)/g;
        let m;
        while ((m = last.exec(tail))) executions = Number(m[1]);
      }
      resolve({ executions, findings: found.map((f) => path.join(findings, f)), exitCode: code });
    });
  });
}

async function fuzzAll() {
  const { minutes, targets } = parseArgs(process.argv.slice(2));
  await ensureSystemDeps({ quiet: true, also: FUZZING });
  await configureAndBuild('fuzz');
  const results = [];
  for (const name of targets) {
    step(`fuzz ${name} for ${minutes} min`);
    const t0 = Date.now();
    const result = await runFuzzer(name, minutes * 60);
    results.push({ name, seconds: (Date.now() - t0) / 1000, ...result });
  }
  step('summary');
  for (const r of results) {
    const rate = r.executions / Math.max(r.seconds, 1);
    note(`${r.name.padEnd(11)} ${String(r.executions).padStart(12)} executions in ${(r.seconds / 60).toFixed(1)} min (${rate.toFixed(0)}/s), ${r.findings.length} finding(s)${r.findings.length ? `: ${r.findings.join(', ')}` : ''}`);
  }
  return results.some((r) => r.findings.length > 0 || r.exitCode !== 0) ? 1 : 0;
}

if (isMain(import.meta.url)) main(fuzzAll);
