// Page side of the service worker (sw.ts): registers it, reloads once when the page
// is not cross-origin isolated yet and the worker can make it so, and asks it to store the data
// for offline use. Runs before the app starts, so the engine is loaded once, after the reload.
import type { ServiceWorkerReply, ServiceWorkerRequest } from './messages';

/** Why the page is or is not cross-origin isolated (shown by the backend panel). */
export type IsolationSource =
  /** Isolated: by the host's headers or by our service worker. */
  | 'isolated'
  /** `?coi=0` in the URL. */
  | 'opted-out'
  /** No service worker in this browser or context (private mode, an insecure origin, blocked). */
  | 'no-service-worker'
  /** The service worker is there, but the page did not become isolated after one reload. */
  | 'failed';

export interface ServiceWorkerSetup {
  isolation: IsolationSource;
  /** The active registration, when there is one (offline storage needs it). */
  registration: ServiceWorkerRegistration | undefined;
}

/** sessionStorage key: set just before the reload, so a page that stays unisolated reloads once only. */
const RELOADED_KEY = 'profundo:coi-reload';
const ACTIVATION_TIMEOUT_MS = 60_000;

export function optedOutOfIsolation(search = location.search): boolean {
  return new URLSearchParams(search).get('coi') === '0';
}

/** Resolves once the page is controlled by a service worker; rejects if its install fails or times out. */
function whenControlled(container: ServiceWorkerContainer, registration: ServiceWorkerRegistration): Promise<void> {
  if (container.controller) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the service worker did not take control')), ACTIVATION_TIMEOUT_MS);
    container.addEventListener('controllerchange', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
    // An install that fails (a precached file missing) leaves the worker redundant.
    const installing = registration.installing ?? registration.waiting;
    installing?.addEventListener('statechange', () => {
      if (installing.state !== 'redundant') return;
      clearTimeout(timer);
      reject(new Error('the service worker failed to install'));
    });
  });
}

/**
 * Registers the service worker. Resolves to 'reloading' when the page reloads to become
 * isolated (the caller then does nothing more), else to what the page runs with.
 */
export async function setupServiceWorker(swUrl: string): Promise<ServiceWorkerSetup | 'reloading'> {
  const optedOut = optedOutOfIsolation();
  const unregistered = (): ServiceWorkerSetup => ({
    isolation: crossOriginIsolated ? 'isolated' : optedOut ? 'opted-out' : 'no-service-worker',
    registration: undefined,
  });
  const container = 'serviceWorker' in navigator ? navigator.serviceWorker : undefined;
  if (!container) return unregistered();
  let registration: ServiceWorkerRegistration | undefined;
  try {
    // Offline, register() fails (it fetches sw.js to look for an update), but the worker
    // installed on an earlier visit is still there and serves the page.
    registration = await container.register(swUrl, { scope: './' }).catch(async (error: unknown) => {
      const existing = await container.getRegistration('./');
      if (!existing) throw error;
      return existing;
    });
  } catch (error) {
    console.warn('[profundo] the service worker could not be registered:', error);
    return unregistered();
  }
  // Blocked registrations (browser policies, extensions, test harnesses) may resolve to nothing.
  if (!registration || !(registration.installing ?? registration.waiting ?? registration.active)) return unregistered();
  if (crossOriginIsolated) {
    sessionStorage.removeItem(RELOADED_KEY);
    return { isolation: 'isolated', registration };
  }
  if (optedOut) return { isolation: 'opted-out', registration };
  if (sessionStorage.getItem(RELOADED_KEY) === '1') {
    sessionStorage.removeItem(RELOADED_KEY);
    return { isolation: 'failed', registration };
  }
  try {
    await whenControlled(container, registration);
  } catch (error) {
    console.warn('[profundo]', error);
    return { isolation: 'failed', registration };
  }
  sessionStorage.setItem(RELOADED_KEY, '1');
  location.reload();
  return 'reloading';
}

/** One request to the active service worker, answered on a MessageChannel. */
export async function askServiceWorker(registration: ServiceWorkerRegistration, request: ServiceWorkerRequest): Promise<ServiceWorkerReply> {
  const ready = await navigator.serviceWorker.ready;
  const worker = ready.active ?? registration.active;
  if (!worker) throw new Error('no active service worker');
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = (event: MessageEvent<ServiceWorkerReply>) => resolve(event.data);
    worker.postMessage(request, [channel.port2]);
  });
}
