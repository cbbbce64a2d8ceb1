// The text lab's form: every field kept as typed (strings), turned into a textTrain request by
// textRequest(), which names the first field the engine would refuse (a value that is not a number
// of the right kind, or out of its range). The fields' types, ranges, choices and defaults are the
// engine's registry's (table 'text'); this form only says which settings it shows.
import { TEXT_PRESETS, type TextPreset } from '../../engine/generated/settings';
import { problemWith, setting, setValueAt, valueAt, valueOfText, type SettingKey, type SettingProblem } from '../../engine/settings-registry';
import type { MessageKey } from '../../i18n';
import type { TextChoices, TextCorpusId, TextCorpusSource, TextTrainSettings } from '../../worker/protocol';

/** The form's fields that are settings of the engine's TextConfig, and which. */
const SETTING_OF = {
  cell: 'text.cell',
  layers: 'text.layers',
  hidden: 'text.hidden_size',
  embedding: 'text.embedding_size',
  dropout: 'text.dropout',
  dropoutEmbedding: 'text.dropout_embedding',
  dropoutHead: 'text.dropout_head',
  seqLength: 'text.seq_length',
  batch: 'text.batch_size',
  optimizer: 'text.optimizer.kind',
  learningRate: 'text.optimizer.learning_rate',
  schedule: 'text.schedule.kind',
  c1: 'text.schedule.c1',
  c2: 'text.schedule.c2',
  gamma: 'text.schedule.gamma',
  stepSize: 'text.schedule.step_size',
  l2: 'text.l2',
  clip: 'text.clip_norm',
  seed: 'text.seed',
  keep: 'text.keep',
  patience: 'text.patience',
} as const satisfies Record<string, SettingKey>;

export const TEXT_CELLS = setting(SETTING_OF.cell).choices;
export const TEXT_OPTIMIZERS = setting(SETTING_OF.optimizer).choices;
export const TEXT_SCHEDULES = setting(SETTING_OF.schedule).choices;
export const TEXT_KEEP = setting(SETTING_OF.keep).choices;
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
  dropout: string;
  /** 'true' or 'false' (checkboxes). */
  dropoutEmbedding: string;
  dropoutHead: string;
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
  keep: string;
  patience: string;
  minutes: string;
  steps: string;
}

export type NumberField = Exclude<keyof TextForm, 'corpus' | 'cell' | 'optimizer' | 'schedule' | 'keep' | FlagField>;
/** The form's on/off settings. */
export type FlagField = 'dropoutEmbedding' | 'dropoutHead';

/** The form's number fields as the page shows them, in order: label and test id. */
export const NUMBER_FIELDS: { field: NumberField; label: MessageKey; testId: string; hint?: MessageKey }[] = [
  { field: 'layers', label: 'text.layers', testId: 'text-layers' },
  { field: 'hidden', label: 'text.hidden', testId: 'text-hidden' },
  { field: 'embedding', label: 'text.embedding', testId: 'text-embedding' },
  { field: 'dropout', label: 'text.dropout', testId: 'text-dropout' },
  { field: 'seqLength', label: 'text.seqLength', testId: 'text-seq' },
  { field: 'batch', label: 'text.batch', testId: 'text-batch' },
  { field: 'learningRate', label: 'text.learningRate', testId: 'text-lr' },
  { field: 'c1', label: 'hyper.c1', testId: 'text-c1' },
  { field: 'c2', label: 'hyper.c2', testId: 'text-c2' },
  { field: 'gamma', label: 'hyper.gamma', testId: 'text-gamma' },
  { field: 'stepSize', label: 'hyper.stepSize', testId: 'text-step-size' },
  { field: 'l2', label: 'hyper.l2', testId: 'text-l2', hint: 'hyper.l2Hint' },
  { field: 'clip', label: 'text.clip', testId: 'text-clip', hint: 'text.clip.hint' },
  { field: 'seed', label: 'text.seed', testId: 'text-seed' },
  { field: 'patience', label: 'text.patience', testId: 'text-patience' },
  { field: 'minutes', label: 'text.minutes', testId: 'text-minutes' },
  { field: 'steps', label: 'text.steps', testId: 'text-steps', hint: 'text.steps.hint' },
];

export const FLAG_FIELDS: { field: FlagField; label: MessageKey; testId: string }[] = [
  { field: 'dropoutEmbedding', label: 'text.dropoutEmbedding', testId: 'text-dropout-embedding' },
  { field: 'dropoutHead', label: 'text.dropoutHead', testId: 'text-dropout-head' },
];

/** The quick Shakespeare preset: a network small enough to learn something in a couple of minutes on two cores. */
export const DEFAULT_TEXT_PRESET = 'shakespeare-quick';

export function defaultTextForm(): TextForm {
  const defaults = Object.fromEntries(Object.entries(SETTING_OF).map(([field, key]) => [field, String(setting(key).default)]));
  const form: TextForm = { ...(defaults as Record<keyof typeof SETTING_OF, string>), corpus: 'shakespeare', minutes: '2', steps: '' };
  const preset = TEXT_PRESETS.find((p) => p.name === DEFAULT_TEXT_PRESET);
  if (preset) applyTextPreset(form, preset);
  return form;
}

/** The form with a preset's settings, corpus and minutes (engine/text/text_presets.cpp); no step limit. */
export function applyTextPreset(form: TextForm, preset: TextPreset): void {
  for (const [field, key] of Object.entries(SETTING_OF) as [keyof typeof SETTING_OF, SettingKey][]) form[field] = String(valueAt(preset.config, setting(key).path));
  form.corpus = preset.corpus as TextCorpusId;
  form.minutes = String(preset.minutes);
  form.steps = '';
}

export { TEXT_PRESETS };

/** The priming text each corpus starts generation from: words of its own (Don Quijote has no
 *  "ROMEO:"); empty for one's own text, whose characters are unknown (the engine then starts
 *  after a line break). */
export const CORPUS_PRIMES: Record<CorpusChoice, string> = { shakespeare: 'ROMEO:', quijote: 'En un lugar de la Mancha', own: '' };

/** The prime after the corpus changes from `before` to `after`: the new corpus's own, unless the
 *  student wrote one (a prime that is not the old corpus's default stays). */
export function primeAfterCorpusChange(prime: string, before: CorpusChoice, after: CorpusChoice): string {
  return prime === CORPUS_PRIMES[before] ? CORPUS_PRIMES[after] : prime;
}

/** A validation loss this often while training, on this many characters (the final one on all). */
export const EVAL_INTERVAL_MS = 3000;
export const EVAL_CHARACTERS = 16384;
export const SAMPLE_INTERVAL_MS = 4000;

export class FieldError extends Error {
  constructor(
    readonly field: NumberField,
    readonly value: string,
    /** For a setting of the engine: what it accepts (the page words it). */
    readonly problem?: SettingProblem,
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

/** The form's settings as the engine's TextConfig fields; throws FieldError naming the first one the engine would refuse. */
export function textChoices(form: TextForm): TextChoices {
  const config: Record<string, unknown> = {};
  for (const [field, key] of Object.entries(SETTING_OF) as [keyof typeof SETTING_OF, SettingKey][]) {
    const s = setting(key);
    const text = field === 'clip' && form.clip.trim() === '' ? '0' : form[field]; // empty clip = off
    const problem = problemWith(s, text);
    if (problem) throw new FieldError(field as NumberField, form[field], problem);
    setValueAt(config, s.path, valueOfText(s, text));
  }
  return config as TextChoices;
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
