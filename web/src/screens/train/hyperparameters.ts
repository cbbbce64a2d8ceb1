// The hyper-parameters: optimiser (with only its own β/ε), learning rate α and its schedule, the
// mini-batch size (1 = stochastic, full = batch gradient descent), epochs, L2 λ, the
// initialisation and dropout p of every layer at once, and the seed.
import { t, type MessageKey } from '../../i18n';
import { h } from '../../ui/dom';
import { choiceField, labelled, numberField, type FieldEvents } from './form-fields';
import { FULL_BATCH, hasWeights, INITS, OPTIMIZERS, SCHEDULES, type TrainForm } from './settings';

export interface HyperparameterEvents extends FieldEvents {
  /** The layers changed (one init or dropout p for all): the model editor re-renders. */
  onLayers(): void;
}

/** The value all of `values` share, else undefined. */
function shared<T>(values: T[]): T | undefined {
  return values.length > 0 && values.every((v) => v === values[0]) ? values[0] : undefined;
}

export function renderHyperparameters(form: TrainForm, events: HyperparameterEvents): HTMLElement {
  const { optimizer, schedule } = form;
  const fields: HTMLElement[] = [choiceField(form, 'optimizer', 'train.optimizer', OPTIMIZERS, 'train.optimizer', events)];
  if (optimizer === 'momentum' || optimizer === 'rmsprop')
    fields.push(numberField(form, 'beta', optimizer === 'momentum' ? 'hyper.betaMomentum' : 'hyper.betaRmsprop', events, { testId: 'momentum-beta', hint: t('hyper.betaHint') }));
  if (optimizer === 'adam') {
    fields.push(numberField(form, 'beta1', 'hyper.beta1', events));
    fields.push(numberField(form, 'beta2', 'hyper.beta2', events));
  }
  if (optimizer === 'rmsprop' || optimizer === 'adam') fields.push(numberField(form, 'epsilon', 'hyper.epsilon', events));

  fields.push(choiceField(form, 'schedule', 'hyper.schedule', SCHEDULES, 'hyper.schedule', events));
  if (schedule !== 'inverse_time') fields.push(numberField(form, 'learningRate', 'train.learningRate', events));
  if (schedule === 'inverse_time') {
    fields.push(numberField(form, 'c1', 'hyper.c1', events));
    fields.push(numberField(form, 'c2', 'hyper.c2', events));
  }
  if (schedule === 'step' || schedule === 'exponential') {
    fields.push(numberField(form, 'gamma', 'hyper.gamma', events));
    fields.push(numberField(form, 'stepSize', 'hyper.stepSize', events, { testId: 'step-size' }));
  }
  const formula = (SCHEDULES as readonly string[]).includes(schedule) ? t(`hyper.formula.${schedule}` as MessageKey) : undefined;

  fields.push(batchField(form, events), numberField(form, 'epochs', 'train.epochs', events), numberField(form, 'l2', 'hyper.l2', events, { hint: t('hyper.l2Hint') }));
  fields.push(numberField(form, 'clip', 'hyper.clip', events, { hint: t('hyper.clipHint') }));
  fields.push(initField(form, events));
  if (form.model.layers.some((layer) => layer.type === 'dropout')) fields.push(dropoutField(form, events));
  fields.push(numberField(form, 'seed', 'train.seed', events));

  return h(
    'fieldset',
    { class: 'config-section hyperparameters', 'data-testid': 'hyperparameters' },
    h('legend', {}, t('hyper.title')),
    h('div', { class: 'train-form' }, ...fields),
    formula ? h('p', { class: 'muted formula', 'data-testid': 'schedule-formula' }, formula) : null,
  );
}

function batchField(form: TrainForm, events: FieldEvents): HTMLElement {
  const input = h('input', { id: 'train-batchSize', type: 'text', inputmode: 'numeric', 'data-testid': 'batchSize', value: form.batchSize });
  input.addEventListener('input', () => {
    form.batchSize = input.value;
    events.onInput();
  });
  const button = (text: string, value: string, testId: string) => {
    const element = h('button', { type: 'button', class: 'small', 'data-testid': testId }, text);
    element.addEventListener('click', () => {
      form.batchSize = input.value = value;
      events.onInput();
    });
    return element;
  };
  const control = h('span', { class: 'batch-control' }, input, button(t('hyper.stochastic'), '1', 'stochastic-batch'), button(t('hyper.fullBatch'), FULL_BATCH, 'full-batch'));
  return labelled('train-batchSize', t('train.batchSize'), control, t('hyper.batchHint'));
}

/** One initialisation for every dense and conv2d layer ("per layer" when they differ). */
function initField(form: TrainForm, events: HyperparameterEvents): HTMLElement {
  const weighted = form.model.layers.filter(hasWeights);
  const current = shared(weighted.map((layer) => layer.init));
  const select = h('select', { id: 'train-init', 'data-testid': 'init', disabled: weighted.length === 0 });
  if (current === undefined) select.append(h('option', { value: '', selected: true }, t('hyper.perLayer')));
  const choices: string[] = [...INITS];
  if (current !== undefined && !choices.includes(current)) choices.push(current);
  for (const init of choices) select.append(h('option', { value: init, selected: init === current }, (INITS as readonly string[]).includes(init) ? t(`init.${init}` as MessageKey) : init));
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
