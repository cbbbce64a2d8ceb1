// The text lab's form: every field kept as typed (strings), turned into a textTrain request by
// textRequest(), which names the first field that is not a number of the right kind. Ranges are
// the engine's to judge (its message names the field).
import type { TextChoices, TextCorpusId, TextCorpusSource, TextTrainSettings } from '../../worker/protocol';

export const TEXT_CELLS = ['rnn', 'gru', 'lstm'] as const;
export const TEXT_OPTIMIZERS = ['sgd', 'momentum', 'rmsprop', 'adam'] as const;
/** Learning-rate schedules, as for images (engine/optim/schedule.hpp). */
export const TEXT_SCHEDULES = ['constant', 'inverse_time', 'step', 'exponential'] as const;
/** Built-in corpora, and 'own' for pasted or uploaded text. */
export type CorpusChoice = TextCorpusId | 'own';

/** The engine refuses more (Module.maxTextBytes()); the page says so before reading a file. */
export const MAX_TEXT_BYTES = 16 * 1024 * 1024;

export interface TextForm {
  corpus: CorpusChoice;
  cell: string;
  layers: string;
  hidden: string;
  embedding: string;
  seqLength: string;
  batch: string;
  optimizer: string;
  learningRate: string;
  schedule: string;
  c1: string;
  c2: string;
  gamma: string;
  stepSize: string;
  l2: string;
  clip: string;
  seed: string;
  minutes: string;
  steps: string;
}

export type NumberField = Exclude<keyof TextForm, 'corpus' | 'cell' | 'optimizer' | 'schedule'>;

/** Small enough to learn something in a couple of minutes on two cores. */
export function defaultTextForm(): TextForm {
  return {
    corpus: 'shakespeare',
    cell: 'lstm',
    layers: '1',
    hidden: '128',
    embedding: '64',
    seqLength: '64',
    batch: '32',
    optimizer: 'adam',
    learningRate: '0.003',
    schedule: 'constant',
    c1: '1',
    c2: '100',
    gamma: '0.5',
    stepSize: '1000',
    l2: '0',
    clip: '5',
    seed: '1',
    minutes: '2',
    steps: '',
  };
}

/** A validation loss this often while training, on this many characters (the final one on all). */
export const EVAL_INTERVAL_MS = 3000;
export const EVAL_CHARACTERS = 16384;
export const SAMPLE_INTERVAL_MS = 4000;

export class FieldError extends Error {
  constructor(
    readonly field: NumberField,
    readonly value: string,
  ) {
    super(`${field}: "${value}" is not a number`);
  }
}

function numberOf(form: TextForm, field: NumberField, whole: boolean, emptyIs?: number): number {
  const text = form[field].trim();
  if (text === '' && emptyIs !== undefined) return emptyIs;
  const value = Number(text);
  if (text === '' || !Number.isFinite(value) || (whole && !Number.isInteger(value))) throw new FieldError(field, form[field]);
  return value;
}

export function textChoices(form: TextForm): TextChoices {
  return {
    cell: form.cell,
    layers: numberOf(form, 'layers', true),
    hidden_size: numberOf(form, 'hidden', true),
    embedding_size: numberOf(form, 'embedding', true),
    seq_length: numberOf(form, 'seqLength', true),
    batch_size: numberOf(form, 'batch', true),
    optimizer: { kind: form.optimizer, learning_rate: numberOf(form, 'learningRate', false) },
    schedule: {
      kind: form.schedule,
      c1: numberOf(form, 'c1', false),
      c2: numberOf(form, 'c2', false),
      gamma: numberOf(form, 'gamma', false),
      step_size: numberOf(form, 'stepSize', true),
    },
    l2: numberOf(form, 'l2', false, 0),
    clip_norm: numberOf(form, 'clip', false, 0),
    seed: numberOf(form, 'seed', true),
  };
}

/** The request for a run on `corpus`; throws FieldError for a field that is not a number. Empty limits mean none. */
export function textRequest(form: TextForm, corpus: TextCorpusSource): TextTrainSettings {
  return {
    corpus,
    config: textChoices(form),
    maxSteps: numberOf(form, 'steps', true, 0),
    maxSeconds: numberOf(form, 'minutes', false, 0) * 60,
    evalIntervalMs: EVAL_INTERVAL_MS,
    sampleIntervalMs: SAMPLE_INTERVAL_MS,
    evalCharacters: EVAL_CHARACTERS,
  };
}

/** Bytes of a string in UTF-8 (what the engine's size limit counts). */
export function utf8Length(text: string): number {
  return new TextEncoder().encode(text).length;
}
