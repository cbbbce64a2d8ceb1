// The feature maps of one image: the image with its true and predicted class, then each layer's
// output as grey maps (at most MAX_MAPS per layer), each layer on its own value range.
import { getLocale, t, tf } from '../../i18n';
import type { LayerOutput } from '../../engine/inspect-types';
import { pageLocale } from '../../shell/page-locale';
import { DigitCanvas } from '../../ui/digit-canvas';
import type { DatasetName } from '../../worker/protocol';
import { className } from '../data/class-names';
import { formatPercent } from '../train/format';
import { GrayCanvas } from './canvas';
import type { InsideStore, ShownOutputs } from './inside-store';
import { mapLayout, valueRange } from './maps';
import { shapeText, valueText } from './numbers';

/** At most this many maps per layer are drawn. */
export const MAX_MAPS = 32;
/** Maps are drawn about this many CSS pixels wide. */
const MAP_PIXELS = 56;

export function FeatureMaps({ store, dataset }: { store: InsideStore; dataset: DatasetName }) {
  void pageLocale.value;
  const outputs = store.outputs.value;
  const state = store.loading.value || !outputs ? 'loading' : 'ready';
  return (
    <div class="feature-maps" data-testid="feature-maps" data-state={state} data-layers={outputs?.answer.layers.length}>
      <h4>{t('inside.maps.title')}</h4>
      {outputs ? (
        <>
          <InspectedImage outputs={outputs} dataset={dataset} />
          {outputs.answer.layers
            .filter((layer) => layer.kind !== 'flatten')
            .map((layer) => (
              <LayerMaps key={layer.layer} layer={layer} />
            ))}
        </>
      ) : (
        <p class="muted">{t('inside.loading')}</p>
      )}
    </div>
  );
}

function InspectedImage({ outputs: { answer, testIndex }, dataset }: { outputs: ShownOutputs; dataset: DatasetName }) {
  void pageLocale.value;
  const { probabilities } = answer;
  const predicted = probabilities.indexOf(Math.max(...probabilities));
  const confidence = formatPercent(probabilities[predicted] ?? 0, getLocale());
  const name = (label: number) => className(dataset, label);
  const caption =
    answer.label !== undefined
      ? tf('inside.caption.test', { index: testIndex ?? 0, label: name(answer.label), predicted: name(predicted), confidence })
      : tf('inside.caption.pixels', { predicted: name(predicted), confidence });
  return (
    <figure class="inside-image" data-testid="inside-image" data-predicted={predicted}>
      <DigitCanvas pixels={answer.pixels} />
      <figcaption>{caption}</figcaption>
    </figure>
  );
}

function LayerMaps({ layer }: { layer: LayerOutput }) {
  void pageLocale.value;
  const { maps, height, width } = mapLayout(layer.shape);
  const range = valueRange(layer.values);
  const shown = Math.min(maps, MAX_MAPS);
  const scale = Math.max(1, Math.round(MAP_PIXELS / Math.max(height, width)));
  // A dense layer's output is one strip, at most 480 px wide (it shrinks with the card on a phone).
  const style = height === 1 ? { width: `${Math.min(width * 6, 480)}px`, height: '14px' } : { width: `${width * scale}px`, height: `${height * scale}px` };
  const caption = tf('inside.maps.caption', { layer: layer.layer, kind: layer.kind, shape: shapeText(layer.shape), low: valueText(range.low), high: valueText(range.high) });
  return (
    <div class="layer-maps" data-layer={layer.layer} data-kind={layer.kind} data-maps={shown}>
      <p>
        {caption}
        {shown < maps ? ` ${tf('inside.maps.more', { shown, total: maps })}` : ''}
      </p>
      <div class="maps">
        {Array.from({ length: shown }, (_, c) => (
          <GrayCanvas key={c} values={layer.values} offset={c * height * width} height={height} width={width} range={range} title={`${c}`} style={style} />
        ))}
      </div>
    </div>
  );
}
