/**
 * What the claim and lease helpers share: a query over a table chosen by a type parameter. Kysely cannot
 * check such a query itself, so the helpers' own signatures carry the checks (table and column names, value
 * types) and the query is built on this loosely typed view of the same database.
 */
import type { ExpressionBuilder, Kysely, Selectable, UpdateObject } from 'kysely';
import type { Database } from './schema.ts';

type Loose = Record<string, Record<string, unknown>>;

/** A table's columns, by name. */
export type Column<T extends keyof Database> = keyof Selectable<Database[T]> & string;

/** The columns to write, as values or built from the row's own columns (`post_attempts + 1`). */
export type SetColumns<T extends keyof Database> =
  | UpdateObject<Database, T>
  | ((eb: ExpressionBuilder<Database, T>) => UpdateObject<Database, T>);

export function loose(db: Kysely<Database>): Kysely<Loose> {
  return db as unknown as Kysely<Loose>;
}

export function looseSet<T extends keyof Database>(
  set: SetColumns<T>,
): (eb: ExpressionBuilder<Loose, string>) => UpdateObject<Loose, string> {
  return (eb) =>
    (typeof set === 'function'
      ? set(eb as unknown as ExpressionBuilder<Database, T>)
      : set) as unknown as UpdateObject<Loose, string>;
}
