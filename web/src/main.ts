import './styles.css';
import { startApp } from './app';
import { initLocale } from './i18n';
import { setupServiceWorker, type ServiceWorkerSetup } from './sw/register';

/** Development: the dev server sends the isolation headers and there is no sw.js to register. */
const devSetup: ServiceWorkerSetup = { isolation: crossOriginIsolated ? 'isolated' : 'failed', registration: undefined };
// The page's language is loaded while the service worker is set up: every component writes in it
// from the first render.
const [, setup] = await Promise.all([
  initLocale(),
  import.meta.env.DEV ? devSetup : setupServiceWorker(new URL('sw.js', new URL(import.meta.env.BASE_URL, document.baseURI)).href),
]);
if (setup !== 'reloading') startApp(document.getElementById('app')!, setup);
