// The text lab: choose a corpus (built-in, pasted or uploaded) and a character-level RNN/GRU/LSTM,
// train it in the worker with live loss and perplexity curves and a sample every few seconds, then
// generate with a temperature and a priming text; save and load the run. Components over the
// lab's store (text-store.ts); the two uPlot charts are leaf widgets, redrawn once per frame at most.
import { effect } from '@preact/signals';
import { useEffect, useMemo } from 'preact/hooks';
import { t, tf, type MessageKey } from '../../i18n';
import { pageLocale } from '../../shell/page-locale';
import { Choice, Field } from '../../ui/field';
import { formatCount, formatFixed, formatNumber } from '../../ui/format';
import { LineChart, type LineChartOptions } from '../../ui/line-chart';
import { Mount } from '../../ui/mount';
import { oncePerFrame } from '../../ui/once-per-frame';
import { perplexity } from '../../worker/text-stats';
import { FLAG_FIELDS, MAX_TEXT_BYTES, NUMBER_FIELDS, TEXT_CELLS, TEXT_KEEP, TEXT_OPTIMIZERS, TEXT_PRESETS, TEXT_SCHEDULES, type CorpusChoice } from './text-form';
import type { TextStore } from './text-store';

const CORPUS_CHOICES: readonly CorpusChoice[] = ['shakespeare', 'quijote', 'own'];

/** A whole count with the language's grouping ("12,345" / "12.345"). */
const count = (value: number) => formatNumber(value, { maximumFractionDigits: 0 });

export function TextLab({ store }: { store: TextStore }) {
  void pageLocale.value; // every label follows the language
  return (
    <section class="card text-screen" aria-labelledby="text-title" data-testid="text-screen">
      <h2 id="text-title">{t('text.title')}</h2>
      <p class="muted">{t('text.intro')}</p>
      <TextSettings store={store} />
      <TextRun store={store} />
      <TextCharts store={store} />
      <BestMarker store={store} />
      <TextSampler store={store} />
      <TextModelFile store={store} />
    </section>
  );
}

function presetLabel(name: string, corpus: string, minutes: number): string {
  return tf(name.endsWith('-quick') ? 'text.preset.quick' : 'text.preset.best', { corpus: t(`text.corpus.${corpus}` as MessageKey), minutes });
}

/** Preset and corpus, one's own text, then the network's and training's settings (the engine's registry decides what each accepts). */
function TextSettings({ store }: { store: TextStore }) {
  void pageLocale.value; // redrawn in the page's language
  const form = store.form.value;
  const file = store.ownFile.value;
  return (
    <>
      <div class="train-form">
        <Field id="text-preset-select" label={t('text.preset')} hint={t('text.preset.hint')}>
          {/* An action, not a state: it shows "my own settings" again once a preset is applied. */}
          <select
            id="text-preset-select"
            data-testid="text-preset"
            value=""
            onChange={(event) => {
              store.choosePreset(event.currentTarget.value);
              event.currentTarget.value = '';
            }}
          >
            <option value="">{t('text.preset.custom')}</option>
            {TEXT_PRESETS.map((p) => (
              <option key={p.name} value={p.name}>
                {presetLabel(p.name, p.corpus, p.minutes)}
              </option>
            ))}
          </select>
        </Field>
        <Field id="text-corpus-select" label={t('text.corpus')}>
          <Choice id="text-corpus-select" testId="text-corpus" value={form.corpus} choices={CORPUS_CHOICES} labelPrefix="text.corpus" onChange={(corpus) => store.setCorpus(corpus)} />
        </Field>
      </div>
      <div hidden={form.corpus !== 'own'}>
        <div class="text-own">
          <Field id="text-own" label={t('text.own.paste')}>
            <textarea id="text-own" data-testid="text-own" rows={5} placeholder={t('text.own.placeholder')} spellcheck={false} value={store.ownText.value} onInput={(event) => store.setOwnText(event.currentTarget.value)} />
          </Field>
          <Field id="text-upload" label={t('text.own.upload')} hint={tf('text.own.hint', { max: MAX_TEXT_BYTES / (1024 * 1024) })}>
            <input
              id="text-upload"
              type="file"
              accept=".txt,text/plain"
              data-testid="text-upload"
              onChange={(event) => {
                const chosen = event.currentTarget.files?.[0];
                if (chosen) void store.chooseFile(chosen);
              }}
            />
          </Field>
        </div>
        <p class="muted" data-testid="text-own-status">
          {file ? tf('text.own.file', { name: file.name, bytes: count(file.bytes.length) }) : tf('text.own.pastedCount', { characters: count([...store.ownText.value].length) })}
        </p>
      </div>
      <div class="train-form">
        <Field id="text-cell-select" label={t('text.cell')}>
          <Choice id="text-cell-select" testId="text-cell" value={form.cell} choices={TEXT_CELLS} labelPrefix="text.cell" onChange={(value) => store.setField('cell', value)} />
        </Field>
        <Field id="text-optimizer-select" label={t('train.optimizer')}>
          <Choice id="text-optimizer-select" testId="text-optimizer" value={form.optimizer} choices={TEXT_OPTIMIZERS} labelPrefix="train.optimizer" onChange={(value) => store.setField('optimizer', value)} />
        </Field>
        <Field id="text-schedule-select" label={t('hyper.schedule')}>
          <Choice id="text-schedule-select" testId="text-schedule" value={form.schedule} choices={TEXT_SCHEDULES} labelPrefix="hyper.schedule" onChange={(value) => store.setField('schedule', value)} />
        </Field>
        {NUMBER_FIELDS.map(({ field, label, testId, hint }) => (
          <Field key={field} id={`text-field-${field}`} label={t(label)} hint={hint && t(hint)}>
            <input id={`text-field-${field}`} type="text" inputmode="decimal" data-testid={testId} value={form[field]} onInput={(event) => store.setField(field, event.currentTarget.value)} />
          </Field>
        ))}
        {FLAG_FIELDS.map(({ field, label, testId }) => (
          <Field key={field} id={`text-field-${field}`} label={t(label)}>
            <input id={`text-field-${field}`} type="checkbox" data-testid={testId} checked={form[field] === 'true'} onChange={(event) => store.setField(field, String(event.currentTarget.checked))} />
          </Field>
        ))}
        <Field id="text-keep-select" label={t('text.keep')}>
          <Choice id="text-keep-select" testId="text-keep" value={form.keep} choices={TEXT_KEEP} labelPrefix="text.keep" onChange={(value) => store.setField('keep', value)} />
        </Field>
      </div>
    </>
  );
}

/** Train / pause / stop, the status lines, an error and the validation loss. */
function TextRun({ store }: { store: TextStore }) {
  void pageLocale.value; // redrawn in the page's language
  const status = store.status.value;
  const running = store.running.value;
  const error = store.error.value;
  void store.curves.value; // the loss line reads the history
  const { history } = store;
  const validation = history.lastValidation;
  const best = history.best;
  let loss =
    validation === undefined
      ? t('text.loss.none')
      : tf('text.loss.value', {
          loss: formatFixed(validation, 3),
          perplexity: formatFixed(perplexity(validation), 2),
          baseline: formatFixed(history.baseline, 3),
          baselinePerplexity: formatFixed(perplexity(history.baseline), 1),
        });
  if (best && validation !== undefined) loss += ` ${tf('text.best', { best: formatFixed(best.loss, 3), step: count(best.step), last: formatFixed(validation, 3) })}`;
  return (
    <>
      <div class="buttons">
        <button type="button" class="primary" data-testid="text-train" disabled={running} onClick={() => store.train()}>
          {t('text.train')}
        </button>
        <button type="button" data-testid="text-pause" disabled={!running || status === 'loading-data'} onClick={() => store.pauseOrResume()}>
          {t(status === 'paused' ? 'train.resume' : 'train.pause')}
        </button>
        <button type="button" data-testid="text-stop" disabled={!running} onClick={() => store.stop()}>
          {t('train.stop')}
        </button>
      </div>
      <p class="progress-text" data-testid="text-status" data-status={status}>
        {statusLines(store).map((line, i) => (
          <span key={i} class="status-line">
            {line}
          </span>
        ))}
      </p>
      {error ? (
        <div class="error" role="alert" data-testid="text-error" data-code={error.code}>
          <strong>{error.title}</strong>
          <pre>{error.message}</pre>
        </div>
      ) : null}
      <p
        class="text-loss"
        data-testid="text-loss"
        data-value={validation === undefined ? '' : String(validation)}
        data-best={best ? String(best.loss) : ''}
        data-best-step={best ? String(best.step) : ''}
        data-baseline={Number.isNaN(history.baseline) ? '' : String(history.baseline)}
      >
        {loss}
      </p>
    </>
  );
}

function statusLines(store: TextStore): string[] {
  const lines: string[] = [t(`text.status.${store.status.value}` as MessageKey)];
  const started = store.started.value;
  if (started) {
    const { stats, parameterCount, threads, config } = started;
    lines.push(
      tf('text.stats', {
        characters: count(stats.characters),
        vocabulary: stats.vocabulary_size,
        train: count(stats.train_characters),
        validation: count(stats.validation_characters),
        parameters: count(parameterCount),
        threads: formatCount(threads, 'backend.thread', 'backend.threads'),
        cell: config.cell.toUpperCase(),
      }),
    );
  }
  const loaded = store.loaded.value;
  if (loaded) lines.push(tf('text.loaded', { source: loaded.source, cell: loaded.config.cell.toUpperCase(), steps: count(loaded.steps), vocabulary: loaded.vocabularySize }));
  const p = store.progress.value;
  if (p) {
    lines.push(
      tf('text.progress', {
        step: count(p.step),
        epoch: p.epoch,
        loss: formatFixed(p.loss, 3),
        speed: count(Math.round(p.charactersPerSecond)),
        clipped: formatFixed(p.clippedFraction * 100, 1),
        seconds: formatFixed(p.seconds, 0),
      }),
    );
  }
  const done = store.done.value;
  if (done && !store.running.value) {
    const key = done.stoppedEarly ? 'text.done.early' : done.stopped ? 'text.done.stopped' : 'text.done.finished';
    lines.push(tf(key, { step: count(done.step), seconds: formatFixed(done.seconds, 0), patience: started?.config.patience ?? '' }));
  }
  return lines;
}

function chartOptions(asPerplexity: boolean): LineChartOptions {
  return {
    title: t(asPerplexity ? 'text.chart.perplexity' : 'text.chart.loss'),
    xLabel: t('text.chart.step'),
    yLabel: t(asPerplexity ? 'text.chart.perplexityAxis' : 'text.chart.lossAxis'),
    series: [
      { label: t('text.chart.train'), color: '#3552c8', spanGaps: true },
      { label: t('text.chart.validation'), color: '#d9730d', points: true, spanGaps: true },
      { label: t('text.chart.baseline'), color: '#8a8a8a', spanGaps: true },
      { label: t('text.chart.best'), color: '#1a7f37', points: true },
    ],
    formatY: (v) => formatFixed(v, asPerplexity ? 1 : 2),
    testId: asPerplexity ? 'text-perplexity-chart' : 'text-loss-chart',
  };
}

/** The loss and perplexity curves (uPlot, leaf widgets): redrawn at most once per animation frame, however many events arrive. */
function TextCharts({ store }: { store: TextStore }) {
  const locale = pageLocale.value;
  const charts = useMemo(() => ({ loss: new LineChart(chartOptions(false)), perplexity: new LineChart(chartOptions(true)), locale }), []);
  if (charts.locale !== locale) {
    charts.locale = locale;
    charts.loss.relabel(chartOptions(false));
    charts.perplexity.relabel(chartOptions(true));
  }
  useEffect(() => {
    const draw = () => {
      const loss = store.history.series(false);
      charts.loss.setData(loss.x, loss.ys);
      const ppl = store.history.series(true);
      charts.perplexity.setData(ppl.x, ppl.ys);
      charts.loss.element.dataset['points'] = String(loss.x.length);
    };
    const frame = oncePerFrame(draw);
    draw();
    const unsubscribe = effect(() => {
      void store.curves.value;
      frame.schedule();
    });
    return () => {
      unsubscribe();
      frame.cancel();
      charts.loss.destroy();
      charts.perplexity.destroy();
    };
  }, [store, charts]);
  return (
    <div class="charts">
      <Mount node={charts.loss.element} />
      <Mount node={charts.perplexity.element} />
    </div>
  );
}

/** The best validation point (the model the run keeps), under the charts. */
function BestMarker({ store }: { store: TextStore }) {
  void pageLocale.value; // redrawn in the page's language
  void store.curves.value;
  const best = store.history.best;
  return (
    <p class="muted" data-testid="text-best-marker" data-step={best ? String(best.step) : ''}>
      {best ? tf('text.chart.bestLabel', { loss: formatFixed(best.loss, 2), step: count(best.step) }) : ''}
    </p>
  );
}

/** The last sample (during training or asked for) and the controls that generate one. */
function TextSampler({ store }: { store: TextStore }) {
  void pageLocale.value; // redrawn in the page's language
  const sample = store.sample.value;
  const pending = store.pendingGenerate.value !== 0;
  return (
    <>
      <h3>{t('text.sample.title')}</h3>
      <div class="text-sample-box">
        <p class="muted">
          {sample
            ? tf(sample.kind === 'training' ? 'text.sample.training' : 'text.sample.generated', {
                model: t(`text.model.${sample.model}`),
                step: count(sample.step),
                temperature: formatFixed(sample.temperature, 2),
              })
            : t(pending ? 'text.sample.waiting' : 'text.sample.none')}
        </p>
        <pre
          class="text-sample"
          data-testid="text-sample"
          data-kind={sample?.kind ?? ''}
          data-temperature={sample ? String(sample.temperature) : ''}
          data-step={sample ? String(sample.step) : ''}
          data-model={sample?.model ?? ''}
        >
          {sample ? (
            <>
              <strong>{sample.prime}</strong>
              {sample.text}
            </>
          ) : null}
        </pre>
      </div>
      <div class="train-form">
        <Field id="text-prime-input" label={t('text.prime')}>
          <input id="text-prime-input" type="text" data-testid="text-prime" value={store.prime.value} onInput={(event) => (store.prime.value = event.currentTarget.value)} />
        </Field>
        <Field id="text-length-input" label={t('text.length')}>
          <input id="text-length-input" type="text" inputmode="numeric" data-testid="text-length" value={store.sampleLength.value} onInput={(event) => (store.sampleLength.value = event.currentTarget.value)} />
        </Field>
        <Field id="text-temperature-input" label={t('text.temperature')} hint={t('text.temperature.hint')}>
          <span>
            <input
              id="text-temperature-input"
              type="range"
              min={0}
              max={2}
              step={0.05}
              value={store.temperature.value}
              data-testid="text-temperature"
              onInput={(event) => (store.temperature.value = Number(event.currentTarget.value))}
            />{' '}
            <output data-testid="text-temperature-value">{formatFixed(store.temperature.value, 2)}</output>
          </span>
        </Field>
        <Field id="text-sample-from-select" label={t('text.sampleFrom')}>
          <Choice id="text-sample-from-select" testId="text-sample-from" value={store.sampleFrom.value} choices={['best', 'last'] as const} labelPrefix="text.sampleFrom" onChange={(value) => (store.sampleFrom.value = value)} />
        </Field>
      </div>
      <div class="buttons">
        <button type="button" class="primary" data-testid="text-generate" disabled={!store.hasModel.value || pending} onClick={() => store.generate()}>
          {t('text.generate')}
        </button>
      </div>
    </>
  );
}

/** Save the model (the engine's file or ONNX) and load a saved one. */
function TextModelFile({ store }: { store: TextStore }) {
  void pageLocale.value; // redrawn in the page's language
  const hasModel = store.hasModel.value;
  return (
    <>
      <h3>{t('text.model.title')}</h3>
      <div class="buttons">
        <button type="button" data-testid="text-save" disabled={!hasModel} onClick={() => void store.save()}>
          {t('text.save')}
        </button>
        <button type="button" data-testid="text-export-onnx" disabled={!hasModel} onClick={() => void store.save('onnx')}>
          {t('keep.exportOnnx')}
        </button>
      </div>
      <Field id="text-load-input" label={t('text.load')} hint={t('text.load.hint')}>
        <input
          id="text-load-input"
          type="file"
          accept=".profundo"
          data-testid="text-load"
          onChange={(event) => {
            const input = event.currentTarget;
            const chosen = input.files?.[0];
            if (chosen) void store.load(chosen);
            input.value = '';
          }}
        />
      </Field>
    </>
  );
}
