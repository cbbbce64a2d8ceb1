// The labs that ship, in the lecture's order. A lab not listed here is not in the menu and its
// URL shows the contents with a note instead.
import type { LabName } from '../routes';
import type { LabDefinition } from './shared/lab';
import { activationsLab } from './activations/activations-lab';
import { batchnormLab } from './batchnorm/batchnorm-lab';
import { biasVarianceLab } from './bias-variance/bias-variance-lab';
import { ewaLab } from './ewa/ewa-lab';
import { gdVariantsLab } from './gd-variants/gd-variants-lab';
import { initializationLab } from './initialization/initialization-lab';
import { logisticLab } from './logistic/logistic-lab';
import { nonlinearityLab } from './nonlinearity/nonlinearity-lab';
import { normalizationLab } from './normalization/normalization-lab';
import { optimizersLab } from './optimizers/optimizers-lab';
import { softmaxLab } from './softmax/softmax-lab';

export const SHIPPED_LABS: LabDefinition[] = [
  logisticLab,
  softmaxLab,
  nonlinearityLab,
  activationsLab,
  biasVarianceLab,
  normalizationLab,
  initializationLab,
  gdVariantsLab,
  batchnormLab,
  ewaLab,
  optimizersLab,
];

export function findLab(name: LabName): LabDefinition | undefined {
  return SHIPPED_LABS.find((lab) => lab.name === name);
}
