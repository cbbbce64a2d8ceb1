// `npm run bench -- --memory [--threads T] [--steps N] [--presets a,b] [--text-presets a,b] [--json]`:
// the peak size of the wasm heap (the module's linear memory, which only grows, so its size is its
// peak) for every preset of the image lab and of the text lab, in training, then in evaluation
// (text: validation) and, for text, in sampling, as the page's worker does them: the threads build
// under Node, a fresh module per case, MNIST (60,000 + 10,000 images) or the preset's corpus loaded
// as the page loads them. The tab's limit is 2 GB.
import fs from 'node:fs';
import path from 'node:path';
import { publicDir, repoRoot } from './lib/paths.mjs';
import { StepError } from './lib/run.mjs';
import { CLI, nativeTextPresets } from './generate-settings.mjs';
import { disposeEngine, loadEngine, readMnist, VARIANTS } from '../tests/wasm/support/engine.mjs';

/** What the page evaluates and samples (web/src/worker/training.ts, text-training.ts, web/src/screens/text/text-form.ts). */
const TRAIN_EVAL_SAMPLES = 10_000;
const EVAL_CHARACTERS = 16_384;
const SAMPLE_LENGTH = 400;

const USAGE = 'usage: npm run bench -- --memory [--threads T] [--steps N] [--presets a,b] [--text-presets a,b] [--json]';

export function parseMemoryArgs(argv) {
  const opts = { threads: 2, steps: 20, presets: undefined, textPresets: undefined, json: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const whole = (name) => {
      const n = Number(argv[++i]);
      if (!Number.isInteger(n) || n < 1) throw new StepError(`--${name} expects a whole number above 0, got ${argv[i] ?? 'nothing'}\n${USAGE}`);
      return n;
    };
    if (arg === '--memory') continue;
    else if (arg === '--threads') opts.threads = whole('threads');
    else if (arg === '--steps') opts.steps = whole('steps');
    else if (arg === '--presets') opts.presets = (argv[++i] ?? '').split(',').filter(Boolean);
    else if (arg === '--text-presets') opts.textPresets = (argv[++i] ?? '').split(',').filter(Boolean);
    else if (arg === '--json') opts.json = true;
    else throw new StepError(`unknown argument ${arg}\n${USAGE}`);
  }
  return opts;
}

/** Bytes of the module's linear memory, and bytes malloc has handed out and not taken back. */
const heap = (engine) => ({ wasmMemory: engine.HEAP8.buffer.byteLength, allocated: engine.allocatedBytes() });

async function imagePreset(name, { threads, steps }) {
  const engine = await loadEngine('wasm-threads');
  try {
    const preset = engine.preset(name);
    const train = readMnist('train');
    const test = readMnist('t10k');
    const trainSet = engine.loadImageSet(train.images, train.labels, 'mnist', 28, 28);
    const testSet = engine.loadImageSet(test.images, test.labels, 'mnist', 28, 28);
    const session = new engine.ClassifierSession(preset.model, preset.training, preset.data, trainSet, testSet, threads);
    try {
      const loaded = heap(engine);
      for (let i = 0; i < steps && !session.finished(); i++) session.trainNextBatch();
      const training = heap(engine);
      session.evaluate(engine.Split.train, 0, TRAIN_EVAL_SAMPLES);
      session.evaluate(engine.Split.dev, 0, 0);
      session.evaluate(engine.Split.test, testSet.count, 0); // every mistake kept, as the page does
      return { lab: 'image', preset: name, parameters: session.parameterCount(), loaded, training, evaluation: heap(engine) };
    } finally {
      session.delete();
      trainSet.delete?.();
      testSet.delete?.();
    }
  } finally {
    disposeEngine(engine);
  }
}

/** A text preset ({name, corpus, config}, engine/text/text_presets.cpp) as the page's text lab runs it. */
async function textPreset(preset, { threads, steps }) {
  const engine = await loadEngine('wasm-threads');
  try {
    const corpus = fs.readFileSync(path.join(publicDir, 'data', 'text', `${preset.corpus}.txt`), 'utf8');
    const session = new engine.TextSession(corpus, preset.config, threads);
    try {
      const loaded = heap(engine);
      session.trainSteps(steps);
      const training = heap(engine);
      session.evaluate(EVAL_CHARACTERS); // during training, offered to the keeper of the best model
      session.evaluate(0); // the final one, on all the validation text
      const evaluation = heap(engine);
      session.sampleBest('', SAMPLE_LENGTH, 0.8, 1);
      return { lab: 'text', preset: preset.name, parameters: session.parameterCount(), loaded, training, evaluation, sampling: heap(engine) };
    } finally {
      session.delete();
    }
  } finally {
    disposeEngine(engine);
  }
}

const mib = (bytes) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

export function formatMemory(results, { threads, steps }) {
  const lines = [
    `Wasm heap (threads build under Node, ${threads} threads; ${steps} training steps, then the page's evaluations):`,
    '  linear memory = the module\'s memory size, its peak (it never shrinks); malloc = bytes in use at that point;',
    '  evaluation = train/dev/test (images), validation (text)',
    '',
  ];
  const table = [['lab', 'preset', 'parameters', 'after loading', 'peak in training', 'peak in evaluation', 'peak in sampling', 'malloc at the end']];
  for (const r of results) {
    const last = r.sampling ?? r.evaluation;
    table.push([r.lab, r.preset, r.parameters.toLocaleString('en-US'), mib(r.loaded.wasmMemory), mib(r.training.wasmMemory), mib(r.evaluation.wasmMemory),
      r.sampling ? mib(r.sampling.wasmMemory) : '–', mib(last.allocated)]);
  }
  const widths = table[0].map((_, c) => Math.max(...table.map((row) => row[c].length)));
  for (const row of table) lines.push(`  ${row.map((cell, c) => (c < 2 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ')}`);
  return lines.join('\n');
}

/** Entry point from scripts/bench.mjs. */
export async function benchMemory(argv) {
  const opts = parseMemoryArgs(argv);
  const glue = path.join(repoRoot, VARIANTS['wasm-threads'].dir, `${VARIANTS['wasm-threads'].file}.js`);
  if (!fs.existsSync(glue)) throw new StepError(`${glue} missing: run \`node scripts/build.mjs wasm-threads\``);
  const probe = await loadEngine('wasm-threads');
  const names = opts.presets ?? probe.presetNames();
  disposeEngine(probe);
  const results = [];
  for (const name of names) {
    console.error(`[profundo] wasm heap: ${name} …`);
    results.push(await imagePreset(name, opts));
  }
  // The native CLI lists the text presets; like the wasm build above, it must be built already
  // (building it here would print the build's output into --json's stdout).
  if (!fs.existsSync(CLI)) throw new StepError(`${CLI} missing: run \`node scripts/build.mjs native\``);
  const textPresets = nativeTextPresets();
  const unknown = (opts.textPresets ?? []).filter((name) => !textPresets.some((p) => p.name === name));
  if (unknown.length) throw new StepError(`unknown text preset ${unknown.join(', ')} (known: ${textPresets.map((p) => p.name).join(', ')})`);
  for (const preset of textPresets.filter((p) => !opts.textPresets || opts.textPresets.includes(p.name))) {
    console.error(`[profundo] wasm heap: text lab, ${preset.name} …`);
    results.push(await textPreset(preset, opts));
  }
  console.log(opts.json ? JSON.stringify(results, null, 2) : formatMemory(results, opts));
  return 0;
}
