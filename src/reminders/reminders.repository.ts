/**
 * Streak reminders' rows: the claim per member and local day (one instance sends, every other instance,
 * retry or restart finds the row and does nothing), and the members due now.
 */
import type { Kysely } from 'kysely';
import type { Platform } from '../core/types.ts';
import { claimTable } from '../db/claims.ts';
import type { Database } from '../db/schema.ts';

/** One reminder per member and local day: inserting the row is the claim. */
export const reminderClaims = claimTable('member_reminders', [
  'platform',
  'workspace_id',
  'user_id',
  'local_date',
]);

export interface DueMember {
  platform: Platform;
  workspace_id: string;
  user_id: string;
  remind_at: string | null;
  timezone: string | null;
}

/**
 * Members with reminders on whose reminder is due by `now` (an index on the due time keeps this to them), on
 * the platforms this process serves, in key order after `after`.
 */
export async function membersDueForReminder(
  db: Kysely<Database>,
  now: Date,
  platforms: readonly Platform[],
  after: DueMember | undefined,
  limit: number,
): Promise<DueMember[]> {
  if (platforms.length === 0) return [];
  let query = db
    .selectFrom('members')
    .select(['platform', 'workspace_id', 'user_id', 'remind_at', 'timezone'])
    .where('reminder_due_at', '<=', now)
    .where('remind_enabled', '=', true)
    .where('platform', 'in', platforms);
  if (after) {
    query = query.where((eb) =>
      eb(
        eb.refTuple('platform', 'workspace_id', 'user_id'),
        '>',
        eb.tuple(after.platform, after.workspace_id, after.user_id),
      ),
    );
  }
  return query.orderBy('platform').orderBy('workspace_id').orderBy('user_id').limit(limit).execute();
}
