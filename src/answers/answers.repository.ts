/** Answers: first answer final (unique per member per delivery or practice prompt), with board totals kept alongside. */
import { type Kysely, sql, type Transaction } from 'kysely';
import type { WorkspaceRef } from '../core/types.ts';
import type { AnswerRow, Database, NewAnswer, PeriodKind } from '../db/schema.ts';

/** Inserts the answer unless the member already answered; returns undefined in that case. */
export async function insertAnswerOnce(
  trx: Kysely<Database>,
  answer: NewAnswer,
): Promise<AnswerRow | undefined> {
  const conflict =
    answer.delivery_id != null ? (['delivery_id', 'user_id'] as const) : (['practice_id'] as const);
  return trx
    .insertInto('answers')
    .values(answer)
    .onConflict((oc) => oc.columns([...conflict]).doNothing())
    .returningAll()
    .executeTakeFirst();
}

export async function findDeliveryAnswer(
  db: Kysely<Database>,
  deliveryId: number,
  userId: string,
): Promise<AnswerRow | undefined> {
  return db
    .selectFrom('answers')
    .selectAll()
    .where('delivery_id', '=', deliveryId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
}

export async function findPracticeAnswer(
  db: Kysely<Database>,
  practiceId: number,
): Promise<AnswerRow | undefined> {
  return db.selectFrom('answers').selectAll().where('practice_id', '=', practiceId).executeTakeFirst();
}

/**
 * Adds one answer to the member's week, month and all-time totals on this drill, and records `at` as when
 * they reached them (the boards' last tie-break). One statement for all the periods.
 */
export async function addToPoints(
  trx: Transaction<Database>,
  drillId: number,
  userId: string,
  periods: { period: PeriodKind; start: string }[],
  points: number,
  correct: boolean,
  at: Date,
): Promise<void> {
  if (periods.length === 0) return;
  await trx
    .insertInto('member_points')
    .values(
      periods.map(({ period, start }) => ({
        drill_id: drillId,
        user_id: userId,
        period,
        period_start: start,
        points,
        answers: 1,
        correct: correct ? 1 : 0,
        reached_at: at,
      })),
    )
    .onConflict((oc) =>
      oc.columns(['drill_id', 'period', 'period_start', 'user_id']).doUpdateSet((eb) => ({
        points: eb('member_points.points', '+', eb.ref('excluded.points')),
        answers: eb('member_points.answers', '+', eb.ref('excluded.answers')),
        correct: eb('member_points.correct', '+', eb.ref('excluded.correct')),
        // Answers recorded out of order: the total is reached by the later one.
        reached_at: eb.fn('greatest', [eb.ref('member_points.reached_at'), eb.ref('excluded.reached_at')]),
      })),
    )
    .execute();
}

/**
 * A drill's study days (its deliveries, oldest first), each with whether this member answered it: the input of
 * the streak replay, in one statement.
 */
export async function studyDaysOf(
  db: Kysely<Database>,
  drillId: number,
  userId: string,
): Promise<{ local_date: string; closes_at: Date | null; answered: boolean }[]> {
  return db
    .selectFrom('deliveries')
    .leftJoin('answers', (join) =>
      join.onRef('answers.delivery_id', '=', 'deliveries.id').on('answers.user_id', '=', userId),
    )
    .select(['deliveries.local_date', 'deliveries.closes_at'])
    .select((eb) => eb('answers.id', 'is not', null).$castTo<boolean>().as('answered'))
    .where('deliveries.drill_id', '=', drillId)
    .orderBy('deliveries.local_date', 'asc')
    .execute();
}

/**
 * A drill's study days (oldest first) and which of these members answered each: the streak replay of a whole
 * board in two statements, however many members it shows.
 */
export async function studyDaysOfMembers(db: Kysely<Database>, drillId: number, userIds: readonly string[]) {
  const days = await db
    .selectFrom('deliveries')
    .select(['id', 'local_date', 'closes_at'])
    .where('drill_id', '=', drillId)
    .orderBy('local_date', 'asc')
    .execute();
  const answered = userIds.length
    ? await db
        .selectFrom('answers')
        .select(['delivery_id', 'user_id'])
        .where('drill_id', '=', drillId)
        .where('delivery_id', 'is not', null)
        .where('user_id', 'in', userIds)
        .execute()
    : [];
  return { days, answered };
}

/** One of a member's answers, as practice and progress read them. */
export interface PastAnswer {
  questionId: string;
  cardId: string;
  moduleId: string;
  correct: boolean;
  answeredAt: Date;
}

/** A member's answers in a workspace, newest first. */
export async function pastAnswers(
  deps: { db: Kysely<Database> },
  ws: WorkspaceRef,
  userId: string,
): Promise<PastAnswer[]> {
  const rows = await deps.db
    .selectFrom('answers')
    .select(['question_id', 'card_id', 'module_id', 'correct', 'answered_at'])
    .where('platform', '=', ws.platform)
    .where('workspace_id', '=', ws.workspaceId)
    .where('user_id', '=', userId)
    .orderBy('answered_at', 'desc')
    .execute();
  return rows.map((r) => ({
    questionId: r.question_id,
    cardId: r.card_id,
    moduleId: r.module_id,
    correct: r.correct,
    answeredAt: r.answered_at,
  }));
}

export interface BoardRow {
  userId: string;
  displayName: string;
  points: number;
  answers: number;
  correct: number;
  reachedAt: Date;
}

/** A drill's board for one period, joined to members so hidden ones can be left out. */
function visibleBoard(db: Kysely<Database>, drillId: number, period: PeriodKind, start: string) {
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
    .where('m.hidden', '=', false);
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
  const rows = await visibleBoard(db, drillId, period, start)
    .select(['p.user_id', 'm.display_name', 'p.points', 'p.answers', 'p.correct', 'p.reached_at'])
    .orderBy('p.points', 'desc')
    .orderBy('p.correct', 'desc')
    .orderBy('p.reached_at', 'asc')
    .orderBy('m.display_name', 'asc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    userId: r.user_id,
    displayName: r.display_name,
    points: r.points,
    answers: r.answers,
    correct: r.correct,
    reachedAt: r.reached_at,
  }));
}

/**
 * A member's totals for a period and their rank among visible members: 1 + those ranked above them (more
 * points; or as many and more correct answers; or both equal and reached earlier), so exact ties share a rank.
 * For a hidden member it is the rank they would have on the public board.
 */
export async function rankOnBoard(
  db: Kysely<Database>,
  drillId: number,
  period: PeriodKind,
  start: string,
  userId: string,
) {
  const mine = await db
    .selectFrom('member_points')
    .select(['points', 'answers', 'correct', 'reached_at'])
    .where('drill_id', '=', drillId)
    .where('period', '=', period)
    .where('period_start', '=', start)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  if (!mine) return undefined;
  const ahead = await visibleBoard(db, drillId, period, start)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('p.user_id', '!=', userId)
    .where('p.points', '>=', mine.points)
    .where((eb) =>
      eb.or([
        eb('p.points', '>', mine.points),
        eb('p.correct', '>', mine.correct),
        eb.and([eb('p.correct', '=', mine.correct), eb('p.reached_at', '<', mine.reached_at)]),
      ]),
    )
    .executeTakeFirstOrThrow();
  return {
    points: mine.points,
    answers: mine.answers,
    correct: mine.correct,
    reachedAt: mine.reached_at,
    rank: Number(ahead.n) + 1,
  };
}

/**
 * These members' ranks on a drill's board for one period (the board's own order: points, correct answers,
 * who reached the total first), among visible members; a member not on that board is absent. One statement.
 */
export async function ranksOnBoard(
  db: Kysely<Database>,
  drillId: number,
  period: PeriodKind,
  start: string,
  userIds: readonly string[],
): Promise<Map<string, number>> {
  if (userIds.length === 0) return new Map();
  const ranked = visibleBoard(db, drillId, period, start).select([
    'p.user_id',
    sql<number>`rank() over (order by p.points desc, p.correct desc, p.reached_at asc)`.as('rank'),
  ]);
  const rows = await db
    .selectFrom(ranked.as('r'))
    .select(['r.user_id', 'r.rank'])
    .where('r.user_id', 'in', userIds)
    .execute();
  return new Map(rows.map((r) => [r.user_id, Number(r.rank)]));
}

/** Answers to a drill's posted questions (not practice) given at or after `since`: the dashboard's week. */
export async function drillAnswersSince(db: Kysely<Database>, drillId: number, since: Date): Promise<number> {
  const row = await db
    .selectFrom('answers')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('drill_id', '=', drillId)
    .where('delivery_id', 'is not', null)
    .where('answered_at', '>=', since)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}
