/** Teams inside a channel (or its cohort): friendly competition ranked by points per member, so size never wins. */

import { compareStandings, competitionRanks } from '../answers/ranking.ts';
import { boardDrill } from '../answers/stats.ts';
import { type PeriodKind, periodStart } from '../core/calendar.ts';
import { UserFacingError } from '../core/errors.ts';
import { echo, managerCommand } from '../core/render/text.ts';
import type { ChannelRef, UserRef } from '../core/types.ts';
import type { StudyDeps } from '../db/deps.ts';
import { ensureMembers } from '../members/managers.repository.ts';
import { addMembers } from '../plans/cohort-roster.ts';
import { activeCohortOf, cohortContext } from '../plans/cohorts.ts';
import {
  findTeamByName,
  insertTeam,
  listTeams,
  putInTeam,
  removeFromTeams,
  type TeamWithMembers,
  teamBoard,
  teamOfMember,
} from './teams.repository.ts';

type Person = { userId: string; displayName?: string | undefined };

async function requireTeam(deps: StudyDeps, channel: ChannelRef, name: string) {
  const team = await findTeamByName(deps.db, channel, name);
  if (!team) {
    const names = (await listTeams(deps.db, channel)).map((t) => t.name);
    throw new UserFacingError(
      'NOT_FOUND',
      names.length
        ? `There is no team ${echo(name)} in this channel; teams here: ${names.join(', ')}.`
        : `There is no team ${echo(name)}: this channel has no teams yet.`,
      '/roadmap team list',
    );
  }
  return team;
}

/** Team members in a cohort channel are on the cohort's roster too, so reports and boards agree. */
async function enrolInCohort(deps: StudyDeps, channel: ChannelRef, people: readonly Person[]) {
  const cohort = await activeCohortOf(deps, channel);
  if (cohort) await addMembers(deps, await cohortContext(deps, cohort), people);
}

export async function createTeam(
  deps: StudyDeps,
  channel: ChannelRef,
  createdBy: string,
  name: string,
  people: readonly Person[] = [],
) {
  const cohort = await activeCohortOf(deps, channel);
  const team = (await findTeamByName(deps.db, channel, name))
    ? undefined
    : await insertTeam(deps.db, channel, name, cohort?.id ?? null, createdBy);
  if (!team) {
    throw new UserFacingError(
      'BAD_ARGUMENT',
      `This channel already has a team ${echo(name)}.`,
      '/roadmap team list',
    );
  }
  const moved = people.length ? await addToTeam(deps, channel, name, people) : { moved: [], added: [] };
  return { team, ...moved };
}

/** Puts members in a team; members in another team of this channel move (one team per member per channel). */
export async function addToTeam(
  deps: StudyDeps,
  channel: ChannelRef,
  name: string,
  named: readonly Person[],
) {
  const team = await requireTeam(deps, channel, name);
  // The same member named twice is one member (one row under the unique key, not a failed insert).
  const people = [...new Map(named.map((p) => [p.userId, p])).values()];
  await ensureMembers(deps.db, channel, people, deps.clock.now());
  const moved: { userId: string; from: string }[] = [];
  const added: string[] = [];
  for (const p of people) {
    const current = await teamOfMember(deps.db, channel, p.userId);
    if (current?.id === team.id) continue;
    if (current) moved.push({ userId: p.userId, from: current.name });
    else added.push(p.userId);
  }
  await putInTeam(
    deps.db,
    team,
    people.map((p) => p.userId),
  );
  await enrolInCohort(deps, channel, people);
  return { team, moved, added };
}

export async function removeFromTeam(deps: StudyDeps, channel: ChannelRef, userIds: readonly string[]) {
  const removed = await removeFromTeams(deps.db, channel, userIds);
  return { removed, absent: userIds.filter((u) => !removed.includes(u)) };
}

/** Self-service: joining is refused when the member is already in another team (a manager can move them). */
export async function joinTeam(deps: StudyDeps, user: UserRef, channel: ChannelRef, name: string) {
  const team = await requireTeam(deps, channel, name);
  const current = await teamOfMember(deps.db, channel, user.userId);
  if (current?.id === team.id) return { team, already: true };
  if (current) {
    throw new UserFacingError(
      'BAD_ARGUMENT',
      `You are in the team "${current.name}"; a manager can move you with ${managerCommand('team add')}.`,
    );
  }
  await putInTeam(deps.db, team, [user.userId]);
  await enrolInCohort(deps, channel, [{ userId: user.userId, displayName: user.displayName }]);
  return { team, already: false };
}

export const teamsOf = (deps: StudyDeps, channel: ChannelRef): Promise<TeamWithMembers[]> =>
  listTeams(deps.db, channel);

export interface TeamStanding {
  rank: number;
  teamId?: number;
  name: string;
  members: number;
  points: number;
  /** Points per member, the ranking key (0 for a team without members). */
  perMember: number;
}

/**
 * Ranks by points per member, then (the boards' tie-break, per member so size never wins) correct answers
 * per member, then the team that reached its total first; teams equal on all three share a rank ("1224"),
 * listed by name.
 */
export function rankTeams(
  rows: readonly {
    teamId?: number;
    name: string;
    members: number;
    points: number;
    correct?: number;
    reachedAt?: Date | null;
  }[],
): TeamStanding[] {
  const standing = (r: (typeof rows)[number]) => ({
    points: r.members ? r.points / r.members : 0,
    correct: r.members ? (r.correct ?? 0) / r.members : 0,
    reachedAt: r.reachedAt ?? null,
  });
  const sorted = [...rows].sort(
    (a, b) => compareStandings(standing(a), standing(b)) || a.name.localeCompare(b.name),
  );
  const ranks = competitionRanks(sorted, (a, b) => compareStandings(standing(a), standing(b)));
  return sorted.map((r, i) => ({
    rank: ranks[i]!,
    ...(r.teamId !== undefined ? { teamId: r.teamId } : {}),
    name: r.name,
    members: r.members,
    points: r.points,
    perMember: standing(r).points,
  }));
}

/**
 * The channel's team board for a period; periods start in the drill's zone, like the member board.
 * With `userId`, the caller's team here comes back too (`myTeamId`), so the board can mark it.
 */
export async function teamLeaderboard(
  deps: StudyDeps,
  channel: ChannelRef,
  period: PeriodKind,
  userId?: string,
) {
  const drill = await boardDrill(deps, channel);
  const start = periodStart(period, deps.clock.now(), drill.schedule.timezone);
  const rows = await teamBoard(deps.db, channel, drill.id, period, start);
  if (!rows.length) {
    throw new UserFacingError(
      'NOT_FOUND',
      'This channel has no teams yet.',
      `${managerCommand('team create')} <name> (managers), then /roadmap team join <name>`,
    );
  }
  const mine = userId === undefined ? undefined : await teamOfMember(deps.db, channel, userId);
  return { period, periodStart: start, standings: rankTeams(rows), myTeamId: mine?.id };
}
