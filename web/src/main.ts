import './styles.css';
import { startApp } from './app';
import { initLocale } from './i18n';

initLocale();
startApp(document.getElementById('app')!);
