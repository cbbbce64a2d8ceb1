import { describe, expect, it } from 'vitest';
import en from '../../../web/src/i18n/en.json';
import es from '../../../web/src/i18n/es.json';
import { detectLocale, loadLocale, LOCALE_LIST, messages, optimizerName, t } from '../../../web/src/i18n';

describe('locales', () => {
  it('every locale has exactly the English keys, none empty', () => {
    for (const locale of LOCALE_LIST) {
      const loaded = messages(locale);
      expect(Object.keys(loaded).sort(), locale).toEqual(Object.keys(en).sort());
      for (const [key, text] of Object.entries(loaded)) expect(text.trim(), `${locale}:${key}`).not.toBe('');
    }
  });

  it('Spanish is actually translated', () => {
    expect(es['backend.threads']).toBe('hilos');
    expect(t('backend.loading', 'es')).not.toBe(t('backend.loading', 'en'));
  });

  it('loads a language once, as its file says', async () => {
    const loaded = await loadLocale('es');
    expect(loaded).toBe(messages('es'));
    expect(await loadLocale('es')).toBe(loaded);
    expect(loaded).toEqual(es);
  });

  it('picks the first supported browser language, else English', () => {
    expect(detectLocale(['es-AR', 'en'])).toBe('es');
    expect(detectLocale(['fr-FR', 'en-US'])).toBe('en');
    expect(detectLocale(['de'])).toBe('en');
    expect(detectLocale([])).toBe('en');
  });
});

describe('optimizerName', () => {
  it('writes an optimiser in the page language and keeps an unknown name as it is', () => {
    expect(optimizerName('sgd', 'es')).toBe('Descenso de gradiente (SGD)');
    expect(optimizerName('momentum', 'en')).toBe(t('train.optimizer.momentum', 'en'));
    expect(optimizerName('lion', 'es')).toBe('lion');
  });
});
