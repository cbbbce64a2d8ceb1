// The app shell (Preact, state in signals): the top bar (title, views, help, language), the
// engine's status, and the view the URL hash asks for (routes.ts): the MNIST lab's workspace, the
// text lab, the labs' contents or one lab. Screens not yet components are imperative classes that
// own their DOM (built once, kept across renders); <Mount> places their elements.
import { signal } from '@preact/signals';
import { render } from 'preact';
import { onLocaleChange, t } from './i18n';
import { renderLabsMenu } from './labs/labs-menu';
import { findLab } from './labs/registry';
import type { LabDefinition, LabView } from './labs/shared/lab';
import { LabClient } from './labs/shared/lab-client';
import { parseRoute, routeHash, type LabName, type Route } from './routes';
import { pageLocale } from './shell/page-locale';
import { StartHereButton } from './shell/start-here';
import { askServiceWorker, type ServiceWorkerSetup } from './sw/register';
import { renderBackendPanel, type BackendState, type RuntimeStatus } from './ui/backend-panel';
import { DatasetsPanel, fetchManifest, type DataManifest } from './ui/datasets-panel';
import { h } from './ui/dom';
import { LanguageSwitch } from './ui/language-switch';
import { Mount } from './ui/mount';
import { DataPanel, DataTab } from './screens/data/data-panel';
import { RunsScreen } from './screens/runs/runs-screen';
import type { TextScreen } from './screens/text/text-screen';
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
  const route = signal<Route>(parseRoute(location.hash));
  const testHooks = testHooksEnabled();

  const engine = new EngineClient();
  engine.on('log', (event) => (event.stream === 'stderr' ? console.warn : console.log)(`[engine] ${event.text}`));
  // Built once and kept across re-renders (they hold the charts and the run's state).
  const trainScreen = new TrainScreen(engine);
  const runsScreen = new RunsScreen(engine);
  void runsScreen.open();
  const dataPanel = new DataPanel(engine, trainScreen.config);
  const labClient = new LabClient(engine);
  // The text lab's code, loaded on its first visit (as the labs'): the page starts without it.
  let textScreen: TextScreen | undefined;
  let textLoad: Promise<void> | undefined;
  let textLoadError: string | undefined;
  const chunkLoads = signal(0);
  const textView = (): HTMLElement => {
    if (textScreen) return textScreen.element;
    if (textLoadError !== undefined) return h('p', { class: 'card lab-error', role: 'alert' }, `${t('labs.loadFailed')} ${textLoadError}`);
    textLoad ??= import('./screens/text/text-screen')
      .then(
        ({ TextScreen }) => {
          textScreen = new TextScreen(engine);
        },
        (error: unknown) => {
          textLoadError = String(error);
        },
      )
      .finally(() => chunkLoads.value++);
    return h('p', { class: 'card muted' }, t('labs.loading'));
  };
  // The data tab's samples and augmentation preview are asked of the engine when the tab is first
  // opened (not at start: the worker answers the form's first requests sooner), and again after a restart.
  let dataWanted = false;
  const startDataPanel = () => {
    dataWanted ||= route.value.view === 'train' && route.value.panel === 'data';
    if (dataWanted && backend.value.kind === 'ready') dataPanel.start();
  };
  // The open lab, built when its route is entered and disposed when left (or relabelled).
  let openLab: { name: LabName; view: LabView } | undefined;

  // Each lab's code, loaded on its first visit (chunkLoads counts arrivals: the shell redraws).
  const loadedLabs = new Map<LabName, LabDefinition | Error>();
  const labView = (name: LabName): HTMLElement => {
    if (openLab?.name === name) return openLab.view.element;
    openLab?.view.dispose();
    openLab = undefined;
    const lab = findLab(name);
    if (!lab) return renderLabsMenu(name);
    const loaded = loadedLabs.get(name);
    if (loaded === undefined) {
      void lab.load().then(
        (definition) => loadedLabs.set(name, definition),
        (error: unknown) => loadedLabs.set(name, error instanceof Error ? error : new Error(String(error))),
      ).finally(() => chunkLoads.value++);
      return h('p', { class: 'card muted' }, t('labs.loading'));
    }
    if (loaded instanceof Error) return h('p', { class: 'card lab-error', role: 'alert' }, `${t('labs.loadFailed')} ${loaded.message}`);
    openLab = { name, view: loaded.create({ client: labClient }) };
    return openLab.view.element;
  };
  const closeLab = () => {
    openLab?.view.dispose();
    openLab = undefined;
  };

  const viewContent = (current: Route) => {
    if (current.view === 'train') {
      closeLab();
      const panels = {
        data: (
          <>
            <DatasetsPanel manifest={manifest.value} />
            <DataTab panel={dataPanel} />
          </>
        ),
        inside: <InsideTab screen={trainScreen} />,
        history: <Mount node={runsScreen.element} />,
      };
      return <Workspace panel={current.panel} trainScreen={trainScreen} panels={panels} />;
    }
    if (current.view === 'text') {
      closeLab();
      return <Mount node={textView()} />;
    }
    if (current.view === 'labs') {
      closeLab();
      return <Mount node={renderLabsMenu(current.unknownLab)} />;
    }
    return <Mount node={labView(current.lab)} />;
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
          <Mount node={renderBackendPanel(backend.value, { isolation, offline: offline.value }, restart)} />
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
  });
  onLocaleChange(() => {
    closeLab(); // rebuilt with the new language's labels
    trainScreen.relabel();
    runsScreen.relabel();
    textScreen?.relabel();
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
    closeLab(); // its engine objects died with the old worker; rebuilt on the next render
    trainScreen.engineRestarted();
    textScreen?.engineRestarted();
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

  // After the first load: MNIST into the service worker's cache, so the lab trains offline.
  if (serviceWorker.registration) {
    askServiceWorker(serviceWorker.registration, { type: 'store-data' })
      .then((reply) => {
        if (reply.type === 'failed') console.warn(`[profundo] offline copy: ${reply.message}`);
        offline.value = reply.type === 'status' && reply.stored === reply.total ? 'ready' : 'failed';
      })
      .catch((error: unknown) => {
        console.warn('[profundo] offline copy:', error);
        offline.value = 'failed';
      });
  }
}
