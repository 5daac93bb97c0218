/** One welcome per channel, ever: the row is the claim, so restarts and a second instance never post it again. */
import type { Kysely } from 'kysely';

// Frozen in time: migrations never import src/, and take Kysely<any>.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('channel_welcomes')
    .addColumn('platform', 'text', (c) => c.notNull())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('channel_id', 'text', (c) => c.notNull())
    .addColumn('welcomed_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('channel_welcomes_pk', ['platform', 'workspace_id', 'channel_id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('channel_welcomes').ifExists().execute();
}
