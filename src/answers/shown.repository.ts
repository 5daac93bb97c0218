/** The question each member saw last in each channel: what `/roadmap answer B` answers. */
import type { Insertable, Kysely } from 'kysely';
import type { ChannelRef } from '../core/types.ts';
import type { StudyDeps } from '../db/deps.ts';
import { GroupedWrites } from '../db/grouped-writes.ts';
import type { Database } from '../db/schema.ts';

export type ShownTarget = { kind: 'delivery'; id: number } | { kind: 'practice'; id: number };

type ShownRow = Insertable<Database['last_shown']>;

function shownRow(channel: ChannelRef, userId: string, target: ShownTarget, at: Date): ShownRow {
  return {
    platform: channel.platform,
    workspace_id: channel.workspaceId,
    channel_id: channel.channelId,
    user_id: userId,
    delivery_id: target.kind === 'delivery' ? target.id : null,
    practice_id: target.kind === 'practice' ? target.id : null,
    shown_at: at,
  };
}

/** Writes rows, each replacing what its member saw before in its channel (at most one row per member and channel). */
async function writeShown(db: Kysely<Database>, rows: readonly ShownRow[]): Promise<void> {
  await db
    .insertInto('last_shown')
    .values(rows)
    .onConflict((oc) =>
      oc.columns(['platform', 'workspace_id', 'channel_id', 'user_id']).doUpdateSet((eb) => ({
        delivery_id: eb.ref('excluded.delivery_id'),
        practice_id: eb.ref('excluded.practice_id'),
        shown_at: eb.ref('excluded.shown_at'),
      })),
    )
    .execute();
}

/** This process's grouped writes of what members were shown (StudyDeps.shownWrites). */
export const groupShownWrites = (db: Kysely<Database>): NonNullable<StudyDeps['shownWrites']> =>
  new GroupedWrites(
    db,
    writeShown,
    (r) => JSON.stringify([r.platform, r.workspace_id, r.channel_id, r.user_id]),
    // One workspace's slow or blocked write holds only its own members' rows.
    (r) => JSON.stringify([r.platform, r.workspace_id]),
  );

/**
 * Records that `userId` was just shown this question in this channel, replacing what they saw before: grouped
 * with other members' (`deps.shownWrites`) unless `deps.db` is a transaction, which gets a statement of its own.
 */
export async function markShown(
  deps: Pick<StudyDeps, 'db' | 'shownWrites'>,
  channel: ChannelRef,
  userId: string,
  target: ShownTarget,
  at: Date,
): Promise<void> {
  const row = shownRow(channel, userId, target, at);
  if (deps.shownWrites?.db === deps.db) return deps.shownWrites.add(row);
  await writeShown(deps.db, [row]);
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
