/** A channel's schedule as managers change it: set, show, pause, resume, skip, and post today's drill now. */
import { UserFacingError } from '../core/errors.ts';
import type { ChannelRef, UserRef } from '../core/types.ts';
import { claimDelivery, findDeliveryByDate } from '../db/repositories/deliveries.repository.ts';
import {
  addSkip,
  listUpcomingSkips,
  pauseDrill,
  resumeDrill,
  upsertSchedule,
  workspaceTimezone,
} from '../db/repositories/schedule.repository.ts';
import { localDateOf, nextSlotAfter, slotFor } from './calendar.ts';
import { getDrill, planDelivery } from './deliveries.ts';
import type { StudyDeps } from './deps.ts';
import { type Delivery, type Drill, deliveryFromRow, drillFromRow } from './model.ts';

export interface ScheduleInput {
  timeOfDay: string;
  days?: number;
  timezone?: string;
  trackId?: string;
  revealTime?: string;
}

/** Monday to Friday: the default for a team's study drill. */
export const DEFAULT_DAYS = 0b0011111;

export async function setSchedule(
  deps: StudyDeps,
  channel: ChannelRef,
  user: UserRef,
  input: ScheduleInput,
): Promise<Drill> {
  const existing = await getDrill(deps, channel);
  const trackId = input.trackId ?? existing?.trackId ?? deps.defaultTrackId;
  if (!deps.tracks.has(trackId)) {
    throw new UserFacingError(
      'BAD_ARGUMENT',
      `There is no track "${trackId}". Tracks here: ${[...deps.tracks.keys()].join(', ')}.`,
    );
  }
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
      revealTime: input.revealTime ?? existing?.revealTime ?? null,
    },
    user.userId,
    deps.clock.now(),
  );
  deps.log.info({ drillId: row.id, timeOfDay: row.time_of_day, days: row.days, timezone }, 'schedule set');
  return drillFromRow(row);
}

async function requireDrill(deps: StudyDeps, channel: ChannelRef): Promise<Drill> {
  const drill = await getDrill(deps, channel);
  if (!drill) {
    throw new UserFacingError(
      'NO_DRILL',
      'This channel has no schedule yet.',
      '/roadmap schedule set <HH:MM> [days] [tz] [track]',
    );
  }
  return drill;
}

export interface ScheduleView {
  drill: Drill;
  /** The next opening, unless paused. */
  next: { localDate: string; at: Date } | undefined;
  skips: string[];
  cardCount: number;
}

export async function showSchedule(deps: StudyDeps, channel: ChannelRef): Promise<ScheduleView> {
  const drill = await requireDrill(deps, channel);
  const now = deps.clock.now();
  const today = localDateOf(now, drill.schedule.timezone);
  const skips = await listUpcomingSkips(deps.db, drill.id, today);
  const from = new Date(Math.max(now.getTime(), drill.scheduleChangedAt.getTime() - 1));
  const next = drill.status === 'active' ? nextSlotAfter(drill.schedule, from, new Set(skips)) : undefined;
  const track = deps.tracks.get(drill.trackId);
  return { drill, next, skips, cardCount: track?.cards.length ?? 0 };
}

export async function pauseSchedule(deps: StudyDeps, channel: ChannelRef, user: UserRef): Promise<Drill> {
  const drill = await requireDrill(deps, channel);
  if (drill.status === 'paused') {
    throw new UserFacingError(
      'INVALID_STATE',
      `The drill is already paused (${drill.pauseReason ?? 'no reason'}).`,
    );
  }
  await pauseDrill(deps.db, drill.id, `paused by ${user.displayName}`, deps.clock.now());
  return (await getDrill(deps, channel))!;
}

export async function resumeSchedule(deps: StudyDeps, channel: ChannelRef): Promise<Drill> {
  const drill = await requireDrill(deps, channel);
  if (drill.status === 'active') throw new UserFacingError('INVALID_STATE', 'The drill is not paused.');
  const now = deps.clock.now();
  await resumeDrill(deps.db, drill.id, now, localDateOf(now, drill.schedule.timezone));
  return (await getDrill(deps, channel))!;
}

/** Skips the next study day that has not opened yet; returns its date. */
export async function skipNext(deps: StudyDeps, channel: ChannelRef, user: UserRef): Promise<string> {
  const drill = await requireDrill(deps, channel);
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

/** Opens today's delivery now; the scheduler posts it on its next run. Still once per local day. */
export async function drillNow(
  deps: StudyDeps,
  channel: ChannelRef,
): Promise<{ delivery: Delivery; created: boolean; drill: Drill }> {
  const drill = await requireDrill(deps, channel);
  if (drill.status === 'paused') {
    throw new UserFacingError(
      'INVALID_STATE',
      `The drill is paused (${drill.pauseReason ?? 'no reason'}); resume it first with /roadmap schedule resume.`,
    );
  }
  // Opens now rather than at the slot; the scheduler's claim for today then finds it and posts nothing more.
  const now = deps.clock.now();
  const today = localDateOf(now, drill.schedule.timezone);
  const plan = await planDelivery(deps, drill, today, { opensAt: now });
  if (!plan) throw new UserFacingError('INVALID_STATE', "Today is not a study day of this channel's cohort.");
  const created = await claimDelivery(deps.db, plan);
  const row = created ?? (await findDeliveryByDate(deps.db, drill.id, today))!;
  return { delivery: deliveryFromRow(row), created: created !== undefined, drill };
}
