// The labs as components: the frame every lab page shares (title, explanation in the lecture's
// notation, the lab's own body and an error line for the engine's refusals), its controls (a
// labelled slider with its value, a number field, a select, a checkbox), a hook that asks the
// engine for a lab's result whenever its request changes, and one that keeps a canvas or chart
// (a leaf widget) across renders.
import type { ComponentChildren } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { t, tf, type MessageKey } from '../../i18n';
import type { LabName } from '../../routes';
import { pageLocale } from '../../shell/page-locale';
import { formatSetting } from '../../ui/format';
import type { NetworkLabConfig } from '../../engine/labs-types';
import type { EngineError, LabRequest, LabResultOf, NetworkProbe, NetworkSnapshot, PointsSource } from '../../worker/protocol';
import type { LabClient } from './lab-client';
import { NetworkSession } from './network';
import { engineErrorText } from '../../i18n/engine-error';

export type LabError = EngineError | string | undefined;

/** `ready`: the page shows engine numbers (tests wait for data-ready="true"); `introParams` fill
 *  the explanation's placeholders (numbers declared elsewhere, never copied into the text). */
export function LabPage({ name, ready, error, introParams = {}, children }: { name: LabName; ready: boolean; error: LabError; introParams?: Record<string, string | number>; children: ComponentChildren }) {
  void pageLocale.value;
  return (
    <article class="card lab" data-testid={`lab-${name}`} data-ready={String(ready)}>
      <h2>{t(`labs.${name}.title` as MessageKey)}</h2>
      <p class="lab-intro">{tf(`labs.${name}.intro` as MessageKey, introParams)}</p>
      {children}
      <p class="lab-error" data-testid="lab-error" role="alert" hidden={error === undefined}>
        {error === undefined ? '' : typeof error === 'string' ? error : engineErrorText(error)}
      </p>
    </article>
  );
}

/** A paragraph of explanation (the lecture's formulas in words). */
export function Note({ text }: { text: MessageKey }) {
  void pageLocale.value; // redrawn in the page's language
  return <p class="lab-note">{t(text)}</p>;
}

/**
 * The engine's answer to `request`, asked again whenever the request changes (compared by
 * value); at most one in flight per channel (LabClient.latest drops the stale ones). A new result
 * clears the error; `setError` shows one of the page's own (a field that does not parse).
 */
export function useLabResult<R extends LabRequest>(client: LabClient, channel: string, request: R) {
  const [shown, setShown] = useState<{ result: LabResultOf<R['lab']>; request: R } | undefined>(undefined);
  const [error, setError] = useState<LabError>(undefined);
  const key = JSON.stringify(request);
  useEffect(() => {
    let live = true;
    client.latest(
      channel,
      request,
      (answer) => {
        if (!live) return;
        setShown({ result: answer, request });
        setError(undefined);
      },
      (failure) => live && setError(failure),
    );
    return () => {
      live = false;
    };
  }, [client, channel, key]);
  /** `answered`: the request whose result is shown. */
  return { result: shown?.result, answered: shown?.request, error, setError };
}

/**
 * A network in the worker for as long as the component is mounted (NetworkSession): its latest
 * snapshot, whether it runs, and the engine's refusals. `record` sees every snapshot (the points
 * of a curve); `probe` says what each snapshot measures (read when one is asked for).
 */
export function useNetworkSession(client: LabClient, probe: () => NetworkProbe, record?: (snapshot: NetworkSnapshot) => void) {
  const [snapshot, setSnapshot] = useState<NetworkSnapshot | undefined>(undefined);
  const [error, setError] = useState<LabError>(undefined);
  const [running, setRunning] = useState(false);
  const latest = useRef({ probe, record });
  latest.current = { probe, record };
  const session = useMemo(
    () =>
      new NetworkSession(
        client,
        () => latest.current.probe(),
        (next) => {
          latest.current.record?.(next);
          setSnapshot(next);
          setError(undefined);
        },
        setError,
      ),
    [],
  );
  useEffect(() => () => session.dispose(), [session]);
  return {
    snapshot,
    error,
    running,
    create(config: NetworkLabConfig, points: PointsSource) {
      setRunning(false);
      return session.create(config, points);
    },
    step: (steps: number) => session.step(steps),
    setPoints: (x: number[], labels: number[]) => session.setPoints(x, labels),
    /** Slices of `steps` until stop(). */
    run(steps: number) {
      setRunning(true);
      void session.run(steps).then(() => setRunning(session.isRunning));
    },
    stop() {
      session.stop();
      setRunning(false);
    },
  };
}

/** A widget built once per mounted component (a canvas, a chart), destroyed with it when it can be. */
export function useWidget<W extends { element: Element; destroy?: () => void }>(build: () => W): W {
  const widget = useMemo(build, []);
  useEffect(() => () => widget.destroy?.(), [widget]);
  return widget;
}

export interface SliderProps {
  label: string;
  min: number;
  max: number;
  step: number;
  value: number;
  testId: string;
  /** Logarithmic scale (the slider moves log10 of the value), for α and the like. */
  log?: boolean;
  format?: (value: number) => string;
  onInput: (value: number) => void;
}

export function Slider({ label, min, max, step, value, testId, log = false, format = formatSetting, onInput }: SliderProps) {
  const toSlider = (v: number) => (log ? Math.log10(v) : v);
  const fromSlider = (v: number) => (log ? Number(Math.pow(10, v).toPrecision(3)) : v);
  return (
    <label class="lab-control">
      <span>{label}</span>
      <input type="range" min={toSlider(min)} max={toSlider(max)} step={log ? 0.01 : step} value={toSlider(value)} data-testid={testId} onInput={(event) => onInput(fromSlider(Number(event.currentTarget.value)))} />
      <output>{format(value)}</output>
    </label>
  );
}

/** A number input; empty or non-numeric text is ignored until it parses. */
export function NumberInput({ label, value, step, testId, onChange }: { label: string; value: number; step?: number; testId: string; onChange: (value: number) => void }) {
  return (
    <label class="lab-control lab-number">
      <span>{label}</span>
      <input
        type="number"
        step={step ?? 'any'}
        value={value}
        data-testid={testId}
        onInput={(event) => {
          const text = event.currentTarget.value;
          const parsed = Number(text);
          if (text.trim() !== '' && Number.isFinite(parsed)) onChange(parsed);
        }}
      />
    </label>
  );
}

export function Select<T extends string>({ label, value, options, testId, onChange }: { label: string; value: T; options: { value: T; label: string }[]; testId: string; onChange: (value: T) => void }) {
  return (
    <label class="lab-control">
      <span>{label}</span>
      <select data-testid={testId} value={value} onChange={(event) => onChange(event.currentTarget.value as T)}>
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </label>
  );
}

export function Checkbox({ label, checked, testId, onChange }: { label: string; checked: boolean; testId: string; onChange: (checked: boolean) => void }) {
  return (
    <label class="lab-control lab-check">
      <input type="checkbox" checked={checked} data-testid={testId} onChange={(event) => onChange(event.currentTarget.checked)} />
      <span>{label}</span>
    </label>
  );
}
