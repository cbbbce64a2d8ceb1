// "Start here": practical 1 in six steps, shown on a first visit, dismissed once for good
// (localStorage) and opened again from the help button in the top bar.
import { signal } from '@preact/signals';
import { t, type MessageKey } from '../i18n';
import { parseRoute, routeHash, withPanel } from '../routes';
import { pageLocale } from './page-locale';

const DISMISSED_KEY = 'profundo.startHere.dismissed';
const STEPS: MessageKey[] = ['start.step1', 'start.step2', 'start.step3', 'start.step4', 'start.step5', 'start.step6'];

function wasDismissed(): boolean {
  try {
    return localStorage.getItem(DISMISSED_KEY) === '1';
  } catch {
    return false; // storage blocked: shown on every visit, still dismissible for this one
  }
}

export const startHereOpen = signal(!wasDismissed());

export function dismissStartHere(): void {
  startHereOpen.value = false;
  try {
    localStorage.setItem(DISMISSED_KEY, '1');
  } catch {
    // storage blocked: dismissed for this visit only
  }
}

export function StartHere() {
  void pageLocale.value;
  if (!startHereOpen.value) return null;
  return (
    <section class="card start-here" data-testid="start-here" aria-labelledby="start-here-title">
      <h2 id="start-here-title">{t('start.title')}</h2>
      <ol>
        {STEPS.map((key) => (
          <li key={key}>{t(key)}</li>
        ))}
      </ol>
      <button type="button" data-testid="start-here-dismiss" onClick={dismissStartHere}>
        {t('start.dismiss')}
      </button>
    </section>
  );
}

/** The top bar's help button: opens "Start here" again, on the MNIST lab where it lives. */
export function StartHereButton() {
  void pageLocale.value;
  return (
    <button
      type="button"
      class="help"
      data-testid="start-here-open"
      aria-expanded={startHereOpen.value}
      onClick={() => {
        startHereOpen.value = true;
        const route = parseRoute(location.hash);
        if (route.view !== 'train') location.hash = routeHash({ view: 'train' });
        else if (route.panel) location.hash = withPanel(location.hash, undefined);
      }}
    >
      {t('start.help')}
    </button>
  );
}
