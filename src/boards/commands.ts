/** `leaderboard [period] [members|teams]`: the channel's member board, or its teams by points per member. */

import { TIE_BREAK } from '../answers/ranking.ts';
import { leaderboard } from '../answers/stats.ts';
import { teamBoardLines } from '../cohorts/messages.ts';
import { teamLeaderboard } from '../cohorts/teams.ts';
import type { PeriodKind } from '../core/calendar.ts';
import { commandBuilder } from '../core/commands/define.ts';
import type { ChannelRef, OutboundMessage, UserRef } from '../core/types.ts';
import type { Services, StudyDeps } from '../db/deps.ts';
import { findMember } from '../members/members.repository.ts';
import { BOARD_LEGEND, boardLine, rankMark } from './messages.ts';

/** A team line ("1. Blue · …") with its medal in place of a top-three rank. */
const medalled = (line: string) =>
  line.replace(/^(\d+)\. /, (_, rank: string) => `${rankMark(Number(rank))} `);

const { subcommand } = commandBuilder<Services>();

const boardOptions = [
  {
    name: 'period',
    type: 'choice',
    choices: ['week', 'month', 'all'],
    description: 'Which period (default: week)',
  },
  {
    name: 'scope',
    type: 'choice',
    choices: ['members', 'teams'],
    description: 'Rank members or teams (default: members)',
  },
] as const;

export const leaderboardCommand = subcommand({
  name: 'leaderboard',
  description: "This channel's top 10 and your rank; weeks start Monday in the drill's time zone.",
  options: boardOptions,
  access: 'all',
  visibility: 'public',
  examples: ['leaderboard', 'leaderboard month', 'leaderboard week teams'],
  async handler({ invocation, services }, args) {
    const period = args.period ?? 'week';
    if (args.scope === 'teams')
      return teamLeaderboardMessage(services.deps, invocation.channel, invocation.user, period);
    const board = await leaderboard(
      services.deps,
      invocation.channel,
      invocation.user,
      period,
      (await findMember(services.deps.db, invocation.user))?.hidden ?? false,
    );
    const label = period === 'all' ? 'all time' : `this ${period} (since ${board.periodStart})`;
    const totals = (r: { points: number; correct: number; answers: number }) =>
      `${r.points} pts · ${r.correct}/${r.answers} correct`;
    const lines = board.top.map((r) => boardLine(r, invocation.user.userId));
    if (board.me) lines.push('…', boardLine(board.me, invocation.user.userId));
    const body = lines.length
      ? lines.join('\n')
      : `Nobody has answered ${label} yet. Be the first: /roadmap today.`;
    const sections = [{ body }];
    // A hidden member hears their rank privately: the whole reply is then only for them.
    if (board.hiddenMe !== undefined) {
      sections.push({
        body: board.hiddenMe
          ? `You are hidden from the public board; your rank would be ${board.hiddenMe.rank} (${totals(board.hiddenMe)}).`
          : `You are hidden from the public board and have no points ${label} yet.`,
      });
    }
    const visibility = board.hiddenMe !== undefined ? 'ephemeral' : 'public';
    return {
      text: `Leaderboard, ${label}:\n${sections.map((s) => s.body).join('\n\n')}`,
      card: {
        accent: 'board',
        title: `Leaderboard · ${label}`,
        sections,
        footer: `${BOARD_LEGEND} · ${TIE_BREAK} · 10 points for a correct first answer, 2 for showing up`,
      },
      visibility,
    };
  },
});

/** `/roadmap leaderboard [period] teams`: teams by points per member, with their size shown. */
async function teamLeaderboardMessage(
  deps: StudyDeps,
  channel: ChannelRef,
  user: UserRef,
  period: PeriodKind,
): Promise<OutboundMessage> {
  const board = await teamLeaderboard(deps, channel, period, user.userId);
  const label = period === 'all' ? 'all time' : `this ${period} (since ${board.periodStart})`;
  const lines = teamBoardLines(board.standings);
  const body = board.standings
    .map((t, i) => medalled(t.teamId === board.myTeamId ? `${lines[i]} ← your team` : lines[i]!))
    .join('\n');
  return {
    text: `Team leaderboard, ${label}:\n${body}`,
    card: {
      accent: 'board',
      title: `Team leaderboard · ${label}`,
      sections: [{ body }],
      footer: `Ranked by points per member, so a big team does not win by size; every member’s points count · ${TIE_BREAK}, per member`,
    },
    visibility: 'public',
  };
}
