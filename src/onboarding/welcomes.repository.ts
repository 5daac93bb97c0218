/** The channels the bot has welcomed: one row per channel, inserted once (the claim), removed if the post failed. */
import type { Kysely } from 'kysely';
import type { ChannelRef } from '../core/types.ts';
import { claimTable } from '../db/claims.ts';
import type { Database } from '../db/schema.ts';

const welcomes = claimTable('channel_welcomes', ['platform', 'workspace_id', 'channel_id']);

/** True for the one caller that inserted the channel's row, whatever the instances and restarts. */
export async function claimWelcome(db: Kysely<Database>, channel: ChannelRef, at: Date): Promise<boolean> {
  const row = await welcomes.claim(db, {
    platform: channel.platform,
    workspace_id: channel.workspaceId,
    channel_id: channel.channelId,
    welcomed_at: at,
  });
  return row !== undefined;
}

/** Gives the claim back after the welcome could not be posted, so the next trigger welcomes the channel again. */
export async function releaseWelcome(db: Kysely<Database>, channel: ChannelRef): Promise<void> {
  await db
    .deleteFrom('channel_welcomes')
    .where('platform', '=', channel.platform)
    .where('workspace_id', '=', channel.workspaceId)
    .where('channel_id', '=', channel.channelId)
    .execute();
}
