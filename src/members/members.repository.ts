/** Workspaces and their members: upserted on every interaction, so names stay current. */
import type { Kysely, Updateable } from 'kysely';
import type { UserRef, WorkspaceRef } from '../core/types.ts';
import type { Database } from '../db/schema.ts';

export async function ensureWorkspace(
  db: Kysely<Database>,
  ws: WorkspaceRef,
  timezone: string,
): Promise<void> {
  await db
    .insertInto('workspaces')
    .values({ platform: ws.platform, workspace_id: ws.workspaceId, timezone })
    .onConflict((oc) => oc.columns(['platform', 'workspace_id']).doNothing())
    .execute();
}

export async function upsertMember(db: Kysely<Database>, user: UserRef, now: Date): Promise<void> {
  await db
    .insertInto('members')
    .values({
      platform: user.platform,
      workspace_id: user.workspaceId,
      user_id: user.userId,
      display_name: user.displayName,
      updated_at: now,
    })
    .onConflict((oc) =>
      oc
        .columns(['platform', 'workspace_id', 'user_id'])
        .doUpdateSet({ display_name: user.displayName, updated_at: now })
        .where('members.display_name', '<>', user.displayName),
    )
    .execute();
}

export async function findMember(
  db: Kysely<Database>,
  user: Pick<UserRef, 'platform' | 'workspaceId' | 'userId'>,
) {
  return db
    .selectFrom('members')
    .selectAll()
    .where('platform', '=', user.platform)
    .where('workspace_id', '=', user.workspaceId)
    .where('user_id', '=', user.userId)
    .executeTakeFirst();
}

/** Sets columns of one member's row. */
export async function updateMember(
  db: Kysely<Database>,
  user: WorkspaceRef & { userId: string },
  values: Updateable<Database['members']>,
): Promise<void> {
  await db
    .updateTable('members')
    .set(values)
    .where('platform', '=', user.platform)
    .where('workspace_id', '=', user.workspaceId)
    .where('user_id', '=', user.userId)
    .execute();
}

/**
 * Hides or shows a member on public boards. Their board totals carry the flag too (boards subtract hidden
 * members ahead of a rank from their own index), changed in the same transaction; the member's row is
 * updated first, so an answer being recorded (which reads the flag with a share lock) waits or sees it.
 */
export async function setHidden(
  db: Kysely<Database>,
  user: UserRef,
  hidden: boolean,
  now: Date,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await updateMember(trx, user, { hidden, updated_at: now });
    await trx
      .updateTable('member_points')
      .set({ hidden })
      .where('user_id', '=', user.userId)
      .where('hidden', '!=', hidden)
      .where('drill_id', 'in', (eb) =>
        eb
          .selectFrom('drills')
          .select('id')
          .where('platform', '=', user.platform)
          .where('workspace_id', '=', user.workspaceId),
      )
      .execute();
  });
}

export async function isGrantedManager(db: Kysely<Database>, user: UserRef): Promise<boolean> {
  const row = await db
    .selectFrom('managers')
    .select('user_id')
    .where('platform', '=', user.platform)
    .where('workspace_id', '=', user.workspaceId)
    .where('user_id', '=', user.userId)
    .executeTakeFirst();
  return row !== undefined;
}

/** The workspace's own time zone, the default for its drills and cohorts. */
export async function workspaceTimezone(db: Kysely<Database>, ws: WorkspaceRef): Promise<string | undefined> {
  const row = await db
    .selectFrom('workspaces')
    .select('timezone')
    .where('platform', '=', ws.platform)
    .where('workspace_id', '=', ws.workspaceId)
    .executeTakeFirst();
  return row?.timezone;
}

/** Which of these workspaces the bot knows (it has recorded a member there): the dashboard offers only those. */
export async function knownWorkspaceIds(
  db: Kysely<Database>,
  platform: WorkspaceRef['platform'],
  ids: readonly string[],
): Promise<Set<string>> {
  if (!ids.length) return new Set();
  const rows = await db
    .selectFrom('workspaces')
    .select('workspace_id')
    .where('platform', '=', platform)
    .where('workspace_id', 'in', ids)
    .execute();
  return new Set(rows.map((r) => r.workspace_id));
}
