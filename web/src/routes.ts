// Which view the URL hash asks for. `#lab=NAME` opens a course lab, `#labs` the labs' contents,
// `#view=text` the text lab, anything else (including the training screen's own
// `#preset=…&epochs=…`) the MNIST lab, whose `panel=` (data, inside, history) composes with the
// training settings. A later view adds a case here and a branch in the shell.
export const LAB_NAMES = [
  'logistic',
  'softmax',
  'nonlinearity',
  'activations',
  'bias-variance',
  'normalization',
  'initialization',
  'gd-variants',
  'batchnorm',
  'ewa',
  'optimizers',
] as const;
/** In the lecture's order (the contents menu follows it). */
export type LabName = (typeof LAB_NAMES)[number];

export function isLabName(value: unknown): value is LabName {
  return typeof value === 'string' && (LAB_NAMES as readonly string[]).includes(value);
}

/** The MNIST lab's tabs beside its workspace (model, training, results). */
export const PANEL_NAMES = ['data', 'inside', 'history'] as const;
export type PanelName = (typeof PANEL_NAMES)[number];

function isPanelName(value: unknown): value is PanelName {
  return typeof value === 'string' && (PANEL_NAMES as readonly string[]).includes(value);
}

export type Route = { view: 'train'; panel?: PanelName } | { view: 'labs'; unknownLab?: string } | { view: 'lab'; lab: LabName } | { view: 'text' };

export function parseRoute(hash: string): Route {
  const text = hash.replace(/^#/, '');
  const params = new URLSearchParams(text);
  const lab = params.get('lab');
  if (lab !== null) return isLabName(lab) ? { view: 'lab', lab } : { view: 'labs', unknownLab: lab };
  if (text === 'labs' || params.get('view') === 'labs') return { view: 'labs' };
  if (params.get('view') === 'text') return { view: 'text' };
  const panel = params.get('panel');
  return isPanelName(panel) ? { view: 'train', panel } : { view: 'train' };
}

/** `hash` with its panel set (or removed): the other parameters (a shared configuration) stay as
 *  written (not re-encoded: `model=conv2d:f=8,relu` keeps its readable form). */
export function withPanel(hash: string, panel: PanelName | undefined): string {
  const parts = hash.replace(/^#/, '').split('&').filter((part) => part !== '' && !part.startsWith('panel='));
  if (panel) parts.push(`panel=${panel}`);
  return `#${parts.join('&')}`;
}

export function routeHash(route: Route): string {
  switch (route.view) {
    case 'train':
      return route.panel ? `#panel=${route.panel}` : '#';
    case 'labs':
      return '#view=labs';
    case 'lab':
      return `#lab=${route.lab}`;
    case 'text':
      return '#view=text';
  }
}
