/**
 * Workspace-track versions as a process reads them: on first use. A drill, cohort or delivery names its
 * version by key (`<id>@<version>`) and a version never changes once stored, so a key this process has read
 * stays right; a key it has not (another process imported it) is a miss that reads the versions stored since
 * it last looked. Nothing is read while every key in use is loaded.
 */
import type { Kysely } from 'kysely';
import { parseTrackFile } from '../content/import.ts';
import type { Track } from '../content/track.ts';
import { isTrackKey, type StudyDeps, trackOf } from './deps.ts';
import type { Database } from './schema.ts';

/** Versions stored after row `afterId`, across workspaces: what a process has not read yet. */
function versionsAfter(db: Kysely<Database>, afterId: number) {
  return db
    .selectFrom('workspace_tracks')
    .select(['id', 'track_id', 'version', 'file_name', 'source'])
    .where('id', '>', afterId)
    .orderBy('id')
    .execute();
}

/** Reads the workspace-track versions stored since this process last looked (by any process). */
export async function readNewVersions(deps: StudyDeps): Promise<void> {
  const cache = deps.imported;
  for (const row of await versionsAfter(deps.db, cache.lastRowId)) {
    const key = `${row.track_id}@${row.version}`;
    if (!cache.byKey.has(key)) {
      try {
        cache.byKey.set(key, parseTrackFile(row.source, row.file_name));
      } catch (err) {
        deps.log.error({ err, key }, 'a stored workspace track no longer reads');
      }
    }
    cache.lastRowId = Math.max(cache.lastRowId, row.id);
  }
}

/** Makes sure `trackId` is loaded when it names a workspace-track version: one read on a miss, none otherwise. */
export async function ensureTrack(deps: StudyDeps, trackId: string): Promise<void> {
  if (deps.tracks.has(trackId) || deps.imported.byKey.has(trackId) || !isTrackKey(trackId)) return;
  await readNewVersions(deps);
}

/** `trackOf`, for a key another process may have stored: the version is read first when this one has not. */
export async function trackFor(deps: StudyDeps, trackId = deps.defaultTrackId): Promise<Track> {
  const loaded = deps.tracks.get(trackId) ?? deps.imported.byKey.get(trackId);
  if (loaded) return loaded;
  await ensureTrack(deps, trackId);
  return trackOf(deps, trackId);
}
