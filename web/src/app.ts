// The app shell: a top navigation between the MNIST lab (the training screen) and the course
// labs, routed by the URL hash (routes.ts); owns the state and re-renders on change.
import { onLocaleChange, t } from './i18n';
import { renderLabsMenu } from './labs/labs-menu';
import { findLab } from './labs/registry';
import type { LabView } from './labs/shared/lab';
import { LabClient } from './labs/shared/lab-client';
import { parseRoute, routeHash, type LabName, type Route } from './routes';
import { renderBackendPanel, type BackendState } from './ui/backend-panel';
import { fetchManifest, renderDatasetsPanel, type DataManifest } from './ui/datasets-panel';
import { h } from './ui/dom';
import { renderLanguageSwitch } from './ui/language-switch';
import { DataPanel } from './screens/data/data-panel';
import { RunsScreen } from './screens/runs/runs-screen';
import { TrainScreen } from './screens/train/train-screen';
import { EngineClient, isEngineError } from './worker/engine-client';

interface AppState {
  backend: BackendState;
  manifest: DataManifest | undefined;
}

export function startApp(root: HTMLElement): void {
  // Absolute URL of the app's folder (base is './' so the build works from any path).
  const assetBase = new URL(import.meta.env.BASE_URL, document.baseURI).href;
  const state: AppState = { backend: { kind: 'loading' }, manifest: undefined };

  const engine = new EngineClient();
  engine.on('log', (event) => (event.stream === 'stderr' ? console.warn : console.log)(`[engine] ${event.text}`));
  // Built once and kept across re-renders (it holds the charts and the run's state).
  const trainScreen = new TrainScreen(engine);
  const runsScreen = new RunsScreen(engine);
  void runsScreen.open();
  const dataPanel = new DataPanel(engine);
  const labClient = new LabClient(engine);
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
    if (route.view === 'train') {
      closeLab();
      return [renderBackendPanel(state.backend), renderDatasetsPanel(state.manifest), dataPanel.element, trainScreen.element, runsScreen.element];
    }
    if (route.view === 'labs') {
      closeLab();
      return [renderBackendPanel(state.backend), renderLabsMenu(route.unknownLab)];
    }
    return [renderBackendPanel(state.backend), labView(route.lab)];
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
        navLink({ view: 'labs' }, t('nav.labs'), 'nav-labs', route.view !== 'train'),
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
    dataPanel.render();
  });
  render();

  engine
    .init(assetBase)
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

  void fetchManifest(assetBase).then((manifest) => {
    state.manifest = manifest;
    dataPanel.setManifest(manifest);
    render();
  });
}
