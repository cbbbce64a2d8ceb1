// Engine errors in the page's language: every code has a sentence with and without the file or
// field it is about, and the problems the worker recognises name the file and what was expected.
import { describe, expect, it } from 'vitest';
import { LOCALE_LIST } from '../../../web/src/i18n';
import { engineErrorSentence, engineErrorText } from '../../../web/src/i18n/engine-error';
import { checkIdxMagic } from '../../../web/src/worker/datasets';
import { ENGINE_ERROR_CODES } from '../../../web/src/worker/protocol';

const locales = LOCALE_LIST;

describe('engineErrorSentence', () => {
  it('words every code in every language, naming the subject when there is one', () => {
    for (const locale of locales) {
      for (const code of ENGINE_ERROR_CODES) {
        const plain = engineErrorSentence({ code, message: 'detail' }, locale);
        const about = engineErrorSentence({ code, message: 'detail', subject: 'weights.profundo' }, locale);
        expect(plain, `${locale} ${code}`).not.toMatch(/error\.|\{subject\}/);
        expect(about, `${locale} ${code}`).toContain('weights.profundo');
        expect(about, `${locale} ${code}`).not.toBe(plain);
      }
    }
    expect(engineErrorSentence({ code: 'model-file', message: '', subject: 'a.onnx' }, 'es')).toBe('No se pudo cargar el archivo del modelo a.onnx.');
  });

  it("names a refused setting's field", () => {
    const error = { code: 'engine', message: 'x', setting: { code: 'out_of_range', path: 'training.epochs', expected: null, value: -1 } } as const;
    expect(engineErrorSentence(error, 'en')).toBe('The engine refused training.epochs.');
  });

  it('words the problems the worker recognises, with the file and what was expected', () => {
    const magic = { code: 'dataset', message: 'm', problem: { kind: 'idx-magic', file: 'a.idx', contents: 'images', expected: '0x00000803', found: '0x00000801' } } as const;
    expect(engineErrorSentence(magic, 'en')).toBe('a.idx is not an IDX images file: its magic number is 0x00000801, expected 0x00000803 (unsigned bytes; count, rows, columns).');
    expect(engineErrorSentence(magic, 'es')).toMatch(/^a\.idx no es un archivo IDX de imágenes: su número mágico es 0x00000801, se esperaba 0x00000803/);
    const gzip = { code: 'dataset', message: 'm', problem: { kind: 'damaged-gzip', file: 'b.gz' } } as const;
    expect(engineErrorSentence(gzip, 'en')).toMatch(/^b\.gz starts like a gzip file but cannot be decompressed/);
    expect(engineErrorSentence(gzip, 'es')).toMatch(/^b\.gz empieza como un archivo gzip/);
    const json = { code: 'model-file', message: 'model JSON: not valid JSON', problem: { kind: 'not-json' } } as const;
    expect(engineErrorSentence(json, 'es')).toMatch(/^El JSON del modelo no es JSON válido/);
    expect(engineErrorText(json, 'en')).toMatch(/^The model JSON is not valid JSON.*\nmodel JSON: not valid JSON$/s);
  });
});

describe('checkIdxMagic', () => {
  const file = (bytes: number[]) => ({ name: 'x.idx', bytes: new Uint8Array(bytes) });
  it("accepts its slot's magic number and names the file and both numbers otherwise", () => {
    expect(() => checkIdxMagic(file([0, 0, 8, 3, 0]), 'images')).not.toThrow();
    expect(() => checkIdxMagic(file([0, 0, 8, 1, 0]), 'labels')).not.toThrow();
    expect(() => checkIdxMagic(file([0, 0, 8]), 'images')).not.toThrow(); // too short: the engine says so
    try {
      checkIdxMagic(file([0, 0, 8, 1, 0]), 'images');
      expect.unreachable();
    } catch (error) {
      expect((error as Error).message).toMatch(/^x\.idx: not an IDX images file: the magic number is 0x00000801, expected 0x00000803/);
      expect((error as { problem?: unknown }).problem).toEqual({ kind: 'idx-magic', file: 'x.idx', contents: 'images', expected: '0x00000803', found: '0x00000801' });
    }
  });
});
