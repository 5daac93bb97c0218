/** Granted managers (platform admins are managers by role and are not stored) and members named by mention. */
import type { Kysely } from 'kysely';
import type { WorkspaceRef } from '../core/types.ts';
import type { Database } from '../db/schema.ts';
import { updateMember } from './members.repository.ts';

/**
 * Makes sure mentioned members exist so rosters can show their names. A name from the mention replaces
 * a placeholder (the bare id) but never a name the member's own interactions recorded.
 */
export async function ensureMembers(
  db: Kysely<Database>,
  ws: WorkspaceRef,
  people: readonly { userId: string; displayName?: string | undefined }[],
  now: Date,
): Promise<void> {
  for (const p of people) {
    await db
      .insertInto('members')
      .values({
        platform: ws.platform,
        workspace_id: ws.workspaceId,
        user_id: p.userId,
        display_name: p.displayName ?? p.userId,
        updated_at: now,
      })
      .onConflict((oc) =>
        oc
          .columns(['platform', 'workspace_id', 'user_id'])
          .doUpdateSet({ display_name: p.displayName ?? p.userId })
          .where('members.display_name', '=', p.userId),
      )
      .execute();
  }
}

export async function memberNames(
  db: Kysely<Database>,
  ws: WorkspaceRef,
  userIds: readonly string[],
): Promise<Map<string, string>> {
  if (!userIds.length) return new Map();
  const rows = await db
    .selectFrom('members')
    .select(['user_id', 'display_name'])
    .where('platform', '=', ws.platform)
    .where('workspace_id', '=', ws.workspaceId)
    .where('user_id', 'in', userIds)
    .execute();
  return new Map(rows.map((r) => [r.user_id, r.display_name]));
}

/** Grants; returns the ids newly granted. */
export async function grantManagers(
  db: Kysely<Database>,
  ws: WorkspaceRef,
  userIds: readonly string[],
  grantedBy: string,
  at: Date,
): Promise<string[]> {
  if (!userIds.length) return [];
  const rows = await db
    .insertInto('managers')
    .values(
      userIds.map((u) => ({
        platform: ws.platform,
        workspace_id: ws.workspaceId,
        user_id: u,
        granted_by: grantedBy,
        created_at: at,
      })),
    )
    .onConflict((oc) => oc.columns(['platform', 'workspace_id', 'user_id']).doNothing())
    .returning('user_id')
    .execute();
  return rows.map((r) => r.user_id);
}

/** Revokes; returns the ids that had been granted. */
export async function revokeManagers(
  db: Kysely<Database>,
  ws: WorkspaceRef,
  userIds: readonly string[],
): Promise<string[]> {
  if (!userIds.length) return [];
  const rows = await db
    .deleteFrom('managers')
    .where('platform', '=', ws.platform)
    .where('workspace_id', '=', ws.workspaceId)
    .where('user_id', 'in', userIds)
    .returning('user_id')
    .execute();
  return rows.map((r) => r.user_id);
}

export async function listGrantedManagers(db: Kysely<Database>, ws: WorkspaceRef) {
  const rows = await db
    .selectFrom('managers as g')
    .leftJoin('members as m', (j) =>
      j
        .onRef('m.platform', '=', 'g.platform')
        .onRef('m.workspace_id', '=', 'g.workspace_id')
        .onRef('m.user_id', '=', 'g.user_id'),
    )
    .select(['g.user_id', 'm.display_name', 'g.granted_by', 'g.created_at'])
    .where('g.platform', '=', ws.platform)
    .where('g.workspace_id', '=', ws.workspaceId)
    .orderBy('m.display_name')
    .orderBy('g.user_id')
    .execute();
  return rows.map((r) => ({
    userId: r.user_id,
    displayName: r.display_name ?? r.user_id,
    grantedBy: r.granted_by,
    grantedAt: r.created_at,
  }));
}

export async function setReminder(
  db: Kysely<Database>,
  user: WorkspaceRef & { userId: string },
  enabled: boolean,
  at: string | null,
  now: Date,
): Promise<void> {
  await updateMember(db, user, {
    remind_enabled: enabled,
    ...(at ? { remind_at: at } : {}),
    updated_at: now,
  });
}

/** When the reminder job next looks at this member; null while their reminders are off. */
export async function setReminderDue(
  db: Kysely<Database>,
  user: WorkspaceRef & { userId: string },
  at: Date | null,
): Promise<void> {
  await updateMember(db, user, { reminder_due_at: at });
}

/**
 * Has the reminder job look again on its next run at the workspace's members with reminders on (or only
 * at `userIds`): their drills, or a drill's time or zone, changed, so their reminder time may have too.
 */
export async function recheckReminders(
  db: Kysely<Database>,
  ws: WorkspaceRef,
  now: Date,
  userIds?: readonly string[],
): Promise<void> {
  if (userIds?.length === 0) return;
  let query = db
    .updateTable('members')
    .set({ reminder_due_at: now })
    .where('platform', '=', ws.platform)
    .where('workspace_id', '=', ws.workspaceId)
    .where('reminder_due_at', '>', now);
  if (userIds) query = query.where('user_id', 'in', userIds);
  await query.execute();
}
