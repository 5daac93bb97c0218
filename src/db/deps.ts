/**
 * What every feature function takes: the database, the curriculum, a clock and a logger, passed in; and what
 * every command handler takes (`Services`: those plus the core's command table, events and versions).
 */
import type { Insertable, Kysely } from 'kysely';
import type { Track } from '../content/track.ts';
import type { Clock } from '../core/clock.ts';
import type { Log } from '../core/log.ts';
import type { CoreServices } from '../core/services.ts';
import type { GroupedWrites } from './grouped-writes.ts';
import type { ReadCache } from './read-cache.ts';
import type { Database, DeliveryRow, DrillRow } from './schema.ts';
import { inTransaction } from './transaction.ts';

/**
 * The versions of workspace tracks this process has read, by key (`<track id>@<version>`), and the highest
 * stored row read so far: versions never change once stored, so a key once read stays right, and a key not
 * yet read is found by reading on from there (`ensureTrack` in track-versions.ts, on first use of a key).
 */
interface ImportedTracks {
  byKey: Map<string, Track>;
  lastRowId: number;
}

/** A channel's drill with its latest delivery that has opened and that delivery's answer count. */
export interface DrillWithLatest {
  drill: DrillRow;
  latest?: DeliveryRow & { answered: number };
}

export interface StudyDeps {
  db: Kysely<Database>;
  /** The built-in tracks by id (every track under CONTENT_DIR); drills name theirs. */
  tracks: ReadonlyMap<string, Track>;
  /** Workspace tracks read so far (read on first use: `trackFor`, `ensureTrack`); drills and deliveries name them by key. */
  imported: ImportedTracks;
  defaultTrackId: string;
  /** Used for new workspaces and drills when nobody says otherwise. */
  defaultTimezone: string;
  clock: Clock;
  log: Log;
  /**
   * How many members' open reports withhold a question from their workspace's drills and practice
   * (REPORT_WITHHOLD_THRESHOLD); 3 when unset.
   */
  reportWithholdThreshold?: number;
  /**
   * This process's recent reads of a channel's drill by channel (`drillNow`), dropped on any write of its own
   * to drills, deliveries, skips, answers or cohorts; another process's change shows once an entry is `ttlMs` old. Unset: no cache.
   */
  drillCache?: ReadCache<DrillWithLatest | undefined>;
  /**
   * This process's writes of what each member was shown last (`markShown`), grouped while one is on its way
   * (answers/shown.repository.ts `groupShownWrites`). Unset: a statement per write.
   */
  shownWrites?: GroupedWrites<Insertable<Database['last_shown']>>;
}

/** A track by id (built-in) or key (a workspace track's `<id>@<version>`); the default track for an unknown id. */
export function trackOf(deps: StudyDeps, trackId = deps.defaultTrackId): Track {
  const track =
    deps.tracks.get(trackId) ??
    deps.imported.byKey.get(trackId) ??
    (isTrackKey(trackId) ? undefined : deps.tracks.get(deps.defaultTrackId));
  if (!track) throw new Error(`track "${trackId}" is not loaded`);
  return track;
}

/** Whether `trackId` names a built-in track or a workspace-track version this process has read. */
export function hasTrack(deps: StudyDeps, trackId: string): boolean {
  return deps.tracks.has(trackId) || deps.imported.byKey.has(trackId);
}

/** A workspace track's key names a version: `<track id>@<version>`. */
export function isTrackKey(trackId: string): boolean {
  return trackId.includes('@');
}

/**
 * Runs `work` with dependencies whose database is one transaction: a manager action that writes several
 * rows (a team and its members, a cohort and its drill) lands whole or not at all.
 */
export function transactionally<T>(deps: StudyDeps, work: (deps: StudyDeps) => Promise<T>): Promise<T> {
  return inTransaction(deps.db, (db) => work(db === deps.db ? deps : { ...deps, db }));
}

/** A command or action handler's services: the core's, plus the dependencies every feature function takes. */
export interface Services extends CoreServices {
  deps: StudyDeps;
}
