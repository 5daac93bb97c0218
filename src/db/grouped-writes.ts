/**
 * Writes grouped per process: while one statement of a lane (a workspace, say) is on its way, the rows asked for
 * meanwhile in that lane wait and go together in its next statement (one row per key, the latest winning).
 * Each caller's promise settles when its row is stored, so what a caller does next (a reply, say) is never
 * ahead of the row, on this process or another. Alone, a row goes at once. Lanes do not wait for each other, so
 * one workspace's slow or blocked statement holds only its own rows.
 *
 * A grouped statement that fails on a row's data (SQLSTATE class 22 or 23: a target deleted meanwhile, say) is
 * tried row by row in the order asked, so only the rows at fault fail their callers, and a member's earlier
 * row still stands when their later one cannot be stored. Any other failure (the database unreachable, a
 * timeout) fails the group's callers at once, without a statement per row.
 */
import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';

/** The most keys one grouped statement carries. */
const MAX_GROUP = 500;

interface Asked<Row> {
  row: Row;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/** A lane's rows waiting for its next statement, by key in the order asked; whether a statement is on its way. */
interface Lane<Row> {
  waiting: Map<string, Asked<Row>[]>;
  writing: boolean;
}

/** Whether a statement failed on a row's data rather than on the database (class 22 data exception, 23 integrity). */
function isRowError(err: unknown): boolean {
  const code = (err as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && (code.startsWith('22') || code.startsWith('23'));
}

export class GroupedWrites<Row> {
  readonly #lanes = new Map<string, Lane<Row>>();
  readonly db: Kysely<Database>;
  readonly #write: (db: Kysely<Database>, rows: readonly Row[]) => Promise<void>;
  readonly #key: (row: Row) => string;
  readonly #lane: (row: Row) => string;

  /**
   * @param db the handle the rows go through (never a transaction: a grouped row is stored outside it)
   * @param write stores rows with distinct keys in one statement
   * @param key rows with the same key replace each other
   * @param lane rows of different lanes never share or wait for a statement
   */
  constructor(
    db: Kysely<Database>,
    write: (db: Kysely<Database>, rows: readonly Row[]) => Promise<void>,
    key: (row: Row) => string,
    lane: (row: Row) => string,
  ) {
    this.db = db;
    this.#write = write;
    this.#key = key;
    this.#lane = lane;
  }

  /** Stores `row` with its lane's next statement; settles once it is stored (or has failed). */
  add(row: Row): Promise<void> {
    const name = this.#lane(row);
    let lane = this.#lanes.get(name);
    if (!lane) {
      lane = { waiting: new Map(), writing: false };
      this.#lanes.set(name, lane);
    }
    const key = this.#key(row);
    const settled = new Promise<void>((resolve, reject) => {
      const asked = lane.waiting.get(key);
      if (asked) asked.push({ row, resolve, reject });
      else lane.waiting.set(key, [{ row, resolve, reject }]);
    });
    if (!lane.writing) {
      lane.writing = true;
      void this.#drain(name, lane);
    }
    return settled;
  }

  async #drain(name: string, lane: Lane<Row>): Promise<void> {
    while (lane.waiting.size > 0) {
      const group: Asked<Row>[][] = [];
      for (const [key, asked] of lane.waiting) {
        if (group.length === MAX_GROUP) break;
        group.push(asked);
        lane.waiting.delete(key);
      }
      await this.#store(group);
    }
    this.#lanes.delete(name);
  }

  /** Stores one group and settles its callers; never throws. */
  async #store(group: readonly Asked<Row>[][]): Promise<void> {
    try {
      await this.#write(
        this.db,
        group.map((asked) => asked.at(-1)!.row),
      );
      for (const asked of group) for (const a of asked) a.resolve();
    } catch (err) {
      const rows = group.flat();
      if (rows.length === 1 || !isRowError(err)) {
        for (const a of rows) a.reject(err);
        return;
      }
      for (const a of rows) {
        try {
          await this.#write(this.db, [a.row]);
          a.resolve();
        } catch (rowErr) {
          a.reject(rowErr);
        }
      }
    }
  }
}
