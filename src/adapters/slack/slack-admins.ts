/** Whether a member is a workspace owner or admin (users.info), cached briefly so a busy channel asks Slack rarely. */
import type { WebClient } from '@slack/web-api';
import type { Clock } from '../../core/clock.ts';
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
  const cache = new Map<string, { profile: SlackProfile; until: number } | Promise<SlackProfile>>();
  const put = (key: string, profile: SlackProfile, ttl: number) => {
    cache.delete(key);
    if (cache.size >= ADMIN_CACHE_MAX) cache.delete(cache.keys().next().value!);
    cache.set(key, { profile, until: deps.clock.now().getTime() + ttl });
  };
  const profile = (client: WebClient, teamId: string, userId: string): Promise<SlackProfile> => {
    const key = `${teamId}:${userId}`;
    const hit = cache.get(key);
    if (hit instanceof Promise) return hit;
    if (hit && hit.until > deps.clock.now().getTime()) return Promise.resolve(hit.profile);
    const pending = client.users.info({ user: userId }).then(
      (res) => {
        const u = res.user;
        const found: SlackProfile = {
          admin: u?.is_owner === true || u?.is_admin === true || u?.is_primary_owner === true,
          timezone: u?.tz || undefined,
          name: u?.profile?.display_name || u?.real_name || u?.name || undefined,
        };
        put(key, found, ADMIN_CACHE_MS);
        return found;
      },
      (err: unknown) => {
        deps.log.warn(
          { err, team: teamId, user: userId },
          'slack users.info failed; treating as not an admin',
        );
        put(key, UNKNOWN, FAILURE_CACHE_MS);
        return UNKNOWN;
      },
    );
    cache.set(key, pending);
    return pending;
  };
  return {
    profile,
    knownAdmin(teamId, userId) {
      const hit = cache.get(`${teamId}:${userId}`);
      return hit && !(hit instanceof Promise) && hit.until > deps.clock.now().getTime()
        ? hit.profile.admin
        : undefined;
    },
    isAdmin: async (client, teamId, userId) => (await profile(client, teamId, userId)).admin,
  };
}
