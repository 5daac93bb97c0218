/** The question each member saw last in each channel, so `/roadmap answer B` answers what is on their screen. */
import { type Kysely, sql } from 'kysely';

// Frozen in time: migrations never import src/, and take Kysely<any>.

export async function up(db: Kysely<any>): Promise<void> {
  // One row per member and channel, overwritten on every show: a drill shown by `today` or a practice prompt.
  await db.schema
    .createTable('last_shown')
    .addColumn('platform', 'text', (c) => c.notNull())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('channel_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('delivery_id', 'bigint', (c) => c.references('deliveries.id').onDelete('cascade'))
    .addColumn('practice_id', 'bigint', (c) => c.references('practice_prompts.id').onDelete('cascade'))
    .addColumn('shown_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('last_shown_pk', ['platform', 'workspace_id', 'channel_id', 'user_id'])
    .addCheckConstraint('last_shown_one_target', sql`(delivery_id is null) <> (practice_id is null)`)
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('last_shown').ifExists().execute();
}
