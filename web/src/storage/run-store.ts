// Where runs and the last model are kept across reloads. The page talks to the RunStore
// interface; IndexedDB (through `idb`) is the real one, MemoryRunStore the one the unit tests use
// (and the fallback when IndexedDB cannot be opened). Failures become StorageError with a kind the
// page can explain (full quota, unavailable), never an uncaught rejection.
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { DatasetName } from '../worker/protocol';
import type { RunRecord } from './run-record';

/** The last trained model, as the engine's saved-model file. */
export interface KeptModel {
  bytes: Uint8Array;
  /** The run it comes from, when that run is in the history. */
  runId: number | undefined;
  preset: string;
  dataset: DatasetName;
  /** ISO 8601. */
  date: string;
  testAccuracy: number;
}

export interface RunStore {
  /** Oldest first. */
  listRuns(): Promise<RunRecord[]>;
  /** Stores a run (without its id) and returns the id it got. */
  addRun(run: RunRecord): Promise<number>;
  deleteRun(id: number): Promise<void>;
  putLastModel(model: KeptModel): Promise<void>;
  getLastModel(): Promise<KeptModel | undefined>;
}

export type StorageErrorKind = 'quota' | 'unavailable' | 'failed';

export class StorageError extends Error {
  constructor(
    readonly kind: StorageErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'StorageError';
  }
}

/** Names the kind of a storage failure (a DOMException's name says whether the quota is full). */
export function toStorageError(err: unknown, kind: StorageErrorKind = 'failed'): StorageError {
  if (err instanceof StorageError) return err;
  const name = typeof err === 'object' && err !== null && 'name' in err ? String((err as { name: unknown }).name) : '';
  const message = err instanceof Error ? err.message : String(err);
  if (name === 'QuotaExceededError' || /quota/i.test(message)) return new StorageError('quota', message || 'the storage quota is full');
  return new StorageError(kind, message || name || 'unknown storage error');
}

async function guarded<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    throw toStorageError(err);
  }
}

/** Keeps everything in memory (lost on reload). */
export class MemoryRunStore implements RunStore {
  private runs: RunRecord[] = [];
  private nextId = 1;
  private last: KeptModel | undefined;

  async listRuns(): Promise<RunRecord[]> {
    return this.runs.map((run) => structuredClone(run));
  }

  async addRun(run: RunRecord): Promise<number> {
    const id = this.nextId++;
    this.runs.push(structuredClone({ ...run, id }));
    return id;
  }

  async deleteRun(id: number): Promise<void> {
    this.runs = this.runs.filter((run) => run.id !== id);
  }

  async putLastModel(model: KeptModel): Promise<void> {
    this.last = structuredClone(model);
  }

  async getLastModel(): Promise<KeptModel | undefined> {
    return this.last && structuredClone(this.last);
  }
}

export const DATABASE_NAME = 'profundo';
const DATABASE_VERSION = 1;
const LAST_MODEL_KEY = 'last';

interface ProfundoDb extends DBSchema {
  runs: { key: number; value: RunRecord };
  models: { key: string; value: KeptModel };
}

export class IdbRunStore implements RunStore {
  private constructor(private readonly db: IDBPDatabase<ProfundoDb>) {}

  /** Opens (or creates) the database; rejects with StorageError('unavailable') when it cannot. */
  static async open(name = DATABASE_NAME): Promise<IdbRunStore> {
    if (typeof indexedDB === 'undefined') throw new StorageError('unavailable', 'this browser has no IndexedDB');
    try {
      const db = await openDB<ProfundoDb>(name, DATABASE_VERSION, {
        upgrade(database) {
          if (!database.objectStoreNames.contains('runs')) database.createObjectStore('runs', { keyPath: 'id', autoIncrement: true });
          if (!database.objectStoreNames.contains('models')) database.createObjectStore('models');
        },
      });
      return new IdbRunStore(db);
    } catch (err) {
      throw toStorageError(err, 'unavailable');
    }
  }

  listRuns(): Promise<RunRecord[]> {
    return guarded(() => this.db.getAll('runs'));
  }

  addRun(run: RunRecord): Promise<number> {
    const { id: _id, ...withoutId } = run;
    return guarded(() => this.db.add('runs', withoutId as RunRecord));
  }

  deleteRun(id: number): Promise<void> {
    return guarded(() => this.db.delete('runs', id));
  }

  async putLastModel(model: KeptModel): Promise<void> {
    await guarded(() => this.db.put('models', model, LAST_MODEL_KEY));
  }

  getLastModel(): Promise<KeptModel | undefined> {
    return guarded(() => this.db.get('models', LAST_MODEL_KEY));
  }
}
