// Prepares the datasets the lab serves from public/data/ and writes public/data/manifest.json.
//
// MNIST is required and verified by sha256. Sources, in order: (a) files already prepared
// (a stamp of size+mtime avoids re-hashing them each run), (b) $LAB_DATA_DIR/mnist/,
// (c) public mirrors. Fashion-MNIST and the text corpora are optional.
// Every function takes its folders as arguments so tests can run it on temp dirs.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { isMain, publicDir, repoRoot } from './lib/paths.mjs';

/** sha256 of the four canonical MNIST gz files (the yann.lecun.com originals). */
export const MNIST_SHA256 = {
  'train-images-idx3-ubyte.gz': '440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609',
  'train-labels-idx1-ubyte.gz': '3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c',
  't10k-images-idx3-ubyte.gz': '8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6',
  't10k-labels-idx1-ubyte.gz': 'f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6',
};

export const MNIST_MIRRORS = [
  'https://ossci-datasets.s3.amazonaws.com/mnist/',
  'https://storage.googleapis.com/cvdf-datasets/mnist/',
];

/** Text corpora for the char-RNN labs; provenance is in shared/data/text/SOURCE.md. */
export const TEXT_CORPORA = {
  'shakespeare.txt': {
    sha256: '86c4e6aa9db7c042ec79f339dcb96d42b0075e16b8fc2e86bf0ca57e2dc565ed',
    // Byte-for-byte copy of char-rnn's tiny Shakespeare, so the original can stand in.
    urls: ['https://raw.githubusercontent.com/karpathy/char-rnn/master/data/tinyshakespeare/input.txt'],
  },
  'quijote.txt': {
    sha256: '5656fd8ea46cee79795cb46d6f7225813966a1d752f026ad8f1d11812009d078',
    urls: [], // cleaned from Gutenberg #2000; no public copy has these exact bytes
  },
};

// Fashion-MNIST ships re-gzipped by Debian, so its gz checksums differ from Zalando's:
// we only check that the four files exist and are gzip.
export const FASHION_FILES = Object.keys(MNIST_SHA256);
export const SYSTEM_FASHION_DIR = '/usr/share/datasets/fashion-mnist';

const STAMP = '.verified.json';

export class DataError extends Error {
  constructor(message) {
    super(message);
    this.name = 'DataError';
  }
}

export function sha256Buffer(buf) {
  return crypto.createHash('sha256').update(buf).digest('hex');
}

export function sha256File(file) {
  return new Promise((resolve, reject) => {
    const hash = crypto.createHash('sha256');
    fs.createReadStream(file)
      .on('error', reject)
      .on('data', (chunk) => hash.update(chunk))
      .on('end', () => resolve(hash.digest('hex')));
  });
}

/** Resolves LAB_DATA_DIR against the repo root. Unset: ../shared/data when that folder exists
 *  (the layout of this project's machines and CI), else undefined. */
export function resolveLabDataDir(env = process.env, root = repoRoot) {
  if (env.LAB_DATA_DIR) return path.resolve(root, env.LAB_DATA_DIR);
  const sibling = path.resolve(root, '..', 'shared', 'data');
  return fs.existsSync(sibling) ? sibling : undefined;
}

function readStamp(dir) {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, STAMP), 'utf8'));
  } catch {
    return {};
  }
}

function writeStamp(dir, stamp) {
  writeAtomically(path.join(dir, STAMP), JSON.stringify(stamp, null, 2) + '\n');
}

function statKey(file) {
  const st = fs.statSync(file);
  return { size: st.size, mtimeMs: st.mtimeMs };
}

/** Write to a temp file next to the target, then rename: readers never see half a file. */
export function writeAtomically(dest, data) {
  const tmp = `${dest}.tmp-${process.pid}-${crypto.randomBytes(4).toString('hex')}`;
  try {
    fs.writeFileSync(tmp, data);
    fs.renameSync(tmp, dest);
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

function copyAtomically(src, dest) {
  const tmp = `${dest}.tmp-${process.pid}-${crypto.randomBytes(4).toString('hex')}`;
  try {
    fs.copyFileSync(src, tmp);
    fs.chmodSync(tmp, 0o644); // sources may be read-only (CI's copy of shared/ is)
    fs.renameSync(tmp, dest);
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

/** Is dest already there with the expected hash? Re-hashes only when size/mtime changed. */
async function isPrepared(dest, expectedSha, stamp) {
  if (!fs.existsSync(dest)) return false;
  const name = path.basename(dest);
  const key = statKey(dest);
  const known = stamp[name];
  if (known && known.sha256 === expectedSha && known.size === key.size && known.mtimeMs === key.mtimeMs) return true;
  const actual = await sha256File(dest);
  if (actual !== expectedSha) return false;
  stamp[name] = { ...key, sha256: actual };
  return true;
}

async function download(url, { fetchImpl, timeoutMs }) {
  const res = await fetchImpl(url, { signal: AbortSignal.timeout(timeoutMs) });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  return Buffer.from(await res.arrayBuffer());
}

/**
 * Puts each file of `files` ({name: sha256}) into destDir, trying in order: destDir itself,
 * each folder in `dirs`, each base URL in `urls` (name appended) or each full URL in
 * `fileUrls[name]`. Returns { prepared: [names], failures: {name: [what was tried]} }.
 */
export async function prepareVerifiedFiles({ files, destDir, dirs = [], urls = [], fileUrls = {}, fetchImpl = globalThis.fetch, timeoutMs = 60_000, log = () => {} }) {
  fs.mkdirSync(destDir, { recursive: true });
  const stamp = readStamp(destDir);
  const prepared = [];
  const failures = {};
  for (const [name, sha] of Object.entries(files)) {
    const dest = path.join(destDir, name);
    const tried = [];
    let ok = await isPrepared(dest, sha, stamp);
    if (!ok && fs.existsSync(dest)) tried.push(`${dest}: checksum mismatch`);

    for (const dir of ok ? [] : dirs) {
      const src = path.join(dir, name);
      if (!fs.existsSync(src)) {
        tried.push(`${src}: not found`);
        continue;
      }
      const actual = await sha256File(src);
      if (actual !== sha) {
        tried.push(`${src}: checksum mismatch (got ${actual.slice(0, 12)}…, want ${sha.slice(0, 12)}…)`);
        continue;
      }
      copyAtomically(src, dest);
      stamp[name] = { ...statKey(dest), sha256: sha };
      log(`${name}: copied from ${dir}`);
      ok = true;
      break;
    }

    const candidates = [...urls.map((base) => base + name), ...(fileUrls[name] ?? [])];
    for (const url of ok ? [] : candidates) {
      try {
        log(`${name}: downloading ${url}`);
        const body = await download(url, { fetchImpl, timeoutMs });
        const actual = sha256Buffer(body);
        if (actual !== sha) {
          tried.push(`${url}: checksum mismatch`);
          continue;
        }
        writeAtomically(dest, body);
        stamp[name] = { ...statKey(dest), sha256: sha };
        ok = true;
        break;
      } catch (err) {
        const reason = err?.name === 'TimeoutError' ? `timed out after ${timeoutMs / 1000} s` : err?.cause?.code ?? err.message;
        tried.push(`${url}: ${reason}`);
      }
    }

    if (ok) prepared.push(name);
    else failures[name] = tried;
  }
  writeStamp(destDir, stamp);
  return { prepared, failures };
}

function describeFailures(failures) {
  return Object.entries(failures)
    .map(([name, tried]) => `  ${name}\n${(tried.length ? tried : ['no source configured']).map((t) => `    - ${t}`).join('\n')}`)
    .join('\n');
}

export async function prepareMnist({ dataOut, labDataDir, mirrors = MNIST_MIRRORS, fetchImpl, timeoutMs, log }) {
  const destDir = path.join(dataOut, 'mnist');
  const dirs = labDataDir ? [path.join(labDataDir, 'mnist')] : [];
  const { failures } = await prepareVerifiedFiles({ files: MNIST_SHA256, destDir, dirs, urls: mirrors, fetchImpl, timeoutMs, log });
  if (Object.keys(failures).length > 0) {
    throw new DataError(
      `MNIST is not available. Tried:\n${describeFailures(failures)}\n` +
        `To fix, either:\n` +
        `  - set LAB_DATA_DIR to a folder that contains mnist/*.gz (the four canonical files), e.g. LAB_DATA_DIR=../shared/data npm start\n` +
        `  - or copy ${Object.keys(MNIST_SHA256).join(', ')} into ${destDir}/`,
    );
  }
  return { id: 'mnist', available: true, files: Object.keys(MNIST_SHA256).map((f) => `mnist/${f}`) };
}

function isGzip(file) {
  const fd = fs.openSync(file, 'r');
  try {
    const magic = Buffer.alloc(2);
    return fs.readSync(fd, magic, 0, 2, 0) === 2 && magic[0] === 0x1f && magic[1] === 0x8b;
  } finally {
    fs.closeSync(fd);
  }
}

/** Optional: copies Fashion-MNIST from LAB_DATA_DIR or the Debian package when present. */
export function prepareFashionMnist({ dataOut, labDataDir, systemDir = SYSTEM_FASHION_DIR, log = () => {} }) {
  const destDir = path.join(dataOut, 'fashion-mnist');
  const entry = { id: 'fashion-mnist', available: false, files: FASHION_FILES.map((f) => `fashion-mnist/${f}`) };
  const candidates = [labDataDir && path.join(labDataDir, 'fashion-mnist'), systemDir].filter(Boolean);
  const source = candidates.find((dir) => FASHION_FILES.every((f) => fs.existsSync(path.join(dir, f)) && isGzip(path.join(dir, f))));
  if (!source) {
    const complete = FASHION_FILES.every((f) => fs.existsSync(path.join(destDir, f)));
    if (complete) return { ...entry, available: true };
    log(`Fashion-MNIST: not found (looked in ${candidates.join(', ')}); optional, install dataset-fashion-mnist to add it`);
    return entry;
  }
  fs.mkdirSync(destDir, { recursive: true });
  for (const f of FASHION_FILES) {
    const src = path.join(source, f);
    const dest = path.join(destDir, f);
    const s = fs.statSync(src);
    const d = fs.existsSync(dest) ? fs.statSync(dest) : undefined;
    if (d && d.size === s.size && d.mtimeMs >= s.mtimeMs) continue;
    copyAtomically(src, dest);
    log(`fashion-mnist/${f}: copied from ${source}`);
  }
  return { ...entry, available: true };
}

/** Optional: text corpora, verified by sha256. Returns one manifest entry per corpus. */
export async function prepareTexts({ dataOut, labDataDir, corpora = TEXT_CORPORA, fetchImpl, timeoutMs, log = () => {} }) {
  const destDir = path.join(dataOut, 'text');
  const files = Object.fromEntries(Object.entries(corpora).map(([n, c]) => [n, c.sha256]));
  const fileUrls = Object.fromEntries(Object.entries(corpora).map(([n, c]) => [n, c.urls]));
  const dirs = labDataDir ? [path.join(labDataDir, 'text')] : [];
  const { failures } = await prepareVerifiedFiles({ files, destDir, dirs, fileUrls, fetchImpl, timeoutMs, log });
  if (Object.keys(failures).length) log(`optional text corpora missing:\n${describeFailures(failures)}`);
  return Object.keys(corpora).map((name) => ({
    id: path.basename(name, '.txt'),
    available: !failures[name],
    files: [`text/${name}`],
  }));
}

/** Writes the manifest the page reads; untouched when the content is the same. */
export function writeManifest(dataOut, datasets) {
  const file = path.join(dataOut, 'manifest.json');
  const body = JSON.stringify({ version: 1, datasets }, null, 2) + '\n';
  if (fs.existsSync(file) && fs.readFileSync(file, 'utf8') === body) return file;
  writeAtomically(file, body);
  return file;
}

/** The whole data step. Throws DataError when MNIST cannot be prepared. */
export async function prepareData({ dataOut = path.join(publicDir, 'data'), labDataDir = resolveLabDataDir(), systemFashionDir, mirrors, fetchImpl, timeoutMs, log = (m) => console.log(`[profundo] ${m}`) } = {}) {
  fs.mkdirSync(dataOut, { recursive: true });
  const mnist = await prepareMnist({ dataOut, labDataDir, mirrors, fetchImpl, timeoutMs, log });
  const fashion = prepareFashionMnist({ dataOut, labDataDir, systemDir: systemFashionDir, log });
  const texts = await prepareTexts({ dataOut, labDataDir, fetchImpl, timeoutMs, log });
  const datasets = [mnist, fashion, ...texts];
  writeManifest(dataOut, datasets);
  log(`data: ${datasets.map((d) => `${d.id} ${d.available ? 'ok' : 'missing (optional)'}`).join(', ')}`);
  return datasets;
}

if (isMain(import.meta.url)) {
  const { main } = await import('./lib/run.mjs');
  main(() => prepareData());
}
