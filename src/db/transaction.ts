/** One home for "these writes happen together": a transaction that joins the caller's when there is one. */
import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';

/**
 * Runs `work` in one transaction. Called inside a transaction already, it runs in that one: Kysely has
 * no nested transactions, and PGlite's single connection would wait on itself for a second one.
 */
export function inTransaction<T>(
  db: Kysely<Database>,
  work: (trx: Kysely<Database>) => Promise<T>,
): Promise<T> {
  return db.isTransaction ? work(db) : db.transaction().execute(work);
}
