/** A channel's schedule as managers change it: set, show, pause, resume, skip, and post today's drill now. */

import { isStudyWeekday, localDateOf, nextSlotAfter, slotFor } from '../core/calendar.ts';
import { UserFacingError } from '../core/errors.ts';
import { managerCommand } from '../core/render/text.ts';
import type { ChannelRef, UserRef } from '../core/types.ts';
import { hasTrack, type StudyDeps, trackOf } from '../db/deps.ts';
import type { ReviewMode } from '../db/schema.ts';
import { ensureTrack } from '../db/track-versions.ts';
import { claimDelivery, findDeliveryByDate } from '../deliveries/deliveries.repository.ts';
import { getDrill, planDelivery, requireDrill } from '../deliveries/deliveries.ts';
import { recheckReminders } from '../members/managers.repository.ts';
import { workspaceTimezone } from '../members/members.repository.ts';
import { recheckDigests } from '../plans/cohorts.repository.ts';
import { checkRevealTime, cohortById, cohortContext, progressOf } from '../plans/cohorts.ts';
import {
  addSkip,
  listSkips,
  listUpcomingSkips,
  pauseDrill,
  resumeDrill,
  upsertSchedule,
} from '../plans/drills.repository.ts';
import { type Delivery, type Drill, deliveryFromRow, drillFromRow } from '../plans/model.ts';
import { requireTrack } from '../tracks/tracks.ts';

export interface ScheduleInput {
  timeOfDay: string;
  days?: number;
  timezone?: string;
  trackId?: string;
  /** A local time to reveal the answer that day; null clears it (reveal when the next drill opens). */
  revealTime?: string | null;
  /** Review days (src/deliveries/review-days.ts); unset keeps the drill's setting. */
  reviewMode?: ReviewMode;
}

const SET_USAGE = `${managerCommand('schedule set')} <time:HH:MM> [days] [tz] [track] [reveal:HH:MM|none] [auto|weekly|off]`;

/** Monday to Friday: the default for a team's study drill. */
const DEFAULT_DAYS = 0b0011111;

export async function setSchedule(
  deps: StudyDeps,
  channel: ChannelRef,
  user: UserRef,
  input: ScheduleInput,
): Promise<Drill> {
  const existing = await getDrill(deps, channel);
  const trackId =
    input.trackId === undefined
      ? (existing?.trackId ?? deps.defaultTrackId)
      : await requireTrack(deps, channel, input.trackId, SET_USAGE);
  const revealTime = input.revealTime !== undefined ? input.revealTime : (existing?.revealTime ?? null);
  checkRevealTime(input.timeOfDay, revealTime, SET_USAGE);
  const timezone =
    input.timezone ??
    existing?.schedule.timezone ??
    (await workspaceTimezone(deps.db, channel)) ??
    deps.defaultTimezone;
  const row = await upsertSchedule(
    deps.db,
    channel,
    {
      timeOfDay: input.timeOfDay,
      days: input.days ?? existing?.schedule.days ?? DEFAULT_DAYS,
      timezone,
      trackId,
      revealTime,
      reviewMode: input.reviewMode ?? existing?.reviewMode ?? null,
    },
    user.userId,
    deps.clock.now(),
  );
  deps.log.info({ drillId: row.id, timeOfDay: row.time_of_day, days: row.days, timezone }, 'schedule set');
  await recheckPeriodic(deps, channel);
  return drillFromRow(row);
}

/**
 * The drill's time, zone or state changed: the digest and reminder jobs look again, on their next run, at the
 * channel's cohorts and at the members with reminders on, whose times may follow the drill's.
 */
async function recheckPeriodic(deps: StudyDeps, channel: ChannelRef): Promise<void> {
  const now = deps.clock.now();
  await recheckDigests(deps.db, channel, now);
  await recheckReminders(deps.db, channel, now);
}

function scheduledDrill(deps: StudyDeps, channel: ChannelRef): Promise<Drill> {
  return requireDrill(deps, channel, 'This channel has no schedule yet.', SET_USAGE);
}

export interface ScheduleView {
  drill: Drill;
  /** The next opening, unless paused. */
  next: { localDate: string; at: Date } | undefined;
  skips: string[];
  cardCount: number;
}

export async function showSchedule(deps: StudyDeps, channel: ChannelRef): Promise<ScheduleView> {
  const drill = await scheduledDrill(deps, channel);
  const now = deps.clock.now();
  const today = localDateOf(now, drill.schedule.timezone);
  const skips = await listUpcomingSkips(deps.db, drill.id, today);
  const from = new Date(Math.max(now.getTime(), drill.scheduleChangedAt.getTime() - 1));
  const next = drill.status === 'active' ? nextSlotAfter(drill.schedule, from, new Set(skips)) : undefined;
  await ensureTrack(deps, drill.trackId);
  const cardCount = hasTrack(deps, drill.trackId) ? trackOf(deps, drill.trackId).cards.length : 0;
  return { drill, next, skips, cardCount };
}

export async function pauseSchedule(deps: StudyDeps, channel: ChannelRef, user: UserRef): Promise<Drill> {
  const drill = await scheduledDrill(deps, channel);
  if (drill.status === 'paused') {
    throw new UserFacingError(
      'INVALID_STATE',
      `The drill is already paused (${drill.pauseReason ?? 'no reason'}).`,
    );
  }
  await pauseDrill(deps.db, drill.id, `paused by ${user.displayName}`, deps.clock.now());
  await recheckPeriodic(deps, channel);
  return (await getDrill(deps, channel))!;
}

export async function resumeSchedule(deps: StudyDeps, channel: ChannelRef): Promise<Drill> {
  const drill = await scheduledDrill(deps, channel);
  if (drill.status === 'active') throw new UserFacingError('INVALID_STATE', 'The drill is not paused.');
  const now = deps.clock.now();
  await resumeDrill(deps.db, drill.id, now, localDateOf(now, drill.schedule.timezone));
  await recheckPeriodic(deps, channel);
  return (await getDrill(deps, channel))!;
}

/** Skips the next study day that has not opened yet; returns its date. */
export async function skipNext(deps: StudyDeps, channel: ChannelRef, user: UserRef): Promise<string> {
  const drill = await scheduledDrill(deps, channel);
  const now = deps.clock.now();
  const today = localDateOf(now, drill.schedule.timezone);
  const skips = new Set(await listUpcomingSkips(deps.db, drill.id, today));
  const from = new Date(Math.max(now.getTime(), drill.scheduleChangedAt.getTime() - 1));
  let next = nextSlotAfter(drill.schedule, from, skips);
  // Today's slot may have passed without opening yet (the tick is due): it counts as opened.
  if (next.localDate === today && (await findDeliveryByDate(deps.db, drill.id, today))) {
    next = nextSlotAfter(drill.schedule, slotFor(drill.schedule, today), skips);
  }
  await addSkip(deps.db, drill.id, next.localDate, 'manual', user.userId);
  return next.localDate;
}

/** What `drill now` will do, so the reply can say it truthfully. */
export type DrillNowOutcome =
  /** Today's delivery opened now; the scheduler posts it on its next run. */
  | { kind: 'opened'; delivery: Delivery; drill: Drill }
  /** Today's delivery already exists (posted, on its way, or not postable): a drill posts once per day. */
  | { kind: 'exists'; delivery: Delivery; drill: Drill }
  | {
      kind: 'not-study-day';
      drill: Drill;
      today: string;
      skipped: boolean;
      next: { localDate: string; at: Date };
    }
  | { kind: 'cohort-upcoming'; drill: Drill; cohortName: string; startsOn: string }
  | { kind: 'cohort-finished'; drill: Drill; cohortName: string; endsOn: string };

/**
 * Opens today's delivery now unless it exists or today is no study day; the scheduler posts it on its next
 * run. Still once per local day.
 */
export async function drillNow(deps: StudyDeps, channel: ChannelRef): Promise<DrillNowOutcome> {
  const drill = await scheduledDrill(deps, channel);
  if (drill.status === 'paused') {
    throw new UserFacingError(
      'INVALID_STATE',
      `The drill is paused (${drill.pauseReason ?? 'no reason'}), so nothing posts; resume it first with ${managerCommand('schedule resume')}.`,
    );
  }
  const now = deps.clock.now();
  const today = localDateOf(now, drill.schedule.timezone);
  const existing = await findDeliveryByDate(deps.db, drill.id, today);
  if (existing) return { kind: 'exists', delivery: deliveryFromRow(existing), drill };
  if (drill.cohortId !== null) {
    const cohort = await cohortById(deps, drill.cohortId);
    if (cohort) {
      const ctx = await cohortContext(deps, cohort);
      const { phase } = progressOf(ctx);
      if (phase === 'upcoming')
        return { kind: 'cohort-upcoming', drill, cohortName: cohort.name, startsOn: cohort.startsOn };
      if (phase === 'finished')
        return { kind: 'cohort-finished', drill, cohortName: cohort.name, endsOn: ctx.calendar.endsOn };
    }
  }
  const skips = await listSkips(deps.db, drill.id, today);
  // Opens now rather than at the slot; the scheduler's claim for today then finds it and posts nothing more.
  const plan =
    isStudyWeekday(drill.schedule, today) && !skips.has(today)
      ? await planDelivery(deps, drill, today, { opensAt: now })
      : undefined;
  if (!plan) {
    const next = nextSlotAfter(drill.schedule, slotFor(drill.schedule, today), skips);
    return { kind: 'not-study-day', drill, today, skipped: skips.has(today), next };
  }
  const created = await claimDelivery(deps.db, plan);
  // Opened before its time: members whose reminder waits for it are looked at again.
  if (created) await recheckReminders(deps.db, channel, now);
  const row = created ?? (await findDeliveryByDate(deps.db, drill.id, today))!;
  return { kind: created ? 'opened' : 'exists', delivery: deliveryFromRow(row), drill };
}
