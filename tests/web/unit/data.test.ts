// scripts/data.mjs on temp folders: good sources are copied and stamped, bad ones rejected
// with a message that says what was tried and what to do.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as data from '../../../scripts/data.mjs';

let tmp: string;

beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'profundo-data-'));
});

afterEach(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

function writeFile(file: string, content: string | Buffer): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
  return file;
}

/** Two small files standing in for a dataset, with their real sha256. */
function fakeFileSet() {
  const contents: Record<string, string> = { 'a.gz': 'first file', 'b.gz': 'second file' };
  const files = Object.fromEntries(Object.entries(contents).map(([name, body]) => [name, data.sha256Buffer(Buffer.from(body))]));
  return { contents, files };
}

const noNetwork = async () => {
  throw new TypeError('fetch failed', { cause: { code: 'ENOTFOUND' } });
};

describe('prepareVerifiedFiles', () => {
  it('copies files whose checksum matches and records a stamp', async () => {
    const { contents, files } = fakeFileSet();
    const source = path.join(tmp, 'source');
    for (const [name, body] of Object.entries(contents)) writeFile(path.join(source, name), body);
    const destDir = path.join(tmp, 'dest');

    const result = await data.prepareVerifiedFiles({ files, destDir, dirs: [source], fetchImpl: noNetwork });

    expect(result.failures).toEqual({});
    expect(result.prepared.sort()).toEqual(['a.gz', 'b.gz']);
    expect(fs.readFileSync(path.join(destDir, 'a.gz'), 'utf8')).toBe('first file');
    const stamp = JSON.parse(fs.readFileSync(path.join(destDir, '.verified.json'), 'utf8'));
    expect(stamp['a.gz'].sha256).toBe(files['a.gz']);
  });

  it('rejects a source file with the wrong checksum and says so', async () => {
    const { files } = fakeFileSet();
    const source = path.join(tmp, 'source');
    writeFile(path.join(source, 'a.gz'), 'tampered');
    writeFile(path.join(source, 'b.gz'), 'second file');
    const destDir = path.join(tmp, 'dest');

    const result = await data.prepareVerifiedFiles({ files, destDir, dirs: [source], fetchImpl: noNetwork });

    expect(result.prepared).toEqual(['b.gz']);
    expect(result.failures['a.gz'].join('\n')).toMatch(/checksum mismatch/);
    expect(fs.existsSync(path.join(destDir, 'a.gz'))).toBe(false);
  });

  it('re-verifies a prepared file that changed on disk and replaces it from the source', async () => {
    const { contents, files } = fakeFileSet();
    const source = path.join(tmp, 'source');
    for (const [name, body] of Object.entries(contents)) writeFile(path.join(source, name), body);
    const destDir = path.join(tmp, 'dest');
    await data.prepareVerifiedFiles({ files, destDir, dirs: [source] });

    writeFile(path.join(destDir, 'a.gz'), 'corrupted after the fact');
    const result = await data.prepareVerifiedFiles({ files, destDir, dirs: [source] });

    expect(result.failures).toEqual({});
    expect(fs.readFileSync(path.join(destDir, 'a.gz'), 'utf8')).toBe('first file');
  });

  it('downloads from a mirror, verifies, and rejects a mirror serving wrong bytes', async () => {
    const { contents, files } = fakeFileSet();
    const requested: string[] = [];
    const fetchImpl = async (url: string) => {
      requested.push(url);
      const name = url.split('/').pop()!;
      const body = url.startsWith('https://bad.example/') ? 'wrong bytes' : contents[name]!;
      return new Response(body, { status: 200 });
    };
    const destDir = path.join(tmp, 'dest');

    const result = await data.prepareVerifiedFiles({ files, destDir, urls: ['https://bad.example/', 'https://good.example/'], fetchImpl });

    expect(result.failures).toEqual({});
    expect(requested).toContain('https://bad.example/a.gz');
    expect(fs.readFileSync(path.join(destDir, 'b.gz'), 'utf8')).toBe('second file');
    // No temp files are left next to the result.
    expect(fs.readdirSync(destDir).sort()).toEqual(['.verified.json', 'a.gz', 'b.gz']);
  });
});

describe('prepareMnist', () => {
  it('fails with a message listing what was tried and how to fix it', async () => {
    const labDataDir = path.join(tmp, 'lab-data'); // exists, but holds no mnist/
    fs.mkdirSync(labDataDir);
    const attempt = data.prepareMnist({ dataOut: path.join(tmp, 'out'), labDataDir, mirrors: ['https://mirror.example/mnist/'], fetchImpl: noNetwork });

    await expect(attempt).rejects.toThrow(data.DataError);
    const message: string = await attempt.catch((err: Error) => err.message);
    expect(message).toContain('MNIST is not available');
    expect(message).toContain(path.join(labDataDir, 'mnist', 'train-images-idx3-ubyte.gz'));
    expect(message).toContain('not found');
    expect(message).toContain('https://mirror.example/mnist/train-images-idx3-ubyte.gz: ENOTFOUND');
    expect(message).toContain('LAB_DATA_DIR');
    expect(message).toContain(path.join(tmp, 'out', 'mnist'));
  });

  it('rejects MNIST files with the wrong checksum', async () => {
    const labDataDir = path.join(tmp, 'lab-data');
    for (const name of Object.keys(data.MNIST_SHA256)) writeFile(path.join(labDataDir, 'mnist', name), 'not mnist');
    const attempt = data.prepareMnist({ dataOut: path.join(tmp, 'out'), labDataDir, mirrors: [], fetchImpl: noNetwork });
    await expect(attempt).rejects.toThrow(/checksum mismatch/);
  });
});

describe('optional datasets and the manifest', () => {
  it('marks Fashion-MNIST missing, without failing, when no source has it', () => {
    const entry = data.prepareFashionMnist({ dataOut: path.join(tmp, 'out'), labDataDir: undefined, systemDir: path.join(tmp, 'nowhere') });
    expect(entry).toMatchObject({ id: 'fashion-mnist', available: false });
  });

  it('copies Fashion-MNIST gz files from a folder that has all four', () => {
    const systemDir = path.join(tmp, 'fashion');
    for (const name of data.FASHION_FILES) writeFile(path.join(systemDir, name), Buffer.from([0x1f, 0x8b, 8, 0]));
    const entry = data.prepareFashionMnist({ dataOut: path.join(tmp, 'out'), labDataDir: undefined, systemDir });
    expect(entry.available).toBe(true);
    expect(fs.readdirSync(path.join(tmp, 'out', 'fashion-mnist')).sort()).toEqual([...data.FASHION_FILES].sort());
  });

  it('lists text corpora that are missing as unavailable', async () => {
    const corpora = { 'tiny.txt': { sha256: data.sha256Buffer(Buffer.from('hello')), urls: [] } };
    const entries = await data.prepareTexts({ dataOut: path.join(tmp, 'out'), labDataDir: undefined, corpora });
    expect(entries).toEqual([{ id: 'tiny', available: false, files: ['text/tiny.txt'] }]);
  });

  it('resolves a relative LAB_DATA_DIR against the repo root', () => {
    expect(data.resolveLabDataDir({ LAB_DATA_DIR: '../shared/data' }, '/x/repo')).toBe('/x/shared/data');
    expect(data.resolveLabDataDir({ LAB_DATA_DIR: '/abs/data' }, '/x/repo')).toBe('/abs/data');
  });

  it('writes the manifest the page reads', () => {
    const file = data.writeManifest(tmp, [{ id: 'mnist', available: true, files: ['mnist/a.gz'] }]);
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual({ version: 1, datasets: [{ id: 'mnist', available: true, files: ['mnist/a.gz'] }] });
  });
});
