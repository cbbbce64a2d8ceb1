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

/** What the page knows about its offline copy: the data files the service worker has stored
 *  (undefined without a service worker) and whether the browser is online. */
export interface OfflineData {
  storedFiles: ReadonlySet<string> | undefined;
  online: boolean;
}

/** What a dataset offers here: not prepared, stored (works offline), stored on first use (online), needs the network, or no service worker. */
export type DatasetOffline = 'missing' | 'stored' | 'on-first-use' | 'needs-network' | 'online';

export function datasetOffline(dataset: DatasetEntry, offline: OfflineData): DatasetOffline {
  if (!dataset.available) return 'missing';
  if (!offline.storedFiles) return 'online'; // no service worker: the page itself needs the network
  if (dataset.files.every((file) => offline.storedFiles!.has(`data/${file}`))) return 'stored';
  return offline.online ? 'on-first-use' : 'needs-network';
}

const OFFLINE_LABELS = {
  missing: 'datasets.missing',
  stored: 'datasets.storedOffline',
  'on-first-use': 'datasets.onFirstUse',
  'needs-network': 'datasets.needsNetwork',
  online: 'datasets.available',
} as const;

export function DatasetsPanel({ manifest, offline }: { manifest: DataManifest | undefined; offline: OfflineData }) {
  void pageLocale.value;
  return (
    <section class="card" aria-labelledby="datasets-title">
      <h2 id="datasets-title">{t('datasets.title')}</h2>
      {!manifest ? (
        <p class="muted">{t('datasets.none')}</p>
      ) : (
        <ul class="datasets" data-testid="datasets">
          {manifest.datasets.map((dataset) => {
            const state = datasetOffline(dataset, offline);
            const usable = state !== 'missing' && state !== 'needs-network';
            return (
              <li key={dataset.id} data-dataset={dataset.id} data-available={String(dataset.available)} data-offline={state}>
                <span class="name">{dataset.id}</span>
                <span class={usable ? 'ok' : 'muted'}>{t(OFFLINE_LABELS[state])}</span>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
