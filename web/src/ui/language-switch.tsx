import { getLocale, isLocale, LOCALE_LIST, LOCALE_NAMES, setLocale, t } from '../i18n';
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
          // The page redraws once the language's messages have arrived (a chunk of their own).
          if (isLocale(value)) void setLocale(value);
        }}
      >
        {LOCALE_LIST.map((locale) => (
          <option key={locale} value={locale}>
            {LOCALE_NAMES[locale]}
          </option>
        ))}
      </select>
    </label>
  );
}
