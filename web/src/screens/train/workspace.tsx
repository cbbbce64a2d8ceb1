// The MNIST lab as a workspace: the model and its settings, the training and the results side by
// side, and one tab each for the data, the inside views and the runs (save, load, history,
// export). The open tab is the hash's `panel=`, composed with the training settings.
import type { ComponentChildren } from 'preact';
import { t, type MessageKey } from '../../i18n';
import { PANEL_NAMES, withPanel, type PanelName } from '../../routes';
import { pageLocale } from '../../shell/page-locale';
import { StartHere } from '../../shell/start-here';
import { ConfigForm } from './config-form';
import type { TrainScreen } from './train-screen';
import { TrainResults, TrainRun } from './train-view';

export interface WorkspaceProps {
  panel: PanelName | undefined;
  trainScreen: TrainScreen;
  /** Each tab's content. */
  panels: Record<PanelName, ComponentChildren>;
}

const TAB_LABELS: Record<PanelName | 'workspace', MessageKey> = {
  workspace: 'panel.workspace',
  data: 'panel.data',
  inside: 'panel.inside',
  history: 'panel.history',
};

/** A link that opens a panel (undefined: the workspace), keeping the rest of the hash. */
function openPanel(name: PanelName | undefined) {
  return {
    href: withPanel(location.hash, name),
    onClick: (event: MouseEvent) => {
      // The hash of now, not of the last render: the form rewrites it as settings change.
      event.preventDefault();
      location.hash = withPanel(location.hash, name);
    },
  };
}

function Tab({ name, open }: { name: PanelName | undefined; open: boolean }) {
  const id = name ?? 'workspace';
  return (
    <a role="tab" id={`tab-${id}`} data-testid={`tab-${id}`} aria-selected={open} aria-controls={`panel-${id}`} {...openPanel(name)}>
      {t(TAB_LABELS[id])}
    </a>
  );
}

export function Workspace({ panel, trainScreen, panels }: WorkspaceProps) {
  void pageLocale.value;
  return (
    <>
      <nav class="tabs" role="tablist" aria-label={t('workspace.tabs')} data-testid="tabs">
        <Tab name={undefined} open={panel === undefined} />
        {PANEL_NAMES.map((name) => (
          <Tab key={name} name={name} open={panel === name} />
        ))}
      </nav>
      {/* Hidden, not removed: charts, canvases and focus stay as they were. */}
      <div class="workspace" id="panel-workspace" role="tabpanel" aria-labelledby="tab-workspace" hidden={panel !== undefined}>
        <div class="workspace-start">
          <StartHere />
        </div>
        <section class="card workspace-model" aria-labelledby="model-title">
          <h2 id="model-title">{t('workspace.model')}</h2>
          <ConfigForm config={trainScreen.config} store={trainScreen.store} />
        </section>
        <div class="workspace-run">
          <TrainRun screen={trainScreen} />
        </div>
        <div class="workspace-results">
          <TrainResults screen={trainScreen} />
          {/* Where a run ends: saving and the hand-in exports (ONNX, PyTorch, notebook) one click away. */}
          <p class="results-export">
            <a data-testid="results-export" {...openPanel('history')}>
              {t('workspace.export')}
            </a>
          </p>
        </div>
      </div>
      {PANEL_NAMES.map((name) => (
        <div key={name} class="panel" id={`panel-${name}`} role="tabpanel" aria-labelledby={`tab-${name}`} hidden={panel !== name}>
          {panels[name]}
        </div>
      ))}
    </>
  );
}
