// The worker's JobRunner: one lifecycle for every long job (started → paused/resumed → done,
// stopped or failed), pause/resume/stop by id without mixing jobs up, errors as data, and the one
// time-slicing implementation, driven with a fake clock.
import { describe, expect, it } from 'vitest';
import { JobRunner, SLICE_MS, Throttle, type Job, type JobEnd } from '../../../web/src/worker/job-runner';
import type { EngineError, EngineEvent, JobKind } from '../../../web/src/worker/protocol';

type JobEvent = Extract<EngineEvent, { type: 'job' }>;

/** A runner on a fake clock; `onYield` runs at every checkpoint (between slices). */
function setup(onYield: () => void = () => {}) {
  const clock = { t: 0 };
  const events: JobEvent[] = [];
  const failures: EngineError[] = [];
  const runner = new JobRunner(
    {
      now: () => clock.t,
      // A real task boundary, as in the worker: other code (the test's pause/stop) runs in between.
      yieldToEventLoop: () => new Promise<void>((resolve) => setTimeout(() => (onYield(), resolve()), 0)),
    },
    (event) => void (event.type === 'job' && events.push(event)),
    (error) => void failures.push(error),
  );
  const states = (id: number) => events.filter((e) => e.job === id).map((e) => e.state);
  return { clock, events, failures, runner, states };
}

/** A job body of `slices` slices, each step taking 10 ms of fake time; counts the steps it ran. */
function counted(clock: { t: number }, slices: number) {
  const done = { steps: 0, slices: 0 };
  const body = async (job: Job): Promise<JobEnd> => {
    while (done.slices < slices && (await job.next())) {
      job.slice(() => {
        clock.t += 10;
        done.steps++;
        return true;
      });
      done.slices++;
    }
    return job.stopping ? 'stopped' : 'done';
  };
  return { done, body };
}

describe('JobRunner', () => {
  it('runs a job to the end: started then done, its id returned at once', async () => {
    const { clock, runner, states } = setup();
    const { done, body } = counted(clock, 3);
    const { id, finished } = runner.start('image', body);
    expect(states(id)).toEqual(['started']);
    expect(runner.active('image')).toBe(id);
    expect(await finished).toBe('done');
    expect(states(id)).toEqual(['started', 'done']);
    // SLICE_MS of work per slice: 50 ms / 10 ms a step.
    expect(done.steps).toBe(3 * (SLICE_MS / 10));
    expect(runner.active('image')).toBeUndefined();
  });

  it('pauses at the next checkpoint, runs no step while paused, resumes', async () => {
    let checkpoints = 0;
    let stepsWhenPaused = -1;
    const { clock, runner, states } = setup(() => {
      checkpoints++;
      if (checkpoints === 2) {
        runner.pause(id);
        stepsWhenPaused = done.steps;
        setTimeout(() => {
          expect(done.steps).toBe(stepsWhenPaused); // nothing ran while paused
          runner.resume(id);
        }, 20);
      }
    });
    const { done, body } = counted(clock, 4);
    const { id, finished } = runner.start('text', body);
    expect(await finished).toBe('done');
    expect(states(id)).toEqual(['started', 'paused', 'resumed', 'done']);
    expect(stepsWhenPaused).toBe(5);
    expect(done.steps).toBe(20);
  });

  it('stops cooperatively, also a paused job (which is not resumed first)', async () => {
    let checkpoints = 0;
    const { clock, runner, states } = setup(() => {
      checkpoints++;
      if (checkpoints === 2) runner.pause(id);
      if (checkpoints === 2) setTimeout(() => runner.stop(id), 5);
    });
    const { done, body } = counted(clock, 100);
    const { id, finished } = runner.start('image', body);
    expect(await finished).toBe('stopped');
    expect(states(id)).toEqual(['started', 'paused', 'stopped']);
    expect(done.slices).toBe(1);
  });

  it('keeps jobs apart: pause and stop act on the job named, one job per kind', async () => {
    const { clock, runner, states } = setup();
    const image = counted(clock, 1000);
    const text = counted(clock, 6);
    const a = runner.start('image', image.body);
    const b = runner.start('text', text.body);
    expect(a.id).not.toBe(b.id);
    // A second job of a kind that runs is refused, as data.
    expect(() => runner.start('image', image.body)).toThrow(expect.objectContaining({ code: 'bad-request', message: 'a training run is already in progress' }));
    expect(() => runner.start('text', text.body)).toThrow(expect.objectContaining({ message: 'a text run is already in progress' }));
    runner.pause(a.id);
    expect(await b.finished).toBe('done'); // the text job went on while the image job was paused
    expect(states(b.id)).toEqual(['started', 'done']);
    expect(states(a.id)).toEqual(['started', 'paused']);
    runner.stop(b.id); // finished: ignored, and not the image job
    runner.resume(a.id);
    await new Promise((resolve) => setTimeout(resolve, 5));
    runner.stop(a.id);
    expect(await a.finished).toBe('stopped');
    expect(states(a.id)).toEqual(['started', 'paused', 'resumed', 'stopped']);
    // Both kinds can start again; ids are never reused.
    const c = runner.start('image', counted(clock, 1).body);
    expect(c.id).toBeGreaterThan(b.id);
    expect(await c.finished).toBe('done');
  });

  it('fails a job with its error as data: a staged EngineError as is, a crash as such', async () => {
    const { runner, events, failures } = setup();
    const fail = async (kind: JobKind, err: unknown) => {
      const { id, finished } = runner.start(kind, async (job) => {
        await job.next();
        throw err;
      });
      expect(await finished).toBe('failed');
      return events.find((e) => e.job === id && e.state === 'failed')!.error;
    };
    expect(await fail('image', new Error('learning_rate must be a positive number, got -1'))).toMatchObject({ code: 'engine', message: 'learning_rate must be a positive number, got -1' });
    expect(await fail('text', { code: 'text-corpus', message: 'mine.txt: invalid UTF-8' })).toEqual({ code: 'text-corpus', message: 'mine.txt: invalid UTF-8' });
    expect(await fail('image', new Error('out of memory: the model needs 3 GB'))).toMatchObject({ code: 'out-of-memory' });
    expect(await fail('image', new WebAssembly.RuntimeError('unreachable'))).toMatchObject({ code: 'crashed' });
    expect(failures.map((f) => f.code)).toEqual(['engine', 'text-corpus', 'out-of-memory', 'crashed']);
    expect(runner.active('image')).toBeUndefined(); // a failed job does not block the next one
  });

  it('ends a slice when the step says so, before SLICE_MS', async () => {
    const { clock, runner } = setup();
    let steps = 0;
    let sliceMs = -1;
    await runner.start('image', async (job) => {
      sliceMs = job.slice(() => {
        clock.t += 10;
        return ++steps < 2;
      });
      return 'done';
    }).finished;
    expect(steps).toBe(2);
    expect(sliceMs).toBe(20);
  });
});

describe('Throttle', () => {
  it('says yes at most once per interval, at once or only after the first interval', () => {
    const clock = { t: 0 };
    const eager = new Throttle(100, () => clock.t, true);
    const patient = new Throttle(100, () => clock.t, false);
    const seen: string[] = [];
    for (clock.t = 0; clock.t <= 250; clock.t += 50) seen.push(`${clock.t}:${eager.due() ? 'E' : ''}${patient.due() ? 'P' : ''}`);
    expect(seen).toEqual(['0:E', '50:', '100:EP', '150:', '200:EP', '250:']);
  });
});
