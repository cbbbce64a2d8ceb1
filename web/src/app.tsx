// The app shell (Preact, state in signals): the top bar (title, views, help, language), the
// engine's status, and the view the URL hash asks for (routes.ts): the MNIST lab's workspace, the
// text lab, the labs' contents or one lab. Screens not yet components are imperative classes that
// own their DOM (built once, kept across renders); <Mount> places their elements.
import { signal } from '@preact/signals';
import { render } from 'preact';
import { t } from './i18n';
import { LabsMenu } from './labs/labs-menu';
import { findLab } from './labs/registry';
import type { LabDefinition } from './labs/shared/lab';
import { LabClient } from './labs/shared/lab-client';
import { parseRoute, routeHash, type LabName, type Route } from './routes';
import { pageLocale } from './shell/page-locale';
import { StartHereButton } from './shell/start-here';
import { askServiceWorker, type ServiceWorkerSetup } from './sw/register';
import { BackendPanel, type BackendState, type RuntimeStatus } from './ui/backend-panel';
import { DatasetsPanel, fetchManifest, type DataManifest } from './ui/datasets-panel';
import { LanguageSwitch } from './ui/language-switch';
import { Mount } from './ui/mount';
import { DataPanel, DataTab } from './screens/data/data-panel';
import { RunsScreen } from './screens/runs/runs-screen';
import { RunsStore } from './screens/runs/runs-store';
import type { TextLab } from './screens/text/text-lab';
import type { TextStore } from './screens/text/text-store';
import { TrainScreen } from './screens/train/train-screen';
import { InsideTab } from './screens/train/train-view';
import { Workspace } from './screens/train/workspace';
import { EngineClient, isEngineError } from './worker/engine-client';
import { FATAL_ERROR_CODES } from './worker/protocol';

/** ?testHooks=1: the engine honours test-only requests, reachable as window.profundoTestHooks. */
function testHooksEnabled(): boolean {
  return new URLSearchParams(location.search).get('testHooks') === '1';
}

export function startApp(root: HTMLElement, serviceWorker: ServiceWorkerSetup): void {
  // Absolute URL of the app's folder (base is './' so the build works from any path).
  const assetBase = new URL(import.meta.env.BASE_URL, document.baseURI).href;
  const isolation = serviceWorker.isolation;
  const backend = signal<BackendState>({ kind: 'loading' });
  const offline = signal<RuntimeStatus['offline']>(serviceWorker.registration ? 'storing' : 'unavailable');
  const manifest = signal<DataManifest | undefined>(undefined);
  // The data files the service worker has stored (undefined: none yet, or no service worker).
  const storedData = signal<ReadonlySet<string> | undefined>(undefined);
  const online = signal(navigator.onLine);
  const route = signal<Route>(parseRoute(location.hash));
  const testHooks = testHooksEnabled();

  const engine = new EngineClient();
  engine.on('log', (event) => (event.stream === 'stderr' ? console.warn : console.log)(`[engine] ${event.text}`));
  // Built once and kept across re-renders (they hold the charts and the run's state).
  const trainScreen = new TrainScreen(engine);
  const runsStore = new RunsStore(engine);
  void runsStore.open();
  const dataPanel = new DataPanel(engine, trainScreen.config);
  const labClient = new LabClient(engine);
  // The text lab's code, loaded on its first visit (as the labs'): the page starts without it.
  // Its store is created then and kept, so the run survives leaving the view.
  let textLab: { store: TextStore; View: typeof TextLab } | undefined;
  let textLoad: Promise<void> | undefined;
  let textLoadError: string | undefined;
  const chunkLoads = signal(0);
  const textView = () => {
    if (textLab) return <textLab.View store={textLab.store} />;
    if (textLoadError !== undefined) return <p class="card lab-error" role="alert">{`${t('labs.loadFailed')} ${textLoadError}`}</p>;
    textLoad ??= Promise.all([import('./screens/text/text-store'), import('./screens/text/text-lab')])
      .then(
        ([{ TextStore }, { TextLab }]) => {
          textLab = { store: new TextStore(engine), View: TextLab };
        },
        (error: unknown) => {
          textLoadError = String(error);
        },
      )
      .finally(() => chunkLoads.value++);
    return <p class="card muted">{t('labs.loading')}</p>;
  };
  // The data tab's samples and augmentation preview are asked of the engine when the tab is first
  // opened (not at start: the worker answers the form's first requests sooner), and again after a restart.
  let dataWanted = false;
  const startDataPanel = () => {
    dataWanted ||= route.value.view === 'train' && route.value.panel === 'data';
    if (dataWanted && backend.value.kind === 'ready') dataPanel.start();
  };
  // The open lab is a component: unmounted when its route is left; `labGeneration` remounts it
  // after an engine restart (its engine objects died with the old worker).
  let labGeneration = 0;

  // Each lab's code, loaded on its first visit (chunkLoads counts arrivals: the shell redraws).
  const loadedLabs = new Map<LabName, LabDefinition | Error>();
  const labView = (name: LabName) => {
    const lab = findLab(name);
    if (!lab) return <LabsMenu unknownLab={name} />;
    const loaded = loadedLabs.get(name);
    if (loaded === undefined) {
      void lab.load().then(
        (definition) => loadedLabs.set(name, definition),
        (error: unknown) => loadedLabs.set(name, error instanceof Error ? error : new Error(String(error))),
      ).finally(() => chunkLoads.value++);
      return <p class="card muted">{t('labs.loading')}</p>;
    }
    if (loaded instanceof Error) return <p class="card lab-error" role="alert">{`${t('labs.loadFailed')} ${loaded.message}`}</p>;
    return <loaded.View key={`${name}-${labGeneration}`} client={labClient} />;
  };

  const viewContent = (current: Route) => {
    if (current.view === 'train') {
      const panels = {
        data: (
          <>
            <DatasetsPanel manifest={manifest.value} offline={{ storedFiles: storedData.value, online: online.value }} />
            <DataTab panel={dataPanel} />
          </>
        ),
        inside: <InsideTab screen={trainScreen} />,
        history: <RunsScreen store={runsStore} />,
      };
      return <Workspace panel={current.panel} trainScreen={trainScreen} panels={panels} />;
    }
    if (current.view === 'text') {
      return textView();
    }
    if (current.view === 'labs') {
      return <LabsMenu unknownLab={current.unknownLab} />;
    }
    return labView(current.lab);
  };

  function NavLink({ target, label, testId, current }: { target: Route; label: string; testId: string; current: boolean }) {
    return (
      <a href={routeHash(target)} data-testid={testId} aria-current={current ? 'page' : undefined}>
        {label}
      </a>
    );
  }

  function App() {
    void pageLocale.value; // every label follows the language
    void chunkLoads.value;
    const current = route.value;
    document.title = t('app.title');
    return (
      <>
        <header class="top">
          <div class="brand">
            <h1>{t('app.title')}</h1>
            <p class="tagline">{t('app.tagline')}</p>
          </div>
          <nav class="views" data-testid="views">
            <NavLink target={{ view: 'train' }} label={t('nav.train')} testId="nav-train" current={current.view === 'train'} />
            <NavLink target={{ view: 'labs' }} label={t('nav.labs')} testId="nav-labs" current={current.view === 'labs' || current.view === 'lab'} />
            <NavLink target={{ view: 'text' }} label={t('nav.text')} testId="nav-text" current={current.view === 'text'} />
          </nav>
          <div class="top-actions">
            <StartHereButton />
            <LanguageSwitch />
          </div>
        </header>
        <div class="status-bar">
          <BackendPanel state={backend.value} runtime={{ isolation, offline: offline.value }} onRestart={restart} />
        </div>
        <main class={current.view === 'train' ? 'workspace-view' : 'labs-view'}>{viewContent(current)}</main>
      </>
    );
  }

  window.addEventListener('hashchange', () => {
    const next = parseRoute(location.hash);
    if (JSON.stringify(next) === JSON.stringify(route.value)) return; // another training setting
    const dataOpened = !dataWanted;
    route.value = next;
    if (dataOpened) startDataPanel();
    if (next.view === 'train' && next.panel === 'data') askOfflineCopy('status'); // a dataset may have been stored since
  });

  const initEngine = () => {
    engine
      .init(assetBase, { testHooks })
      .then(({ backend: info, presets, layerDefaults }) => {
        backend.value = { kind: 'ready', info };
        labClient.engineLoaded();
        trainScreen.setPresets(presets, layerDefaults);
        startDataPanel();
      })
      .catch((error: unknown) => {
        const failed: BackendState = { kind: 'failed', error: isEngineError(error) ? error : { code: 'internal', message: String(error) } };
        backend.value = failed;
        labClient.engineLoaded(failed.error);
      });
  };
  // A crash after the engine was ready: the panel shows it with Restart.
  engine.on('error', (event) => {
    if (backend.value.kind !== 'ready' || !FATAL_ERROR_CODES.includes(event.error.code)) return;
    backend.value = { kind: 'failed', error: event.error };
  });
  // A fresh worker and engine; the page (form, charts, tables) keeps its state.
  function restart(): void {
    engine.restart();
    labGeneration++; // the open lab's engine objects died with the old worker: remounted on the next render
    trainScreen.engineRestarted();
    textLab?.store.engineRestarted();
    backend.value = { kind: 'loading' };
    initEngine();
  }

  initEngine(); // first: the worker and its wasm load while the page renders
  render(<App />, root);
  if (testHooks) Object.assign(globalThis, { profundoTestHooks: { crashEngine: () => engine.api.crash().catch(() => undefined) } });

  void fetchManifest(assetBase).then((loaded) => {
    manifest.value = loaded;
    dataPanel.setManifest(loaded);
  });

  for (const type of ['online', 'offline']) window.addEventListener(type, () => (online.value = navigator.onLine));

  /** Asks the service worker to store MNIST ('store-data') or how much is stored ('status'). */
  function askOfflineCopy(type: 'store-data' | 'status'): void {
    if (!serviceWorker.registration) return;
    askServiceWorker(serviceWorker.registration, { type })
      .then((reply) => {
        if (reply.type === 'failed') console.warn(`[profundo] offline copy: ${reply.message}`);
        if (reply.type === 'status') storedData.value = new Set(reply.storedData);
        if (type === 'store-data') offline.value = reply.type === 'status' && reply.stored === reply.total ? 'ready' : 'failed';
      })
      .catch((error: unknown) => {
        console.warn('[profundo] offline copy:', error);
        if (type === 'store-data') offline.value = 'failed';
      });
  }
  // After the first load: MNIST into the service worker's cache, so the lab trains offline.
  askOfflineCopy('store-data');
}
