/** Teams inside a channel: a member belongs to at most one team per channel. */
import type { Kysely } from 'kysely';
import type { ChannelRef } from '../core/types.ts';
import type { Database, PeriodKind, TeamRow } from '../db/schema.ts';

/** Creates a team unless the channel already has one by that name; undefined in that case. */
export async function insertTeam(
  db: Kysely<Database>,
  channel: ChannelRef,
  name: string,
  cohortId: number | null,
  createdBy: string,
): Promise<TeamRow | undefined> {
  return db
    .insertInto('teams')
    .values({
      platform: channel.platform,
      workspace_id: channel.workspaceId,
      channel_id: channel.channelId,
      cohort_id: cohortId,
      name,
      created_by: createdBy,
    })
    .onConflict((oc) => oc.columns(['platform', 'workspace_id', 'channel_id', 'name']).doNothing())
    .returningAll()
    .executeTakeFirst();
}

export async function findTeamByName(
  db: Kysely<Database>,
  channel: ChannelRef,
  name: string,
): Promise<TeamRow | undefined> {
  return db
    .selectFrom('teams')
    .selectAll()
    .where('platform', '=', channel.platform)
    .where('workspace_id', '=', channel.workspaceId)
    .where('channel_id', '=', channel.channelId)
    .where((eb) => eb(eb.fn('lower', ['name']), '=', name.toLowerCase()))
    .executeTakeFirst();
}

export interface TeamWithMembers {
  id: number;
  name: string;
  members: { userId: string; displayName: string }[];
}

/** The channel's teams with their members, by team name. */
export async function listTeams(db: Kysely<Database>, channel: ChannelRef): Promise<TeamWithMembers[]> {
  const teams = await db
    .selectFrom('teams')
    .select(['id', 'name'])
    .where('platform', '=', channel.platform)
    .where('workspace_id', '=', channel.workspaceId)
    .where('channel_id', '=', channel.channelId)
    .orderBy('name')
    .execute();
  const members = await db
    .selectFrom('team_members as tm')
    .innerJoin('members as m', (j) =>
      j
        .onRef('m.platform', '=', 'tm.platform')
        .onRef('m.workspace_id', '=', 'tm.workspace_id')
        .onRef('m.user_id', '=', 'tm.user_id'),
    )
    .select(['tm.team_id', 'tm.user_id', 'm.display_name'])
    .where('tm.platform', '=', channel.platform)
    .where('tm.workspace_id', '=', channel.workspaceId)
    .where('tm.channel_id', '=', channel.channelId)
    .orderBy('m.display_name')
    .orderBy('tm.user_id')
    .execute();
  return teams.map((t) => ({
    id: t.id,
    name: t.name,
    members: members
      .filter((m) => m.team_id === t.id)
      .map((m) => ({ userId: m.user_id, displayName: m.display_name })),
  }));
}

/** The team a member is in on this channel, if any. */
export async function teamOfMember(db: Kysely<Database>, channel: ChannelRef, userId: string) {
  return db
    .selectFrom('team_members as tm')
    .innerJoin('teams as t', 't.id', 'tm.team_id')
    .select(['t.id', 't.name'])
    .where('tm.platform', '=', channel.platform)
    .where('tm.workspace_id', '=', channel.workspaceId)
    .where('tm.channel_id', '=', channel.channelId)
    .where('tm.user_id', '=', userId)
    .executeTakeFirst();
}

/** Puts members in a team, moving them out of another team on this channel. */
export async function putInTeam(
  db: Kysely<Database>,
  team: Pick<TeamRow, 'id' | 'platform' | 'workspace_id' | 'channel_id'>,
  userIds: readonly string[],
): Promise<void> {
  if (!userIds.length) return;
  // One row per member: ON CONFLICT DO UPDATE refuses to touch the same row twice in one statement.
  await db
    .insertInto('team_members')
    .values(
      [...new Set(userIds)].map((u) => ({
        team_id: team.id,
        platform: team.platform,
        workspace_id: team.workspace_id,
        channel_id: team.channel_id,
        user_id: u,
      })),
    )
    .onConflict((oc) =>
      oc.columns(['platform', 'workspace_id', 'channel_id', 'user_id']).doUpdateSet({ team_id: team.id }),
    )
    .execute();
}

/** Takes members out of their team on this channel; returns the ids that were in one. */
export async function removeFromTeams(
  db: Kysely<Database>,
  channel: ChannelRef,
  userIds: readonly string[],
): Promise<string[]> {
  if (!userIds.length) return [];
  const rows = await db
    .deleteFrom('team_members')
    .where('platform', '=', channel.platform)
    .where('workspace_id', '=', channel.workspaceId)
    .where('channel_id', '=', channel.channelId)
    .where('user_id', 'in', userIds)
    .returning('user_id')
    .execute();
  return rows.map((r) => r.user_id);
}

export interface TeamBoardRow {
  teamId: number;
  name: string;
  members: number;
  points: number;
  correct: number;
  /** When the team reached its total: its members' latest; null when nobody has points. */
  reachedAt: Date | null;
}

/**
 * Team totals for one period of a drill's board: every member's points count, hidden or not.
 * Reads the per-period aggregates, never the answers.
 */
export async function teamBoard(
  db: Kysely<Database>,
  channel: ChannelRef,
  drillId: number,
  period: PeriodKind,
  start: string,
): Promise<TeamBoardRow[]> {
  const rows = await db
    .selectFrom('teams as t')
    .leftJoin('team_members as tm', 'tm.team_id', 't.id')
    .leftJoin('member_points as p', (j) =>
      j
        .onRef('p.user_id', '=', 'tm.user_id')
        .on('p.drill_id', '=', drillId)
        .on('p.period', '=', period)
        .on('p.period_start', '=', start),
    )
    .select((eb) => [
      't.id',
      't.name',
      eb.fn.count<number>('tm.user_id').as('members'),
      eb.fn.coalesce(eb.fn.sum<number>('p.points'), eb.lit(0)).as('points'),
      eb.fn.coalesce(eb.fn.sum<number>('p.correct'), eb.lit(0)).as('correct'),
      eb.fn.max('p.reached_at').as('reached_at'),
    ])
    .where('t.platform', '=', channel.platform)
    .where('t.workspace_id', '=', channel.workspaceId)
    .where('t.channel_id', '=', channel.channelId)
    .groupBy(['t.id', 't.name'])
    .execute();
  return rows.map((r) => ({
    teamId: r.id,
    name: r.name,
    members: Number(r.members),
    points: Number(r.points),
    correct: Number(r.correct),
    reachedAt: r.reached_at === null ? null : new Date(r.reached_at),
  }));
}
