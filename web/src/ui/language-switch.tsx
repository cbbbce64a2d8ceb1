import { getLocale, isLocale, LOCALE_NAMES, LOCALES, setLocale, t } from '../i18n';
import { pageLocale } from '../shell/page-locale';

export function LanguageSwitch() {
  void pageLocale.value;
  return (
    <label class="language" for="language">
      {`${t('language.label')} `}
      <select
        id="language"
        data-testid="language"
        value={getLocale()}
        onChange={(event) => {
          const value = event.currentTarget.value;
          if (isLocale(value)) setLocale(value);
        }}
      >
        {Object.keys(LOCALES).map((locale) => (
          <option key={locale} value={locale}>
            {LOCALE_NAMES[locale as keyof typeof LOCALES]}
          </option>
        ))}
      </select>
    </label>
  );
}
