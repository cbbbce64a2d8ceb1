// Every preset the engine ships has its description in each locale, the English one the engine's
// own text; a preset the locale files do not know keeps the engine's text. The preset list is read
// from the engine's source (engine/model/presets.cpp, the list presetNames() returns), so adding a
// preset there without translating it fails here, with no wasm build needed.
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LOCALE_LIST, messages as messagesOf } from '../../../web/src/i18n';
import { presetDescription, presetDescriptionKey } from '../../../web/src/i18n/preset-description';

interface EnginePreset {
  name: string;
  description: string;
}

const STRING_LITERAL = String.raw`"(?:[^"\\]|\\.)*"`;
const PRESET_HEAD = new RegExp(String.raw`^\{\s*(${STRING_LITERAL})\s*,\s*((?:${STRING_LITERAL}\s*)+),`);

/** The top-level elements of `return { … };` in all_presets(), each as its source text `{ … }`. */
function presetEntries(source: string): string[] {
  const start = source.indexOf('std::vector<Preset> all_presets()');
  const open = source.indexOf('return {', start);
  if (start < 0 || open < 0) throw new Error('presets.cpp: all_presets() { return { … }; } not found');
  const entries: string[] = [];
  let depth = 0;
  let entryStart = -1;
  for (let i = open + 'return '.length; i < source.length; i++) {
    const c = source[i];
    if (c === '"') {
      i = source.indexOf('"', i + 1);
      while (source[i - 1] === '\\') i = source.indexOf('"', i + 1); // an escaped quote does not end it
      continue;
    }
    if (c === '/' && source[i + 1] === '/') {
      i = source.indexOf('\n', i); // comments may hold braces or quotes
      continue;
    }
    if (c === '{') {
      depth++;
      if (depth === 2) entryStart = i;
    } else if (c === '}') {
      if (depth === 2) entries.push(source.slice(entryStart, i + 1));
      depth--;
      if (depth === 0) return entries;
    }
  }
  throw new Error('presets.cpp: the list of presets is not closed');
}

/** Name and description of each preset: the first two fields (adjacent C++ literals joined). */
function enginePresets(): EnginePreset[] {
  const source = fs.readFileSync(new URL('../../../engine/model/presets.cpp', import.meta.url), 'utf8');
  return presetEntries(source).map((entry) => {
    const head = PRESET_HEAD.exec(entry);
    if (!head) throw new Error(`presets.cpp: a preset does not start with {"name", "description", …}: ${entry.slice(0, 80)}`);
    const literals = head[2]!.match(new RegExp(STRING_LITERAL, 'g')) ?? [];
    return { name: JSON.parse(head[1]!) as string, description: literals.map((literal) => JSON.parse(literal) as string).join('') };
  });
}

describe('preset descriptions', () => {
  const presets = enginePresets();

  it('reads every preset of the engine', () => {
    // Those the wasm test pins (tests/wasm/bindings.test.mjs) at least, each once.
    const names = presets.map((p) => p.name);
    expect(names).toEqual(expect.arrayContaining(['logreg', 'mlp', 'tfjs-cnn', 'keras-cnn', 'lenet5', 'best', 'fast99']));
    expect(new Set(names).size).toBe(names.length);
    for (const preset of presets) expect(preset.description, preset.name).toMatch(/\w{3}/);
  });

  it('every preset has a description in each locale; the English one is the engine text', () => {
    for (const preset of presets) {
      for (const locale of LOCALE_LIST) {
        const messages: Record<string, string> = messagesOf(locale);
        expect(Object.hasOwn(messages, presetDescriptionKey(preset.name)), `${locale}: ${presetDescriptionKey(preset.name)}`).toBe(true);
      }
      expect(presetDescription(preset, 'en')).toBe(preset.description);
      expect(presetDescription(preset, 'es'), preset.name).not.toBe(preset.description);
    }
  });

  it('the locale files describe no preset the engine lacks', () => {
    const names = new Set(presets.map((p) => p.name));
    const described = Object.keys(messagesOf('en'))
      .map((key) => /^preset\.(.+)\.description$/.exec(key)?.[1])
      .filter((name): name is string => name !== undefined);
    expect(described.filter((name) => !names.has(name))).toEqual([]);
  });

  it('shows the locale text, and the engine text for a preset the locale files do not know', () => {
    const mlp = { name: 'mlp', description: 'engine text' };
    expect(presetDescription(mlp, 'es')).toBe('Perceptrón multicapa 784-256-128-10 con ReLU, inicialización de pesos He y Adam');
    expect(presetDescription(mlp, 'en')).toBe(messagesOf('en')['preset.mlp.description']);
    const future = { name: 'resnet', description: 'A residual network' };
    expect(presetDescription(future, 'es')).toBe('A residual network');
    expect(presetDescription(future, 'en')).toBe('A residual network');
    expect(presetDescription({ name: 'toString', description: 'not a key' }, 'es')).toBe('not a key');
  });
});
