// Shows which engine variant runs (data-testid="backend") and why the page is or is not
// cross-origin isolated, whether the lab is saved for offline use (data-testid="offline"), or why
// the engine could not load or stopped (data-testid="error"), with a button that restarts it.
import { getLocale, t, type MessageKey } from '../i18n';
import type { IsolationSource } from '../sw/register';
import type { BackendInfo, EngineError } from '../worker/protocol';
import { h } from './dom';
import { formatBackend } from './format';
import { engineErrorSentence } from '../i18n/engine-error';

export type BackendState = { kind: 'loading' } | { kind: 'ready'; info: BackendInfo } | { kind: 'failed'; error: EngineError };

/** What the service worker set up: isolation, and the offline copy of the lab. */
export interface RuntimeStatus {
  isolation: IsolationSource;
  offline: 'unavailable' | 'storing' | 'ready' | 'failed';
}

export function renderBackendPanel(state: BackendState, runtime?: RuntimeStatus, onRestart?: () => void): HTMLElement {
  const locale = getLocale();
  const panel = h('section', { class: 'card', 'aria-labelledby': 'backend-title' }, h('h2', { id: 'backend-title' }, t('backend.title')));
  if (state.kind === 'loading') {
    panel.append(h('p', { 'data-testid': 'backend', 'data-state': 'loading', class: 'muted' }, t('backend.loading')));
  } else if (state.kind === 'ready') {
    const { info } = state;
    panel.append(
      h(
        'p',
        {
          'data-testid': 'backend',
          'data-state': 'ready',
          'data-variant': info.variant,
          'data-threads': info.threads,
          'data-simd': String(info.simd),
          class: 'backend',
        },
        formatBackend(info, locale),
      ),
      h('p', { class: 'muted', 'data-testid': 'isolation', 'data-reason': runtime?.isolation }, t(isolationMessage(info, runtime))),
    );
  } else {
    panel.append(
      h(
        'div',
        { 'data-testid': 'error', 'data-code': state.error.code, class: 'error', role: 'alert' },
        h('strong', {}, `${t('error.title')}: ${engineErrorSentence(state.error)}`),
        h('pre', {}, state.error.message),
      ),
    );
    if (onRestart) {
      const restart = h('button', { type: 'button', class: 'primary', 'data-testid': 'restart-engine' }, t('backend.restart'));
      restart.addEventListener('click', onRestart);
      panel.append(h('div', { class: 'buttons' }, restart), h('p', { class: 'muted' }, t('backend.restartHint')));
    }
  }
  if (runtime) panel.append(h('p', { class: 'muted', 'data-testid': 'offline', 'data-state': runtime.offline }, t(`offline.${runtime.offline}`)));
  return panel;
}

function isolationMessage(info: BackendInfo, runtime: RuntimeStatus | undefined): MessageKey {
  if (info.crossOriginIsolated) return 'backend.isolated';
  if (!runtime || runtime.isolation === 'isolated') return 'backend.notIsolated';
  return `backend.isolation.${runtime.isolation}`;
}
