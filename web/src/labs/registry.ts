// The labs that ship, in the lecture's order. A lab not listed here is not in the menu and its
// URL shows the contents with a note instead.
import type { LabName } from '../routes';
import type { LabDefinition } from './shared/lab';

/** A lab's name, and its code, loaded when it is first opened (a chunk of its own: the page
 *  starts without the labs' code; the service worker precaches the chunks for offline use). */
export interface ShippedLab {
  name: LabName;
  load: () => Promise<LabDefinition>;
}

export const SHIPPED_LABS: ShippedLab[] = [
  { name: 'logistic', load: () => import('./logistic/logistic-lab').then((m) => m.logisticLab) },
  { name: 'softmax', load: () => import('./softmax/softmax-lab').then((m) => m.softmaxLab) },
  { name: 'nonlinearity', load: () => import('./nonlinearity/nonlinearity-lab').then((m) => m.nonlinearityLab) },
  { name: 'activations', load: () => import('./activations/activations-lab').then((m) => m.activationsLab) },
  { name: 'bias-variance', load: () => import('./bias-variance/bias-variance-lab').then((m) => m.biasVarianceLab) },
  { name: 'normalization', load: () => import('./normalization/normalization-lab').then((m) => m.normalizationLab) },
  { name: 'initialization', load: () => import('./initialization/initialization-lab').then((m) => m.initializationLab) },
  { name: 'gd-variants', load: () => import('./gd-variants/gd-variants-lab').then((m) => m.gdVariantsLab) },
  { name: 'batchnorm', load: () => import('./batchnorm/batchnorm-lab').then((m) => m.batchnormLab) },
  { name: 'ewa', load: () => import('./ewa/ewa-lab').then((m) => m.ewaLab) },
  { name: 'optimizers', load: () => import('./optimizers/optimizers-lab').then((m) => m.optimizersLab) },
];

export function findLab(name: LabName): ShippedLab | undefined {
  return SHIPPED_LABS.find((lab) => lab.name === name);
}
