import './styles.css';
import { startApp } from './app';
import { initLocale } from './i18n';
import { setupServiceWorker, type ServiceWorkerSetup } from './sw/register';

initLocale();

/** Development: the dev server sends the isolation headers and there is no sw.js to register. */
const devSetup: ServiceWorkerSetup = { isolation: crossOriginIsolated ? 'isolated' : 'failed', registration: undefined };
const setup = import.meta.env.DEV ? devSetup : await setupServiceWorker(new URL('sw.js', new URL(import.meta.env.BASE_URL, document.baseURI)).href);
if (setup !== 'reloading') startApp(document.getElementById('app')!, setup);
