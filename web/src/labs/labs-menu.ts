// The course labs' contents, in the lecture's order: only the labs that are built.
import { t, tf, type MessageKey } from '../i18n';
import { h } from '../ui/dom';
import { routeHash } from '../routes';
import { SHIPPED_LABS } from './registry';

export function renderLabsMenu(unknownLab?: string): HTMLElement {
  return h(
    'nav',
    { class: 'card labs-menu', 'data-testid': 'labs-menu' },
    h('h2', {}, t('labs.menu.title')),
    h('p', { class: 'muted' }, t('labs.menu.intro')),
    unknownLab !== undefined ? h('p', { class: 'lab-error', role: 'alert' }, tf('labs.menu.unknown', { name: unknownLab })) : null,
    h(
      'ol',
      {},
      ...SHIPPED_LABS.map((lab) =>
        h(
          'li',
          {},
          h('a', { href: routeHash({ view: 'lab', lab: lab.name }), 'data-testid': `lab-link-${lab.name}` }, t(`labs.${lab.name}.title` as MessageKey)),
          h('span', { class: 'muted' }, ` — ${t(`labs.${lab.name}.summary` as MessageKey)}`),
        ),
      ),
    ),
  );
}
