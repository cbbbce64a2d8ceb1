// The page's run history: every run of this session in memory, mirrored to a RunStore when there
// is one. A storage failure never loses what is in memory: it is recorded in `problem` for the
// page to explain, and the history goes on working for this session.
import type { RunRecord } from './run-record';
import { toStorageError, type KeptModel, type RunStore, type StorageError } from './run-store';

export class RunHistory {
  /** Oldest first. */
  runs: RunRecord[] = [];
  lastModel: KeptModel | undefined;
  /** The latest storage failure, until the next success of the same operation. */
  problem: { operation: 'open' | 'load' | 'add' | 'delete' | 'keep-model'; error: StorageError } | undefined;
  /** Ids for runs the store could not take (negative, so they never clash with the store's). */
  private nextLocalId = -1;

  constructor(
    private readonly store: RunStore | undefined,
    openError?: StorageError,
  ) {
    if (openError) this.problem = { operation: 'open', error: openError };
  }

  get persistent(): boolean {
    return this.store !== undefined;
  }

  /** Reads the stored runs and last model (after a reload). */
  async load(): Promise<void> {
    if (!this.store) return;
    try {
      const [runs, lastModel] = await Promise.all([this.store.listRuns(), this.store.getLastModel()]);
      const known = new Set(this.runs.map((run) => run.id));
      this.runs = [...runs.filter((run) => !known.has(run.id)), ...this.runs];
      this.lastModel ??= lastModel;
      this.clear('load');
    } catch (err) {
      this.problem = { operation: 'load', error: toStorageError(err) };
    }
  }

  /** Adds a finished run; returns it with its id (kept in memory even when storing fails). */
  async add(run: RunRecord): Promise<RunRecord> {
    let id: number | undefined;
    if (this.store) {
      try {
        id = await this.store.addRun(run);
        this.clear('add');
      } catch (err) {
        this.problem = { operation: 'add', error: toStorageError(err) };
      }
    }
    const stored = { ...run, id: id ?? this.nextLocalId-- };
    this.runs.push(stored);
    return stored;
  }

  /** Removes a run; from memory once the store has answered (a render in between still shows it). */
  async remove(id: number): Promise<void> {
    if (this.store && id >= 0) {
      try {
        await this.store.deleteRun(id);
        this.clear('delete');
      } catch (err) {
        this.problem = { operation: 'delete', error: toStorageError(err) };
      }
    }
    this.runs = this.runs.filter((run) => run.id !== id);
  }

  /** Keeps `model` as the last model (in memory at least). */
  async keepModel(model: KeptModel): Promise<void> {
    this.lastModel = model;
    if (!this.store) return;
    try {
      await this.store.putLastModel(model);
      this.clear('keep-model');
    } catch (err) {
      this.problem = { operation: 'keep-model', error: toStorageError(err) };
    }
  }

  private clear(operation: NonNullable<RunHistory['problem']>['operation']): void {
    if (this.problem?.operation === operation) this.problem = undefined;
  }
}
