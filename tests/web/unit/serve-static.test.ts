import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStaticServer } from '../../../scripts/serve-static.mjs';

let dir: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'profundo-serve-'));
  fs.mkdirSync(path.join(dir, 'wasm'));
  fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>x</title>');
  fs.writeFileSync(path.join(dir, 'wasm', 'm.wasm'), Buffer.from([0, 0x61, 0x73, 0x6d]));
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('serve-static', () => {
  it('serves wasm as application/wasm with isolation headers', async () => {
    const server = await startStaticServer({ dir, isolated: true });
    try {
      const res = await fetch(new URL('wasm/m.wasm', server.url));
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/wasm');
      expect(res.headers.get('cross-origin-opener-policy')).toBe('same-origin');
      expect(res.headers.get('cross-origin-embedder-policy')).toBe('require-corp');
      const index = await fetch(server.url);
      expect(index.headers.get('content-type')).toMatch(/^text\/html/);
    } finally {
      await server.close();
    }
  });

  it('omits isolation headers with isolated: false and refuses to leave its folder', async () => {
    const server = await startStaticServer({ dir, isolated: false });
    try {
      const res = await fetch(server.url);
      expect(res.headers.get('cross-origin-opener-policy')).toBeNull();
      const escape = await fetch(new URL('/%2e%2e/%2e%2e/etc/passwd', server.url));
      expect(escape.status).toBe(404);
    } finally {
      await server.close();
    }
  });
});
