// Everything chosen before training, as components drawn from the form's store (config-store.ts):
// dataset and preset, the model editor and its JSON, the hyper-parameters (optimiser with only its
// own β/ε, α and its schedule, the mini-batch size, epochs, L2, one initialisation and dropout p
// for all layers, the seed) and the data controls (dev split, normalisation, augmentation). A
// setting's control, label and choices come from the engine's registry (a decimal is shown and read
// with the page's decimal separator; the form keeps it as the URL writes it); the layout below only
// says which field goes where (and its data-testid), and a setting of a shown group that it does
// not place is added at the end of its panel.
import { setting, valueOfText, type Setting, type SettingKey } from '../../engine/settings-registry';
import { t, tf, type MessageKey } from '../../i18n';
import { presetDescription } from '../../i18n/preset-description';
import { settingLabel } from '../../i18n/setting-problem';
import { pageLocale } from '../../shell/page-locale';
import { Choice, Field, NumberText } from '../../ui/field';
import { typedForLocale, typedFromLocale } from '../../ui/format';
import { DATASETS } from '../../worker/protocol';
import type { ConfigStore } from './config-store';
import { ModelEditor } from './model-editor';
import { ModelJson } from './model-json';
import { BATCH_SIZE, FORM_SETTINGS, FULL_BATCH, hasWeights, INITS, isAugmentation, parseNumber, type TrainForm } from './settings';
import type { TrainStore } from './train-store';

export function ConfigForm({ config, store }: { config: ConfigStore; store: TrainStore }) {
  void pageLocale.value;
  const form = config.form.value;
  return (
    <fieldset class="config-panel" data-testid="config" disabled={store.running || !form}>
      <ConfigHead config={config} />
      <div>
        {form && (
          <>
            <fieldset class="config-section">
              <legend>{t('model.title')}</legend>
              <ModelEditor config={config} model={form.model} />
              <ModelJson config={config} model={form.model} />
            </fieldset>
            <Hyperparameters config={config} form={form} />
            <DataControls config={config} form={form} />
          </>
        )}
      </div>
    </fieldset>
  );
}

function ConfigHead({ config }: { config: ConfigStore }) {
  void pageLocale.value;
  const form = config.form.value;
  const { chosen, custom } = config.preset.value;
  const problems = config.urlProblems.value;
  const copied = config.copied.value;
  return (
    <div>
      <div class="train-form">
        <Field id="train-dataset" label={t('train.dataset')}>
          <select id="train-dataset" data-testid="dataset" value={form?.dataset} onChange={(event) => config.chooseDataset(event.currentTarget.value as TrainForm['dataset'])}>
            {DATASETS.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        </Field>
        <Field id="train-preset" label={t('train.preset')}>
          <select id="train-preset" data-testid="preset" value={form?.preset} onChange={(event) => config.choosePreset(event.currentTarget.value)}>
            {config.presets.value.map((p) => (
              <option key={p.name} value={p.name}>
                {p.name}
              </option>
            ))}
          </select>
        </Field>
      </div>
      {chosen && (
        <p class="muted preset-description" data-testid="preset-description">
          {presetDescription(chosen)}
        </p>
      )}
      <p class="muted" data-testid="model-kind" data-custom={custom ? 'true' : 'false'}>
        {custom && chosen ? tf('config.custom', { preset: chosen.name }) : ''}
      </p>
      {problems.length > 0 && (
        <div class="error" data-testid="url-error" role="alert">
          <strong>{t('config.urlProblems')}</strong>
          <pre>{problems.join('\n')}</pre>
        </div>
      )}
      <div class="buttons">
        <button type="button" data-testid="copy-link" onClick={() => void config.copyLink()}>
          {t('config.copyLink')}
        </button>
        <span class="muted" data-testid="copy-link-status" role="status" data-url={copied?.url}>
          {copied ? (copied.ok ? t('config.copied') : tf('config.copyFailed', { url: copied.url })) : ''}
        </span>
      </div>
    </div>
  );
}

interface SettingFieldProps {
  config: ConfigStore;
  form: TrainForm;
  name: SettingKey;
  /** The data-testid (kept stable for tests; the key by default), and optionally another label and a hint. */
  testId?: string;
  label?: MessageKey;
  hint?: string;
}

/** The control a setting's type calls for: a select of its choices, a checkbox for a flag, else a number typed as text. */
function SettingField({ config, form, name, testId = name, label, hint }: SettingFieldProps) {
  const s = setting(name);
  const id = `train-${testId}`;
  const text = form.values[name] ?? '';
  const shownLabel = label ? t(label) : settingLabel(s);
  if (s.type === 'bool')
    return (
      <Field id={id} label={shownLabel} hint={hint} checkbox>
        <input id={id} type="checkbox" data-testid={testId} checked={valueOfText(s, text) === true} onChange={(event) => config.setValue(name, String(event.currentTarget.checked))} />
      </Field>
    );
  return (
    <Field id={id} label={shownLabel} hint={hint}>
      {s.type === 'enum' ? (
        <Choice id={id} testId={testId} value={text} choices={s.choices} labelPrefix={s.label} onChange={(value) => config.setValue(name, value)} />
      ) : (
        <input
          id={id}
          type="text"
          inputmode={s.type === 'float' ? 'decimal' : 'numeric'}
          data-testid={testId}
          value={s.type === 'float' ? typedForLocale(text) : text}
          onInput={(event) => config.setValue(name, s.type === 'float' ? typedFromLocale(event.currentTarget.value) : event.currentTarget.value)}
        />
      )}
    </Field>
  );
}

/** The settings of `groups` (among `among`) that the layout did not place: a new engine setting shows up here. */
function Unplaced({ config, form, among, groups, placed }: { config: ConfigStore; form: TrainForm; among: readonly Setting[]; groups: readonly string[]; placed: readonly SettingKey[] }) {
  return (
    <>
      {among
        .filter((s) => groups.includes(s.group) && !placed.includes(s.key))
        .map((s) => (
          <SettingField key={s.key} config={config} form={form} name={s.key} />
        ))}
    </>
  );
}

/** The value all of `values` share, else undefined. */
function shared<T>(values: T[]): T | undefined {
  return values.length > 0 && values.every((v) => v === values[0]) ? values[0] : undefined;
}

/** The registry's groups the hyper-parameters panel shows, and the settings its layout places (some only for an optimiser or schedule that uses them). */
const HYPER_GROUPS = ['optimizer', 'schedule', 'training', 'regularization'];
const HYPER_PLACED = ['optimizer.kind', 'optimizer.beta', 'optimizer.beta1', 'optimizer.beta2', 'optimizer.epsilon', 'schedule.kind', 'optimizer.learning_rate', 'schedule.c1', 'schedule.c2', 'schedule.gamma', 'schedule.step_size', 'batch_size', 'epochs', 'l2', 'l2_decoupled', 'seed'].map(
  (path) => `training.${path}` as SettingKey,
);

function Hyperparameters({ config, form }: { config: ConfigStore; form: TrainForm }) {
  void pageLocale.value;
  const optimizer = form.values['training.optimizer.kind'];
  const schedule = form.values['training.schedule.kind'];
  const field = (path: string, testId: string, extra: { label?: MessageKey; hint?: string } = {}) => <SettingField config={config} form={form} name={`training.${path}`} testId={testId} {...extra} />;
  const formula = schedule !== undefined && setting('training.schedule.kind').choices.includes(schedule) ? t(`hyper.formula.${schedule}` as MessageKey) : undefined;
  return (
    <fieldset class="config-section hyperparameters" data-testid="hyperparameters">
      <legend>{t('hyper.title')}</legend>
      <div class="train-form">
        {field('optimizer.kind', 'optimizer')}
        {(optimizer === 'momentum' || optimizer === 'rmsprop') && field('optimizer.beta', 'momentum-beta', { label: optimizer === 'momentum' ? 'hyper.betaMomentum' : 'hyper.betaRmsprop', hint: t('hyper.betaHint') })}
        {optimizer === 'adam' && field('optimizer.beta1', 'beta1')}
        {optimizer === 'adam' && field('optimizer.beta2', 'beta2')}
        {(optimizer === 'rmsprop' || optimizer === 'adam') && field('optimizer.epsilon', 'epsilon')}
        {field('schedule.kind', 'schedule')}
        {schedule !== 'inverse_time' && field('optimizer.learning_rate', 'learningRate')}
        {schedule === 'inverse_time' && field('schedule.c1', 'c1')}
        {schedule === 'inverse_time' && field('schedule.c2', 'c2')}
        {(schedule === 'step' || schedule === 'exponential') && field('schedule.gamma', 'gamma')}
        {(schedule === 'step' || schedule === 'exponential') && field('schedule.step_size', 'step-size')}
        <BatchField config={config} form={form} />
        {field('epochs', 'epochs')}
        {field('l2', 'l2', { hint: t('hyper.l2Hint') })}
        {field('l2_decoupled', 'l2-decoupled', { hint: t('hyper.l2DecoupledHint') })}
        <InitField config={config} form={form} />
        {form.model.layers.some((layer) => layer.type === 'dropout') && <DropoutField config={config} form={form} />}
        {field('seed', 'seed')}
        <Unplaced config={config} form={form} among={FORM_SETTINGS} groups={HYPER_GROUPS} placed={HYPER_PLACED} />
      </div>
      {formula && (
        <p class="muted formula" data-testid="schedule-formula">
          {formula}
        </p>
      )}
    </fieldset>
  );
}

/** The mini-batch size, with 1 (stochastic) and "full" (batch gradient descent) a click away. */
function BatchField({ config, form }: { config: ConfigStore; form: TrainForm }) {
  const set = (text: string) => config.setValue(BATCH_SIZE, text);
  return (
    <Field id="train-batchSize" label={settingLabel(setting(BATCH_SIZE))} hint={t('hyper.batchHint')}>
      <span class="batch-control">
        <input id="train-batchSize" type="text" inputmode="numeric" data-testid="batchSize" value={form.values[BATCH_SIZE] ?? ''} onInput={(event) => set(event.currentTarget.value)} />
        <button type="button" class="small" data-testid="stochastic-batch" onClick={() => set('1')}>
          {t('hyper.stochastic')}
        </button>
        <button type="button" class="small" data-testid="full-batch" onClick={() => set(FULL_BATCH)}>
          {t('hyper.fullBatch')}
        </button>
      </span>
    </Field>
  );
}

/** One initialisation for every layer with weights ("per layer" when they differ). */
function InitField({ config, form }: { config: ConfigStore; form: TrainForm }) {
  const weighted = form.model.layers.filter(hasWeights);
  const current = shared(weighted.map((layer) => layer.init));
  const choices = current === undefined || INITS.includes(current) ? INITS : [...INITS, current];
  return (
    <Field id="train-init" label={t('hyper.init')} hint={t('hyper.initHint')}>
      <select id="train-init" data-testid="init" disabled={weighted.length === 0} value={current ?? ''} onChange={(event) => event.currentTarget.value !== '' && config.setInitAll(event.currentTarget.value)}>
        {current === undefined && <option value="">{t('hyper.perLayer')}</option>}
        {choices.map((init) => (
          <option key={init} value={init}>
            {INITS.includes(init) ? t(`init.${init}` as MessageKey) : init}
          </option>
        ))}
      </select>
    </Field>
  );
}

/** One p for every dropout layer (empty when they differ). */
function DropoutField({ config, form }: { config: ConfigStore; form: TrainForm }) {
  const current = shared(form.model.layers.filter((layer) => layer.type === 'dropout').map((layer) => layer.p));
  return (
    <Field id="train-dropout" label={t('hyper.dropout')} hint={t('hyper.dropoutHint')}>
      <NumberText
        key={pageLocale.value} // another language: the text is written again with its separator
        id="train-dropout"
        type="text"
        testId="dropout"
        placeholder={t('hyper.perLayer')}
        value={current}
        format={(p) => (p === undefined ? '' : typedForLocale(String(p)))}
        parse={(text) => parseNumber(typedFromLocale(text))}
        onValue={(p) => config.setDropoutAll(p)}
      />
    </Field>
  );
}

/** The settings the data panel places; the rest of the data group (and of augmentation, when on) is added after them. */
const DATA_PLACED: SettingKey[] = ['data.dev_size', 'data.normalization', 'data.augment.max_shift', 'data.augment.max_rotation', 'data.augment.max_zoom', 'data.augment.elastic_alpha', 'data.augment.elastic_sigma'];

/** The dev split's size, the input normalisation, and data augmentation (on/off with its strengths; the preview is in the data tab). */
function DataControls({ config, form }: { config: ConfigStore; form: TrainForm }) {
  void pageLocale.value;
  const field = (name: SettingKey, testId: string, hint?: string) => <SettingField config={config} form={form} name={name} testId={testId} {...(hint ? { hint } : {})} />;
  return (
    <fieldset class="config-section data-controls" data-testid="data-controls">
      <legend>{t('data.title')}</legend>
      <div class="train-form">
        {field('data.dev_size', 'dev-size', t('data.devSizeHint'))}
        {field('data.normalization', 'normalization')}
        <Field id="train-augment" label={t('data.augment')} hint={t('data.augmentHint')} checkbox>
          <input id="train-augment" type="checkbox" data-testid="augment" checked={form.augment} onChange={(event) => config.setAugment(event.currentTarget.checked)} />
        </Field>
        <Unplaced config={config} form={form} among={FORM_SETTINGS.filter((s) => !isAugmentation(s))} groups={['data']} placed={DATA_PLACED} />
        {form.augment && (
          <>
            {field('data.augment.max_shift', 'shift')}
            {field('data.augment.max_rotation', 'rotation')}
            {field('data.augment.max_zoom', 'zoom')}
            {field('data.augment.elastic_alpha', 'elastic-alpha', t('data.elasticHint'))}
            {field('data.augment.elastic_sigma', 'elastic-sigma')}
            <Unplaced config={config} form={form} among={FORM_SETTINGS.filter(isAugmentation)} groups={['augmentation']} placed={DATA_PLACED} />
          </>
        )}
      </div>
    </fieldset>
  );
}
