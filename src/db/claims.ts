/**
 * Claim rows: inserting the row is the claim (`INSERT … ON CONFLICT DO NOTHING RETURNING`), so exactly one
 * caller gets the row back whatever the instances, retries and restarts; every other caller finds the row
 * there and does nothing. A day's delivery, a week's digest and a day's reminder are claimed this way.
 */
import { type Insertable, type Kysely, type Selectable, type SqlBool, sql } from 'kysely';
import { type Column, loose, looseSet, type SetColumns } from './dynamic-table.ts';
import type { Database } from './schema.ts';

/** The values of a claim's key columns: which row. */
type ClaimKey<T extends keyof Database, K extends Column<T>> = {
  [C in K]: Selectable<Database[T]>[C];
};

export interface ClaimTable<T extends keyof Database, K extends Column<T>> {
  /** Inserts the claim row: the row to the one caller that inserted it, undefined to everyone else. */
  claim(db: Kysely<Database>, values: Insertable<Database[T]>): Promise<Selectable<Database[T]> | undefined>;
  /** Records how the claimed work ended, on the row with this key. */
  finish(db: Kysely<Database>, key: ClaimKey<T, K>, set: SetColumns<T>): Promise<void>;
}

/**
 * The claims on `table`, whose unique `key` (its primary key or a unique constraint) names what is claimed:
 * `claimTable('cohort_digests', ['cohort_id', 'week_start'])` claims one digest per cohort and week.
 */
export function claimTable<T extends keyof Database & string, K extends Column<T>>(
  table: T,
  key: readonly [K, ...K[]],
): ClaimTable<T, K> {
  return {
    async claim(db, values) {
      const row = await loose(db)
        .insertInto(table as string)
        .values(values as Record<string, unknown>)
        .onConflict((oc) => oc.columns(key).doNothing())
        .returningAll()
        .executeTakeFirst();
      return row as Selectable<Database[T]> | undefined;
    },
    async finish(db, which, set) {
      let query = loose(db)
        .updateTable(table as string)
        .set(looseSet(set));
      for (const column of key) query = query.where(sql<SqlBool>`${sql.ref(column)} = ${which[column]}`);
      await query.execute();
    },
  };
}
