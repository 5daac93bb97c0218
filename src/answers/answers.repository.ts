/** Answers: first answer final (unique per member per delivery or practice prompt); their boards are in boards.repository.ts. */
import type { Kysely } from 'kysely';
import type { WorkspaceRef } from '../core/types.ts';
import type { AnswerRow, Database, NewAnswer } from '../db/schema.ts';

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

/** A drill's study days (its deliveries, oldest first): with each member's answered deliveries, a streak's input. */
export async function drillStudyDays(db: Kysely<Database>, drillId: number) {
  return db
    .selectFrom('deliveries')
    .select(['id', 'local_date', 'closes_at'])
    .where('drill_id', '=', drillId)
    .orderBy('local_date', 'asc')
    .execute();
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
