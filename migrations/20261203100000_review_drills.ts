/**
 * Review drills (issue #15): a drill's review setting, and which deliveries were review days. A null
 * review_mode is the default: 'auto' for a plain drill, 'off' for a cohort's (card N stays on day N).
 */
import type { Kysely } from 'kysely';

// Frozen in time: migrations never import src/, and take Kysely<any>.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('drills').addColumn('review_mode', 'text').execute();
  await db.schema
    .alterTable('deliveries')
    .addColumn('is_review', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('review_due', 'integer')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('deliveries').dropColumn('review_due').dropColumn('is_review').execute();
  await db.schema.alterTable('drills').dropColumn('review_mode').execute();
}
