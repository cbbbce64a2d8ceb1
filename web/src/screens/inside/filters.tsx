// The learned convolution filters: per conv layer a grid of its kernels (at most MAX_KERNELS), on a
// range symmetric around 0 so that grey is 0, white positive and black negative.
import { t, tf } from '../../i18n';
import type { ConvFilters } from '../../engine/inspect-types';
import { pageLocale } from '../../shell/page-locale';
import { GrayCanvas } from './canvas';
import type { InsideStore } from './inside-store';
import { symmetricRange } from './maps';
import { valueText } from './numbers';

/** At most this many kernels per conv layer are drawn. */
export const MAX_KERNELS = 128;

export function Filters({ store }: { store: InsideStore }) {
  void pageLocale.value;
  const filters = store.filters.value;
  return (
    <div class="filters" data-testid="filters" data-state={filters ? 'ready' : 'loading'}>
      <h4>{t('inside.filters.title')}</h4>
      {!filters && <p class="muted">{t('inside.loading')}</p>}
      {filters?.length === 0 && <p class="muted">{t('inside.filters.none')}</p>}
      {filters?.map((layer) => (
        <LayerFilters key={layer.layer} filters={layer} />
      ))}
    </div>
  );
}

function LayerFilters({ filters }: { filters: ConvFilters }) {
  void pageLocale.value;
  const [count = 0, channels = 0, kh = 0, kw = 0] = filters.shape;
  const range = symmetricRange(filters.weights);
  const perFilter = Math.min(channels, Math.max(1, Math.floor(MAX_KERNELS / count)));
  // One row per filter (its kernels side by side); single-channel filters simply in rows of 16.
  const columns = perFilter > 1 ? perFilter : Math.min(count, 16);
  const scale = Math.max(1, Math.round(32 / Math.max(kh, kw)));
  const style = { width: `${kw * scale}px`, height: `${kh * scale}px` };
  const kernels: { k: number; c: number }[] = [];
  for (let k = 0; k < count && k * perFilter < MAX_KERNELS; k++) for (let c = 0; c < perFilter; c++) kernels.push({ k, c });
  return (
    <div class="layer-filters" data-layer={filters.layer} data-kernels={kernels.length}>
      <p>{tf('inside.filters.caption', { layer: filters.layer, count, channels, size: `${kh} × ${kw}`, bound: valueText(range.high) })}</p>
      <div class="filter-grid" style={{ gridTemplateColumns: `repeat(${columns}, auto)` }}>
        {kernels.map(({ k, c }) => (
          <GrayCanvas key={`${k}.${c}`} values={filters.weights} offset={(k * channels + c) * kh * kw} height={kh} width={kw} range={range} title={`${k}.${c}`} style={style} />
        ))}
      </div>
    </div>
  );
}
