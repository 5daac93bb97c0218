/**
 * Boards: each member's totals per drill and period (`member_points`), and how many members stand on each
 * (points, correct) score of a board (`board_scores`). Both change with each drill answer, in its transaction,
 * so a rank is a sum over the scores above a member and a count of those tied with them who got there earlier,
 * never a count over the whole board.
 */
import { type Kysely, sql, type Transaction } from 'kysely';
import type { UserRef } from '../core/types.ts';
import type { Database, PeriodKind } from '../db/schema.ts';

interface Score {
  points: number;
  correct: number;
}

/** One board's score changing by `members`. */
interface ScoreDelta extends Score {
  period: PeriodKind;
  period_start: string;
  members: number;
}

const scoreKey = (d: ScoreDelta) => [d.period, d.period_start, d.points, d.correct] as const;

function compareScoreKeys(a: ScoreDelta, b: ScoreDelta): number {
  const [x, y] = [scoreKey(a), scoreKey(b)];
  for (let i = 0; i < x.length; i++) {
    if (x[i]! < y[i]!) return -1;
    if (x[i]! > y[i]!) return 1;
  }
  return 0;
}

/**
 * Moves a member from their old score to their new one on each board: one statement whose rows are in key
 * order, so answers committing at once lock the scores they share in the same order and never deadlock.
 */
async function moveScores(trx: Transaction<Database>, drillId: number, deltas: ScoreDelta[]) {
  const rows = deltas.filter((d) => d.members !== 0).sort(compareScoreKeys);
  if (rows.length === 0) return;
  await trx
    .insertInto('board_scores')
    .values(rows.map((r) => ({ drill_id: drillId, ...r })))
    .onConflict((oc) =>
      oc
        .columns(['drill_id', 'period', 'period_start', 'points', 'correct'])
        .doUpdateSet((eb) => ({ members: eb('board_scores.members', '+', eb.ref('excluded.members')) })),
    )
    .execute();
}

/**
 * Adds one answer to the member's week, month and all-time totals on this drill, records `at` as when they
 * reached them (the boards' last tie-break), and moves the member to their new score on each board. Two
 * statements for all the periods; called once per stored answer, in its transaction.
 */
export async function addToPoints(
  trx: Transaction<Database>,
  drillId: number,
  user: UserRef,
  periods: { period: PeriodKind; start: string }[],
  points: number,
  correct: boolean,
  at: Date,
): Promise<void> {
  if (periods.length === 0) return;
  const right = correct ? 1 : 0;
  // The member's visibility, read with a share lock: a privacy change waits for this answer or comes first.
  const hidden = sql<boolean>`coalesce((select hidden from members where platform = ${user.platform}
    and workspace_id = ${user.workspaceId} and user_id = ${user.userId} for share), false)`;
  const totals = await trx
    .insertInto('member_points')
    .values(
      periods.map(({ period, start }) => ({
        drill_id: drillId,
        user_id: user.userId,
        period,
        period_start: start,
        points,
        answers: 1,
        correct: right,
        reached_at: at,
        hidden,
      })),
    )
    .onConflict((oc) =>
      oc.columns(['drill_id', 'period', 'period_start', 'user_id']).doUpdateSet((eb) => ({
        points: eb('member_points.points', '+', eb.ref('excluded.points')),
        answers: eb('member_points.answers', '+', eb.ref('excluded.answers')),
        correct: eb('member_points.correct', '+', eb.ref('excluded.correct')),
        // Answers recorded out of order: the total is reached by the later one.
        reached_at: eb.fn('greatest', [eb.ref('member_points.reached_at'), eb.ref('excluded.reached_at')]),
        hidden: eb.ref('excluded.hidden'),
      })),
    )
    .returning(['period', 'period_start', 'points', 'answers', 'correct'])
    .execute();
  await moveScores(
    trx,
    drillId,
    totals.flatMap((t) => {
      const board = { period: t.period, period_start: t.period_start };
      const to = { ...board, points: t.points, correct: t.correct, members: 1 };
      // A first answer in the period puts the member on the board; a later one moves them up from where they were.
      if (t.answers === 1) return [to];
      return [to, { ...board, points: t.points - points, correct: t.correct - right, members: -1 }];
    }),
  );
}

export interface BoardRow {
  userId: string;
  displayName: string;
  points: number;
  answers: number;
  correct: number;
  reachedAt: Date;
}

/**
 * Top of a drill's board for one period, in rank order (points, then correct answers, then who reached the
 * total first; the name only orders exact ties); hidden members are left out.
 */
export async function topOfBoard(
  db: Kysely<Database>,
  drillId: number,
  period: PeriodKind,
  start: string,
  limit: number,
): Promise<BoardRow[]> {
  return (await topQuery(db, drillId, period, start, limit).execute()).map(boardRow);
}

/**
 * The size and the hidden filter are written into the text, not passed as parameters: a prepared statement's
 * generic plan does not know a parameter's value, and for an unknown LIMIT it plans to sort the whole board.
 */
export function topQuery(
  db: Kysely<Database>,
  drillId: number,
  period: PeriodKind,
  start: string,
  limit: number,
) {
  if (!Number.isSafeInteger(limit) || limit < 0)
    throw new RangeError(`board size must be a whole number: ${limit}`);
  return db
    .selectFrom('member_points as p')
    .innerJoin('drills as d', 'd.id', 'p.drill_id')
    .innerJoin('members as m', (j) =>
      j
        .onRef('m.platform', '=', 'd.platform')
        .onRef('m.workspace_id', '=', 'd.workspace_id')
        .onRef('m.user_id', '=', 'p.user_id'),
    )
    .where('p.drill_id', '=', drillId)
    .where('p.period', '=', period)
    .where('p.period_start', '=', start)
    .where('m.hidden', '=', sql.lit(false))
    .select(['p.user_id', 'm.display_name', 'p.points', 'p.answers', 'p.correct', 'p.reached_at'])
    .orderBy('p.points', 'desc')
    .orderBy('p.correct', 'desc')
    .orderBy('p.reached_at', 'asc')
    .orderBy('m.display_name', 'asc')
    .limit(sql.lit(limit));
}

function boardRow(r: {
  user_id: string;
  display_name: string;
  points: number;
  answers: number;
  correct: number;
  reached_at: Date;
}): BoardRow {
  return {
    userId: r.user_id,
    displayName: r.display_name,
    points: r.points,
    answers: r.answers,
    correct: r.correct,
    reachedAt: r.reached_at,
  };
}

/**
 * 1 + the visible members ranked above the member on row `p`: more points; or as many and more correct
 * answers; or both equal and reached earlier. Everyone on the better scores, plus those tied on both who got
 * there first (the board's index), less the hidden members among them (their own index); exact ties share a
 * rank.
 */
export const RANK = sql<string>`1
  + coalesce((select sum(s.members) from board_scores s
      where s.drill_id = p.drill_id and s.period = p.period and s.period_start = p.period_start
        and s.points >= p.points and (s.points > p.points or s.correct > p.correct)), 0)
  + (select count(*) from member_points t
      where t.drill_id = p.drill_id and t.period = p.period and t.period_start = p.period_start
        and t.points = p.points and t.correct = p.correct and t.reached_at < p.reached_at)
  - (select count(*) from member_points t
      where t.drill_id = p.drill_id and t.period = p.period and t.period_start = p.period_start
        and t.hidden and t.points >= p.points
        and (t.points > p.points or t.correct > p.correct
          or (t.correct = p.correct and t.reached_at < p.reached_at)))`;

/** These members' totals on a drill's board for one period, with their ranks among visible members. */
async function rankedTotals(
  db: Kysely<Database>,
  drillId: number,
  period: PeriodKind,
  start: string,
  userIds: readonly string[],
) {
  const rows = await db
    .selectFrom('member_points as p')
    .select(['p.user_id', 'p.points', 'p.answers', 'p.correct', 'p.reached_at', 'p.hidden'])
    .select(RANK.as('rank'))
    .where('p.drill_id', '=', drillId)
    .where('p.period', '=', period)
    .where('p.period_start', '=', start)
    .where('p.user_id', 'in', userIds)
    .execute();
  return rows.map((r) => ({ ...r, rank: Number(r.rank) }));
}

/**
 * A member's totals for a period and their rank among visible members, so exact ties share a rank. For a
 * hidden member it is the rank they would have on the public board. One statement.
 */
export async function rankOnBoard(
  db: Kysely<Database>,
  drillId: number,
  period: PeriodKind,
  start: string,
  userId: string,
) {
  const [mine] = await rankedTotals(db, drillId, period, start, [userId]);
  if (!mine) return undefined;
  return {
    points: mine.points,
    answers: mine.answers,
    correct: mine.correct,
    reachedAt: mine.reached_at,
    rank: mine.rank,
  };
}

/**
 * These members' ranks on a drill's board for one period (the board's own order: points, correct answers,
 * who reached the total first), among visible members; a member not on that board, or hidden, is absent.
 * One statement.
 */
export async function ranksOnBoard(
  db: Kysely<Database>,
  drillId: number,
  period: PeriodKind,
  start: string,
  userIds: readonly string[],
): Promise<Map<string, number>> {
  if (userIds.length === 0) return new Map();
  const rows = await rankedTotals(db, drillId, period, start, userIds);
  return new Map(rows.filter((r) => !r.hidden).map((r) => [r.user_id, r.rank]));
}

/** A member's points on a drill's board for one period (0 when they are not on it). */
export async function pointsOnBoard(
  db: Kysely<Database>,
  drillId: number,
  period: PeriodKind,
  start: string,
  userId: string,
): Promise<number> {
  const row = await db
    .selectFrom('member_points')
    .select('points')
    .where('drill_id', '=', drillId)
    .where('period', '=', period)
    .where('period_start', '=', start)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return row?.points ?? 0;
}
