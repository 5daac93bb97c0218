/** Cohorts: a named programme on a channel's drill with a start date, an end, a roster and a calendar pace. */

import type { Kysely } from 'kysely';
import type { Schedule } from '../core/calendar.ts';
import { localDateOf } from '../core/calendar.ts';
import { WEEKDAYS, zoneHintForTrack } from '../core/commands/options.ts';
import { UserFacingError } from '../core/errors.ts';
import { echo, managerCommand } from '../core/render/text.ts';
import type { ChannelRef, WorkspaceRef } from '../core/types.ts';
import { hasTrack, type StudyDeps } from '../db/deps.ts';
import type { Database, DrillRow } from '../db/schema.ts';
import { ensureTrack, trackFor } from '../db/track-versions.ts';
import { workspaceTimezone } from '../members/members.repository.ts';
import { type CohortCalendar, cohortDayIndex, cohortEndDate, cohortProgress } from './cohort-calendar.ts';
import {
  endCohort,
  findActiveCohortByChannel,
  findCohortById,
  findCohortByName,
  findLatestCohortByChannel,
  insertCohortForDrill,
  listCohorts,
} from './cohorts.repository.ts';
import { findDrillByChannel, insertDrillIfAbsent, listSkips } from './drills.repository.ts';
import { type Cohort, cohortFromRow, type Drill, drillFromRow } from './model.ts';

/** A cohort with what its calendar needs: the channel's drill, its pace, skipped days and today's date there. */
export interface CohortContext {
  cohort: Cohort;
  drill: Drill | undefined;
  /** Its days, time and zone: the drill's while the cohort runs on it, its own record once it ended. */
  pace: Schedule;
  timezone: string;
  calendar: CohortCalendar & { endsOn: string };
  skips: Set<string>;
  today: string;
}

export async function cohortContext(deps: StudyDeps, cohort: Cohort): Promise<CohortContext> {
  const row = await findDrillByChannel(deps.db, cohort.channel);
  const drill = row ? drillFromRow(row) : undefined;
  // The drill is the calendar while the cohort runs on it; afterwards the channel may run another pace.
  const pace = (drill?.cohortId === cohort.id ? drill.schedule : undefined) ??
    cohort.pace ??
    drill?.schedule ?? {
      days: WEEKDAYS,
      timeOfDay: DEFAULT_TIME,
      timezone: (await workspaceTimezone(deps.db, cohort.channel)) ?? deps.defaultTimezone,
    };
  const { timezone, days } = pace;
  const track = await trackFor(deps, cohort.trackId);
  const planned = cohort.endsOn ?? cohortEndDate(cohort.startsOn, days, track.cards.length);
  // A cohort ended early ran until the day it ended: later dates are none of its study days.
  const endedOn = cohort.endedAt ? localDateOf(cohort.endedAt, timezone) : undefined;
  const endsOn = endedOn !== undefined && endedOn < planned ? endedOn : planned;
  return {
    cohort,
    drill,
    pace,
    timezone,
    calendar: { startsOn: cohort.startsOn, endsOn, days },
    skips: drill ? await listSkips(deps.db, drill.id, cohort.startsOn) : new Set(),
    today: localDateOf(deps.clock.now(), timezone),
  };
}

export function progressOf(ctx: CohortContext) {
  return cohortProgress(ctx.calendar, ctx.today, ctx.skips);
}

/**
 * The card index a cohort drill shows on `localDate` (study day N → card N-1), or null when the date is
 * no study day of the cohort (before its start, after its end, or past the track's last card).
 */
export async function cohortCardIndex(
  deps: StudyDeps,
  drill: Drill,
  localDate: string,
  cardCount: number,
  /** The transaction holding the drill's lock, when called inside one (PGlite has a single connection). */
  db: Kysely<Database> = deps.db,
): Promise<number | null> {
  if (drill.cohortId === null) return null;
  const row = await findCohortById(db, drill.cohortId);
  if (!row) return null;
  const skips = await listSkips(db, drill.id, row.starts_on);
  const index = cohortDayIndex(
    { startsOn: row.starts_on, endsOn: row.ends_on, days: drill.schedule.days },
    localDate,
    skips,
  );
  return index !== null && index < cardCount ? index : null;
}

/** The time of day a cohort's card posts when neither the command nor the channel's drill says. */
const DEFAULT_TIME = '09:00';

export const COHORT_USAGE = `${managerCommand('cohort create')} <name> start:YYYY-MM-DD [weeks] [days] [time] [tz] [track]`;

export interface CreateCohortInput {
  name: string;
  start: string;
  weeks?: number | undefined;
  days?: number | undefined;
  time?: string | undefined;
  tz?: string | undefined;
  track?: string | undefined;
}

/** Refuses a cohort the channel or workspace cannot take: one running here already, a name taken, no such track. */
async function checkNewCohort(deps: StudyDeps, channel: ChannelRef, input: CreateCohortInput): Promise<void> {
  const active = await findActiveCohortByChannel(deps.db, channel);
  if (active) {
    throw new UserFacingError(
      'BAD_ARGUMENT',
      `This channel already runs the cohort "${active.name}"; end it first with ${managerCommand('cohort end')}.`,
    );
  }
  if (await findCohortByName(deps.db, channel, input.name)) {
    throw new UserFacingError(
      'BAD_ARGUMENT',
      `A cohort named ${echo(input.name)} already exists in this workspace; pick another name.`,
      COHORT_USAGE,
    );
  }
  if (input.track !== undefined) await ensureTrack(deps, input.track);
  if (input.track !== undefined && !hasTrack(deps, input.track)) {
    throw new UserFacingError(
      'BAD_ARGUMENT',
      `\`track\` must be one of ${[...deps.tracks.keys()].join(', ')} (got ${echo(input.track)}).${zoneHintForTrack(input.track)}`,
      COHORT_USAGE,
    );
  }
}

/** The new cohort's pace and track: the command's, else the channel's drill's, else the defaults. */
async function newCohortPace(
  deps: StudyDeps,
  channel: ChannelRef,
  input: CreateCohortInput,
  existing: DrillRow | undefined,
) {
  const timezone =
    input.tz ?? existing?.timezone ?? (await workspaceTimezone(deps.db, channel)) ?? deps.defaultTimezone;
  const days = input.days ?? existing?.days ?? WEEKDAYS;
  const timeOfDay = input.time ?? existing?.time_of_day ?? DEFAULT_TIME;
  const trackId = input.track ?? existing?.track_id ?? deps.defaultTrackId;
  return { timezone, days, timeOfDay, trackId };
}

/** Creates a cohort in this channel and puts the channel's drill (created if absent) on its calendar. */
export async function createCohort(
  deps: StudyDeps,
  channel: ChannelRef,
  createdBy: string,
  input: CreateCohortInput,
): Promise<CohortContext> {
  await checkNewCohort(deps, channel, input);
  const existing = await findDrillByChannel(deps.db, channel);
  const { timezone, days, timeOfDay, trackId } = await newCohortPace(deps, channel, input, existing);
  const track = await trackFor(deps, trackId);
  checkRevealTime(timeOfDay, existing?.reveal_time ?? null, COHORT_USAGE);
  const now = deps.clock.now();
  const drill =
    existing ??
    (await insertDrillIfAbsent(deps.db, channel, { timeOfDay, days, timezone }, trackId, createdBy, now));
  const endsOn = cohortEndDate(input.start, days, track.cards.length, input.weeks);
  try {
    const row = await insertCohortForDrill(
      deps.db,
      {
        channel,
        name: input.name,
        trackId,
        startsOn: input.start,
        endsOn,
        createdBy,
        pace: { days, timeOfDay, timezone },
      },
      drill.id,
      {
        track_id: trackId,
        time_of_day: timeOfDay,
        days,
        timezone,
        // A drill paused by the previous cohort's end (or by hand) runs again: the cohort is why it exists.
        status: 'active',
        pause_reason: null,
        paused_at: null,
        // The scheduler recomputes the next slot from the new calendar; earlier slots never post.
        next_slot_at: null,
        schedule_changed_at: now,
      },
    );
    deps.log.info({ cohortId: row.id, drillId: drill.id, startsOn: input.start, endsOn }, 'cohort created');
    return cohortContext(deps, cohortFromRow(row));
  } catch (err) {
    // A concurrent create won the unique indexes (one active cohort per channel, names per workspace).
    if (/unique|duplicate/i.test(String((err as Error).message))) {
      throw new UserFacingError(
        'BAD_ARGUMENT',
        'Another cohort was just created here; see /roadmap cohort list.',
      );
    }
    throw err;
  }
}

/**
 * The cohort a command means: by name in the workspace, else this channel's active (or latest) cohort.
 * `thisChannelOnly` treats another channel's cohort as absent (what a member who is not a manager may see).
 */
export async function findCohort(
  deps: StudyDeps,
  channel: ChannelRef,
  name?: string,
  opts: { activeOnly?: boolean; thisChannelOnly?: boolean } = {},
): Promise<Cohort> {
  const found = name
    ? await findCohortByName(deps.db, channel, name)
    : opts.activeOnly
      ? await findActiveCohortByChannel(deps.db, channel)
      : await findLatestCohortByChannel(deps.db, channel);
  const row = opts.thisChannelOnly && found?.channel_id !== channel.channelId ? undefined : found;
  if (!row) {
    throw new UserFacingError(
      'NOT_FOUND',
      name
        ? `There is no cohort named ${echo(name)} here; see /roadmap cohort list.`
        : `This channel has no cohort; a manager starts one with ${managerCommand('cohort create')}.`,
      name ? '/roadmap cohort list' : COHORT_USAGE,
    );
  }
  if (opts.activeOnly && row.status !== 'active') {
    throw new UserFacingError('NOT_FOUND', `The cohort "${row.name}" has ended.`);
  }
  return cohortFromRow(row);
}

export async function activeCohortOf(deps: StudyDeps, channel: ChannelRef): Promise<Cohort | undefined> {
  const row = await findActiveCohortByChannel(deps.db, channel);
  return row ? cohortFromRow(row) : undefined;
}

export async function cohortById(deps: StudyDeps, id: number): Promise<Cohort | undefined> {
  const row = await findCohortById(deps.db, id);
  return row ? cohortFromRow(row) : undefined;
}

export async function listCohortsOf(deps: StudyDeps, ws: WorkspaceRef) {
  return (await listCohorts(deps.db, ws)).map((r) => ({ ...cohortFromRow(r), members: Number(r.members) }));
}

/**
 * A reveal time at or before the post time would never apply (the answer shows when the next drill opens
 * instead), so it is refused rather than kept and silently ignored.
 */
export function checkRevealTime(timeOfDay: string, revealTime: string | null, usage: string): void {
  if (revealTime === null || revealTime > timeOfDay) return;
  // From `cohort create` the reveal is the channel's setting, changed with `schedule set`.
  const how = usage.includes('schedule set')
    ? ''
    : ` with ${managerCommand('schedule set')} ${timeOfDay} reveal:none`;
  throw new UserFacingError(
    'BAD_ARGUMENT',
    `\`reveal\`: the answer would be revealed at ${revealTime}, ${revealTime === timeOfDay ? 'as' : 'before'} the drill posts at ${timeOfDay}; give a later time the same day, or reveal:none to reveal it when the next drill opens${how}.`,
    usage,
    'reveal',
  );
}

export async function finishCohort(deps: StudyDeps, cohort: Cohort): Promise<void> {
  if (cohort.status !== 'active')
    throw new UserFacingError('BAD_ARGUMENT', `The cohort "${cohort.name}" has already ended.`);
  await endCohort(
    deps.db,
    cohort.id,
    deps.clock.now(),
    `cohort "${cohort.name}" ended; ${managerCommand('schedule resume')} keeps the drill going`,
  );
  deps.log.info({ cohortId: cohort.id }, 'cohort ended');
}
