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

export interface AdminLookup {
  isAdmin(client: WebClient, teamId: string, userId: string): Promise<boolean>;
}

export function createAdminLookup(deps: { clock: Clock; log: Log }): AdminLookup {
  const cache = new Map<string, { admin: boolean; until: number } | Promise<boolean>>();
  const put = (key: string, admin: boolean, ttl: number) => {
    cache.delete(key);
    if (cache.size >= ADMIN_CACHE_MAX) cache.delete(cache.keys().next().value!);
    cache.set(key, { admin, until: deps.clock.now().getTime() + ttl });
  };
  return {
    isAdmin(client, teamId, userId) {
      const key = `${teamId}:${userId}`;
      const hit = cache.get(key);
      if (hit instanceof Promise) return hit;
      if (hit && hit.until > deps.clock.now().getTime()) return Promise.resolve(hit.admin);
      const pending = client.users.info({ user: userId }).then(
        (res) => {
          const u = res.user;
          const admin = u?.is_owner === true || u?.is_admin === true || u?.is_primary_owner === true;
          put(key, admin, ADMIN_CACHE_MS);
          return admin;
        },
        (err: unknown) => {
          deps.log.warn(
            { err, team: teamId, user: userId },
            'slack users.info failed; treating as not an admin',
          );
          put(key, false, FAILURE_CACHE_MS);
          return false;
        },
      );
      cache.set(key, pending);
      return pending;
    },
  };
}
