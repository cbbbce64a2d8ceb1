import { describe, expect, it } from 'vitest';
import en from '../../../web/src/i18n/en.json';
import { contourLevels, contourSegments } from '../../../web/src/labs/shared/contours';
import { mergeSeries } from '../../../web/src/labs/shared/merge-series';
import { parseNumberList } from '../../../web/src/labs/shared/parse';
import { badLogitsText } from '../../../web/src/labs/softmax/softmax-lab';
import { LAB_NAMES, PANEL_NAMES, parseRoute, routeHash, withPanel } from '../../../web/src/routes';
import LAB_DEFAULTS from '../../../web/src/labs/defaults.json';
import { BIAS_VARIANCE_DEFAULTS } from '../../../web/src/labs/bias-variance/bias-variance-lab';
import { GD_VARIANTS_DEFAULTS } from '../../../web/src/labs/gd-variants/gd-variants-lab';
import { defaultOptimizerConfig, KINDS, OPTIMIZERS_DEFAULTS } from '../../../web/src/labs/optimizers/optimizers-lab';
import { diagnose } from '../../../web/src/screens/train/diagnosis';

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
    for (const panel of PANEL_NAMES) expect(parseRoute(routeHash({ view: 'train', panel }))).toEqual({ view: 'train', panel });
  });

  it('a panel of the MNIST lab composes with its settings; an unknown panel is the workspace', () => {
    expect(parseRoute('#preset=mlp&panel=history&autostart=1')).toEqual({ view: 'train', panel: 'history' });
    expect(parseRoute('#panel=nowhere')).toEqual({ view: 'train' });
    expect(withPanel('#preset=mlp&epochs=2', 'data')).toBe('#preset=mlp&epochs=2&panel=data');
    expect(withPanel('#preset=mlp&panel=data&epochs=2', 'inside')).toBe('#preset=mlp&epochs=2&panel=inside');
    expect(withPanel('#model=conv2d:f=8:k=5,relu', 'history')).toBe('#model=conv2d:f=8:k=5,relu&panel=history');
    expect(withPanel('#preset=mlp&panel=data', undefined)).toBe('#preset=mlp');
  });
});

describe('parseNumberList', () => {
  it('reads the lecture\'s logits written in several ways', () => {
    expect(parseNumberList('3, -2, 6')).toEqual({ ok: true, value: [3, -2, 6] });
    expect(parseNumberList('3 −2 6')).toEqual({ ok: true, value: [3, -2, 6] });
    expect(parseNumberList(' 1.5;2e-1 ')).toEqual({ ok: true, value: [1.5, 0.2] });
  });

  it('names the bad piece and the expected count', () => {
    expect(parseNumberList('3, x, 6')).toEqual({ ok: false, problem: { kind: 'not-a-number', piece: 'x' } });
    expect(parseNumberList('3', { min: 2 })).toEqual({ ok: false, problem: { kind: 'count', min: 2, max: 20, count: 1 } });
    expect(parseNumberList('')).toMatchObject({ ok: false });
  });

  it('the softmax lab words a refusal in the page\'s language, naming the field', () => {
    const notANumber = { kind: 'not-a-number', piece: 'x' } as const;
    const tooFew = { kind: 'count', min: 2, max: 10, count: 1 } as const;
    expect(badLogitsText(notANumber, 'en')).toBe("Logits z^[L]: 'x' is not a number. Write 2 to 10 numbers separated by commas, e.g. 3, −2, 6.");
    expect(badLogitsText(notANumber, 'es')).toBe("Logits z^[L]: 'x' no es un número. Escribe de 2 a 10 números separados por comas, p. ej. 3, −2, 6.");
    expect(badLogitsText(tooFew, 'en')).toMatch(/^Logits z\^\[L\]: expected 2 to 10 numbers, got 1\. Write/);
    expect(badLogitsText(tooFew, 'es')).toMatch(/^Logits z\^\[L\]: se esperaban de 2 a 10 números y hay 1\. Escribe/);
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
    // Each entry loads the lab of its own name.
    for (const lab of SHIPPED_LABS) expect((await lab.load()).name).toBe(lab.name);
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

describe("the labs' opening settings (web/src/labs/defaults.json, read by the pages and the native tests)", () => {
  it('optimizers: on the bowl J = ½(w1² + 50 w2²) plain GD oscillates across w2 but converges, and every optimiser starts from the file', () => {
    const { surface, surfaces } = OPTIMIZERS_DEFAULTS;
    expect(surface).toBe('bowl');
    const sgd = defaultOptimizerConfig('bowl', 'sgd');
    // One GD step multiplies w2 by 1 − 50α: negative (a zig-zag) and above −1 (no divergence).
    expect(1 - 50 * sgd.learning_rate).toBeLessThan(-0.8);
    expect(1 - 50 * sgd.learning_rate).toBeGreaterThan(-1);
    // The lecture compares momentum with plain GD at the same α.
    expect(defaultOptimizerConfig('bowl', 'momentum').learning_rate).toBe(sgd.learning_rate);
    for (const name of ['bowl', 'rosenbrock', 'saddle'] as const)
      for (const kind of KINDS) expect(defaultOptimizerConfig(name, kind)).toMatchObject({ kind, learning_rate: surfaces[name].learningRate[kind], beta: 0.9, beta1: 0.9, beta2: 0.999 });
  });

  it('gd-variants: the decay c1/(t + c2) starts at the fixed α and is off until the student turns it on', () => {
    expect(GD_VARIANTS_DEFAULTS.c1 / GD_VARIANTS_DEFAULTS.c2).toBeCloseTo(GD_VARIANTS_DEFAULTS.learningRate, 10);
    expect(GD_VARIANTS_DEFAULTS.decay).toBe(false);
    expect(GD_VARIANTS_DEFAULTS.batchSizes).toEqual([1, 32, 256, 100000]);
  });

  it('bias-variance: L2, dropout and augmentation each change one setting of the tiny-training-set row', () => {
    const step = (key: string) => BIAS_VARIANCE_DEFAULTS.recipe.find((s) => s.key === key)!.changes;
    const tiny = step('labs.bv.recipe.tiny');
    expect(step('labs.bv.recipe.l2')).toEqual({ ...tiny, l2: expect.any(Number) });
    expect(step('labs.bv.recipe.dropout')).toEqual({ ...tiny, dropout: expect.any(Number) });
    expect(step('labs.bv.recipe.augment')).toEqual({ ...tiny, augment: true });
    expect(step('labs.bv.recipe.l2').l2).toBeGreaterThan(0);
    expect(step('labs.bv.recipe.dropout').dropout).toBeGreaterThan(0);
    for (const { key } of BIAS_VARIANCE_DEFAULTS.recipe) expect(en).toHaveProperty([key]);
  });

  it("bias-variance: the reading next to the recipe's numbers is the one the lecture's table gives them", () => {
    // "More data" measured 2.1 % / 8.5 % with the old recipe: a variance problem, not both.
    expect(diagnose(2.1, 8.5).reading).toBe('high-variance');
    // The recipe's rows as measured (seed 1): too simple 15.3 / 15.6, tiny set 0 / 13.5, more data 3.9 / 7.3.
    expect(diagnose(15.3, 15.6).reading).toBe('high-bias');
    expect(diagnose(0, 13.5).reading).toBe('high-variance');
    expect(diagnose(3.9, 7.3).reading).toBe('high-variance');
    expect(diagnose(20, 21).reading).toBe('high-bias');
  });

  it("softmax opens on the lecture's z = [3, −2, 6]", () => {
    expect(LAB_DEFAULTS.softmax.logits).toEqual([3, -2, 6]);
  });
});
