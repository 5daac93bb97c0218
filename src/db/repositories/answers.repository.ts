/** Answers: first answer final (unique per member per delivery or practice prompt), with board totals kept alongside. */
import type { Kysely, Transaction } from 'kysely';
import type { AnswerRow, Database, NewAnswer, PeriodKind } from '../schema.ts';

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

/** Adds one answer to the member's week, month and all-time totals on this drill. */
export async function addToPoints(
  trx: Transaction<Database>,
  drillId: number,
  userId: string,
  periods: { period: PeriodKind; start: string }[],
  points: number,
  correct: boolean,
): Promise<void> {
  for (const { period, start } of periods) {
    await trx
      .insertInto('member_points')
      .values({
        drill_id: drillId,
        user_id: userId,
        period,
        period_start: start,
        points,
        answers: 1,
        correct: correct ? 1 : 0,
      })
      .onConflict((oc) =>
        oc.columns(['drill_id', 'period', 'period_start', 'user_id']).doUpdateSet((eb) => ({
          points: eb('member_points.points', '+', points),
          answers: eb('member_points.answers', '+', 1),
          correct: eb('member_points.correct', '+', correct ? 1 : 0),
        })),
      )
      .execute();
  }
}

/** The ids of a drill's deliveries this member answered. */
export async function answeredDeliveryIds(
  db: Kysely<Database>,
  drillId: number,
  userId: string,
): Promise<Set<number>> {
  const rows = await db
    .selectFrom('answers')
    .select('delivery_id')
    .where('drill_id', '=', drillId)
    .where('user_id', '=', userId)
    .where('delivery_id', 'is not', null)
    .execute();
  return new Set(rows.map((r) => r.delivery_id!));
}

/** A member's answers across the workspace, newest first: the input for practice and progress. */
export async function memberAnswers(
  db: Kysely<Database>,
  ws: { platform: string; workspaceId: string },
  userId: string,
) {
  return db
    .selectFrom('answers')
    .select(['question_id', 'card_id', 'module_id', 'correct', 'answered_at', 'delivery_id'])
    .where('platform', '=', ws.platform)
    .where('workspace_id', '=', ws.workspaceId)
    .where('user_id', '=', userId)
    .orderBy('answered_at', 'desc')
    .execute();
}

export interface BoardRow {
  userId: string;
  displayName: string;
  points: number;
  answers: number;
  correct: number;
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

/** Top of a drill's board for one period; hidden members are left out. */
export async function topOfBoard(
  db: Kysely<Database>,
  drillId: number,
  period: PeriodKind,
  start: string,
  limit: number,
): Promise<BoardRow[]> {
  const rows = await visibleBoard(db, drillId, period, start)
    .select(['p.user_id', 'm.display_name', 'p.points', 'p.answers', 'p.correct'])
    .orderBy('p.points', 'desc')
    .orderBy('p.correct', 'desc')
    .orderBy('m.display_name', 'asc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    userId: r.user_id,
    displayName: r.display_name,
    points: r.points,
    answers: r.answers,
    correct: r.correct,
  }));
}

/** A member's totals for a period and their rank among visible members: 1 + those with more points, so ties share a rank. */
export async function rankOnBoard(
  db: Kysely<Database>,
  drillId: number,
  period: PeriodKind,
  start: string,
  userId: string,
) {
  const mine = await db
    .selectFrom('member_points')
    .select(['points', 'answers', 'correct'])
    .where('drill_id', '=', drillId)
    .where('period', '=', period)
    .where('period_start', '=', start)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  if (!mine) return undefined;
  const ahead = await visibleBoard(db, drillId, period, start)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('p.points', '>', mine.points)
    .executeTakeFirstOrThrow();
  return { ...mine, rank: Number(ahead.n) + 1 };
}
