// The text bindings from JavaScript in both wasm builds: a character LSTM trains (its loss falls),
// samples deterministically (greedy at temperature 0), saves and resumes, exports ONNX that ONNX
// Runtime runs to the same greedy choice, refuses bad text with a
// message, and follows the native CLI's loss curve for the same seed.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import ort from 'onnxruntime-node';
import { disposeLoadedEngines, engineFor, relativeDifference, repoRoot, VARIANTS } from './support/engine.mjs';

after(disposeLoadedEngines);

const CLI = path.join(repoRoot, 'build/native/engine/profundo-cli');
const SHAKESPEARE = path.join(repoRoot, 'public/data/text/shakespeare.txt');
// The first 30,000 characters (ASCII, so bytes = characters).
const corpus = fs.readFileSync(SHAKESPEARE, 'utf8').slice(0, 30000);

function smallConfig(engine) {
  const config = engine.defaultTextConfig();
  Object.assign(config, { hidden_size: 64, embedding_size: 16, seq_length: 32, batch_size: 8, seed: 3 });
  config.optimizer.learning_rate = 0.005;
  return config;
}

for (const variant of Object.keys(VARIANTS)) {
  const threads = variant === 'wasm-threads' ? 2 : 1;

  test(`${variant}: a char LSTM trains, its loss falls and validation is measured`, async () => {
    const engine = await engineFor(variant);
    const session = new engine.TextSession(corpus, smallConfig(engine), threads);
    try {
      const stats = session.corpusStats();
      assert.equal(stats.characters, 30000);
      assert.equal(stats.train_characters, 27000);
      assert.equal(stats.validation_characters, 3000);
      assert.equal(session.vocabularySize(), stats.vocabulary_size);
      assert.equal(session.vocabulary().length, stats.vocabulary_size);
      const first = session.trainSteps(5);
      assert.ok(Math.abs(first.loss - Math.log(stats.vocabulary_size)) < 0.5, `first loss ${first.loss}`);
      let last;
      for (let i = 0; i < 8; i++) last = session.trainSteps(25);
      assert.equal(last.step, 205);
      assert.ok(last.loss < first.loss - 0.8, `loss ${first.loss} -> ${last.loss}`);
      assert.ok(last.clipped_fraction >= 0 && last.clipped_fraction <= 1);
      const validation = session.evaluateValidation(0);
      assert.ok(validation < first.loss - 0.5, `validation ${validation}`);
    } finally {
      session.delete();
    }
  });

  test(`${variant}: sampling is deterministic, greedy at temperature 0, and survives save and resume`, async () => {
    const engine = await engineFor(variant);
    const session = new engine.TextSession(corpus, smallConfig(engine), threads);
    let resumed;
    let sampler;
    try {
      session.trainSteps(60);
      const a = session.sample('ROMEO:', 80, 0.8, 7);
      assert.equal(a.length, 80);
      assert.equal(session.sample('ROMEO:', 80, 0.8, 7), a);
      assert.notEqual(session.sample('ROMEO:', 80, 0.8, 8), a);
      assert.equal(session.sample('ROMEO:', 40, 0, 1), session.sample('ROMEO:', 40, 0, 2));
      const bytes = session.save();
      assert.ok(bytes instanceof Uint8Array && bytes.length > 1000);
      resumed = engine.TextSession.resume(bytes, 'run.profundo', corpus, threads);
      assert.equal(resumed.steps(), 60);
      assert.equal(resumed.trainSteps(10).loss, session.trainSteps(10).loss);
      sampler = engine.TextSession.resume(bytes, 'run.profundo', '', 1);
      assert.equal(sampler.canTrain(), false);
      assert.throws(() => sampler.trainSteps(1), /resume it with its text/);
      const damaged = bytes.slice();
      damaged[100] ^= 0xff;
      assert.throws(() => engine.TextSession.resume(damaged, 'run.profundo', '', 1), /run\.profundo/);
    } finally {
      session.delete();
      resumed?.delete();
      sampler?.delete();
    }
  });

  test(`${variant}: the model as ONNX: ONNX Runtime's most likely next character is the greedy sample's`, async () => {
    const engine = await engineFor(variant);
    const session = new engine.TextSession(corpus, smallConfig(engine), threads);
    try {
      session.trainSteps(30);
      const bytes = session.exportOnnx();
      assert.deepEqual([...bytes.subarray(0, 2)], [0x08, 7]); // ModelProto.ir_version = 7
      const vocabulary = session.vocabulary();
      const prime = [...'ROMEO:'].map((c) => vocabulary.indexOf(c));
      const runtime = await ort.InferenceSession.create(bytes);
      assert.deepEqual(runtime.inputNames, ['tokens', 'initial_h_0', 'initial_c_0']);
      const zeros = () => new ort.Tensor('float32', new Float32Array(64), [1, 1, 64]);
      const result = await runtime.run({
        tokens: new ort.Tensor('int64', BigInt64Array.from(prime, BigInt), [prime.length, 1]),
        initial_h_0: zeros(),
        initial_c_0: zeros(),
      });
      const last = Array.from(result.probabilities.data.subarray((prime.length - 1) * vocabulary.length));
      assert.equal(vocabulary[last.indexOf(Math.max(...last))], session.sample('ROMEO:', 1, 0, 1));
    } finally {
      session.delete();
    }
  });

  test(`${variant}: bad text and settings arrive as Error messages`, async () => {
    const engine = await engineFor(variant);
    assert.equal(engine.maxTextBytes(), 16 * 1024 * 1024);
    assert.throws(() => new engine.TextSession('', smallConfig(engine), 1), /the text is empty/);
    const config = smallConfig(engine);
    config.hidden_size = 0;
    assert.throws(() => new engine.TextSession(corpus, config, 1), /text\.hidden_size must be in \[1, 4096\], got 0/);
    // Spanish text: accents and inverted marks are single characters.
    const spanish = '¿Qué tal, señor? ¡Sí! '.repeat(400);
    const session = new engine.TextSession(spanish, smallConfig(engine), 1);
    try {
      assert.ok(session.vocabulary().includes('ñ') && session.vocabulary().includes('¿'));
      assert.equal(session.corpusStats().characters, 22 * 400);
      session.trainSteps(3);
      assert.throws(() => session.sample('xyz', 5, 1, 1), /'x' \(U\+0078\)/);
    } finally {
      session.delete();
    }
  });
}

test('native and wasm give the same loss curve for the same seed', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'profundo-text-'));
  const file = path.join(dir, 'corpus.txt');
  fs.writeFileSync(file, corpus);
  const args = ['text', '--corpus', file, '--hidden', '64', '--embedding', '16', '--seq', '32', '--batch', '8', '--lr', '0.005',
    '--seed', '3', '--threads', '1', '--steps', '20', '--eval-every', '1', '--sample-every', '0', '--json'];
  const events = execFileSync(CLI, args, { encoding: 'utf8' }).trim().split('\n').map((l) => JSON.parse(l));
  const native = events.filter((e) => e.event === 'progress').map((e) => e.train_loss);
  assert.equal(native.length, 20);
  for (const variant of Object.keys(VARIANTS)) {
    const engine = await engineFor(variant);
    const session = new engine.TextSession(corpus, smallConfig(engine), 1);
    try {
      const wasm = Array.from({ length: 20 }, () => session.trainSteps(1).loss);
      const worst = Math.max(...native.map((n, i) => relativeDifference(n, wasm[i])));
      assert.ok(worst < 1e-3, `${variant}: worst relative difference ${worst}`);
    } finally {
      session.delete();
    }
  }
});

// The declarations in web/src/engine/text-types.ts (and the generated TextConfig) must list exactly
// what the bindings give: the fields of each value_object and the methods of TextSession.
function declaredMembers(interfaceName, file = 'web/src/engine/text-types.ts') {
  const source = fs.readFileSync(path.join(repoRoot, file), 'utf8');
  const body = source.match(new RegExp(`export interface ${interfaceName} \\{([\\s\\S]*?)\\n\\}`))[1];
  return [...body.matchAll(/^ {2}(?:new )?(\w+)\??[(:]/gm)].map((m) => m[1]).sort();
}

test('text-types.ts declares exactly the fields and methods of the text bindings', async () => {
  const engine = await engineFor('wasm-simd');
  const config = engine.defaultTextConfig();
  assert.deepEqual(declaredMembers('TextConfig', 'web/src/engine/generated/settings.ts'), Object.keys(config).sort());
  const session = new engine.TextSession(corpus, smallConfig(engine), 1);
  try {
    assert.deepEqual(declaredMembers('TextTrainReport'), Object.keys(session.trainSteps(1)).sort());
    assert.deepEqual(declaredMembers('TextCorpusStats'), Object.keys(session.corpusStats()).sort());
    assert.deepEqual(declaredMembers('TextEvaluation'), Object.keys(session.evaluate(0)).sort());
    const methods = Object.getOwnPropertyNames(Object.getPrototypeOf(session))
      .filter((name) => name !== 'constructor' && !['clone', 'isAliasOf', 'isDeleted', 'deleteLater'].includes(name));
    // delete() comes from Embind's base class, not from the bindings.
    assert.deepEqual(declaredMembers('TextSession').filter((name) => name !== 'delete'), methods.sort());
    assert.equal(typeof engine.TextSession.resume, 'function');
    assert.deepEqual(declaredMembers('TextModule'), ['TextSession', 'defaultTextConfig', 'maxTextBytes']);
  } finally {
    session.delete();
  }
});
