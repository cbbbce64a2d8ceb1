// What the page and the worker know about bindings/inspect_bindings.cpp: "inside the network"
// (layer outputs, parameter and gradient histograms, convolution filters) and the data panel
// (the student's own IDX files, the augmentation preview). A unit test touches every member.
import type { AugmentConfig, ClassifierSession, ImageSet } from './types';

/** Equal-width bins over [low, high] (engine/inspect/histogram.hpp); NaN and ±∞ counted apart. */
export interface Histogram {
  low: number;
  high: number;
  counts: number[];
  finite: number;
  non_finite: number;
}

export interface ParameterHistograms {
  /** Index in the model's layers. */
  layer: number;
  layer_kind: string;
  /** "W", "b", "gamma", "beta". */
  name: string;
  shape: number[];
  values: Histogram;
  /** The last optimiser step's gradient (all zeros before the first step). */
  gradients: Histogram;
}

/** One layer's output for one image: [C, H, W] feature maps or [F] features, row-major. */
export interface LayerOutput {
  layer: number;
  kind: string;
  shape: number[];
  values: Float32Array;
}

/** A conv2d layer's weights, [K, C, kh, kw] row-major. */
export interface ConvFilters {
  layer: number;
  shape: number[];
  weights: Float32Array;
}

/** An IDX file the student chose, already gunzipped; `name` appears in the engine's errors. */
export interface IdxFile {
  name: string;
  bytes: Uint8Array;
}

export interface InspectModule {
  /** Every layer's output for one image in the dataset's pixel format (eval mode). */
  layerOutputs(session: ClassifierSession, pixels: Uint8Array): LayerOutput[];
  parameterHistograms(session: ClassifierSession, bins: number): ParameterHistograms[];
  convFilters(session: ClassifierSession): ConvFilters[];
  /** count × C·H·W pixels, each image augmented once with `config` and `seed`; throws naming a bad field. */
  augmentPreview(images: Uint8Array, count: number, channels: number, height: number, width: number, config: AugmentConfig, seed: number): Uint8Array;
  /** Throws an Error starting with the offending file's name. */
  loadIdxFiles(images: IdxFile, labels: IdxFile, name: string, height: number, width: number): ImageSet;
}
