/**
 * Channel names as the platform last showed them with a command in the channel, so the dashboard can name a
 * drill's or cohort's channel instead of showing its id. Commands carry the name; nothing is asked of the
 * platforms for it (no extra scope).
 */
import type { Kysely } from 'kysely';

// Frozen in time: migrations never import src/, and take Kysely<any>.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('channel_names')
    .addColumn('platform', 'text', (c) => c.notNull())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('channel_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('channel_names_pk', ['platform', 'workspace_id', 'channel_id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('channel_names').ifExists().execute();
}
