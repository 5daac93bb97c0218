/** Drills: one per channel, the channel's schedule and its place in the track. */
import type { Kysely } from 'kysely';
import type { ChannelRef } from '../../core/types.ts';
import type { Schedule } from '../../study/calendar.ts';
import type { Database, DrillRow } from '../schema.ts';

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
  effectiveFrom: Date,
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
      updated_at: new Date(),
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
