// Every language loaded before the unit tests, which write messages in either (the page loads one).
import { LOCALE_LIST, loadLocale } from '../../../web/src/i18n';

await Promise.all(LOCALE_LIST.map(loadLocale));
