/** The question each member saw last in each channel: what `/roadmap answer B` answers. */
import type { Kysely } from 'kysely';
import type { ChannelRef } from '../core/types.ts';
import type { Database } from '../db/schema.ts';

export type ShownTarget = { kind: 'delivery'; id: number } | { kind: 'practice'; id: number };

/** Records that `userId` was just shown this question in this channel, replacing what they saw before. */
export async function markShown(
  db: Kysely<Database>,
  channel: ChannelRef,
  userId: string,
  target: ShownTarget,
  at: Date,
): Promise<void> {
  const ids = {
    delivery_id: target.kind === 'delivery' ? target.id : null,
    practice_id: target.kind === 'practice' ? target.id : null,
    shown_at: at,
  };
  await db
    .insertInto('last_shown')
    .values({
      platform: channel.platform,
      workspace_id: channel.workspaceId,
      channel_id: channel.channelId,
      user_id: userId,
      ...ids,
    })
    .onConflict((oc) => oc.columns(['platform', 'workspace_id', 'channel_id', 'user_id']).doUpdateSet(ids))
    .execute();
}

export async function lastShown(
  db: Kysely<Database>,
  channel: ChannelRef,
  userId: string,
): Promise<{ target: ShownTarget; at: Date } | undefined> {
  const row = await db
    .selectFrom('last_shown')
    .select(['delivery_id', 'practice_id', 'shown_at'])
    .where('platform', '=', channel.platform)
    .where('workspace_id', '=', channel.workspaceId)
    .where('channel_id', '=', channel.channelId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  if (!row) return undefined;
  const target: ShownTarget =
    row.delivery_id !== null
      ? { kind: 'delivery', id: row.delivery_id }
      : { kind: 'practice', id: row.practice_id! };
  return { target, at: row.shown_at };
}
