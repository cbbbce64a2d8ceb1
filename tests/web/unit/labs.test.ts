import { describe, expect, it } from 'vitest';
import en from '../../../web/src/i18n/en.json';
import { contourLevels, contourSegments } from '../../../web/src/labs/shared/contours';
import { mergeSeries } from '../../../web/src/labs/shared/merge-series';
import { parseNumberList } from '../../../web/src/labs/shared/parse';
import { LAB_NAMES, parseRoute, routeHash } from '../../../web/src/routes';

describe('routes', () => {
  it('a hash without lab= is the training screen, with its own settings', () => {
    expect(parseRoute('')).toEqual({ view: 'train' });
    expect(parseRoute('#preset=mlp&epochs=1&autostart=1')).toEqual({ view: 'train' });
  });

  it('#lab=NAME opens that lab; an unknown name falls back to the contents', () => {
    for (const name of LAB_NAMES) expect(parseRoute(`#lab=${name}`)).toEqual({ view: 'lab', lab: name });
    expect(parseRoute('#lab=quantum')).toEqual({ view: 'labs', unknownLab: 'quantum' });
    expect(parseRoute('#view=labs')).toEqual({ view: 'labs' });
    expect(parseRoute('#labs')).toEqual({ view: 'labs' });
  });

  it('round-trips through routeHash', () => {
    for (const name of LAB_NAMES) expect(parseRoute(routeHash({ view: 'lab', lab: name }))).toEqual({ view: 'lab', lab: name });
    expect(parseRoute(routeHash({ view: 'labs' }))).toEqual({ view: 'labs' });
    expect(parseRoute(routeHash({ view: 'train' }))).toEqual({ view: 'train' });
  });
});

describe('parseNumberList', () => {
  it('reads the lecture\'s logits written in several ways', () => {
    expect(parseNumberList('3, -2, 6')).toEqual({ ok: true, value: [3, -2, 6] });
    expect(parseNumberList('3 −2 6')).toEqual({ ok: true, value: [3, -2, 6] });
    expect(parseNumberList(' 1.5;2e-1 ')).toEqual({ ok: true, value: [1.5, 0.2] });
  });

  it('names the bad piece and the expected count', () => {
    expect(parseNumberList('3, x, 6')).toEqual({ ok: false, error: "'x' is not a number" });
    expect(parseNumberList('3', { min: 2 })).toEqual({ ok: false, error: 'expected 2 to 20 numbers, got 1' });
    expect(parseNumberList('')).toMatchObject({ ok: false });
  });
});

describe('contours', () => {
  it('a plane crossed at one level gives a straight line through the crossing column', () => {
    // values = column index on a 3×3 grid; level 0.5 crosses between columns 0 and 1.
    const values = [0, 1, 2, 0, 1, 2, 0, 1, 2];
    const segments = contourSegments(values, 3, 3, 0.5);
    expect(segments).toHaveLength(2);
    for (const [x0, , x1] of segments) {
      expect(x0).toBeCloseTo(0.5);
      expect(x1).toBeCloseTo(0.5);
    }
    expect(contourSegments(values, 3, 3, 5)).toHaveLength(0);
  });

  it('levels lie strictly between the minimum and maximum, increasing', () => {
    const levels = contourLevels([0, 1, 4, 9, 100], 5);
    expect(levels).toHaveLength(5);
    for (let i = 1; i < levels.length; i++) expect(levels[i]!).toBeGreaterThan(levels[i - 1]!);
    expect(levels[0]!).toBeGreaterThan(0);
    expect(levels[4]!).toBeLessThan(100);
    expect(contourLevels([2, 2, 2], 5)).toEqual([]);
  });
});

describe('mergeSeries', () => {
  it('puts series sampled at different x on one axis with gaps', () => {
    const merged = mergeSeries([
      { x: [0, 2], y: [10, 20] },
      { x: [0, 1, 3], y: [1, 2, 3] },
    ]);
    expect(merged.x).toEqual([0, 1, 2, 3]);
    expect(merged.ys).toEqual([
      [10, null, 20, null],
      [1, 2, null, 3],
    ]);
  });
});

describe('lab texts', () => {
  it('every shipped lab has a title, an introduction and a summary', async () => {
    const { SHIPPED_LABS } = await import('../../../web/src/labs/registry');
    expect(SHIPPED_LABS.length).toBeGreaterThan(0);
    const order = SHIPPED_LABS.map((lab) => LAB_NAMES.indexOf(lab.name));
    expect(order).toEqual([...order].sort((a, b) => a - b)); // the lecture's order
    for (const lab of SHIPPED_LABS)
      for (const part of ['title', 'intro', 'summary']) expect(en, `${lab.name}.${part}`).toHaveProperty([`labs.${lab.name}.${part}`]);
  });
});

describe('LabClient', () => {
  /** A stand-in for EngineClient: records the lab calls; the test answers them by index. */
  function fakeEngine() {
    const sent: { request: { lab: string; logits?: number[] }; resolve: (result: unknown) => void; reject: (error: unknown) => void }[] = [];
    return {
      sent,
      api: {
        lab: (request: { lab: string }) => new Promise((resolve, reject) => sent.push({ request, resolve, reject })),
      },
      answer(index: number, result: unknown) {
        sent[index]!.resolve(result);
      },
      fail(index: number, message: string) {
        sent[index]!.reject({ code: 'engine', message });
      },
    };
  }
  const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

  it('waits for the engine, then keeps one request per channel in flight and sends only the latest', async () => {
    const { LabClient } = await import('../../../web/src/labs/shared/lab-client');
    const engine = fakeEngine();
    const client = new LabClient(engine as never);
    const results: number[][] = [];
    const ask = (logits: number[]) => client.latest('softmax', { lab: 'softmax', logits, trueClass: 0 }, (r) => results.push(r.report.softmax), () => undefined);
    ask([1, 2]);
    await flush();
    expect(engine.sent).toHaveLength(0); // the engine has not loaded yet
    client.engineLoaded();
    await flush();
    expect(engine.sent).toHaveLength(1);
    ask([3, 4]); // in flight: waits…
    ask([5, 6]); // …and is replaced
    await flush();
    expect(engine.sent).toHaveLength(1);
    engine.answer(0, { lab: 'softmax', report: { softmax: [0.1, 0.9] } });
    await flush();
    await flush();
    expect(engine.sent.map((s) => s.request.logits)).toEqual([
      [1, 2],
      [5, 6],
    ]);
    expect(results).toEqual([[0.1, 0.9]]);
  });

  it('rejects a call with the engine\'s error', async () => {
    const { LabClient } = await import('../../../web/src/labs/shared/lab-client');
    const engine = fakeEngine();
    const client = new LabClient(engine as never);
    client.engineLoaded();
    const call = client.call({ lab: 'softmax', logits: [1], trueClass: 3 });
    await flush();
    engine.fail(0, 'softmax.trueClass must be in [0, 1), got 3');
    await expect(call).rejects.toMatchObject({ message: /trueClass/ });
  });
});
