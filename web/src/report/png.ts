// A grey image as a PNG data URL, without a canvas (so the report builder stays a pure function):
// 8-bit greyscale, one zlib "stored" (uncompressed) block per 65,535 bytes, CRC-32 and Adler-32.
// PNG: https://www.w3.org/TR/png/ ; zlib stored blocks: RFC 1950/1951.

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function adler32(bytes: Uint8Array): number {
  let a = 1;
  let b = 0;
  for (const byte of bytes) {
    a = (a + byte) % 65521;
    b = (b + a) % 65521;
  }
  return ((b << 16) | a) >>> 0;
}

function u32(value: number): number[] {
  return [(value >>> 24) & 0xff, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff];
}

function chunk(type: string, data: Uint8Array): number[] {
  const typed = new Uint8Array(4 + data.length);
  for (let i = 0; i < 4; i++) typed[i] = type.charCodeAt(i);
  typed.set(data, 4);
  return [...u32(data.length), ...typed, ...u32(crc32(typed))];
}

/** zlib stream of `raw` in stored blocks. */
function zlibStored(raw: Uint8Array): Uint8Array {
  const out: number[] = [0x78, 0x01];
  let offset = 0;
  do {
    const block = raw.subarray(offset, offset + 65535);
    offset += block.length;
    const last = offset >= raw.length ? 1 : 0;
    const n = block.length;
    out.push(last, n & 0xff, n >>> 8, ~n & 0xff, (~n >>> 8) & 0xff);
    for (const byte of block) out.push(byte);
  } while (offset < raw.length);
  out.push(...u32(adler32(raw)));
  return Uint8Array.from(out);
}

/** PNG bytes of a width × height greyscale image (row-major, one byte per pixel). */
export function encodeGreyPng(pixels: Uint8Array, width: number, height: number): Uint8Array {
  if (pixels.length < width * height) throw new Error(`encodeGreyPng: ${pixels.length} pixels for a ${width}×${height} image`);
  const raw = new Uint8Array(height * (width + 1)); // each row starts with filter type 0 (none)
  for (let y = 0; y < height; y++) raw.set(pixels.subarray(y * width, (y + 1) * width), y * (width + 1) + 1);
  const header = Uint8Array.from([...u32(width), ...u32(height), 8, 0, 0, 0, 0]); // 8-bit, greyscale
  return Uint8Array.from([
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a,
    ...chunk('IHDR', header),
    ...chunk('IDAT', zlibStored(raw)),
    ...chunk('IEND', new Uint8Array(0)),
  ]);
}

export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

export function greyPngDataUrl(pixels: Uint8Array, width: number, height: number): string {
  return `data:image/png;base64,${toBase64(encodeGreyPng(pixels, width, height))}`;
}
