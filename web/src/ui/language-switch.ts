import { getLocale, isLocale, LOCALE_NAMES, LOCALES, setLocale, t } from '../i18n';
import { h } from './dom';

export function renderLanguageSwitch(): HTMLElement {
  const select = h('select', { id: 'language', 'data-testid': 'language' });
  for (const locale of Object.keys(LOCALES)) {
    select.append(h('option', { value: locale, selected: locale === getLocale() }, LOCALE_NAMES[locale as keyof typeof LOCALES]));
  }
  select.addEventListener('change', () => {
    if (isLocale(select.value)) setLocale(select.value);
  });
  return h('label', { class: 'language', for: 'language' }, `${t('language.label')} `, select);
}
