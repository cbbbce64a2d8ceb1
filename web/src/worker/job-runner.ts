// Every long job of the worker (image training, text training) runs through one JobRunner, with
// the same lifecycle for every kind (started → paused/resumed → done, stopped or failed), pause,
// resume and stop by job id, and one way of cutting the work into time slices: a job trains for
// ~SLICE_MS, then yields to the event loop so pause/stop (and other calls) are answered between
// slices. Engine-free (the clock and the event sink are injected) so unit tests drive it with fakes.
import { describeFailure } from './failure';
import type { EngineError, EngineEvent, JobId, JobKind, JobState } from './protocol';

/** Work per slice before yielding: long enough to amortise the yield, short enough to react. */
export const SLICE_MS = 50;

export interface JobClock {
  now(): number;
  /** Resolves on a later task, after pending messages (pause, stop, other calls) had a chance to run. */
  yieldToEventLoop(): Promise<void>;
}

/** How a job's body ended when it did not throw: finished, or stopped when asked to. */
export type JobEnd = Extract<JobState, 'done' | 'stopped'>;

/** What a job's body sees of itself. */
export interface Job {
  readonly id: JobId;
  readonly kind: JobKind;
  /** Whether stop() was asked; the job ends at its next checkpoint. */
  readonly stopping: boolean;
  now(): number;
  /** Runs `step` until it returns false (nothing more in this slice) or SLICE_MS passed; returns the slice's milliseconds. */
  slice(step: () => boolean): number;
  /** The checkpoint between slices: yields, waits while paused; false once the job should stop. */
  next(): Promise<boolean>;
}

/** At most one `true` per interval (progress events); the first call is due when `dueAtStart`. */
export class Throttle {
  private last: number;

  constructor(
    private readonly intervalMs: number,
    private readonly now: () => number,
    dueAtStart: boolean,
  ) {
    this.last = dueAtStart ? -Infinity : now();
  }

  due(): boolean {
    const now = this.now();
    if (now - this.last < this.intervalMs) return false;
    this.last = now;
    return true;
  }
}

class RunningJob implements Job {
  paused = false;
  stopping = false;
  private wake: (() => void) | undefined;

  constructor(
    readonly id: JobId,
    readonly kind: JobKind,
    private readonly clock: JobClock,
    private readonly announce: (state: JobState) => void,
  ) {}

  now(): number {
    return this.clock.now();
  }

  slice(step: () => boolean): number {
    const start = this.clock.now();
    while (step() && this.clock.now() - start < SLICE_MS);
    return this.clock.now() - start;
  }

  async next(): Promise<boolean> {
    await this.clock.yieldToEventLoop();
    if (this.paused && !this.stopping) {
      this.announce('paused');
      await new Promise<void>((resolve) => (this.wake = resolve));
      if (!this.stopping) this.announce('resumed');
    }
    return !this.stopping;
  }

  /** Wakes a paused job (to go on or to stop). */
  wakeUp(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}

export class JobRunner {
  private lastId = 0;
  private readonly jobs = new Map<JobId, RunningJob>();

  /** `emit` receives the `job` events; `failed` is told of every failure (e.g. to retire a crashed engine). */
  constructor(
    private readonly clock: JobClock,
    private readonly emit: (event: EngineEvent) => void,
    private readonly failed: (error: EngineError) => void = () => undefined,
  ) {}

  /** The job of this kind in progress, if any. */
  active(kind: JobKind): JobId | undefined {
    for (const job of this.jobs.values()) if (job.kind === kind) return job.id;
    return undefined;
  }

  /**
   * Starts `body` as a job of `kind` (refused while one of that kind runs) and returns its id at
   * once; the body resolves with how it ended, `finished` with the job's last state. A body that throws fails the job with the error
   * as data (an EngineError it threw, else an 'engine' error, a crash or out of memory as such).
   */
  start(kind: JobKind, body: (job: Job) => Promise<JobEnd>): { id: JobId; finished: Promise<JobState> } {
    if (this.active(kind) !== undefined) throw { code: 'bad-request', message: `a ${kind === 'text' ? 'text' : 'training'} run is already in progress` } satisfies EngineError;
    const id = ++this.lastId;
    const announce = (state: JobState, error?: EngineError) => this.emit({ type: 'job', job: id, kind, state, ...(error ? { error } : {}) });
    const job = new RunningJob(id, kind, this.clock, announce);
    this.jobs.set(id, job);
    announce('started');
    const finished = (async (): Promise<JobState> => {
      try {
        const state = await body(job);
        this.jobs.delete(id);
        announce(state);
        return state;
      } catch (err) {
        this.jobs.delete(id);
        const error = describeFailure('engine', err);
        this.failed(error);
        announce('failed', error);
        return 'failed';
      }
    })();
    return { id, finished };
  }

  /** Pause, resume and stop act on that job only; an unknown (finished) id is ignored. */
  pause(id: JobId): void {
    const job = this.jobs.get(id);
    if (job) job.paused = true;
  }

  resume(id: JobId): void {
    const job = this.jobs.get(id);
    if (!job) return;
    job.paused = false;
    job.wakeUp();
  }

  stop(id: JobId): void {
    const job = this.jobs.get(id);
    if (!job) return;
    job.stopping = true;
    job.wakeUp();
  }
}

/** Resolves on the next task: a MessageChannel message (no 4 ms timer clamping, full speed in a background tab), else setTimeout. */
export function makeYield(): () => Promise<void> {
  if (typeof MessageChannel === 'undefined') return () => new Promise((resolve) => setTimeout(resolve, 0));
  const channel = new MessageChannel();
  const waiting: Array<() => void> = [];
  channel.port1.onmessage = () => waiting.shift()?.();
  return () =>
    new Promise((resolve) => {
      waiting.push(resolve);
      channel.port2.postMessage(null);
    });
}
