// The text lab's store without a page: fed by fake worker events, the priming text follows the
// corpus (also through a preset), and a burst of progress events redraws the charts once per
// animation frame at most (a fake frame clock drives oncePerFrame).
import { effect } from '@preact/signals';
import { describe, expect, it } from 'vitest';
import { CORPUS_PRIMES, primeAfterCorpusChange } from '../../../web/src/screens/text/text-form';
import { TextStore } from '../../../web/src/screens/text/text-store';
import { oncePerFrame } from '../../../web/src/ui/once-per-frame';
import type { EngineClient } from '../../../web/src/worker/engine-client';
import type { EngineEvent } from '../../../web/src/worker/protocol';
import { fakeFrames } from './fake-frames';

/** An EngineClient whose events the test sends; its API is never called here. */
function fakeEngine() {
  const handlers = new Map<string, ((event: EngineEvent) => void)[]>();
  const engine = {
    on(type: string, handler: (event: EngineEvent) => void) {
      handlers.set(type, [...(handlers.get(type) ?? []), handler]);
      return () => undefined;
    },
    api: {},
  } as unknown as EngineClient;
  const send = (event: EngineEvent) => (handlers.get(event.type) ?? []).forEach((handler) => handler(event));
  return { engine, send };
}

describe('oncePerFrame', () => {
  it('draws once per frame however often it is asked, and not after cancel', () => {
    const frames = fakeFrames();
    let draws = 0;
    const frame = oncePerFrame(() => draws++, frames.requestFrame);
    for (let i = 0; i < 100; i++) frame.schedule();
    expect(draws).toBe(0); // nothing before the frame
    frames.tick();
    expect(draws).toBe(1);
    frames.tick();
    expect(draws).toBe(1); // nothing asked: no draw
    frame.schedule();
    frame.cancel();
    frames.tick();
    expect(draws).toBe(1);
    frame.schedule(); // asked again after a cancel: drawn
    frames.tick();
    expect(draws).toBe(2);
  });
});

describe('the text store', () => {
  it('100 progress events between two frames: every point kept, one chart redraw', () => {
    const { engine, send } = fakeEngine();
    const store = new TextStore(engine);
    const frames = fakeFrames();
    let draws = 0;
    const frame = oncePerFrame(() => draws++, frames.requestFrame);
    const stop = effect(() => {
      void store.curves.value;
      frame.schedule();
    });
    frames.tick();
    draws = 0;
    for (let step = 1; step <= 100; step++) {
      send({ type: 'textProgress', step, epoch: 0, loss: 4 - step / 100, charactersPerSecond: 1000, clippedFraction: 0, gradNorm: 1, seconds: step / 10 });
    }
    frames.tick();
    expect(draws).toBe(1);
    expect(store.history.series(false).x).toHaveLength(100);
    expect(store.progress.value?.step).toBe(100);
    stop();
  });

  it('follows the text job: paused, resumed, then idle with the error of a failed job', () => {
    const { engine, send } = fakeEngine();
    const store = new TextStore(engine);
    send({ type: 'textStatus', status: 'training' });
    expect(store.running.value).toBe(true);
    send({ type: 'job', kind: 'text', job: 1, state: 'paused' });
    expect(store.status.value).toBe('paused');
    send({ type: 'job', kind: 'text', job: 1, state: 'resumed' });
    expect(store.status.value).toBe('training');
    send({ type: 'job', kind: 'text', job: 1, state: 'failed', error: { code: 'text-corpus', message: 'bad.txt: invalid UTF-8 at byte 3' } });
    expect(store.status.value).toBe('idle');
    expect(store.error.value).toMatchObject({ code: 'text-corpus', message: 'bad.txt: invalid UTF-8 at byte 3' });
  });

  it('the priming text follows the corpus, unless the student wrote one', () => {
    const { engine } = fakeEngine();
    const store = new TextStore(engine);
    expect(store.prime.value).toBe('ROMEO:');
    store.setCorpus('quijote');
    expect(store.prime.value).toBe(CORPUS_PRIMES.quijote);
    expect(store.prime.value).not.toBe('ROMEO:');
    store.setCorpus('shakespeare');
    expect(store.prime.value).toBe('ROMEO:');
    store.prime.value = 'JULIET:';
    store.setCorpus('quijote');
    expect(store.prime.value).toBe('JULIET:'); // the student's own stays
    expect(primeAfterCorpusChange('ROMEO:', 'shakespeare', 'own')).toBe('');
  });

  it('a preset sets the corpus, and with it the priming text', () => {
    const { engine } = fakeEngine();
    const store = new TextStore(engine);
    store.choosePreset('quijote-quick');
    expect(store.form.value.corpus).toBe('quijote');
    expect(store.prime.value).toBe(CORPUS_PRIMES.quijote);
    store.choosePreset('shakespeare-best');
    expect(store.form.value.corpus).toBe('shakespeare');
    expect(store.prime.value).toBe('ROMEO:');
  });
});
