// Lists the datasets that `npm run data` prepared (public/data/manifest.json).
import { pageLocale } from '../shell/page-locale';
import { t } from '../i18n';

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

export function DatasetsPanel({ manifest }: { manifest: DataManifest | undefined }) {
  void pageLocale.value;
  return (
    <section class="card" aria-labelledby="datasets-title">
      <h2 id="datasets-title">{t('datasets.title')}</h2>
      {!manifest ? (
        <p class="muted">{t('datasets.none')}</p>
      ) : (
        <ul class="datasets" data-testid="datasets">
          {manifest.datasets.map((dataset) => (
            <li key={dataset.id} data-dataset={dataset.id} data-available={String(dataset.available)}>
              <span class="name">{dataset.id}</span>
              <span class={dataset.available ? 'ok' : 'muted'}>{t(dataset.available ? 'datasets.available' : 'datasets.missing')}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
