// The course labs' contents, in the lecture's order: only the labs that are built.
import { t, tf, type MessageKey } from '../i18n';
import { routeHash } from '../routes';
import { pageLocale } from '../shell/page-locale';
import { SHIPPED_LABS } from './registry';

export function LabsMenu({ unknownLab }: { unknownLab?: string | undefined }) {
  void pageLocale.value;
  return (
    <nav class="card labs-menu" data-testid="labs-menu">
      <h2>{t('labs.menu.title')}</h2>
      <p class="muted">{t('labs.menu.intro')}</p>
      {unknownLab !== undefined ? (
        <p class="lab-error" role="alert">
          {tf('labs.menu.unknown', { name: unknownLab })}
        </p>
      ) : null}
      <ol>
        {SHIPPED_LABS.map((lab) => (
          <li key={lab.name}>
            <a href={routeHash({ view: 'lab', lab: lab.name })} data-testid={`lab-link-${lab.name}`}>
              {t(`labs.${lab.name}.title` as MessageKey)}
            </a>
            <span class="muted">{` — ${t(`labs.${lab.name}.summary` as MessageKey)}`}</span>
          </li>
        ))}
      </ol>
    </nav>
  );
}
