// The PyTorch project and the hand-in notebook end to end (issue #15, parts 3 and 4), with Debian's
// python3-torch and python3-nbformat:
// - keras-cnn trained one epoch on MNIST is exported with `export --format pytorch`; the project's
//   first steps on a batch give Profundo's own losses (`step-loss`) within 1e-4 relative, so it is
//   the same model, weights, optimiser state and schedule (and the eval-mode loss after them, which
//   batch norm's running statistics decide); so do other optimisers, L2, clipping and batch norm
//   on a small slice;
// - the project runs as 2 DistributedDataParallel processes (gloo, started with the env://
//   variables, as torchrun would) for one more epoch, and Profundo's test accuracy of the model.onnx
//   it writes equals PyTorch's own evaluation within 0.01 %;
// - the notebook (es and en) validates with nbformat, and its code cells run with python3 for one
//   short epoch on a subset.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { writeMnistSlice } from './support/mnist-slice.mjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CLI = path.join(repoRoot, 'build/native/engine/profundo-cli');
const MNIST = path.join(repoRoot, 'public/data/mnist');
const PYTHON = '/usr/bin/python3'; // Debian's, with python3-torch and python3-nbformat
const STEP_LOSS = path.join(repoRoot, 'tests/interop/pytorch_step_loss.py');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'profundo-pytorch-'));

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { encoding: 'utf8', cwd: repoRoot, maxBuffer: 256 << 20, ...options });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function events(stdout) {
  return stdout.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line));
}

function cli(...args) {
  const result = run(CLI, args);
  return { ...result, events: events(result.stdout) };
}

function python(...args) {
  const result = run(PYTHON, args);
  assert.equal(result.code, 0, result.stderr);
  return JSON.parse(result.stdout.trim().split('\n').at(-1));
}

// A slice of MNIST: 1,200 training and 500 test images.
const slice = writeMnistSlice(MNIST, path.join(tmp, 'mnist-slice'), 1200, 500);

// Profundo's and the project's losses for `steps` steps on the same batch of training images.
function compareSteps(runFile, project, data, indices, steps) {
  const profundo = cli('step-loss', '--resume', runFile, '--data', data, '--batch', indices.join(','), '--steps', String(steps), '--threads', '1');
  assert.equal(profundo.code, 0, profundo.stderr);
  const engine = profundo.events.find((e) => e.event === 'step-loss');
  const torch = python(STEP_LOSS, project, data, indices.join(','), String(steps));
  assert.equal(torch.steps, engine.steps);
  engine.losses.forEach((loss, i) => {
    const relative = Math.abs(loss - torch.losses[i]) / Math.abs(loss);
    assert.ok(relative < 1e-4, `step ${i + 1}: Profundo ${loss}, PyTorch ${torch.losses[i]} (relative ${relative.toExponential(2)})`);
    assert.ok(Math.abs(engine.learning_rates[i] - torch.learning_rates[i]) <= 1e-6 * engine.learning_rates[i]);
  });
  const evalRelative = Math.abs(engine.eval_loss - torch.eval_loss) / engine.eval_loss;
  assert.ok(evalRelative < 1e-4, `eval-mode loss after the steps: Profundo ${engine.eval_loss}, PyTorch ${torch.eval_loss}`);
  // The steps change the weights (a comparison of three equal losses would prove little).
  assert.ok(Math.abs(engine.losses[0] - engine.losses.at(-1)) > 1e-3 * engine.losses[0], JSON.stringify(engine.losses));
  return { engine: engine.losses, torch: torch.losses };
}

function trainRun(name, args, data) {
  const file = path.join(tmp, `${name}.profundo`);
  const trained = cli('train', ...args, '--data', data, '--save', file, '--keep', 'last', '--json', '--train-eval', '1000');
  assert.equal(trained.code, 0, trained.stderr);
  fs.writeFileSync(path.join(tmp, `${name}.log`), trained.stdout);
  return file;
}

function exportProject(runFile, data, name) {
  const out = path.join(tmp, name);
  const exported = cli('export', '--resume', runFile, '--data', data, '--format', 'pytorch', '--out', out);
  assert.equal(exported.code, 0, exported.stderr);
  return out;
}

function freePort() {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function runProcess(command, args, env) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: repoRoot, env: { ...process.env, ...env } });
    let stdout = '', stderr = '';
    child.stdout.on('data', (chunk) => { stdout += chunk; });
    child.stderr.on('data', (chunk) => { stderr += chunk; });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

let kerasRun, kerasProject;
const batch = Array.from({ length: 64 }, (_, i) => 17 * i + 3); // Profundo's batch size for keras-cnn

before(() => {
  const started = Date.now();
  kerasRun = trainRun('keras-cnn', ['--preset', 'keras-cnn', '--epochs', '1', '--seed', '7'], MNIST);
  kerasProject = exportProject(kerasRun, MNIST, 'keras-cnn-project');
  console.log(`keras-cnn: one epoch on MNIST and the export took ${((Date.now() - started) / 1000).toFixed(1)} s`);
});

test('the exported keras-cnn takes Profundo\'s next steps: the same losses on the same batch within 1e-4 relative', () => {
  for (const file of ['README.md', 'model.py', 'data.py', 'optim.py', 'train.py', 'run.json', 'state.json', 'state.bin'])
    assert.ok(fs.existsSync(path.join(kerasProject, file)), file);
  const model = fs.readFileSync(path.join(kerasProject, 'model.py'), 'utf8');
  assert.match(model, /nn\.Conv2d\(1, 32, kernel_size=3\)/);
  assert.match(model, /nn\.Dropout\(0\.5\)/);
  const { engine, torch } = compareSteps(kerasRun, kerasProject, MNIST, batch, 3);
  console.log(`keras-cnn next steps: Profundo ${engine.map((l) => l.toFixed(6))}, PyTorch ${torch.map((l) => l.toFixed(6))}`);
});

// A layer added through the layer table (global_avg_pool2d) has its PyTorch mapping too.
function globalPoolModel() {
  const file = path.join(tmp, 'global-pool.json');
  const layers = [{ type: 'conv2d', filters: 6, kernel_size: 3, padding: 'same' }, { type: 'relu' }, { type: 'global_avg_pool2d' }, { type: 'dense', units: 10 }];
  fs.writeFileSync(file, JSON.stringify({ input: [1, 28, 28], layers, loss: 'softmax_cross_entropy' }));
  return file;
}

test('momentum, RMSProp, AMSGrad with L2, Adam with decoupled L2, clipping, step and inverse-time schedules, batch norm and global pooling take the same steps', () => {
  const variants = [
    ['fast99-momentum', ['--preset', 'fast99', '--optimizer', 'momentum', '--lr', '0.05', '--l2', '0.01', '--clip', '0.5']],
    ['mlp-rmsprop', ['--preset', 'mlp', '--normalization', 'standardize', '--optimizer', 'rmsprop', '--lr', '0.001', '--schedule', 'step', '--step-size', '7', '--gamma', '0.5']],
    ['lenet5-amsgrad', ['--preset', 'lenet5', '--amsgrad', '--l2', '0.001', '--schedule', 'inverse_time', '--c1', '0.2', '--c2', '50']],
    ['logreg-sgd', ['--preset', 'logreg', '--lr', '0.5']],
    ['mlp-adam-decoupled-l2', ['--preset', 'mlp', '--lr', '0.003', '--l2', '20', '--l2-decoupled']],
    ['global-pool-adam', ['--model', globalPoolModel(), '--lr', '0.05']],
  ];
  for (const [name, args] of variants) {
    const file = trainRun(name, [...args, '--epochs', '1', '--batch-size', '32', '--dev-size', '200', '--seed', '3'], slice);
    const project = exportProject(file, slice, `${name}-project`);
    const { engine, torch } = compareSteps(file, project, slice, batch.slice(0, 32).map((i) => i % 1200), 3);
    console.log(`${name}: Profundo ${engine.map((l) => l.toFixed(6))}, PyTorch ${torch.map((l) => l.toFixed(6))}`);
  }
});

test('two DDP processes (gloo, env://) train one more epoch; Profundo\'s test accuracy of model.onnx equals PyTorch\'s within 0.01 %', async () => {
  const out = path.join(tmp, 'ddp-out');
  const port = await freePort();
  const trainImages = 55000; // MNIST's 60,000 less the 5,000 of the dev split: the whole epoch
  const started = Date.now();
  const ranks = await Promise.all([0, 1].map((rank) => runProcess(PYTHON, [path.join(kerasProject, 'train.py'), '--data', MNIST,
    '--out', out, '--threads', '1'], {
    RANK: String(rank), WORLD_SIZE: '2', LOCAL_RANK: String(rank), LOCAL_WORLD_SIZE: '2', MASTER_ADDR: '127.0.0.1', MASTER_PORT: String(port),
  })));
  const seconds = (Date.now() - started) / 1000;
  ranks.forEach((r, rank) => assert.equal(r.code, 0, `rank ${rank}: ${r.stderr}`));
  const [start, epoch] = ['start', 'epoch'].map((kind) => events(ranks[0].stdout).find((e) => e.event === kind));
  assert.equal(start.world_size, 2);
  assert.equal(start.batch_per_process, 32);
  assert.equal(events(ranks[1].stdout).find((e) => e.event === 'start').rank, 1);
  assert.equal(epoch.epoch, 2);
  assert.equal(epoch.steps - start.steps, Math.floor(trainImages / 64)); // a partial last batch is dropped
  const evaluated = cli('evaluate', '--onnx', path.join(out, 'model.onnx'), '--data', MNIST, '--json');
  assert.equal(evaluated.code, 0, evaluated.stderr);
  const profundo = evaluated.events.find((e) => e.event === 'evaluation');
  console.log(`DDP 2 x gloo, one epoch of ${trainImages} images: ${seconds.toFixed(1)} s; test accuracy PyTorch ${(100 * epoch.test.accuracy).toFixed(2)} %, ` +
    `Profundo (imported model.onnx) ${(100 * profundo.test_accuracy).toFixed(2)} %`);
  assert.equal(epoch.test.count, 10000);
  assert.ok(Math.abs(profundo.test_accuracy - epoch.test.accuracy) <= 1e-4, `${profundo.test_accuracy} vs ${epoch.test.accuracy}`);
  assert.ok(Math.abs(profundo.test_loss - epoch.test.loss) < 1e-4 * epoch.test.loss, `${profundo.test_loss} vs ${epoch.test.loss}`);
  assert.ok(epoch.test.accuracy > 0.97, `test accuracy ${epoch.test.accuracy}`);
  // The saved state continues again: its step count is the new one.
  assert.equal(JSON.parse(fs.readFileSync(path.join(out, 'run.json'), 'utf8')).progress.steps, epoch.steps);
});

test('under a SLURM-style launcher (SLURM_PROCID, SLURM_NTASKS, SLURM_LOCALID) the same train.py joins one group', async () => {
  const port = await freePort();
  const limit = 640; // 10 steps of the global batch: the launch is what is checked here
  const ranks = await Promise.all([0, 1].map((rank) => runProcess(PYTHON, [path.join(kerasProject, 'train.py'), '--data', MNIST,
    '--limit', String(limit), '--out', path.join(tmp, 'slurm-out'), '--threads', '1'], {
    SLURM_PROCID: String(rank), SLURM_NTASKS: '2', SLURM_LOCALID: String(rank), SLURM_NTASKS_PER_NODE: '2',
    MASTER_ADDR: '127.0.0.1', MASTER_PORT: String(port),
  })));
  ranks.forEach((r, rank) => assert.equal(r.code, 0, `rank ${rank}: ${r.stderr}`));
  const starts = ranks.map((r) => events(r.stdout).find((e) => e.event === 'start'));
  assert.deepEqual(starts.map((e) => [e.rank, e.world_size]), [[0, 2], [1, 2]]);
  const epoch = events(ranks[0].stdout).find((e) => e.event === 'epoch');
  assert.equal(epoch.steps - starts[0].steps, limit / 64);
});

test('the notebook (es and en) validates with nbformat and its code cells run a short epoch with python3', () => {
  const file = trainRun('notebook', ['--preset', 'tfjs-cnn', '--augment', '--elastic', '34', '--epochs', '2', '--dev-size', '200', '--seed', '5'], slice);
  for (const language of ['es', 'en']) {
    const notebook = path.join(tmp, `run-${language}.ipynb`);
    const exported = cli('export', '--resume', file, '--data', slice, '--format', 'ipynb', '--out', notebook,
      '--language', language, '--history', path.join(tmp, 'notebook.log'));
    assert.equal(exported.code, 0, exported.stderr);
    const validated = run(PYTHON, ['-c', 'import sys, nbformat; nbformat.validate(nbformat.read(sys.argv[1], as_version=4)); print("valid")', notebook]);
    assert.equal(validated.code, 0, validated.stderr);
    const document = JSON.parse(fs.readFileSync(notebook, 'utf8'));
    assert.equal(document.nbformat, 4);
    const text = JSON.stringify(document);
    assert.match(text, language === 'es' ? /Matriz de confusión/ : /Confusion matrix/);
    const outputs = document.cells.flatMap((cell) => cell.outputs ?? []);
    const svgs = outputs.map((o) => o.data['image/svg+xml']).filter(Boolean);
    assert.equal(svgs.length, 3, 'curves, confusion matrix and mistakes as SVG');
    assert.match(svgs[0], /<polyline/);
    assert.match(svgs[2], /data:image\/png;base64,iVBORw0KGgo/);
  }
  // The code cells of one, as a script: one epoch on 256 images of the slice.
  const document = JSON.parse(fs.readFileSync(path.join(tmp, 'run-en.ipynb'), 'utf8'));
  const script = document.cells.filter((cell) => cell.cell_type === 'code').map((cell) => cell.source).join('\n\n');
  const work = path.join(tmp, 'notebook-run');
  fs.mkdirSync(work);
  fs.writeFileSync(path.join(work, 'notebook.py'), script);
  const executed = run(PYTHON, ['notebook.py'], {
    cwd: work, env: { ...process.env, PROFUNDO_DATA: slice, PROFUNDO_EPOCHS: '1', PROFUNDO_LIMIT: '256', OMP_NUM_THREADS: '1' },
  });
  assert.equal(executed.code, 0, executed.stderr);
  const epoch = events(executed.stdout).find((e) => e.event === 'epoch');
  assert.equal(epoch.steps, 4); // 256 images in batches of 64
  const imported = cli('evaluate', '--onnx', path.join(work, 'model.onnx'), '--data', slice, '--dev-size', '200', '--json');
  assert.equal(imported.code, 0, imported.stderr);
  assert.ok(Math.abs(imported.events[0].test_accuracy - epoch.test.accuracy) <= 1 / 500);
});

test('bad requests get a message naming what was expected', () => {
  const format = cli('export', '--resume', kerasRun, '--data', MNIST, '--format', 'keras', '--out', path.join(tmp, 'x'));
  assert.notEqual(format.code, 0);
  assert.match(format.stderr, /--format onnx, pytorch or ipynb, got 'keras'/);
  const language = cli('export', '--resume', kerasRun, '--data', MNIST, '--format', 'ipynb', '--out', path.join(tmp, 'x.ipynb'), '--language', 'fr');
  assert.notEqual(language.code, 0);
  assert.match(language.stderr, /language must be es or en, got 'fr'/);
  const indices = cli('step-loss', '--resume', kerasRun, '--data', MNIST, '--batch', '1,70000');
  assert.match(indices.stderr, /'70000' is not an image index in \[0, 60000\)/);
});
