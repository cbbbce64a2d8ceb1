// What every lab module provides, and the frame every lab page shares: title, explanation in the
// lecture's notation, the lab's own body and an error line for the engine's refusals.
import { t, type MessageKey } from '../../i18n';
import { h } from '../../ui/dom';
import type { EngineError } from '../../worker/protocol';
import type { LabName } from '../../routes';
import type { LabClient } from './lab-client';
import { engineErrorText } from '../../i18n/engine-error';

export interface LabContext {
  client: LabClient;
}

export interface LabView {
  element: HTMLElement;
  /** The lab closes: stop timers, free the worker's state for it. */
  dispose(): void;
}

export interface LabDefinition {
  name: LabName;
  create(context: LabContext): LabView;
}

export class LabFrame {
  readonly element: HTMLElement;
  private readonly errorBox: HTMLElement;

  constructor(name: LabName, ...body: (Node | string)[]) {
    this.errorBox = h('p', { class: 'lab-error', 'data-testid': 'lab-error', role: 'alert', hidden: true });
    this.element = h(
      'article',
      { class: 'card lab', 'data-testid': `lab-${name}`, 'data-ready': 'false' },
      h('h2', {}, t(`labs.${name}.title` as MessageKey)),
      h('p', { class: 'lab-intro' }, t(`labs.${name}.intro` as MessageKey)),
      ...body,
      this.errorBox,
    );
  }

  /** A result arrived: the page shows engine numbers (tests wait for this). */
  ready(): void {
    this.element.dataset['ready'] = 'true';
    this.showError(undefined);
  }

  showError(error: EngineError | string | undefined): void {
    this.errorBox.hidden = error === undefined;
    this.errorBox.textContent = error === undefined ? '' : typeof error === 'string' ? error : engineErrorText(error);
  }
}

/** A paragraph of explanation (the lecture's formulas in words). */
export function note(key: MessageKey): HTMLElement {
  return h('p', { class: 'lab-note' }, t(key));
}
