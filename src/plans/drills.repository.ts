/** Drills: one per channel, the channel's schedule (as managers set, pause and resume it), skips and place in the track. */
import { type Kysely, sql } from 'kysely';
import type { Schedule } from '../core/calendar.ts';
import type { ChannelRef, WorkspaceRef } from '../core/types.ts';
import type { Database, DrillRow, ReviewMode } from '../db/schema.ts';
import { inTransaction } from '../db/transaction.ts';

export async function findDrillByChannel(
  db: Kysely<Database>,
  channel: ChannelRef,
): Promise<DrillRow | undefined> {
  return db
    .selectFrom('drills')
    .selectAll()
    .where('platform', '=', channel.platform)
    .where('workspace_id', '=', channel.workspaceId)
    .where('channel_id', '=', channel.channelId)
    .executeTakeFirst();
}

/** A workspace's drills, oldest first, at most `limit` (a manager's App Home lists them). */
export async function listDrillsOfWorkspace(
  db: Kysely<Database>,
  ws: WorkspaceRef,
  limit: number,
): Promise<DrillRow[]> {
  return db
    .selectFrom('drills')
    .selectAll()
    .where('platform', '=', ws.platform)
    .where('workspace_id', '=', ws.workspaceId)
    .orderBy('id')
    .limit(limit)
    .execute();
}

/** Creates the channel's drill unless it has one; returns the drill either way. */
export async function insertDrillIfAbsent(
  db: Kysely<Database>,
  channel: ChannelRef,
  schedule: Schedule,
  trackId: string,
  createdBy: string | null,
  now: Date,
  /** When the schedule takes effect (slots before it never post); now unless given. */
  effectiveFrom: Date = now,
): Promise<DrillRow> {
  await db
    .insertInto('drills')
    .values({
      platform: channel.platform,
      workspace_id: channel.workspaceId,
      channel_id: channel.channelId,
      track_id: trackId,
      time_of_day: schedule.timeOfDay,
      days: schedule.days,
      timezone: schedule.timezone,
      created_by: createdBy,
      updated_at: now,
      schedule_changed_at: effectiveFrom,
    })
    .onConflict((oc) => oc.columns(['platform', 'workspace_id', 'channel_id']).doNothing())
    .execute();
  return (await findDrillByChannel(db, channel))!;
}

export async function listSkips(
  db: Kysely<Database>,
  drillId: number,
  fromDate: string,
): Promise<Set<string>> {
  const rows = await db
    .selectFrom('drill_skips')
    .select('local_date')
    .where('drill_id', '=', drillId)
    .where('local_date', '>=', fromDate)
    .execute();
  return new Set(rows.map((r) => r.local_date));
}

/** Records a skipped day; true when this call added it. */
export async function addSkip(
  db: Kysely<Database>,
  drillId: number,
  localDate: string,
  reason: 'manual' | 'missed',
  createdBy: string | null,
): Promise<boolean> {
  const row = await db
    .insertInto('drill_skips')
    .values({ drill_id: drillId, local_date: localDate, reason, created_by: createdBy })
    .onConflict((oc) => oc.columns(['drill_id', 'local_date']).doNothing())
    .returning('local_date')
    .executeTakeFirst();
  return row !== undefined;
}

/** Upcoming manual skips from a date on, for `schedule show`. */
export async function listUpcomingSkips(
  db: Kysely<Database>,
  drillId: number,
  fromDate: string,
): Promise<string[]> {
  const rows = await db
    .selectFrom('drill_skips')
    .select('local_date')
    .where('drill_id', '=', drillId)
    .where('local_date', '>=', fromDate)
    .where('reason', '=', 'manual')
    .orderBy('local_date', 'asc')
    .execute();
  return rows.map((r) => r.local_date);
}

export interface ScheduleChange {
  timeOfDay: string;
  days: number;
  timezone: string;
  trackId: string;
  revealTime: string | null;
  reviewMode: ReviewMode | null;
}

/** Creates or reschedules the channel's drill; slots before now never post, so nothing fires retroactively. */
export async function upsertSchedule(
  db: Kysely<Database>,
  channel: ChannelRef,
  change: ScheduleChange,
  createdBy: string,
  now: Date,
): Promise<DrillRow> {
  return db
    .insertInto('drills')
    .values({
      platform: channel.platform,
      workspace_id: channel.workspaceId,
      channel_id: channel.channelId,
      track_id: change.trackId,
      time_of_day: change.timeOfDay,
      days: change.days,
      timezone: change.timezone,
      reveal_time: change.revealTime,
      review_mode: change.reviewMode,
      created_by: createdBy,
      updated_at: now,
      schedule_changed_at: now,
      next_slot_at: null,
    })
    .onConflict((oc) =>
      oc.columns(['platform', 'workspace_id', 'channel_id']).doUpdateSet((eb) => ({
        time_of_day: eb.ref('excluded.time_of_day'),
        days: eb.ref('excluded.days'),
        timezone: eb.ref('excluded.timezone'),
        reveal_time: eb.ref('excluded.reveal_time'),
        review_mode: eb.ref('excluded.review_mode'),
        // A new track starts from its first card.
        position: sql<number>`case when drills.track_id = excluded.track_id then drills.position else 0 end`,
        track_id: eb.ref('excluded.track_id'),
        updated_at: now,
        schedule_changed_at: now,
        next_slot_at: null,
      })),
    )
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function pauseDrill(
  db: Kysely<Database>,
  drillId: number,
  reason: string,
  now: Date,
): Promise<void> {
  await db
    .updateTable('drills')
    .set({ status: 'paused', pause_reason: reason, paused_at: now, updated_at: now })
    .where('id', '=', drillId)
    .execute();
}

/**
 * Resumes a drill: slots that passed while it was paused never post; today's failed post (if any) is retried.
 */
export async function resumeDrill(
  db: Kysely<Database>,
  drillId: number,
  now: Date,
  today: string,
): Promise<void> {
  await inTransaction(db, async (trx) => {
    await trx
      .updateTable('drills')
      .set({
        status: 'active',
        pause_reason: null,
        paused_at: null,
        updated_at: now,
        schedule_changed_at: now,
        next_slot_at: null,
      })
      .where('id', '=', drillId)
      .execute();
    await trx
      .updateTable('deliveries')
      .set({ post_status: 'pending', post_attempts: 0, post_lease_until: null })
      .where('drill_id', '=', drillId)
      .where('local_date', '=', today)
      .where('post_status', '=', 'failed')
      .execute();
  });
}

/**
 * The drills a member studies in: every drill they have answered, the drill of each cohort they are enrolled
 * in and of each channel where they are in a team, and `channelId`'s (where they are asking) when given.
 * The practice embargo and the streak reminders read these.
 */
export async function drillsOfMember(
  db: Kysely<Database>,
  member: WorkspaceRef & { userId: string },
  channelId?: string,
): Promise<DrillRow[]> {
  const { platform, workspaceId, userId } = member;
  return db
    .selectFrom('drills as d')
    .selectAll('d')
    .where('d.platform', '=', platform)
    .where('d.workspace_id', '=', workspaceId)
    .where((eb) =>
      eb.or([
        ...(channelId === undefined ? [] : [eb('d.channel_id', '=', channelId)]),
        eb(
          'd.id',
          'in',
          eb
            .selectFrom('answers as a')
            .select('a.drill_id')
            .where('a.platform', '=', platform)
            .where('a.workspace_id', '=', workspaceId)
            .where('a.user_id', '=', userId)
            .where('a.drill_id', 'is not', null),
        ),
        eb(
          'd.cohort_id',
          'in',
          eb
            .selectFrom('cohort_members as cm')
            .select('cm.cohort_id')
            .where('cm.platform', '=', platform)
            .where('cm.workspace_id', '=', workspaceId)
            .where('cm.user_id', '=', userId)
            .where('cm.left_at', 'is', null),
        ),
        eb(
          'd.channel_id',
          'in',
          eb
            .selectFrom('team_members as tm')
            .select('tm.channel_id')
            .where('tm.platform', '=', platform)
            .where('tm.workspace_id', '=', workspaceId)
            .where('tm.user_id', '=', userId),
        ),
      ]),
    )
    .orderBy('d.id')
    .execute();
}
