// The page's language as a signal: a component that reads it is redrawn when the language changes
// (@preact/signals skips a component whose props and signals did not change, t() alone is not seen).
import { signal } from '@preact/signals';
import { getLocale, onLocaleChange } from '../i18n';

export const pageLocale = signal(getLocale());
onLocaleChange((locale) => (pageLocale.value = locale));
