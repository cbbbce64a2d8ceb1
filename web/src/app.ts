// The app shell: owns the state of this first screen and re-renders it on change.
import { onLocaleChange, t } from './i18n';
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

  const render = () => {
    document.title = t('app.title');
    root.replaceChildren(
      h('header', { class: 'top' }, h('div', {}, h('h1', {}, t('app.title')), h('p', { class: 'tagline' }, t('app.tagline'))), renderLanguageSwitch()),
      h('main', {}, renderBackendPanel(state.backend), renderDatasetsPanel(state.manifest), dataPanel.element, trainScreen.element, runsScreen.element),
    );
  };
  onLocaleChange(() => {
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
      trainScreen.setPresets(presets, layerDefaults);
      dataPanel.start();
    })
    .catch((error: unknown) => {
      state.backend = { kind: 'failed', error: isEngineError(error) ? error : { code: 'internal', message: String(error) } };
    })
    .finally(render);

  void fetchManifest(assetBase).then((manifest) => {
    state.manifest = manifest;
    dataPanel.setManifest(manifest);
    render();
  });
}
