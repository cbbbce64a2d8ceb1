// What a label means in each dataset: MNIST's labels are the digits themselves; Fashion-MNIST's
// are ten kinds of clothing (Xiao, Rasul & Vollgraf 2017), translated.
import { t, type MessageKey } from '../../i18n';
import type { DatasetName } from '../../worker/protocol';

export function classNameKey(dataset: DatasetName, label: number): MessageKey | undefined {
  return dataset === 'fashion-mnist' && Number.isInteger(label) && label >= 0 && label <= 9 ? (`classes.fashion.${label}` as MessageKey) : undefined;
}

/** "7" for MNIST and uploaded digits; "Sneaker" / "Zapatilla" for Fashion-MNIST's label 7. */
export function className(dataset: DatasetName, label: number): string {
  const key = classNameKey(dataset, label);
  return key ? t(key) : String(label);
}

/** Words that name the dataset's things ("Draw a digit" / "Draw a piece of clothing"): `key`, or its Fashion variant. */
const FASHION_WORDING = ['draw.title', 'draw.hint', 'draw.empty', 'inside.noDrawing', 'results.confusion.caption'] as const;
export type DatasetWording = (typeof FASHION_WORDING)[number];

export function datasetText(key: DatasetWording, dataset: DatasetName): string {
  return t(dataset === 'fashion-mnist' ? (`${key}Fashion` as MessageKey) : key);
}
