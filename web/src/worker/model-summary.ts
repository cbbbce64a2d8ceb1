// The model editor's check: the engine builds the model (its builder validates every layer) and
// reports each layer's output shape and parameter count. When the model is refused, the longest
// prefix that builds gives the shapes up to the layer that does not fit, so the editor can point
// at it. Engine-free (the module is injected) so the unit tests use a fake.
import type { LayerSummary, ModelSpec, ProfundoModule } from '../engine/types';
import { checkModelSpec } from './config-check';
import type { LayerRow, ModelSummary } from './protocol';

function rows(summary: LayerSummary[]): LayerRow[] {
  return summary.map((layer) => ({ type: layer.type, outputShape: [...layer.output_shape], parameterCount: layer.parameter_count }));
}

function total(layers: LayerRow[]): number {
  return layers.reduce((sum, layer) => sum + layer.parameterCount, 0);
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Describes `model`, or says why it cannot be built; `classes` is how many outputs the dataset needs. */
export function describeModel(engine: Pick<ProfundoModule, 'summarizeModel'>, model: ModelSpec, classes?: number): ModelSummary {
  try {
    checkModelSpec(model);
  } catch (err) {
    return { layers: [], parameterCount: 0, error: message(err) };
  }
  let layers: LayerRow[];
  try {
    layers = rows(engine.summarizeModel(model));
  } catch (err) {
    const prefix = longestValidPrefix(engine, model);
    return {
      layers: prefix,
      parameterCount: total(prefix),
      error: message(err),
      ...(prefix.length < model.layers.length ? { errorLayer: prefix.length } : {}),
    };
  }
  const outputs = layers.at(-1)?.outputShape.reduce((a, b) => a * b, 1) ?? 0;
  if (classes !== undefined && outputs !== classes) {
    return {
      layers,
      parameterCount: total(layers),
      error: `the last layer has ${outputs} outputs but the dataset has ${classes} classes (end with a dense layer of ${classes} units)`,
      errorLayer: layers.length - 1,
      classMismatch: { outputs, classes },
    };
  }
  return { layers, parameterCount: total(layers) };
}

/** The summary of the longest prefix of the layers that builds (with a loss that accepts any output). */
function longestValidPrefix(engine: Pick<ProfundoModule, 'summarizeModel'>, model: ModelSpec): LayerRow[] {
  for (let length = model.layers.length - 1; length > 0; length--) {
    try {
      return rows(engine.summarizeModel({ ...model, layers: model.layers.slice(0, length), loss: 'mean_squared_error' }));
    } catch {
      // a shorter prefix, then
    }
  }
  return [];
}
