/** Drills: one per channel, the channel's schedule and its place in the track. */
import type { Kysely } from 'kysely';
import type { Schedule } from '../core/calendar.ts';
import type { ChannelRef } from '../core/types.ts';
import type { Database, DrillRow } from '../db/schema.ts';

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

export async function findDrillById(db: Kysely<Database>, id: number): Promise<DrillRow | undefined> {
  return db.selectFrom('drills').selectAll().where('id', '=', id).executeTakeFirst();
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

/**
 * The drills a member studies in: this channel's, every drill they have answered, the drill of each cohort
 * they are enrolled in and of each channel where they are in a team. The practice embargo reads these.
 */
export async function drillsOfMember(
  db: Kysely<Database>,
  channel: ChannelRef,
  userId: string,
): Promise<DrillRow[]> {
  return db
    .selectFrom('drills as d')
    .selectAll('d')
    .where('d.platform', '=', channel.platform)
    .where('d.workspace_id', '=', channel.workspaceId)
    .where((eb) =>
      eb.or([
        eb('d.channel_id', '=', channel.channelId),
        eb(
          'd.id',
          'in',
          eb
            .selectFrom('answers as a')
            .select('a.drill_id')
            .where('a.platform', '=', channel.platform)
            .where('a.workspace_id', '=', channel.workspaceId)
            .where('a.user_id', '=', userId)
            .where('a.drill_id', 'is not', null),
        ),
        eb(
          'd.cohort_id',
          'in',
          eb
            .selectFrom('cohort_members as cm')
            .select('cm.cohort_id')
            .where('cm.platform', '=', channel.platform)
            .where('cm.workspace_id', '=', channel.workspaceId)
            .where('cm.user_id', '=', userId)
            .where('cm.left_at', 'is', null),
        ),
        eb(
          'd.channel_id',
          'in',
          eb
            .selectFrom('team_members as tm')
            .select('tm.channel_id')
            .where('tm.platform', '=', channel.platform)
            .where('tm.workspace_id', '=', channel.workspaceId)
            .where('tm.user_id', '=', userId),
        ),
      ]),
    )
    .orderBy('d.id')
    .execute();
}
