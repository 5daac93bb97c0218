/**
 * Writes grouped per process: while one statement is on its way, the rows asked for meanwhile wait and go
 * together in the next (one row per key, the latest winning). Each caller's promise settles when its row is
 * stored, so what a caller does next (a reply, say) is never ahead of the row, on this process or another.
 * Alone, a row goes at once. A grouped statement that fails is tried row by row, so only the row at fault fails
 * its caller.
 */
import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';

/** The most rows one grouped statement carries. */
const MAX_GROUP = 500;

interface Waiting<Row> {
  row: Row;
  done: { resolve: () => void; reject: (err: unknown) => void }[];
}

export class GroupedWrites<Row> {
  readonly #waiting = new Map<string, Waiting<Row>>();
  #writing: Promise<void> | undefined;
  readonly db: Kysely<Database>;
  readonly #write: (db: Kysely<Database>, rows: readonly Row[]) => Promise<void>;
  readonly #key: (row: Row) => string;

  /**
   * @param db the handle the rows go through (never a transaction: a grouped row is stored outside it)
   * @param write stores rows with distinct keys in one statement
   * @param key rows with the same key replace each other
   */
  constructor(
    db: Kysely<Database>,
    write: (db: Kysely<Database>, rows: readonly Row[]) => Promise<void>,
    key: (row: Row) => string,
  ) {
    this.db = db;
    this.#write = write;
    this.#key = key;
  }

  /** Stores `row` with the next group; settles once it is stored (or has failed). */
  add(row: Row): Promise<void> {
    const key = this.#key(row);
    return new Promise((resolve, reject) => {
      const waiting = this.#waiting.get(key);
      if (waiting) {
        waiting.row = row;
        waiting.done.push({ resolve, reject });
      } else this.#waiting.set(key, { row, done: [{ resolve, reject }] });
      this.#writing ??= this.#drain();
    });
  }

  async #drain(): Promise<void> {
    while (this.#waiting.size > 0) {
      const group: Waiting<Row>[] = [];
      for (const [key, waiting] of this.#waiting) {
        if (group.length === MAX_GROUP) break;
        group.push(waiting);
        this.#waiting.delete(key);
      }
      await this.#store(group);
    }
    this.#writing = undefined;
  }

  async #store(group: readonly Waiting<Row>[]): Promise<void> {
    const settle = (w: Waiting<Row>, err?: unknown) => {
      for (const d of w.done) err === undefined ? d.resolve() : d.reject(err);
    };
    try {
      await this.#write(
        this.db,
        group.map((w) => w.row),
      );
      for (const w of group) settle(w);
    } catch (err) {
      if (group.length === 1) return settle(group[0]!, err);
      for (const w of group)
        await this.#write(this.db, [w.row]).then(
          () => settle(w),
          (e: unknown) => settle(w, e),
        );
    }
  }
}
