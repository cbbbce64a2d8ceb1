// Per parameter, the histograms of its values and of its last gradient, after the epoch the slider
// picks (the last one by default, following new epochs as they come).
import { t, tf } from '../../i18n';
import type { ParameterHistograms } from '../../engine/inspect-types';
import { pageLocale } from '../../shell/page-locale';
import { HistogramCanvas } from './canvas';
import type { InsideStore } from './inside-store';
import { shapeText, valueText } from './numbers';

const COLORS = { values: '#3552c8', gradients: '#d9730d' } as const;

export function Histograms({ store }: { store: InsideStore }) {
  void pageLocale.value;
  const histograms = store.histograms.value;
  const chosen = store.shownEpoch.value;
  const position = chosen === undefined ? histograms.length - 1 : Math.min(chosen, histograms.length - 1);
  const shown = histograms[position];
  return (
    <div class="histograms" data-testid="histograms" data-epoch={shown?.epoch} data-epochs={shown ? histograms.length : undefined}>
      <h4>{t('inside.hist.title')}</h4>
      <p class="muted">{t('inside.hist.intro')}</p>
      {shown ? (
        <>
          <label class="field" for="histogram-epoch">
            <span>{tf('inside.hist.epoch', { epoch: shown.epoch })}</span>
            <input
              type="range"
              min={0}
              max={histograms.length - 1}
              step={1}
              value={position}
              id="histogram-epoch"
              data-testid="histogram-epoch"
              disabled={histograms.length < 2}
              onInput={(event) => store.showEpoch(Number(event.currentTarget.value))}
            />
          </label>
          <div class="histogram-table">
            {shown.parameters.map((p) => (
              <ParameterRow key={`${p.layer}.${p.name}`} parameter={p} />
            ))}
          </div>
        </>
      ) : (
        <p class="muted">{t('inside.loading')}</p>
      )}
    </div>
  );
}

function ParameterRow({ parameter: p }: { parameter: ParameterHistograms }) {
  void pageLocale.value;
  const name = tf('inside.hist.parameter', { layer: p.layer, kind: p.layer_kind, name: p.name, shape: shapeText(p.shape) });
  return (
    <div class="histogram-row" data-layer={p.layer} data-name={p.name}>
      <p>{name}</p>
      {(['values', 'gradients'] as const).map((kind) => {
        const histogram = p[kind];
        return (
          <figure key={kind} data-kind={kind} data-count={histogram.finite + histogram.non_finite}>
            <HistogramCanvas histogram={histogram} color={COLORS[kind]} label={`${name}: ${t(`inside.hist.${kind}`)}`} />
            <figcaption>
              {`${t(`inside.hist.${kind}`)}: ${valueText(histogram.low)} … ${valueText(histogram.high)}`}
              {histogram.non_finite > 0 ? ` · ${tf('inside.hist.nonFinite', { count: histogram.non_finite })}` : ''}
            </figcaption>
          </figure>
        );
      })}
    </div>
  );
}
