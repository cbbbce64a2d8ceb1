// Slices of the real MNIST as IDX files, for CLI tests that need real images but not all of them.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

/** The first `count` items of `mnist`/`file`.gz (an idx3 image or idx1 label file), uncompressed. */
export function idxSlice(mnist, file, count) {
  const bytes = zlib.gunzipSync(fs.readFileSync(path.join(mnist, `${file}.gz`)));
  const dims = bytes[3];
  const header = Buffer.from(bytes.subarray(0, 4 + 4 * dims));
  header.writeUInt32BE(count, 4);
  const perItem = dims === 3 ? bytes.readUInt32BE(8) * bytes.readUInt32BE(12) : 1;
  return Buffer.concat([header, bytes.subarray(4 + 4 * dims, 4 + 4 * dims + count * perItem)]);
}

/** Writes the first `train` training and `test` test images and labels of `mnist` into `dir` (created). */
export function writeMnistSlice(mnist, dir, train, test) {
  fs.mkdirSync(dir, { recursive: true });
  for (const [prefix, count] of [['train', train], ['t10k', test]]) {
    for (const kind of ['images-idx3-ubyte', 'labels-idx1-ubyte'])
      fs.writeFileSync(path.join(dir, `${prefix}-${kind}`), idxSlice(mnist, `${prefix}-${kind}`, count));
  }
  return dir;
}
