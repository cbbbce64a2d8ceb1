// Lab: bias and variance (course: "Varianza/Sesgo", "Receta", L2, dropout, data augmentation).
// Small MNIST experiments trained by the engine; each fills a row of the lecture's table with the
// measured training and dev errors and the course's reading of them (the training screen's
// diagnose()). A preview shows what augmentation does to one digit.
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { getLocale, t, tf, type MessageKey } from '../../i18n';
import { pageLocale } from '../../shell/page-locale';
import type { BiasVarianceExperiment } from '../../engine/labs-types';
import { diagnose, HUMAN_ERROR_PERCENT } from '../../screens/train/diagnosis';
import { l2Text } from '../../screens/train/settings';
import { formatFixed, formatNumber } from '../../ui/format';
import type { LabContext, LabDefinition } from '../shared/lab';
import { Checkbox, LabPage, Note, NumberInput, Select, Slider, useLabResult, type LabError } from '../shared/lab-view';
import type { EngineError } from '../../worker/protocol';
import LAB_DEFAULTS from '../defaults.json';

type ModelName = 'none' | 'small' | 'medium' | 'large';

interface Settings {
  trainSize: number;
  model: ModelName;
  l2: number;
  l2Decoupled: boolean;
  dropout: number;
  augment: boolean;
  epochs: number;
}

/** The lab's settings, models and the lecture's recipe (labs/defaults.json, which the native test
 *  of the recipe on MNIST reads too). Each regularising step changes one thing from the
 *  tiny-training-set row; λ and p were chosen on the dev split (seeds 1–3) so that L2 and dropout
 *  lower the dev error, as augmentation does (L2 as weight decay outside Adam, on inputs
 *  standardised per pixel; README "Course labs" has the selection). */
export const BIAS_VARIANCE_DEFAULTS = LAB_DEFAULTS.biasVariance as {
  devSize: number;
  learningRate: number;
  normalization: string;
  seed: number;
  models: Record<ModelName, number[]>;
  settings: Settings;
  recipe: { key: MessageKey; changes: Partial<Settings> }[];
};
const MODELS = BIAS_VARIANCE_DEFAULTS.models;
const RECIPE = BIAS_VARIANCE_DEFAULTS.recipe;
const DEFAULTS = BIAS_VARIANCE_DEFAULTS.settings;
const DEV_SIZE = BIAS_VARIANCE_DEFAULTS.devSize;


function experiment(s: Settings): BiasVarianceExperiment {
  return {
    train_size: s.trainSize,
    dev_size: DEV_SIZE,
    hidden: MODELS[s.model]!,
    l2: s.l2,
    l2_decoupled: s.l2Decoupled,
    normalization: BIAS_VARIANCE_DEFAULTS.normalization,
    dropout: s.dropout,
    augment: s.augment,
    epochs: s.epochs,
    learning_rate: BIAS_VARIANCE_DEFAULTS.learningRate,
    seed: BIAS_VARIANCE_DEFAULTS.seed,
  };
}

/** An experiment's settings in words (in the page's language when drawn). */
function describe(s: Settings): string {
  return tf('labs.bv.describe', { m: s.trainSize, model: t(`labs.bv.model.${s.model}` as MessageKey), l2: l2Text({ l2: s.l2, l2_decoupled: s.l2Decoupled }, getLocale()), p: s.dropout, augment: s.augment ? '✓' : '–', epochs: s.epochs });
}

/** One row of the table: what ran (the recipe's step, if any) and what the engine measured (errors in %). */
interface Row {
  step: MessageKey | undefined;
  settings: Settings;
  train: number;
  dev: number;
  seconds: number;
}

type Status = { kind: 'empty' } | { kind: 'running'; step: MessageKey | undefined; settings: Settings } | { kind: 'done'; parameters: number };

/** The augmented versions of one digit (28×28 grey pixels), one canvas each: leaf widgets. */
function DigitPreview({ pixels }: { pixels: Uint8Array | number[] }) {
  const host = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
    const canvases = Array.from({ length: pixels.length / 784 }, (_, k) => {
      const canvas = document.createElement('canvas');
      canvas.width = canvas.height = 28;
      canvas.className = 'lab-digit';
      const context = canvas.getContext('2d');
      if (context) {
        const image = context.createImageData(28, 28);
        for (let i = 0; i < 784; i++) {
          const v = pixels[k * 784 + i]!;
          image.data.set([v, v, v, 255], i * 4);
        }
        context.putImageData(image, 0, 0);
      }
      return canvas;
    });
    host.current?.replaceChildren(...canvases);
  }, [pixels]);
  return <div class="lab-preview" data-testid="lab-bv-preview" ref={host} />;
}

function BiasVarianceLab({ client }: LabContext) {
  void pageLocale.value; // redrawn in the page's language
  const [settings, setSettings] = useState<Settings>(() => ({ ...DEFAULTS }));
  const change = <K extends keyof Settings>(field: K) => (value: Settings[K]) => setSettings({ ...settings, [field]: value });
  const [rows, setRows] = useState<Row[]>([]);
  const [status, setStatus] = useState<Status>({ kind: 'empty' });
  const [runError, setRunError] = useState<LabError>(undefined);
  const [previewIndex, setPreviewIndex] = useState(0);
  const preview = useLabResult(client, 'bv-preview', { lab: 'augmentationPreview', index: previewIndex, count: 8, seed: 1 });
  const busy = useRef(false);
  const mounted = useRef(true);
  useEffect(() => () => void (mounted.current = false), []);

  const run = async (s: Settings, step: MessageKey | undefined) => {
    setStatus({ kind: 'running', step, settings: s });
    try {
      const { result } = await client.call({ lab: 'biasVariance', experiment: experiment(s) });
      if (!mounted.current) return;
      setRows((before) => [...before, { step, settings: s, train: result.train_error * 100, dev: result.dev_error * 100, seconds: result.seconds }]);
      setStatus({ kind: 'done', parameters: result.parameters });
      setRunError(undefined);
    } catch (error) {
      if (mounted.current) setRunError(error as EngineError);
    }
  };
  const exclusive = (work: () => Promise<void>) => async () => {
    if (busy.current) return;
    busy.current = true;
    await work();
    busy.current = false;
  };
  const runOne = exclusive(() => run({ ...settings }, undefined));
  const runRecipe = exclusive(async () => {
    for (const step of RECIPE) {
      if (!mounted.current) break;
      await run({ ...DEFAULTS, ...step.changes }, step.key);
    }
  });
  const label = (step: MessageKey | undefined, s: Settings) => (step ? `${t(step)} — ${describe(s)}` : describe(s));
  const percent = (value: number) => `${formatFixed(value, 1)} %`;
  return (
    // The page is ready with the preview: it is engine output too.
    <LabPage name="bias-variance" ready={preview.result !== undefined || rows.length > 0} error={runError ?? preview.error} introParams={{ human: HUMAN_ERROR_PERCENT }}>
      <Note text="labs.bv.table" />
      <Note text="labs.bv.l2Note" />
      <div class="lab-controls">
        <Slider label={t('labs.bv.trainSize')} min={50} max={5000} step={50} value={settings.trainSize} testId="lab-bv-train-size" onInput={change('trainSize')} />
        <Select
          label={t('labs.bv.model')}
          value={settings.model}
          options={(Object.keys(MODELS) as ModelName[]).map((name) => ({ value: name, label: t(`labs.bv.model.${name}` as MessageKey) }))}
          testId="lab-bv-model"
          onChange={change('model')}
        />
        <NumberInput label="L2 λ" value={settings.l2} testId="lab-bv-l2" onChange={change('l2')} />
        <Checkbox label={t('labs.bv.l2Decoupled')} checked={settings.l2Decoupled} testId="lab-bv-l2-decoupled" onChange={change('l2Decoupled')} />
        <Slider label={t('labs.bv.dropout')} min={0} max={0.8} step={0.05} value={settings.dropout} testId="lab-bv-dropout" format={(v) => formatFixed(v, 2)} onInput={change('dropout')} />
        <Checkbox label={t('labs.bv.augment')} checked={settings.augment} testId="lab-bv-augment" onChange={change('augment')} />
        <Slider label={t('labs.gd.epochs')} min={1} max={40} step={1} value={settings.epochs} testId="lab-bv-epochs" onInput={change('epochs')} />
        <button type="button" data-testid="lab-bv-run" onClick={() => void runOne()}>
          {t('labs.bv.run')}
        </button>
        <button type="button" data-testid="lab-bv-recipe" onClick={() => void runRecipe()}>
          {t('labs.bv.runRecipe')}
        </button>
      </div>
      <p class="lab-result" data-testid="lab-bv-status">
        {status.kind === 'empty'
          ? t('labs.bv.empty')
          : status.kind === 'running'
            ? tf('labs.bv.running', { what: label(status.step, status.settings) })
            : tf('labs.bv.done', { parameters: formatNumber(status.parameters, { maximumFractionDigits: 0 }), dev: formatNumber(DEV_SIZE, { maximumFractionDigits: 0 }) })}
      </p>
      <table class="lab-table" data-testid="lab-output">
        <tr>
          <th>{t('labs.bv.experiment')}</th>
          <th>{t('labs.bv.trainError')}</th>
          <th>{t('labs.bv.devError')}</th>
          <th>{t('labs.bv.reading')}</th>
          <th>{t('labs.gd.seconds')}</th>
        </tr>
        {rows.map((row, i) => {
          const reading = diagnose(row.train, row.dev).reading;
          return (
            <tr key={i} data-reading={reading} data-step={row.step} data-train={row.train} data-dev={row.dev}>
              <td class="lab-left">{label(row.step, row.settings)}</td>
              <td>{percent(row.train)}</td>
              <td>{percent(row.dev)}</td>
              <td class="lab-left">{t(`results.diagnosis.${reading}` as MessageKey)}</td>
              <td>{formatFixed(row.seconds, 2)}</td>
            </tr>
          );
        })}
      </table>
      <h3>{t('labs.bv.previewTitle')}</h3>
      <Note text="labs.bv.previewNote" />
      <div class="lab-controls">
        <Slider label={t('labs.bv.image')} min={0} max={99} step={1} value={previewIndex} testId="lab-bv-image" onInput={setPreviewIndex} />
      </div>
      {preview.result ? <DigitPreview pixels={preview.result.pixels} /> : <div class="lab-preview" data-testid="lab-bv-preview" />}
    </LabPage>
  );
}

export const biasVarianceLab: LabDefinition = { name: 'bias-variance', View: BiasVarianceLab };
