/**
 * Leases: who owns a row's work right now. A lease column holds until when; a conditional UPDATE takes a free
 * (never taken, released or lapsed) lease, so only one instance wins the row, and a crash frees it when the
 * lease lapses. A row lock (`FOR UPDATE`, optionally `SKIP LOCKED`) is the same ownership held for one
 * transaction. Posting and revealing a delivery are leased; a drill's slots are handled under its row lock.
 */
import {
  type AliasedRawBuilder,
  type ExpressionOrFactory,
  type Kysely,
  type RawBuilder,
  type Selectable,
  type SqlBool,
  sql,
} from 'kysely';
import { type Column, loose, looseSet, type SetColumns } from './dynamic-table.ts';
import type { Database } from './schema.ts';
import { inTransaction } from './transaction.ts';

/** Tables whose rows have a numeric `id`. */
export type RowTable = {
  [T in keyof Database & string]: Selectable<Database[T]> extends { id: number } ? T : never;
}[keyof Database & string];

/** A table's nullable timestamp columns: where a lease can be kept. */
export type LeaseColumn<T extends keyof Database> = {
  [C in Column<T>]: null extends Selectable<Database[T]>[C]
    ? Selectable<Database[T]>[C] extends Date | null
      ? C
      : never
    : never;
}[Column<T>];

type Row<T extends RowTable> = Selectable<Database[T]>;
type Where<T extends RowTable> = ExpressionOrFactory<Database, T, SqlBool>;

interface TakeOptions<T extends RowTable> {
  now: Date;
  until: Date;
  where?: Where<T>;
  set?: SetColumns<T>;
  returning?: ReadonlyArray<Column<T> | AliasedRawBuilder<unknown, string>>;
}

export interface Lease<T extends RowTable> {
  /** The lease is free at `now`. Qualified by the table's name, so it reads the same inside a join. */
  freeAt(now: Date): RawBuilder<SqlBool>;
  /**
   * Takes the lease on row `id` until `until` if it is free at `now` and `where` holds, writing `set` with
   * it: the row, as updated, to the one caller that won; undefined to everyone else. With `returning`, only
   * those columns or expressions come back (a caller that holds the row already asks for what changed).
   */
  take<R = Row<T>>(db: Kysely<Database>, id: number, lease: TakeOptions<T>): Promise<R | undefined>;
  /**
   * Ends the owner's work on row `id`: writes `set` and frees the lease, or keeps everyone off the row
   * `until` then (a retry time). Only while `where` holds, when given.
   */
  release(
    db: Kysely<Database>,
    id: number,
    set: SetColumns<T>,
    opts?: { until?: Date | null; where?: Where<T> },
  ): Promise<void>;
}

/** The lease kept in `table.column`: `leaseOn('deliveries', 'post_lease_until')` is a delivery's posting. */
export function leaseOn<T extends RowTable>(table: T, column: LeaseColumn<T>): Lease<T> {
  const ref = sql.ref(`${table}.${column}`);
  const freeAt = (now: Date) => sql<SqlBool>`(${ref} is null or ${ref} < ${now})`;
  const withLease = (set: SetColumns<T>, until: Date | null) => {
    const columns = looseSet(set);
    return (eb: Parameters<typeof columns>[0]) => ({ ...columns(eb), [column]: until });
  };
  return {
    freeAt,
    async take<R>(db: Kysely<Database>, id: number, lease: TakeOptions<T>) {
      const { now, until, where, set = {}, returning } = lease;
      let query = loose(db)
        .updateTable(table as string)
        .set(withLease(set, until))
        .where('id', '=', id)
        .where(freeAt(now));
      if (where) query = query.where(where as ExpressionOrFactory<never, never, SqlBool>);
      const returned = returning ? query.returning(returning as never) : query.returningAll();
      return (await returned.executeTakeFirst()) as R | undefined;
    },
    async release(db, id, set, { until = null, where } = {}) {
      let query = loose(db)
        .updateTable(table as string)
        .set(withLease(set, until))
        .where('id', '=', id);
      if (where) query = query.where(where as ExpressionOrFactory<never, never, SqlBool>);
      await query.execute();
    },
  };
}

/**
 * Runs `work` in one transaction holding row `id` of `table` locked (`FOR UPDATE`), and only if `where`
 * holds. With `skipLocked`, a row another transaction holds is not waited for: the answer is undefined at
 * once, as it is when the row is missing or `where` fails. Without it a missing row throws.
 */
export async function withRowLock<T extends RowTable, R>(
  db: Kysely<Database>,
  table: T,
  id: number,
  opts: { skipLocked?: boolean; where?: Where<T> },
  work: (trx: Kysely<Database>, row: Row<T>) => Promise<R>,
): Promise<R | undefined> {
  return inTransaction(db, async (trx) => {
    let query = loose(trx)
      .selectFrom(table as string)
      .selectAll()
      .where('id', '=', id);
    if (opts.where) query = query.where(opts.where as ExpressionOrFactory<never, never, SqlBool>);
    const locked = opts.skipLocked ? query.forUpdate().skipLocked() : query.forUpdate();
    const row = (
      opts.skipLocked ? await locked.executeTakeFirst() : await locked.executeTakeFirstOrThrow()
    ) as Row<T> | undefined;
    return row ? work(trx, row) : undefined;
  });
}
