// The hyper-parameters: optimiser (with only its own β/ε), learning rate α and its schedule, the
// mini-batch size (1 = stochastic, full = batch gradient descent), epochs, L2 λ, the
// initialisation and dropout p of every layer at once, and the seed.
import { setting, type SettingKey } from '../../engine/settings-registry';
import { t, type MessageKey } from '../../i18n';
import { h } from '../../ui/dom';
import { labelled, settingField, unplacedFields, type FieldEvents } from './form-fields';
import { settingLabel } from '../../i18n/setting-problem';
import { BATCH_SIZE, FORM_SETTINGS, FULL_BATCH, hasWeights, INITS, type TrainForm } from './settings';

export interface HyperparameterEvents extends FieldEvents {
  /** The layers changed (one init or dropout p for all): the model editor re-renders. */
  onLayers(): void;
}

/** The value all of `values` share, else undefined. */
function shared<T>(values: T[]): T | undefined {
  return values.length > 0 && values.every((v) => v === values[0]) ? values[0] : undefined;
}

/** The registry's groups this panel shows; a setting of these groups that the layout below does not place is added at the end. */
const GROUPS = ['optimizer', 'schedule', 'training', 'regularization'];
/** The settings the layout places (some only for an optimiser or schedule that uses them). */
const PLACED: SettingKey[] = ['optimizer.kind', 'optimizer.beta', 'optimizer.beta1', 'optimizer.beta2', 'optimizer.epsilon', 'schedule.kind', 'optimizer.learning_rate', 'schedule.c1', 'schedule.c2', 'schedule.gamma', 'schedule.step_size', 'batch_size', 'epochs', 'l2', 'seed'].map((path) => `training.${path}` as SettingKey);

export function renderHyperparameters(form: TrainForm, events: HyperparameterEvents): HTMLElement {
  const optimizer = form.values['training.optimizer.kind'];
  const schedule = form.values['training.schedule.kind'];
  const field = (path: string, testId: string, extra: { label?: MessageKey; hint?: string } = {}) => settingField(form, `training.${path}`, events, { testId, ...extra });
  const fields: HTMLElement[] = [field('optimizer.kind', 'optimizer')];
  if (optimizer === 'momentum' || optimizer === 'rmsprop')
    fields.push(field('optimizer.beta', 'momentum-beta', { label: optimizer === 'momentum' ? 'hyper.betaMomentum' : 'hyper.betaRmsprop', hint: t('hyper.betaHint') }));
  if (optimizer === 'adam') fields.push(field('optimizer.beta1', 'beta1'), field('optimizer.beta2', 'beta2'));
  if (optimizer === 'rmsprop' || optimizer === 'adam') fields.push(field('optimizer.epsilon', 'epsilon'));

  fields.push(field('schedule.kind', 'schedule'));
  if (schedule !== 'inverse_time') fields.push(field('optimizer.learning_rate', 'learningRate'));
  if (schedule === 'inverse_time') fields.push(field('schedule.c1', 'c1'), field('schedule.c2', 'c2'));
  if (schedule === 'step' || schedule === 'exponential') fields.push(field('schedule.gamma', 'gamma'), field('schedule.step_size', 'step-size'));
  const formula = schedule !== undefined && setting('training.schedule.kind').choices.includes(schedule) ? t(`hyper.formula.${schedule}` as MessageKey) : undefined;

  fields.push(batchField(form, events), field('epochs', 'epochs'), field('l2', 'l2', { hint: t('hyper.l2Hint') }));
  fields.push(initField(form, events));
  if (form.model.layers.some((layer) => layer.type === 'dropout')) fields.push(dropoutField(form, events));
  fields.push(field('seed', 'seed'));
  fields.push(...unplacedFields(form, FORM_SETTINGS, GROUPS, PLACED, events));

  return h(
    'fieldset',
    { class: 'config-section hyperparameters', 'data-testid': 'hyperparameters' },
    h('legend', {}, t('hyper.title')),
    h('div', { class: 'train-form' }, ...fields),
    formula ? h('p', { class: 'muted formula', 'data-testid': 'schedule-formula' }, formula) : null,
  );
}

function batchField(form: TrainForm, events: FieldEvents): HTMLElement {
  const input = h('input', { id: 'train-batchSize', type: 'text', inputmode: 'numeric', 'data-testid': 'batchSize', value: form.values[BATCH_SIZE] ?? '' });
  input.addEventListener('input', () => {
    form.values[BATCH_SIZE] = input.value;
    events.onInput();
  });
  const button = (text: string, value: string, testId: string) => {
    const element = h('button', { type: 'button', class: 'small', 'data-testid': testId }, text);
    element.addEventListener('click', () => {
      form.values[BATCH_SIZE] = input.value = value;
      events.onInput();
    });
    return element;
  };
  const control = h('span', { class: 'batch-control' }, input, button(t('hyper.stochastic'), '1', 'stochastic-batch'), button(t('hyper.fullBatch'), FULL_BATCH, 'full-batch'));
  return labelled('train-batchSize', settingLabel(setting(BATCH_SIZE)), control, t('hyper.batchHint'));
}

/** One initialisation for every dense and conv2d layer ("per layer" when they differ). */
function initField(form: TrainForm, events: HyperparameterEvents): HTMLElement {
  const weighted = form.model.layers.filter(hasWeights);
  const current = shared(weighted.map((layer) => layer.init));
  const select = h('select', { id: 'train-init', 'data-testid': 'init', disabled: weighted.length === 0 });
  if (current === undefined) select.append(h('option', { value: '', selected: true }, t('hyper.perLayer')));
  const choices: string[] = [...INITS];
  if (current !== undefined && !choices.includes(current)) choices.push(current);
  for (const init of choices) select.append(h('option', { value: init, selected: init === current }, INITS.includes(init) ? t(`init.${init}` as MessageKey) : init));
  select.addEventListener('change', () => {
    if (select.value === '') return;
    for (const layer of weighted) layer.init = select.value;
    events.onLayers();
  });
  return labelled('train-init', t('hyper.init'), select, t('hyper.initHint'));
}

/** One p for every dropout layer (empty when they differ). */
function dropoutField(form: TrainForm, events: HyperparameterEvents): HTMLElement {
  const dropouts = form.model.layers.filter((layer) => layer.type === 'dropout');
  const current = shared(dropouts.map((layer) => layer.p));
  const input = h('input', { id: 'train-dropout', type: 'text', inputmode: 'decimal', 'data-testid': 'dropout', value: current === undefined ? '' : String(current), placeholder: t('hyper.perLayer') });
  input.addEventListener('input', () => {
    const p = input.value.trim() === '' ? NaN : Number(input.value);
    for (const layer of dropouts) layer.p = p;
    events.onLayers();
  });
  return labelled('train-dropout', t('hyper.dropout'), input, t('hyper.dropoutHint'));
}
