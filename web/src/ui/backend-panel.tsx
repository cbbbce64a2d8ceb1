// Shows which engine variant runs (data-testid="backend") and why the page is or is not
// cross-origin isolated, whether the lab is saved for offline use (data-testid="offline"), or why
// the engine could not load or stopped (data-testid="error"), with a button that restarts it.
import { getLocale, t, type MessageKey } from '../i18n';
import { pageLocale } from '../shell/page-locale';
import type { IsolationSource } from '../sw/register';
import type { BackendInfo, EngineError } from '../worker/protocol';
import { formatBackend } from './format';
import { engineErrorSentence } from '../i18n/engine-error';

export type BackendState = { kind: 'loading' } | { kind: 'ready'; info: BackendInfo } | { kind: 'failed'; error: EngineError };

/** What the service worker set up: isolation, and the offline copy of the lab. */
export interface RuntimeStatus {
  isolation: IsolationSource;
  offline: 'unavailable' | 'storing' | 'ready' | 'failed';
}

export interface BackendPanelProps {
  state: BackendState;
  runtime?: RuntimeStatus | undefined;
  onRestart?: (() => void) | undefined;
}

export function BackendPanel({ state, runtime, onRestart }: BackendPanelProps) {
  void pageLocale.value;
  return (
    <section class="card" aria-labelledby="backend-title">
      <h2 id="backend-title">{t('backend.title')}</h2>
      {state.kind === 'loading' ? (
        <p data-testid="backend" data-state="loading" class="muted">
          {t('backend.loading')}
        </p>
      ) : state.kind === 'ready' ? (
        <>
          <p data-testid="backend" data-state="ready" data-variant={state.info.variant} data-threads={state.info.threads} data-simd={String(state.info.simd)} class="backend">
            {formatBackend(state.info, getLocale())}
          </p>
          <p class="muted" data-testid="isolation" data-reason={runtime?.isolation}>
            {t(isolationMessage(state.info, runtime))}
          </p>
        </>
      ) : (
        <>
          <div data-testid="error" data-code={state.error.code} class="error" role="alert">
            <strong>{`${t('error.title')}: ${engineErrorSentence(state.error)}`}</strong>
            <pre>{state.error.message}</pre>
          </div>
          {onRestart ? (
            <>
              <div class="buttons">
                <button type="button" class="primary" data-testid="restart-engine" onClick={onRestart}>
                  {t('backend.restart')}
                </button>
              </div>
              <p class="muted">{t('backend.restartHint')}</p>
            </>
          ) : null}
        </>
      )}
      {runtime ? (
        <p class="muted" data-testid="offline" data-state={runtime.offline}>
          {t(`offline.${runtime.offline}`)}
        </p>
      ) : null}
    </section>
  );
}

function isolationMessage(info: BackendInfo, runtime: RuntimeStatus | undefined): MessageKey {
  if (info.crossOriginIsolated) return 'backend.isolated';
  if (!runtime || runtime.isolation === 'isolated') return 'backend.notIsolated';
  return `backend.isolation.${runtime.isolation}`;
}
