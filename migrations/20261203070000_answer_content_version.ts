/**
 * Each answer records the content version (a hash of the track's wording) the member saw, so a report or an
 * analysis of a question can tell answers to the old wording from answers to the corrected one.
 */
import type { Kysely } from 'kysely';

// Frozen in time: migrations never import src/, and take Kysely<any>.

export async function up(db: Kysely<any>): Promise<void> {
  // Nullable: answers given before this migration have no known version.
  await db.schema.alterTable('answers').addColumn('content_version', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('answers').dropColumn('content_version').execute();
}
