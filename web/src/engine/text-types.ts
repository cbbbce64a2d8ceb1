// What the page and the worker know about the text bindings (bindings/text_bindings.cpp):
// character-level language models with RNN, GRU or LSTM cells. value_objects cross as plain
// objects with the engine's snake_case fields; a TextSession is a handle on engine memory that
// must be freed with delete().
import type { TextConfig } from './generated/settings';

/** Settings of a text run (engine/text/text_config.hpp), generated from the engine's registry. */
export type { TextConfig } from './generated/settings';

/** Returned by TextSession.trainSteps(n). Losses are in nats per character. */
export interface TextTrainReport {
  /** Mean training loss of these steps. */
  loss: number;
  steps: number;
  /** Steps of this call whose gradients were clipped. */
  clipped: number;
  /** Global gradient norm of the last step, before clipping. */
  grad_norm: number;
  /** Steps since the start of the run. */
  step: number;
  /** Learning rate of the last step (from the schedule). */
  learning_rate: number;
  epoch: number;
  /** Clipped steps / all steps since the start of the run. */
  clipped_fraction: number;
  characters: number;
}

/** Returned by TextSession.evaluate(n): a validation report offered to the run's best-model keeper. */
export interface TextEvaluation {
  validation_loss: number;
  /** The best so far: that model is now the best one. */
  improved: boolean;
  best_validation_loss: number;
  best_step: number;
  reports_since_best: number;
  /** text.patience reports in a row without improvement. */
  should_stop: boolean;
}

export interface TextCorpusStats {
  bytes: number;
  characters: number;
  vocabulary_size: number;
  train_characters: number;
  validation_characters: number;
  chunks_per_epoch: number;
}

export interface TextSession {
  /** count ≥ 1 truncated-BPTT steps. */
  trainSteps(count: number): TextTrainReport;
  /** Mean validation loss; maxCharacters 0 = the whole validation text. */
  evaluateValidation(maxCharacters: number): number;
  /** The same, offered to the run's keeper; throws an Error when the loss is NaN or infinite (the best model stays). */
  evaluate(maxCharacters: number): TextEvaluation;
  /** Generated characters (without the prime); temperature 0 = greedy. Deterministic for a seed. */
  sample(prime: string, length: number, temperature: number, seed: number): string;
  /** The same from the best model so far (the current one until a report kept one). */
  sampleBest(prime: string, length: number, temperature: number, seed: number): string;
  /** The step of the model sampleBest() samples from. */
  bestModelStep(): number;
  /** The kept run (text.keep: the best or the last model; versioned, CRC-32), as a new Uint8Array. */
  save(): Uint8Array;
  /** The character model as an ONNX file (engine/interop/onnx_classifier.hpp): tokens [T, N] in, logits and probabilities [T, N, V] out. */
  exportOnnx(): Uint8Array;
  /** False for a session resumed without its corpus (sampling only). */
  canTrain(): boolean;
  config(): TextConfig;
  corpusStats(): TextCorpusStats;
  vocabularySize(): number;
  /** The characters, in index order. */
  vocabulary(): string[];
  steps(): number;
  epoch(): number;
  threads(): number;
  parameterCount(): number;
  delete(): void;
}

export interface TextSessionConstructor {
  /**
   * Throws an Error naming the problem (invalid UTF-8 with its byte offset, size above maxTextBytes(), a bad field).
   * A Uint8Array crosses as its bytes unchanged (Embind's std::string), so the engine checks an upload's UTF-8.
   */
  new (corpus: string | Uint8Array, config: TextConfig, threads: number): TextSession;
  /** corpus '' resumes for sampling only; otherwise it must be the text the run was trained on. */
  resume(bytes: Uint8Array, source: string, corpus: string, threads: number): TextSession;
}

/** The text part of the Emscripten module. */
export interface TextModule {
  defaultTextConfig(): TextConfig;
  /** The largest corpus accepted, in bytes (16 MB). */
  maxTextBytes(): number;
  TextSession: TextSessionConstructor;
}
