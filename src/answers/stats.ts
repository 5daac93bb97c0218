/** What members read about themselves and each other: progress per module, points, boards. */
import type { Track } from '../content/track.ts';
import { addDays, type PeriodKind, periodStart } from '../core/calendar.ts';
import type { ChannelRef, UserRef } from '../core/types.ts';
import type { StudyDeps } from '../db/deps.ts';
import { trackFor } from '../db/track-versions.ts';
import { getDrill, requireDrill, SCHEDULE_HINT } from '../deliveries/deliveries.ts';
import { type MemorySummary, memorySummary } from '../memory/memory.ts';
import type { Drill } from '../plans/model.ts';
import { drillStudyDays, type PastAnswer, pastAnswers } from './answers.repository.ts';
import { readBoard } from './board-lines.repository.ts';
import { type BoardRow, pointsOnBoard } from './boards.repository.ts';
import { compareStandings, competitionRanks } from './ranking.ts';
import { currentStreaks, streakFor } from './streak-service.ts';
import type { StreakState } from './streaks.ts';

export interface ModuleProgress {
  moduleId: string;
  title: string;
  cards: number;
  /** Cards with at least one question answered correctly. */
  mastered: number;
  answers: number;
  correct: number;
}

function moduleProgress(track: Track, answers: readonly PastAnswer[]): ModuleProgress[] {
  const masteredCards = new Set(answers.filter((a) => a.correct).map((a) => a.cardId));
  return track.modules.map((m) => {
    const mine = answers.filter((a) => a.moduleId === m.id);
    return {
      moduleId: m.id,
      title: m.title,
      cards: m.cards.length,
      mastered: m.cards.filter((c) => masteredCards.has(c.id)).length,
      answers: mine.length,
      correct: mine.filter((a) => a.correct).length,
    };
  });
}

export interface MemberSummary {
  drill?: Drill;
  streak?: StreakState;
  weekPoints: number;
  answers: number;
  correct: number;
  progress: ModuleProgress[];
  /** The member's memory across the workspace: cards due, retention estimate, review streak. */
  memory: MemorySummary;
}

export async function memberSummary(
  deps: StudyDeps,
  channel: ChannelRef,
  user: UserRef,
): Promise<MemberSummary> {
  const drill = await getDrill(deps, channel);
  const timezone = drill?.schedule.timezone ?? deps.defaultTimezone;
  // The member's answers, streak, week points and memory are independent reads: sent at once.
  const [answers, track, streak, weekPoints, memory] = await Promise.all([
    pastAnswers(deps, channel, user.userId),
    trackFor(deps, drill?.trackId ?? deps.defaultTrackId),
    drill ? streakFor(deps, drill, user.userId) : undefined,
    drill
      ? pointsOnBoard(deps.db, drill.id, 'week', periodStart('week', deps.clock.now(), timezone), user.userId)
      : 0,
    memorySummary(
      deps.db,
      { platform: user.platform, workspaceId: user.workspaceId, userId: user.userId },
      deps.clock.now(),
      timezone,
    ),
  ]);
  return {
    ...(drill ? { drill } : {}),
    ...(streak ? { streak } : {}),
    weekPoints,
    answers: answers.length,
    correct: answers.filter((a) => a.correct).length,
    progress: moduleProgress(track, answers),
    memory,
  };
}

/** A member's progress in each module of `track` (the channel's drill's, or the default track). */
export async function memberProgress(
  deps: StudyDeps,
  channel: ChannelRef,
  userId: string,
  track: Track,
): Promise<ModuleProgress[]> {
  return moduleProgress(track, await pastAnswers(deps, channel, userId));
}

export interface Board {
  drill: Drill;
  period: PeriodKind;
  periodStart: string;
  /** The top rows in rank order, each with its rank (see ranking.ts), current streak and last week's rank. */
  top: BoardLine[];
  /** The caller's line when they are on the board but not in the top rows (and not hidden). */
  me?: BoardLine;
  /** For a hidden caller: the rank they would have on the public board, told only to them. */
  hiddenMe?: { rank: number; points: number; answers: number; correct: number } | null;
}

export interface BoardLine extends BoardRow {
  rank: number;
  /** Current streak in study days. */
  streak: number;
  /**
   * On a week board: the member's final rank on last week's board, null when they were not on it; undefined on
   * month and all-time boards.
   */
  lastWeekRank?: number | null;
}

const BOARD_SIZE = 10;

/** The drill a channel's boards count: without one there is no board. */
export function boardDrill(deps: StudyDeps, channel: ChannelRef): Promise<Drill> {
  return requireDrill(deps, channel, 'This channel has no drill yet, so there is no board.', SCHEDULE_HINT);
}

export async function leaderboard(
  deps: StudyDeps,
  channel: ChannelRef,
  user: UserRef,
  period: PeriodKind,
  hidden: boolean,
): Promise<Board> {
  const drill = await boardDrill(deps, channel);
  const start = periodStart(period, deps.clock.now(), drill.schedule.timezone);
  // The top, the caller's own rank and every shown row's streak answers and last week's rank in one statement;
  // the drill's study days (the other half of a streak) beside it.
  const [{ top, mine }, days] = await Promise.all([
    readBoard(deps.db, {
      drill,
      period,
      start,
      limit: BOARD_SIZE,
      userId: user.userId,
      ...(period === 'week' ? { lastWeekStart: addDays(start, -7) } : {}),
    }),
    drillStudyDays(deps.db, drill.id),
  ]);
  const ranks = competitionRanks(top, compareStandings);
  const reads = top.map((r, i) => ({ ...r, rank: ranks[i]! }));
  let hiddenMe: Board['hiddenMe'];
  if (hidden) hiddenMe = mine ? totals(mine) : null;
  else if (mine && !reads.some((r) => r.userId === user.userId))
    reads.push({ ...mine, displayName: user.displayName });
  const streaks = currentStreaks(days, new Map(reads.map((r) => [r.userId, r.answered])), deps.clock.now());
  const lines: BoardLine[] = reads.map(({ answered: _, lastWeekRank, ...r }) => ({
    ...r,
    streak: streaks.get(r.userId) ?? 0,
    ...(period === 'week' ? { lastWeekRank } : {}),
  }));
  const board: Board = { drill, period, periodStart: start, top: lines.slice(0, top.length) };
  if (lines.length > top.length) board.me = lines.at(-1)!;
  if (hiddenMe !== undefined) board.hiddenMe = hiddenMe;
  return board;
}

function totals(m: { points: number; answers: number; correct: number; rank: number }) {
  return { rank: m.rank, points: m.points, answers: m.answers, correct: m.correct };
}
