// Small process helpers: run a command with inherited stdio, and print step headers.
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { nodeModulesDir, repoRoot } from './paths.mjs';

/** Emscripten 3.1.6 from Debian needs acorn from Debian's node modules. */
export function toolEnv(extra = {}) {
  const nodePath = ['/usr/share/nodejs', process.env.NODE_PATH].filter(Boolean).join(':');
  return { ...process.env, NODE_PATH: nodePath, ...extra };
}

/** Runs a command with inherited stdio; resolves to its exit code (never rejects on failure). */
export function run(cmd, args, { cwd = repoRoot, env = toolEnv() } = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd, env, stdio: 'inherit' });
    child.on('error', (err) => {
      console.error(`[profundo] cannot start ${cmd}: ${err.message}`);
      resolve(127);
    });
    child.on('close', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}

/**
 * Like run(), but also keeps what the command prints (stdout and stderr, each still shown as it
 * comes): resolves to { code, output }.
 */
export function runCapturing(cmd, args, { cwd = repoRoot, env = toolEnv() } = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ['inherit', 'pipe', 'pipe'] });
    const chunks = [];
    child.stdout.on('data', (chunk) => {
      chunks.push(chunk);
      process.stdout.write(chunk);
    });
    child.stderr.on('data', (chunk) => {
      chunks.push(chunk);
      process.stderr.write(chunk);
    });
    child.on('error', (err) => {
      console.error(`[profundo] cannot start ${cmd}: ${err.message}`);
      resolve({ code: 127, output: '' });
    });
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), output: Buffer.concat(chunks).toString('utf8') }));
  });
}

/** Like run(), but throws when the command fails. */
export async function runOrThrow(cmd, args, options) {
  const code = await run(cmd, args, options);
  if (code !== 0) throw new StepError(`\`${[cmd, ...args].join(' ')}\` failed with exit code ${code}`, code);
}

export function commandExists(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

export function step(title) {
  console.log(`\n[profundo] ── ${title}`);
}

export function note(message) {
  console.log(`[profundo] ${message}`);
}

/** An expected failure with a message meant for the user (no stack trace needed). */
export class StepError extends Error {
  constructor(message, exitCode = 1) {
    super(message);
    this.name = 'StepError';
    this.exitCode = exitCode;
  }
}

/** Top-level wrapper for script entry points: prints StepErrors plainly, sets the exit code. */
export async function main(fn) {
  try {
    const code = await fn();
    process.exitCode = typeof code === 'number' ? code : 0;
  } catch (err) {
    if (err instanceof StepError || err?.name === 'DataError') {
      console.error(`\n[profundo] error: ${err.message}`);
      process.exitCode = err.exitCode ?? 1;
    } else {
      console.error(err);
      process.exitCode = 1;
    }
  }
}

/** Path of an npm-installed executable (node_modules/.bin/NAME). */
export function npmBin(name) {
  return path.join(nodeModulesDir, '.bin', name);
}

/** Runs `tasks` (functions returning promises) at most `jobs` at a time; the results in the tasks' order. */
export async function runLimited(tasks, jobs) {
  const results = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]();
    }
  };
  await Promise.all(Array.from({ length: Math.min(jobs, tasks.length) }, worker));
  return results;
}
