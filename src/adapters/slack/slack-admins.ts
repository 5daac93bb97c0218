/** Whether a member is a workspace owner or admin (users.info), cached briefly so a busy channel asks Slack rarely. */
import type { WebClient } from '@slack/web-api';
import type { Clock } from '../../core/clock.ts';
import { ExpiringMap } from '../../core/expiring-map.ts';
import type { Log } from '../../core/log.ts';

/** Promotions and demotions show up within this long; users.info is Tier 4 (100+/min), so this is cheap. */
const ADMIN_CACHE_MS = 5 * 60_000;
/** Bounded so a large workspace cannot grow it without limit; the oldest entry goes first. */
const ADMIN_CACHE_MAX = 10_000;
/** A failed lookup is retried sooner, and counts as "not an admin" meanwhile (granted managers still work). */
const FAILURE_CACHE_MS = 30_000;

/** What the bot reads about a member from users.info: their role, their own time zone and their name. */
interface SlackProfile {
  admin: boolean;
  timezone: string | undefined;
  name: string | undefined;
}

export interface AdminLookup {
  isAdmin(client: WebClient, teamId: string, userId: string): Promise<boolean>;
  profile(client: WebClient, teamId: string, userId: string): Promise<SlackProfile>;
  /** What a recent lookup said, without asking Slack again; undefined when nobody asked lately. */
  knownAdmin(teamId: string, userId: string): boolean | undefined;
}

const UNKNOWN: SlackProfile = { admin: false, timezone: undefined, name: undefined };

export function createAdminLookup(deps: { clock: Clock; log: Log }): AdminLookup {
  const known = new ExpiringMap<SlackProfile>(deps.clock, ADMIN_CACHE_MAX);
  // Look-ups on their way: a member's second command meanwhile waits for the same answer.
  const asking = new Map<string, Promise<SlackProfile>>();
  const profile = (client: WebClient, teamId: string, userId: string): Promise<SlackProfile> => {
    const key = `${teamId}:${userId}`;
    const hit = asking.get(key) ?? known.get(key);
    if (hit) return Promise.resolve(hit);
    const pending = client.users.info({ user: userId }).then(
      (res) => {
        const u = res.user;
        const found: SlackProfile = {
          admin: u?.is_owner === true || u?.is_admin === true || u?.is_primary_owner === true,
          timezone: u?.tz || undefined,
          name: u?.profile?.display_name || u?.real_name || u?.name || undefined,
        };
        known.set(key, found, ADMIN_CACHE_MS);
        return found;
      },
      (err: unknown) => {
        deps.log.warn(
          { err, team: teamId, user: userId },
          'slack users.info failed; treating as not an admin',
        );
        known.set(key, UNKNOWN, FAILURE_CACHE_MS);
        return UNKNOWN;
      },
    );
    asking.set(key, pending);
    void pending.finally(() => asking.delete(key));
    return pending;
  };
  return {
    profile,
    knownAdmin: (teamId, userId) => known.get(`${teamId}:${userId}`)?.admin,
    isAdmin: async (client, teamId, userId) => (await profile(client, teamId, userId)).admin,
  };
}
