/** Cohorts: a named programme on a channel's drill with a start date, an end, a roster and a calendar pace. */

import type { Kysely } from 'kysely';
import { WEEKDAYS } from '../core/commands/options.ts';
import { UserFacingError } from '../core/errors.ts';
import { echo } from '../core/render/text.ts';
import type { ChannelRef, Platform, UserRef, WorkspaceRef } from '../core/types.ts';
import { workspaceTimezone } from '../db/repositories/claims.repository.ts';
import {
  addCohortMembers,
  cohortRoster,
  endCohort,
  findActiveCohortByChannel,
  findCohortById,
  findCohortByName,
  findLatestCohortByChannel,
  insertCohortForDrill,
  listCohorts,
  type RosterRow,
  removeCohortMembers,
} from '../db/repositories/cohorts.repository.ts';
import { findDrillByChannel, insertDrillIfAbsent, listSkips } from '../db/repositories/drills.repository.ts';
import { ensureMembers } from '../db/repositories/managers.repository.ts';
import type { CohortRow, Database } from '../db/schema.ts';
import { localDateOf } from './calendar.ts';
import { type CohortCalendar, cohortDayIndex, cohortEndDate, cohortProgress } from './cohort-calendar.ts';
import type { StudyDeps } from './deps.ts';
import { type Drill, drillFromRow } from './model.ts';

export interface Cohort {
  id: number;
  channel: ChannelRef;
  name: string;
  trackId: string;
  startsOn: string;
  endsOn: string | null;
  status: 'active' | 'ended';
  createdBy: string;
}

export function cohortFromRow(r: CohortRow): Cohort {
  return {
    id: r.id,
    channel: { platform: r.platform as Platform, workspaceId: r.workspace_id, channelId: r.channel_id },
    name: r.name,
    trackId: r.track_id,
    startsOn: r.starts_on,
    endsOn: r.ends_on,
    status: r.status,
    createdBy: r.created_by,
  };
}

/** A cohort with what its calendar needs: the channel's drill, its zone, skipped days and today's date there. */
export interface CohortContext {
  cohort: Cohort;
  drill: Drill | undefined;
  timezone: string;
  calendar: CohortCalendar & { endsOn: string };
  skips: Set<string>;
  today: string;
}

export async function cohortContext(deps: StudyDeps, cohort: Cohort): Promise<CohortContext> {
  const row = await findDrillByChannel(deps.db, cohort.channel);
  const drill = row ? drillFromRow(row) : undefined;
  const timezone =
    drill?.schedule.timezone ?? (await workspaceTimezone(deps.db, cohort.channel)) ?? deps.defaultTimezone;
  const days = drill?.schedule.days ?? WEEKDAYS;
  const track = deps.tracks.get(cohort.trackId) ?? deps.tracks.get(deps.defaultTrackId)!;
  const endsOn = cohort.endsOn ?? cohortEndDate(cohort.startsOn, days, track.cards.length);
  return {
    cohort,
    drill,
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

const COHORT_USAGE = '/roadmap cohort create <name> start:YYYY-MM-DD [weeks] [days] [time] [tz] [track]';

export interface CreateCohortInput {
  name: string;
  start: string;
  weeks?: number | undefined;
  days?: number | undefined;
  time?: string | undefined;
  tz?: string | undefined;
  track?: string | undefined;
}

/** Creates a cohort in this channel and puts the channel's drill (created if absent) on its calendar. */
export async function createCohort(
  deps: StudyDeps,
  channel: ChannelRef,
  createdBy: string,
  input: CreateCohortInput,
): Promise<CohortContext> {
  const active = await findActiveCohortByChannel(deps.db, channel);
  if (active) {
    throw new UserFacingError(
      'BAD_ARGUMENT',
      `This channel already runs the cohort "${active.name}"; end it first with /roadmap cohort end.`,
    );
  }
  if (await findCohortByName(deps.db, channel, input.name)) {
    throw new UserFacingError(
      'BAD_ARGUMENT',
      `A cohort named ${echo(input.name)} already exists in this workspace; pick another name.`,
      COHORT_USAGE,
    );
  }
  if (input.track !== undefined && !deps.tracks.has(input.track)) {
    throw new UserFacingError(
      'BAD_ARGUMENT',
      `\`track\` must be one of ${[...deps.tracks.keys()].join(', ')} (got ${echo(input.track)}).`,
      COHORT_USAGE,
    );
  }
  const existing = await findDrillByChannel(deps.db, channel);
  const timezone =
    input.tz ?? existing?.timezone ?? (await workspaceTimezone(deps.db, channel)) ?? deps.defaultTimezone;
  const days = input.days ?? existing?.days ?? WEEKDAYS;
  const trackId = input.track ?? existing?.track_id ?? deps.defaultTrackId;
  const track = deps.tracks.get(trackId)!;
  const drill =
    existing ??
    (await insertDrillIfAbsent(
      deps.db,
      channel,
      { timeOfDay: input.time ?? '09:00', days, timezone },
      trackId,
      createdBy,
      deps.clock.now(),
    ));
  const endsOn = cohortEndDate(input.start, days, track.cards.length, input.weeks);
  try {
    const row = await insertCohortForDrill(
      deps.db,
      { channel, name: input.name, trackId, startsOn: input.start, endsOn, createdBy },
      drill.id,
      {
        track_id: trackId,
        ...(input.time ? { time_of_day: input.time } : {}),
        days,
        timezone,
        // The scheduler recomputes the next slot from the new calendar; earlier slots never post.
        next_slot_at: null,
        schedule_changed_at: deps.clock.now(),
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

/** The cohort a command means: by name in the workspace, else this channel's active (or latest) cohort. */
export async function findCohort(
  deps: StudyDeps,
  channel: ChannelRef,
  name?: string,
  opts: { activeOnly?: boolean } = {},
): Promise<Cohort> {
  const row = name
    ? await findCohortByName(deps.db, channel, name)
    : opts.activeOnly
      ? await findActiveCohortByChannel(deps.db, channel)
      : await findLatestCohortByChannel(deps.db, channel);
  if (!row) {
    throw new UserFacingError(
      'NOT_FOUND',
      name
        ? `There is no cohort named ${echo(name)} here; see /roadmap cohort list.`
        : 'This channel has no cohort; a manager starts one with /roadmap cohort create.',
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

export const roster = (deps: StudyDeps, cohort: Cohort): Promise<RosterRow[]> =>
  cohortRoster(deps.db, cohort.id);

/** Enrols members as of today in the cohort's zone; returns who was added and who already was in. */
export async function addMembers(
  deps: StudyDeps,
  ctx: CohortContext,
  people: readonly { userId: string; displayName?: string | undefined }[],
): Promise<{ added: string[]; already: string[] }> {
  if (ctx.cohort.status !== 'active')
    throw new UserFacingError('BAD_ARGUMENT', `The cohort "${ctx.cohort.name}" has ended.`);
  await ensureMembers(deps.db, ctx.cohort.channel, people);
  const ids = [...new Set(people.map((p) => p.userId))];
  // Members enrolled before the start count from day 1; later ones from today (ISO dates sort as text).
  const joinedOn = [ctx.today, ctx.cohort.startsOn].sort()[1]!;
  const added = await addCohortMembers(
    deps.db,
    {
      id: ctx.cohort.id,
      platform: ctx.cohort.channel.platform,
      workspace_id: ctx.cohort.channel.workspaceId,
    },
    ids,
    joinedOn,
  );
  return { added, already: ids.filter((id) => !added.includes(id)) };
}

export async function removeMembers(
  deps: StudyDeps,
  cohort: Cohort,
  userIds: readonly string[],
): Promise<{ removed: string[]; absent: string[] }> {
  const ids = [...new Set(userIds)];
  const removed = await removeCohortMembers(deps.db, cohort.id, ids, deps.clock.now());
  return { removed, absent: ids.filter((id) => !removed.includes(id)) };
}

/** Self-enrolment (the command and the join button): the member joins as of today. */
export async function joinCohort(
  deps: StudyDeps,
  user: UserRef,
  cohort: Cohort,
): Promise<{ ctx: CohortContext; added: boolean }> {
  if (cohort.channel.platform !== user.platform || cohort.channel.workspaceId !== user.workspaceId) {
    throw new UserFacingError('NOT_FOUND', 'That cohort does not exist here.');
  }
  if (cohort.status !== 'active')
    throw new UserFacingError('NOT_FOUND', `The cohort "${cohort.name}" has ended.`);
  const ctx = await cohortContext(deps, cohort);
  const { added } = await addMembers(deps, ctx, [{ userId: user.userId, displayName: user.displayName }]);
  return { ctx, added: added.length > 0 };
}

export async function finishCohort(deps: StudyDeps, cohort: Cohort): Promise<void> {
  if (cohort.status !== 'active')
    throw new UserFacingError('BAD_ARGUMENT', `The cohort "${cohort.name}" has already ended.`);
  await endCohort(
    deps.db,
    cohort.id,
    deps.clock.now(),
    `cohort "${cohort.name}" ended; /roadmap schedule resume keeps the drill going`,
  );
  deps.log.info({ cohortId: cohort.id }, 'cohort ended');
}
