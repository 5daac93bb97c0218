/** `/roadmap review`: when each member's current review session started (its misses are those from before). */
import type { Kysely } from 'kysely';

// Frozen in time: migrations never import src/, and take Kysely<any>.

export async function up(db: Kysely<any>): Promise<void> {
  // One row per member of a workspace, replaced when a new session starts.
  await db.schema
    .createTable('review_sessions')
    .addColumn('platform', 'text', (c) => c.notNull())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('started_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('review_sessions_pk', ['platform', 'workspace_id', 'user_id'])
    .addForeignKeyConstraint(
      'review_sessions_workspace_fk',
      ['platform', 'workspace_id'],
      'workspaces',
      ['platform', 'workspace_id'],
      (c) => c.onDelete('cascade'),
    )
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('review_sessions').ifExists().execute();
}
