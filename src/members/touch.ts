/** Every request first records its workspace and member, so names stay current; a short cache spares repeats. */
import { ExpiringMap } from '../core/expiring-map.ts';
import type { UserRef } from '../core/types.ts';
import type { StudyDeps } from '../db/deps.ts';
import { ensureWorkspace, upsertMember } from './members.repository.ts';

/** A member seen this recently with the same name is not written again: two upserts per command add up. */
const TOUCH_FRESH_MS = 5 * 60_000;
const TOUCH_CACHE_MAX = 10_000;

export type Touch = (user: UserRef) => Promise<void>;

/** Records the workspace and the member (name kept current) before anything else touches them. */
export function createTouch(deps: StudyDeps): Touch {
  const touched = new ExpiringMap<true>(deps.clock, TOUCH_CACHE_MAX);
  return async (user) => {
    const key = JSON.stringify([user.platform, user.workspaceId, user.userId, user.displayName]);
    if (touched.get(key)) return;
    await ensureWorkspace(deps.db, user, deps.defaultTimezone);
    await upsertMember(deps.db, user, deps.clock.now());
    touched.set(key, true, TOUCH_FRESH_MS);
  };
}
