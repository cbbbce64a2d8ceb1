// Lists the datasets that `npm run data` prepared (public/data/manifest.json).
import { t } from '../i18n';
import { h } from './dom';

export interface DatasetEntry {
  id: string;
  available: boolean;
  files: string[];
}

export interface DataManifest {
  version: 1;
  datasets: DatasetEntry[];
}

export async function fetchManifest(assetBase: string): Promise<DataManifest | undefined> {
  try {
    const response = await fetch(new URL('data/manifest.json', assetBase));
    return response.ok ? ((await response.json()) as DataManifest) : undefined;
  } catch {
    return undefined;
  }
}

export function renderDatasetsPanel(manifest: DataManifest | undefined): HTMLElement {
  const panel = h('section', { class: 'card', 'aria-labelledby': 'datasets-title' }, h('h2', { id: 'datasets-title' }, t('datasets.title')));
  if (!manifest) {
    panel.append(h('p', { class: 'muted' }, t('datasets.none')));
    return panel;
  }
  const list = h('ul', { class: 'datasets', 'data-testid': 'datasets' });
  for (const dataset of manifest.datasets) {
    list.append(
      h(
        'li',
        { 'data-dataset': dataset.id, 'data-available': String(dataset.available) },
        h('span', { class: 'name' }, dataset.id),
        h('span', { class: dataset.available ? 'ok' : 'muted' }, t(dataset.available ? 'datasets.available' : 'datasets.missing')),
      ),
    );
  }
  panel.append(list);
  return panel;
}
