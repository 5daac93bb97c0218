/** Workspace tracks: each imported version is a row; a workspace sees its own tracks only. */
import { type Kysely, sql } from 'kysely';
import type { WorkspaceRef } from '../core/types.ts';
import type { Database } from '../db/schema.ts';
import type { WorkspaceTrackRow } from '../db/schema-tracks.ts';

export interface NewTrackVersion {
  trackId: string;
  version: string;
  title: string;
  fileName: string;
  source: string;
  cards: number;
  questions: number;
  importedBy: string;
  at: Date;
}

/**
 * Stores a version (or, when this exact version was imported before, brings it back as the newest). Returns
 * whether the version is new.
 */
export async function saveTrackVersion(
  db: Kysely<Database>,
  ws: WorkspaceRef,
  v: NewTrackVersion,
): Promise<{ created: boolean }> {
  const row = await db
    .insertInto('workspace_tracks')
    .values({
      platform: ws.platform,
      workspace_id: ws.workspaceId,
      track_id: v.trackId,
      version: v.version,
      title: v.title,
      file_name: v.fileName,
      source: v.source,
      cards: v.cards,
      questions: v.questions,
      imported_by: v.importedBy,
      imported_at: v.at,
    })
    .onConflict((oc) =>
      oc
        .columns(['platform', 'workspace_id', 'track_id', 'version'])
        .doUpdateSet({ imported_at: v.at, imported_by: v.importedBy, removed_at: null }),
    )
    // A row inserted rather than updated has no deleting transaction yet: xmax is 0.
    .returning(sql<boolean>`(xmax = 0)`.as('created'))
    .executeTakeFirstOrThrow();
  return { created: row.created };
}

/** The workspace's tracks, each at its newest version, by id; removed tracks are left out. */
export async function workspaceTrackRows(
  db: Kysely<Database>,
  ws: WorkspaceRef,
  trackId?: string,
): Promise<WorkspaceTrackRow[]> {
  let q = db
    .selectFrom('workspace_tracks')
    .selectAll()
    .distinctOn('track_id')
    .where('platform', '=', ws.platform)
    .where('workspace_id', '=', ws.workspaceId)
    .where('removed_at', 'is', null);
  if (trackId !== undefined) q = q.where('track_id', '=', trackId);
  return q.orderBy('track_id').orderBy('imported_at', 'desc').orderBy('id', 'desc').execute();
}

/** How many versions of a track the workspace has stored (removed ones too). */
export async function countVersions(
  db: Kysely<Database>,
  ws: WorkspaceRef,
  trackId: string,
): Promise<number> {
  const row = await db
    .selectFrom('workspace_tracks')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('platform', '=', ws.platform)
    .where('workspace_id', '=', ws.workspaceId)
    .where('track_id', '=', trackId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Hides every version of a track from the workspace; the rows stay for the history made with them. */
export async function markTrackRemoved(
  db: Kysely<Database>,
  ws: WorkspaceRef,
  trackId: string,
  at: Date,
): Promise<number> {
  const result = await db
    .updateTable('workspace_tracks')
    .set({ removed_at: at })
    .where('platform', '=', ws.platform)
    .where('workspace_id', '=', ws.workspaceId)
    .where('track_id', '=', trackId)
    .where('removed_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/**
 * Moves the workspace's drills and cohorts on an older version of a track to `key`, from their next
 * delivery (past deliveries keep the key they were opened with). Returns the channels moved.
 */
export async function moveToVersion(
  db: Kysely<Database>,
  ws: WorkspaceRef,
  trackId: string,
  key: string,
): Promise<string[]> {
  const onTrack = <T extends 'drills' | 'cohorts'>(table: T) =>
    db
      .updateTable(table as 'drills')
      .set({ track_id: key })
      .where('platform', '=', ws.platform)
      .where('workspace_id', '=', ws.workspaceId)
      .where('track_id', 'like', `${trackId}@%`)
      .where('track_id', '<>', key);
  await onTrack('cohorts').execute();
  const moved = await onTrack('drills').returning('channel_id').execute();
  return moved.map((r) => r.channel_id);
}

/** Channels of the workspace whose drill studies one of the track's versions (keys `<id>@…`). */
export async function drillsOnTrack(
  db: Kysely<Database>,
  ws: WorkspaceRef,
  trackId: string,
): Promise<string[]> {
  const rows = await db
    .selectFrom('drills')
    .select('channel_id')
    .where('platform', '=', ws.platform)
    .where('workspace_id', '=', ws.workspaceId)
    .where('track_id', 'like', `${trackId}@%`)
    .execute();
  return rows.map((r) => r.channel_id);
}
