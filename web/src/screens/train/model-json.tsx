// The model as JSON, the format of the CLI's `--model` file (engine/model/model_spec.hpp): shown
// for the current layers, and pasted JSON is read by the engine's own parser (in the worker), so
// a model can move between the page and the command line. The engine's refusal is worded in the
// page's language, its own words under it.
import { useEffect, useRef, useState } from 'preact/hooks';
import { t } from '../../i18n';
import { engineErrorText } from '../../i18n/engine-error';
import type { ModelSpec } from '../../engine/types';
import { pageLocale } from '../../shell/page-locale';
import type { ConfigStore } from './config-store';
import { layerFields } from './layer-types';

/** The JSON the engine's to_json writes: each layer with the fields its type reads. */
export function modelToJson(model: ModelSpec): string {
  const layers = model.layers.map((layer) => Object.fromEntries([['type', layer.type], ...layerFields(layer.type).map((field) => [field, layer[field]])]));
  const lines = layers.map((layer) => `    ${JSON.stringify(layer)}`);
  return `{\n  "input": ${JSON.stringify(model.input)},\n  "layers": [\n${lines.join(',\n')}\n  ],\n  "loss": ${JSON.stringify(model.loss)}\n}\n`;
}

export function ModelJson({ config, model }: { config: ConfigStore; model: ModelSpec }) {
  void pageLocale.value;
  const error = config.jsonError.value;
  const shown = modelToJson(model);
  /** The text as the student edits it (undefined: the model's own). */
  const [draft, setDraft] = useState<string | undefined>(undefined);
  const box = useRef<HTMLTextAreaElement>(null);
  // Another model replaces the text, unless the student is typing in it.
  useEffect(() => {
    if (document.activeElement !== box.current) setDraft(undefined);
  }, [shown]);
  return (
    <details class="model-json" data-testid="model-json">
      <summary>{t('model.json.title')}</summary>
      <p class="muted hint">{t('model.json.hint')}</p>
      <textarea ref={box} rows={10} spellcheck={false} data-testid="model-json-text" class="model-json-text" value={draft ?? shown} onInput={(event) => setDraft(event.currentTarget.value)} />
      <div class="add-layer">
        <button type="button" data-testid="model-json-apply" onClick={() => void config.applyJson(draft ?? shown)}>
          {t('model.json.apply')}
        </button>
      </div>
      <div class="error" data-testid="model-json-error" role="alert" hidden={!error}>
        {error && <pre>{engineErrorText(error)}</pre>}
      </div>
    </details>
  );
}
