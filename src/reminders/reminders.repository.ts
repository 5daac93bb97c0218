/**
 * Claim rows for periodic messages: inserting the row is the claim (`ON CONFLICT DO NOTHING RETURNING`),
 * so one instance sends and every other instance, retry or restart sees the row and does nothing.
 */
import type { Kysely } from 'kysely';
import type { WorkspaceRef } from '../core/types.ts';
import type { ClaimStatus, Database } from '../db/schema.ts';

type MemberKey = WorkspaceRef & { userId: string };

export async function claimReminder(
  db: Kysely<Database>,
  user: MemberKey,
  localDate: string,
  now: Date,
): Promise<boolean> {
  const row = await db
    .insertInto('member_reminders')
    .values({
      platform: user.platform,
      workspace_id: user.workspaceId,
      user_id: user.userId,
      local_date: localDate,
      claimed_at: now,
    })
    .onConflict((oc) => oc.columns(['platform', 'workspace_id', 'user_id', 'local_date']).doNothing())
    .returning('user_id')
    .executeTakeFirst();
  return row !== undefined;
}

export async function finishReminder(
  db: Kysely<Database>,
  user: MemberKey,
  localDate: string,
  r: { status: ClaimStatus; error: string | null; at: Date },
): Promise<void> {
  await db
    .updateTable('member_reminders')
    .set({ status: r.status, last_error: r.error, finished_at: r.at })
    .where('platform', '=', user.platform)
    .where('workspace_id', '=', user.workspaceId)
    .where('user_id', '=', user.userId)
    .where('local_date', '=', localDate)
    .execute();
}

/** Members who asked for streak reminders (a partial index keeps this cheap). */
export async function membersWithReminders(db: Kysely<Database>) {
  return db
    .selectFrom('members')
    .select(['platform', 'workspace_id', 'user_id', 'display_name', 'remind_at', 'timezone'])
    .where('remind_enabled', '=', true)
    .orderBy('platform')
    .orderBy('workspace_id')
    .orderBy('user_id')
    .execute();
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
