// The app shell: a top navigation between the MNIST lab (the training screen) and the course
// labs, routed by the URL hash (routes.ts); owns the state and re-renders on change.
import { onLocaleChange, t } from './i18n';
import { renderLabsMenu } from './labs/labs-menu';
import { findLab } from './labs/registry';
import type { LabView } from './labs/shared/lab';
import { LabClient } from './labs/shared/lab-client';
import { parseRoute, routeHash, type LabName, type Route } from './routes';
import { askServiceWorker, type ServiceWorkerSetup } from './sw/register';
import { renderBackendPanel, type BackendState, type RuntimeStatus } from './ui/backend-panel';
import { fetchManifest, renderDatasetsPanel, type DataManifest } from './ui/datasets-panel';
import { h } from './ui/dom';
import { renderLanguageSwitch } from './ui/language-switch';
import { DataPanel } from './screens/data/data-panel';
import { RunsScreen } from './screens/runs/runs-screen';
import { TextScreen } from './screens/text/text-screen';
import { TrainScreen } from './screens/train/train-screen';
import { EngineClient, isEngineError } from './worker/engine-client';
import { FATAL_ERROR_CODES } from './worker/protocol';

interface AppState {
  backend: BackendState;
  manifest: DataManifest | undefined;
  runtime: RuntimeStatus;
}

/** ?testHooks=1: the engine honours test-only requests, reachable as window.profundoTestHooks. */
function testHooksEnabled(): boolean {
  return new URLSearchParams(location.search).get('testHooks') === '1';
}

export function startApp(root: HTMLElement, serviceWorker: ServiceWorkerSetup): void {
  // Absolute URL of the app's folder (base is './' so the build works from any path).
  const assetBase = new URL(import.meta.env.BASE_URL, document.baseURI).href;
  const runtime: RuntimeStatus = { isolation: serviceWorker.isolation, offline: serviceWorker.registration ? 'storing' : 'unavailable' };
  const state: AppState = { backend: { kind: 'loading' }, manifest: undefined, runtime };
  const testHooks = testHooksEnabled();

  const engine = new EngineClient();
  engine.on('log', (event) => (event.stream === 'stderr' ? console.warn : console.log)(`[engine] ${event.text}`));
  // Built once and kept across re-renders (it holds the charts and the run's state).
  const trainScreen = new TrainScreen(engine);
  const runsScreen = new RunsScreen(engine);
  void runsScreen.open();
  const dataPanel = new DataPanel(engine);
  const labClient = new LabClient(engine);
  const textScreen = new TextScreen(engine);
  let route: Route = parseRoute(location.hash);
  // The open lab, built when its route is entered and disposed when left (or relabelled).
  let openLab: { name: LabName; view: LabView } | undefined;

  const labView = (name: LabName): HTMLElement => {
    if (openLab?.name !== name) {
      openLab?.view.dispose();
      const lab = findLab(name);
      openLab = lab ? { name, view: lab.create({ client: labClient }) } : undefined;
    }
    return openLab?.view.element ?? renderLabsMenu(name);
  };
  const closeLab = () => {
    openLab?.view.dispose();
    openLab = undefined;
  };

  const viewContent = (): HTMLElement[] => {
    const backendPanel = renderBackendPanel(state.backend, state.runtime, restart);
    if (route.view === 'train') {
      closeLab();
      return [backendPanel, renderDatasetsPanel(state.manifest), dataPanel.element, trainScreen.element, runsScreen.element];
    }
    if (route.view === 'text') {
      closeLab();
      return [backendPanel, textScreen.element];
    }
    if (route.view === 'labs') {
      closeLab();
      return [backendPanel, renderLabsMenu(route.unknownLab)];
    }
    return [backendPanel, labView(route.lab)];
  };

  const render = () => {
    document.title = t('app.title');
    const navLink = (target: Route, label: string, testId: string, current: boolean) =>
      h('a', { href: routeHash(target), 'data-testid': testId, 'aria-current': current ? 'page' : undefined }, label);
    root.replaceChildren(
      h('header', { class: 'top' }, h('div', {}, h('h1', {}, t('app.title')), h('p', { class: 'tagline' }, t('app.tagline'))), renderLanguageSwitch()),
      h(
        'nav',
        { class: 'views', 'data-testid': 'views' },
        navLink({ view: 'train' }, t('nav.train'), 'nav-train', route.view === 'train'),
        navLink({ view: 'labs' }, t('nav.labs'), 'nav-labs', route.view === 'labs' || route.view === 'lab'),
        navLink({ view: 'text' }, t('nav.text'), 'nav-text', route.view === 'text'),
      ),
      h('main', { class: route.view === 'train' ? undefined : 'labs-view' }, ...viewContent()),
    );
  };
  window.addEventListener('hashchange', () => {
    const next = parseRoute(location.hash);
    if (JSON.stringify(next) === JSON.stringify(route)) return; // e.g. another training setting
    route = next;
    render();
  });
  onLocaleChange(() => {
    closeLab(); // rebuilt with the new language's labels
    render();
    trainScreen.relabel();
    runsScreen.relabel();
    textScreen.relabel();
    dataPanel.render();
  });

  const initEngine = () => {
    engine
      .init(assetBase, { testHooks })
      .then(({ backend, presets, layerDefaults }) => {
        state.backend = { kind: 'ready', info: backend };
        labClient.engineLoaded();
        trainScreen.setPresets(presets, layerDefaults);
        dataPanel.start();
      })
      .catch((error: unknown) => {
        state.backend = { kind: 'failed', error: isEngineError(error) ? error : { code: 'internal', message: String(error) } };
        labClient.engineLoaded(state.backend.error);
      })
      .finally(render);
  };
  // A crash after the engine was ready: the panel shows it with Restart.
  engine.on('error', (event) => {
    if (state.backend.kind !== 'ready' || !FATAL_ERROR_CODES.includes(event.error.code)) return;
    state.backend = { kind: 'failed', error: event.error };
    render();
  });
  // A fresh worker and engine; the page (form, charts, tables) keeps its state.
  function restart(): void {
    state.backend = { kind: 'loading' };
    engine.restart();
    closeLab(); // its engine objects died with the old worker; rebuilt on the next render
    trainScreen.engineRestarted();
    textScreen.engineRestarted();
    render();
    initEngine();
  }

  render();
  initEngine();
  if (testHooks) Object.assign(globalThis, { profundoTestHooks: { crashEngine: () => engine.api.crash().catch(() => undefined) } });

  void fetchManifest(assetBase).then((manifest) => {
    state.manifest = manifest;
    dataPanel.setManifest(manifest);
    render();
  });

  // After the first load: MNIST into the service worker's cache, so the lab trains offline.
  if (serviceWorker.registration) {
    askServiceWorker(serviceWorker.registration, { type: 'store-data' })
      .then((reply) => {
        if (reply.type === 'failed') console.warn(`[profundo] offline copy: ${reply.message}`);
        state.runtime.offline = reply.type === 'status' && reply.stored === reply.total ? 'ready' : 'failed';
      })
      .catch((error: unknown) => {
        console.warn('[profundo] offline copy:', error);
        state.runtime.offline = 'failed';
      })
      .finally(render);
  }
}
