/**
 * Channel names as the platforms show them with commands (Slack's `channel_name`, a Discord interaction's
 * channel), kept so the dashboard names a drill's or cohort's channel instead of showing its id. A rename
 * shows with the next command there. Nothing is asked of the platforms for them.
 */
import type { Kysely } from 'kysely';
import { ExpiringMap } from '../core/expiring-map.ts';
import type { ChannelRef, WorkspaceRef } from '../core/types.ts';
import type { StudyDeps } from '../db/deps.ts';
import type { Database } from '../db/schema.ts';

/** How long this process trusts that a name it stored is still the stored one (another process may rename). */
const NAMED_MS = 60 * 60_000;
const NAMED_MAX = 10_000;
/** Longer than any platform's channel name; a longer one is cut. */
const NAME_MAX = 100;

/** Stores a channel's name when it differs from the one this process stored lately: usually no statement. */
export type NameChannel = (channel: ChannelRef, name: string | undefined) => Promise<void>;

export function createChannelNaming(deps: Pick<StudyDeps, 'db' | 'clock'>): NameChannel {
  const stored = new ExpiringMap<string>(deps.clock, NAMED_MAX);
  return async (channel, raw) => {
    const name = raw?.trim().slice(0, NAME_MAX);
    if (!name) return;
    const key = JSON.stringify([channel.platform, channel.workspaceId, channel.channelId]);
    if (stored.get(key) === name) return;
    await deps.db
      .insertInto('channel_names')
      .values({
        platform: channel.platform,
        workspace_id: channel.workspaceId,
        channel_id: channel.channelId,
        name,
        updated_at: deps.clock.now(),
      })
      .onConflict((oc) =>
        oc
          .columns(['platform', 'workspace_id', 'channel_id'])
          .doUpdateSet((eb) => ({ name: eb.ref('excluded.name'), updated_at: eb.ref('excluded.updated_at') }))
          .where('channel_names.name', 'is distinct from', (eb) => eb.ref('excluded.name')),
      )
      .execute();
    stored.set(key, name, NAMED_MS);
  };
}

/** The names known for these channels of a workspace, by channel id. */
export async function channelNamesOf(
  db: Kysely<Database>,
  ws: WorkspaceRef,
  channelIds: readonly string[],
): Promise<Map<string, string>> {
  if (channelIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('channel_names')
    .select(['channel_id', 'name'])
    .where('platform', '=', ws.platform)
    .where('workspace_id', '=', ws.workspaceId)
    .where('channel_id', 'in', [...new Set(channelIds)])
    .execute();
  return new Map(rows.map((r) => [r.channel_id, r.name]));
}
