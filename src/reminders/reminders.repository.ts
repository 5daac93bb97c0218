/**
 * Streak reminders' rows: the claim per member and local day (one instance sends, every other instance,
 * retry or restart finds the row and does nothing), the members due now, and the drills they take part in.
 */
import type { Kysely } from 'kysely';
import type { Platform, WorkspaceRef } from '../core/types.ts';
import { claimTable } from '../db/claims.ts';
import type { Database } from '../db/schema.ts';

type MemberKey = WorkspaceRef & { userId: string };

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

/**
 * The active drills a member takes part in: channels whose active cohort has them on the roster, and
 * channels whose drill they have answered before.
 */
export async function drillsOfMember(db: Kysely<Database>, user: MemberKey) {
  return db
    .selectFrom('drills as d')
    .selectAll('d')
    .where('d.platform', '=', user.platform)
    .where('d.workspace_id', '=', user.workspaceId)
    .where('d.status', '=', 'active')
    .where((eb) =>
      eb.or([
        eb.exists(
          eb
            .selectFrom('cohort_members as cm')
            .select('cm.user_id')
            .whereRef('cm.cohort_id', '=', 'd.cohort_id')
            .where('cm.user_id', '=', user.userId)
            .where('cm.left_at', 'is', null),
        ),
        eb.exists(
          eb
            .selectFrom('answers as a')
            .select('a.id')
            .whereRef('a.drill_id', '=', 'd.id')
            .where('a.user_id', '=', user.userId),
        ),
      ]),
    )
    .orderBy('d.id')
    .execute();
}
