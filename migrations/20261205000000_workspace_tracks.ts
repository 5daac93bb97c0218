/**
 * Team-authored tracks: each import of a track file into a workspace is one version row, kept for as long as
 * history may point at it (removing a track hides it; its versions stay for the deliveries and answers made
 * with them). A delivery records the track (key) it was opened with, so a drill that changes track, or moves
 * to a newer version, still shows its past days with the cards they had.
 */
import { type Kysely, sql } from 'kysely';

// Frozen in time: migrations never import src/, and take Kysely<any>.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('workspace_tracks')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('platform', 'text', (c) => c.notNull())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('track_id', 'text', (c) => c.notNull())
    // The content version (a hash of what members see); drills and deliveries name `<track_id>@<version>`.
    .addColumn('version', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('file_name', 'text', (c) => c.notNull())
    // The file as imported: parsed again (by the same schemas) when a process first needs this version.
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('cards', 'integer', (c) => c.notNull())
    .addColumn('questions', 'integer', (c) => c.notNull())
    .addColumn('imported_by', 'text', (c) => c.notNull())
    .addColumn('imported_at', 'timestamptz', (c) => c.notNull())
    .addColumn('removed_at', 'timestamptz')
    .addUniqueConstraint('workspace_tracks_version_uq', ['platform', 'workspace_id', 'track_id', 'version'])
    .addForeignKeyConstraint(
      'workspace_tracks_workspace_fk',
      ['platform', 'workspace_id'],
      'workspaces',
      ['platform', 'workspace_id'],
      (c) => c.onDelete('cascade'),
    )
    .execute();
  await db.schema.alterTable('deliveries').addColumn('track_id', 'text').execute();
  await sql`update deliveries set track_id = drills.track_id from drills where drills.id = deliveries.drill_id`.execute(
    db,
  );
  await sql`update deliveries set track_id = 'backend' where track_id is null`.execute(db);
  await db.schema
    .alterTable('deliveries')
    .alterColumn('track_id', (c) => c.setNotNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('deliveries').dropColumn('track_id').execute();
  await db.schema.dropTable('workspace_tracks').execute();
}
