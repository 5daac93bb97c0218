/**
 * What every feature function takes: the database, the curriculum, a clock and a logger, passed in; and what
 * every command handler takes (`Services`: those plus the core's command table, events and versions).
 */
import type { Kysely } from 'kysely';
import type { Track } from '../content/track.ts';
import type { Clock } from '../core/clock.ts';
import type { Log } from '../core/log.ts';
import type { CoreServices } from '../core/services.ts';
import type { Database } from './schema.ts';
import { inTransaction } from './transaction.ts';

export interface StudyDeps {
  db: Kysely<Database>;
  /** Tracks by id; drills name theirs. */
  tracks: ReadonlyMap<string, Track>;
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
}

export function trackOf(deps: StudyDeps, trackId = deps.defaultTrackId): Track {
  const track = deps.tracks.get(trackId) ?? deps.tracks.get(deps.defaultTrackId);
  if (!track) throw new Error(`track "${trackId}" is not loaded`);
  return track;
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
