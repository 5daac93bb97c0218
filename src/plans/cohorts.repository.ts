/** Cohorts and their rosters: a named programme on a channel's drill, with who is in it since when. */
import type { Kysely } from 'kysely';
import type { ChannelRef, WorkspaceRef } from '../core/types.ts';
import type { CohortRow, Database } from '../db/schema.ts';
import { inTransaction } from '../db/transaction.ts';

function cohortsOfChannel(db: Kysely<Database>, channel: ChannelRef) {
  return db
    .selectFrom('cohorts')
    .selectAll()
    .where('platform', '=', channel.platform)
    .where('workspace_id', '=', channel.workspaceId)
    .where('channel_id', '=', channel.channelId);
}

export async function findActiveCohortByChannel(
  db: Kysely<Database>,
  channel: ChannelRef,
): Promise<CohortRow | undefined> {
  return cohortsOfChannel(db, channel).where('status', '=', 'active').executeTakeFirst();
}

/** The channel's most recent cohort, active or ended: what reports default to. */
export async function findLatestCohortByChannel(
  db: Kysely<Database>,
  channel: ChannelRef,
): Promise<CohortRow | undefined> {
  return cohortsOfChannel(db, channel)
    .orderBy('status', 'asc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export async function findCohortByName(
  db: Kysely<Database>,
  ws: WorkspaceRef,
  name: string,
): Promise<CohortRow | undefined> {
  return db
    .selectFrom('cohorts')
    .selectAll()
    .where('platform', '=', ws.platform)
    .where('workspace_id', '=', ws.workspaceId)
    .where((eb) => eb(eb.fn('lower', ['name']), '=', name.toLowerCase()))
    .executeTakeFirst();
}

export async function findCohortById(db: Kysely<Database>, id: number): Promise<CohortRow | undefined> {
  return db.selectFrom('cohorts').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Every cohort of a workspace with its roster size, active ones first, newest first. */
export async function listCohorts(db: Kysely<Database>, ws: WorkspaceRef) {
  return db
    .selectFrom('cohorts as c')
    .selectAll('c')
    .select((eb) =>
      eb
        .selectFrom('cohort_members as m')
        .select((e) => e.fn.countAll<number>().as('n'))
        .whereRef('m.cohort_id', '=', 'c.id')
        .where('m.left_at', 'is', null)
        .as('members'),
    )
    .where('c.platform', '=', ws.platform)
    .where('c.workspace_id', '=', ws.workspaceId)
    .orderBy('c.status', 'asc')
    .orderBy('c.id', 'desc')
    .execute();
}

export interface NewCohort {
  channel: ChannelRef;
  name: string;
  trackId: string;
  startsOn: string;
  endsOn: string;
  createdBy: string;
  pace: { days: number; timeOfDay: string; timezone: string };
}

/** Inserts a cohort and attaches the channel's drill to it, in one transaction. */
export async function insertCohortForDrill(
  db: Kysely<Database>,
  c: NewCohort,
  drillId: number,
  drillChanges: {
    track_id?: string;
    time_of_day?: string;
    days?: number;
    timezone?: string;
    status?: 'active';
    pause_reason?: null;
    paused_at?: null;
    next_slot_at?: Date | null;
    /** When the change is made: the drill's `updated_at` too. */
    schedule_changed_at: Date;
  },
): Promise<CohortRow> {
  return inTransaction(db, async (trx) => {
    const row = await trx
      .insertInto('cohorts')
      .values({
        platform: c.channel.platform,
        workspace_id: c.channel.workspaceId,
        channel_id: c.channel.channelId,
        name: c.name,
        track_id: c.trackId,
        starts_on: c.startsOn,
        ends_on: c.endsOn,
        created_by: c.createdBy,
        days: c.pace.days,
        time_of_day: c.pace.timeOfDay,
        timezone: c.pace.timezone,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await trx
      .updateTable('drills')
      .set({ ...drillChanges, cohort_id: row.id, updated_at: drillChanges.schedule_changed_at })
      .where('id', '=', drillId)
      .execute();
    return row;
  });
}

/**
 * Marks the cohort ended and detaches (and pauses) its drill, so the channel does not run on unnoticed.
 * The cohort keeps the pace its drill ran at last, so it still reads as it ran once the channel moves on.
 */
export async function endCohort(db: Kysely<Database>, cohortId: number, at: Date, reason: string) {
  await inTransaction(db, async (trx) => {
    const drill = await trx
      .selectFrom('drills')
      .select(['days', 'time_of_day', 'timezone'])
      .where('cohort_id', '=', cohortId)
      .executeTakeFirst();
    await trx
      .updateTable('cohorts')
      .set({
        status: 'ended',
        ended_at: at,
        ...(drill ? { days: drill.days, time_of_day: drill.time_of_day, timezone: drill.timezone } : {}),
      })
      .where('id', '=', cohortId)
      .execute();
    await trx
      .updateTable('drills')
      .set({ cohort_id: null, status: 'paused', pause_reason: reason, paused_at: at, updated_at: at })
      .where('cohort_id', '=', cohortId)
      .execute();
  });
}

export interface RosterRow {
  userId: string;
  displayName: string;
  joinedOn: string;
}

/** Current members of a cohort (not left), by name. */
export async function cohortRoster(db: Kysely<Database>, cohortId: number): Promise<RosterRow[]> {
  const rows = await db
    .selectFrom('cohort_members as cm')
    .innerJoin('members as m', (j) =>
      j
        .onRef('m.platform', '=', 'cm.platform')
        .onRef('m.workspace_id', '=', 'cm.workspace_id')
        .onRef('m.user_id', '=', 'cm.user_id'),
    )
    .select(['cm.user_id', 'm.display_name', 'cm.joined_on'])
    .where('cm.cohort_id', '=', cohortId)
    .where('cm.left_at', 'is', null)
    .orderBy('m.display_name')
    .orderBy('cm.user_id')
    .execute();
  return rows.map((r) => ({ userId: r.user_id, displayName: r.display_name, joinedOn: r.joined_on }));
}

/**
 * Enrols members; returns the ids newly enrolled. A member who left and comes back keeps their first
 * join date, so days they were enrolled for before still count for them.
 */
export async function addCohortMembers(
  db: Kysely<Database>,
  cohort: Pick<CohortRow, 'id' | 'platform' | 'workspace_id'>,
  userIds: readonly string[],
  joinedOn: string,
): Promise<string[]> {
  if (!userIds.length) return [];
  const rows = await db
    .insertInto('cohort_members')
    .values(
      userIds.map((u) => ({
        cohort_id: cohort.id,
        platform: cohort.platform,
        workspace_id: cohort.workspace_id,
        user_id: u,
        joined_on: joinedOn,
      })),
    )
    .onConflict((oc) =>
      oc
        .columns(['cohort_id', 'user_id'])
        .doUpdateSet({ left_at: null })
        .where('cohort_members.left_at', 'is not', null),
    )
    .returning('user_id')
    .execute();
  return rows.map((r) => r.user_id);
}

/** Takes members off the roster; returns the ids that were on it. */
export async function removeCohortMembers(
  db: Kysely<Database>,
  cohortId: number,
  userIds: readonly string[],
  at: Date,
): Promise<string[]> {
  if (!userIds.length) return [];
  const rows = await db
    .updateTable('cohort_members')
    .set({ left_at: at })
    .where('cohort_id', '=', cohortId)
    .where('user_id', 'in', userIds)
    .where('left_at', 'is', null)
    .returning('user_id')
    .execute();
  return rows.map((r) => r.user_id);
}

/** Has the digest job look again on its next run at the channel's cohorts: their drill's time or zone changed. */
export async function recheckDigests(db: Kysely<Database>, channel: ChannelRef, now: Date): Promise<void> {
  await db
    .updateTable('cohorts')
    .set({ digest_due_at: now })
    .where('platform', '=', channel.platform)
    .where('workspace_id', '=', channel.workspaceId)
    .where('channel_id', '=', channel.channelId)
    .where('digest_due_at', '>', now)
    .execute();
}
