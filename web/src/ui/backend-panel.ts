// Shows which engine variant runs (data-testid="backend") or why it could not load
// (data-testid="error").
import { getLocale, t } from '../i18n';
import type { BackendInfo, EngineError } from '../worker/protocol';
import { h } from './dom';
import { formatBackend } from './format';

export type BackendState = { kind: 'loading' } | { kind: 'ready'; info: BackendInfo } | { kind: 'failed'; error: EngineError };

export function renderBackendPanel(state: BackendState): HTMLElement {
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
      h('p', { class: 'muted' }, t(info.crossOriginIsolated ? 'backend.isolated' : 'backend.notIsolated')),
    );
  } else {
    panel.append(
      h(
        'div',
        { 'data-testid': 'error', 'data-code': state.error.code, class: 'error', role: 'alert' },
        h('strong', {}, `${t('error.title')}: ${t(`error.${state.error.code}`)}`),
        h('pre', {}, state.error.message),
      ),
    );
  }
  return panel;
}
