// The exported report of a run: one self-contained HTML file (inline CSS, charts as inline SVG,
// images as PNG data URLs, no script and no external resource) that prints well to PDF. A pure
// function of the run record and the language, so unit tests check it as text.
import { optimizerName, t, tf, type Locale, type MessageKey } from '../i18n';
import { diagnose, HIGH_BIAS_POINTS, HIGH_VARIANCE_POINTS, HUMAN_ERROR_PERCENT } from '../screens/train/diagnosis';
import { formatDuration, formatLoss, formatPercent } from '../screens/train/format';
import { layerFields } from '../screens/train/layer-types';
import { augmentationOn, l2Text, optimizerFieldsText } from '../screens/train/settings';
import { formatSetting } from '../ui/format';
import type { RunRecord } from '../storage/run-record';
import { greyPngDataUrl } from './png';
import { escapeXml as esc, svgLineChart } from './svg-chart';

const IMAGE_BYTES = 28 * 28;

const STYLE = `
*{box-sizing:border-box}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d1d1f;margin:0 auto;max-width:760px;padding:24px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:16px;margin:24px 0 8px;border-bottom:1px solid #ddd;padding-bottom:4px}
.meta{color:#555;margin:0 0 16px}
table{border-collapse:collapse;margin:4px 0 8px}th,td{border:1px solid #ddd;padding:3px 7px;text-align:right}
th{background:#f4f4f2;font-weight:600}td.text,th.text{text-align:left}
.accuracy{font-size:32px;font-weight:700;margin:4px 0}
.muted{color:#666}
.confusion td,.confusion th{padding:2px 5px;font-size:12px;min-width:34px}
.gallery{display:flex;flex-wrap:wrap;gap:10px}
figure{margin:0;text-align:center;font-size:12px}
figure img{width:84px;height:84px;image-rendering:pixelated;border:1px solid #ccc;display:block;margin:0 auto 2px}
svg{max-width:100%;height:auto;display:block}
section,figure,table,svg{break-inside:avoid;page-break-inside:avoid}
@page{size:A4;margin:14mm}
@media print{body{padding:0;max-width:none}h2{break-after:avoid;page-break-after:avoid}a{color:inherit;text-decoration:none}}
`;

function row(label: string, value: string): string {
  return `<tr><th class="text" scope="row">${esc(label)}</th><td class="text">${esc(value)}</td></tr>`;
}

export function formatDate(iso: string, locale: Locale): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' }).format(new Date(iso)) + ' UTC';
}

function scheduleText(run: RunRecord, locale: Locale): string {
  const { kind, c1, c2, gamma, step_size } = run.settings.training.schedule;
  const name = t(`hyper.schedule.${kind}` as MessageKey, locale) ?? kind;
  if (kind === 'inverse_time') return `${name} (c1 = ${c1}, c2 = ${c2})`;
  if (kind === 'step' || kind === 'exponential') return `${name} (γ = ${gamma}, ${step_size})`;
  return name;
}

/** The strengths that transform (σ only with an elastic α), or "off" for a run without augmentation. */
function augmentText(run: RunRecord, locale: Locale): string {
  const a = run.settings.data.augment;
  if (!augmentationOn(a)) return t('report.augmentOff', locale);
  const parts: [MessageKey, number][] = [
    ['data.shift', a.max_shift],
    ['data.rotation', a.max_rotation],
    ['data.zoom', a.max_zoom],
    ['data.elasticAlpha', a.elastic_alpha],
  ];
  const on = parts.filter(([, value]) => value > 0).map(([key, value]) => `${t(key, locale)} ${formatSetting(value, locale)}`);
  if (a.elastic_alpha > 0) on.push(`${t('data.elasticSigma', locale)} ${formatSetting(a.elastic_sigma, locale)}`);
  return on.join(', ');
}

/** "Adam (β1 0.9, β2 0.999, ε 1e-8)": the optimiser and every field its kind reads. */
function optimizerText(run: RunRecord, locale: Locale): string {
  const fields = optimizerFieldsText(run.settings.training.optimizer, locale);
  const name = optimizerName(run.settings.optimizer, locale);
  return fields ? `${name} (${fields})` : name;
}

/** "flatten → dense(units 10) · softmax_cross_entropy": each layer with the fields it reads. */
export function modelText(run: RunRecord): string {
  const { layers, loss, input } = run.settings.model;
  const described = layers.map((layer) => {
    const fields = layerFields(layer.type).map((field) => `${field} ${String(layer[field])}`);
    return fields.length ? `${layer.type}(${fields.join(', ')})` : layer.type;
  });
  return `[${input.join('×')}] → ${described.join(' → ')} · ${loss}`;
}

function configuration(run: RunRecord, locale: Locale): string {
  const s = run.settings;
  const optimizer = optimizerText(run, locale);
  return `<section><h2>${esc(t('report.configuration', locale))}</h2><table data-section="configuration"><tbody>
${row(t('train.preset', locale), s.preset)}
${row(t('train.dataset', locale), s.dataset)}
${row(t('train.epochs', locale), String(s.epochs))}
${row(t('train.batchSize', locale), String(s.batchSize))}
${row(t('train.learningRate', locale), String(s.learningRate))}
${row(t('train.optimizer', locale), optimizer)}
${row(t('train.seed', locale), String(s.seed))}
${row(t('hyper.l2', locale), l2Text(s.training, locale))}
${row(t('hyper.schedule', locale), scheduleText(run, locale))}
${s.training.clip_norm > 0 ? row(t('hyper.clipNorm', locale), formatSetting(s.training.clip_norm, locale)) : ''}
${row(t('data.devSize', locale), String(s.data.dev_size))}
${row(t('data.normalization', locale), t(`data.normalization.${s.data.normalization}` as MessageKey, locale) ?? s.data.normalization)}
${row(t('data.augment', locale), augmentText(run, locale))}
${row(t('report.model', locale), modelText(run))}
${row(t('report.split', locale), tf('report.splitValue', { train: run.trainCount, dev: run.devCount, test: run.testCount }, locale))}
${row(t('report.time', locale), formatDuration(run.seconds))}
${row(t('report.backend', locale), run.backend)}
${run.continued ? row(t('report.continued', locale), t('report.continuedValue', locale)) : ''}
</tbody></table></section>`;
}

function curves(run: RunRecord, locale: Locale): string {
  const loss = svgLineChart({
    title: t('train.chart.loss', locale),
    xLabel: t('train.chart.step', locale),
    yLabel: t('train.chart.lossAxis', locale),
    series: [{ label: t('train.chart.lossSeries', locale), color: '#3552c8', x: run.lossSteps, y: run.losses }],
    formatY: (v) => formatLoss(v, locale),
  });
  const accuracy = svgLineChart({
    title: t('train.chart.accuracy', locale),
    xLabel: t('train.progress.epoch', locale),
    yLabel: t('train.chart.accuracyAxis', locale),
    series: [
      { label: t('train.set.train', locale), color: '#3552c8', x: run.epochs.map((e) => e.epoch), y: run.epochs.map((e) => e.trainAccuracy * 100), points: true },
      { label: t('train.set.dev', locale), color: '#d9730d', x: run.epochs.map((e) => e.epoch), y: run.epochs.map((e) => e.devAccuracy * 100), points: true },
    ],
    formatY: (v) => `${v.toFixed(1)} %`,
    integerX: true,
  });
  const head = (['train.progress.epoch', 'train.metrics.trainLoss', 'train.metrics.trainAccuracy', 'train.metrics.devLoss', 'train.metrics.devAccuracy'] as const)
    .map((key) => `<th scope="col">${esc(t(key, locale))}</th>`)
    .join('');
  const rows = run.epochs
    .map((e) => `<tr><td>${e.epoch}</td><td>${esc(formatLoss(e.trainLoss, locale))}</td><td>${esc(formatPercent(e.trainAccuracy, locale))}</td><td>${esc(formatLoss(e.devLoss, locale))}</td><td>${esc(formatPercent(e.devAccuracy, locale))}</td></tr>`)
    .join('');
  return `<section><h2>${esc(t('report.curves', locale))}</h2><figure data-chart="loss">${loss}</figure><figure data-chart="accuracy">${accuracy}</figure>
<table data-section="epochs"><thead><tr>${head}</tr></thead><tbody>${rows}</tbody></table>
<p class="muted">${esc(tf('train.metrics.caption', { sample: run.trainSample, train: run.trainCount, dev: run.devCount }, locale))}</p></section>`;
}

function biasVariance(run: RunRecord, locale: Locale): string {
  const last = run.epochs.at(-1);
  if (!last) return '';
  const trainError = 1 - last.trainAccuracy;
  const devError = 1 - last.devAccuracy;
  const d = diagnose(trainError * 100, devError * 100);
  return `<section data-section="diagnosis" data-reading="${d.reading}"><h2>${esc(t('results.diagnosis.title', locale))}</h2>
<p>${esc(tf('results.diagnosis.errors', { train: formatPercent(trainError, locale), dev: formatPercent(devError, locale), sample: run.trainSample, human: HUMAN_ERROR_PERCENT }, locale))}</p>
<p><strong>${esc(t(`results.diagnosis.${d.reading}` as MessageKey, locale))}</strong></p>
<p class="muted">${esc(tf('results.diagnosis.thresholds', { bias: HIGH_BIAS_POINTS, variance: HIGH_VARIANCE_POINTS }, locale))}</p></section>`;
}

function confusion(run: RunRecord, locale: Locale): string {
  const k = run.classes;
  const offDiagonal = run.confusion.filter((_, i) => i % (k + 1) !== 0);
  const max = Math.max(1, ...offDiagonal);
  const head = `<tr><th>${esc(`${t('results.confusion.true', locale)} \\ ${t('results.confusion.predicted', locale)}`)}</th>${Array.from({ length: k }, (_, p) => `<th>${p}</th>`).join('')}<th>${esc(t('results.confusion.accuracy', locale))}</th></tr>`;
  const rows = Array.from({ length: k }, (_, label) => {
    const cells = Array.from({ length: k }, (_, p) => {
      const count = run.confusion[label * k + p] ?? 0;
      const style = label === p ? 'background:#e7eefb;font-weight:600' : count > 0 ? `background:rgba(217,115,13,${(0.15 + 0.85 * (count / max)).toFixed(2)})` : '';
      return `<td${style ? ` style="${style}"` : ''}>${count}</td>`;
    }).join('');
    return `<tr><th>${label}</th>${cells}<td data-class="${label}">${esc(formatPercent(run.perClassAccuracy[label] ?? 0, locale))}</td></tr>`;
  }).join('');
  return `<section><h2>${esc(t('results.confusion.title', locale))}</h2><p class="muted">${esc(t('report.confusionCaption', locale))}</p>
<table class="confusion" data-section="confusion"><thead>${head}</thead><tbody>${rows}</tbody></table></section>`;
}

function mistakes(run: RunRecord, locale: Locale): string {
  const figures = run.mistakes.map((m, i) => {
    const src = greyPngDataUrl(run.mistakePixels.subarray(i * IMAGE_BYTES, (i + 1) * IMAGE_BYTES), 28, 28);
    const caption = tf('results.mistakes.caption', { predicted: m.predicted, confidence: formatPercent(m.confidence, locale), label: m.label }, locale);
    return `<figure><img src="${src}" alt="#${m.index}" width="28" height="28"><figcaption>${esc(caption)}</figcaption></figure>`;
  });
  return `<section data-section="mistakes"><h2>${esc(t('results.mistakes.title', locale))}</h2>${
    figures.length ? `<div class="gallery">${figures.join('')}</div>` : `<p class="muted">${esc(t('results.mistakes.none', locale))}</p>`
  }</section>`;
}

/** The whole report as an HTML document. */
export function buildReportHtml(run: RunRecord, locale: Locale): string {
  const title = tf('report.title', { preset: run.settings.preset, dataset: run.settings.dataset }, locale);
  return `<!doctype html>
<html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(title)}</title><style>${STYLE}</style></head>
<body>
<h1>${esc(title)}</h1>
<p class="meta">${esc(formatDate(run.date, locale))} · ${esc(run.backend)}</p>
<section><h2>${esc(t('train.test.title', locale))}</h2>
<p class="accuracy" data-test-accuracy="${run.testAccuracy}">${esc(formatPercent(run.testAccuracy, locale))}</p>
<p class="muted">${esc(tf('report.testDetail', { count: run.testCount, loss: formatLoss(run.testLoss, locale) }, locale))}</p></section>
${configuration(run, locale)}
${curves(run, locale)}
${biasVariance(run, locale)}
${confusion(run, locale)}
${mistakes(run, locale)}
<p class="muted">${esc(t('report.footer', locale))}</p>
</body></html>
`;
}
