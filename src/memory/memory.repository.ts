/** The memory feature's own tables: the review log (`reviews`) and the states it yields (`card_memory`). */
import { type Kysely, sql } from 'kysely';
import type { WorkspaceRef } from '../core/types.ts';
import type { Database } from '../db/schema.ts';
import type { CardMemoryRow, ReviewRow } from '../db/schema-memory.ts';
import type { CardMemory, MemoryState, ReviewSource } from './scheduler.ts';

/** A member of a workspace: memory is kept per member and card, whichever channel the answer came from. */
export interface MemberRef extends WorkspaceRef {
  userId: string;
}

export interface NewReview {
  member: MemberRef;
  cardId: string;
  questionId: string;
  rating: number;
  source: ReviewSource;
  answerId: number | null;
  at: Date;
}

/** Appends to the log; returns false when the answer was already logged (a redelivered answer). */
export async function insertReview(db: Kysely<Database>, r: NewReview): Promise<boolean> {
  const row = await db
    .insertInto('reviews')
    .values({
      platform: r.member.platform,
      workspace_id: r.member.workspaceId,
      user_id: r.member.userId,
      card_id: r.cardId,
      question_id: r.questionId,
      rating: r.rating,
      source: r.source,
      answer_id: r.answerId,
      reviewed_at: r.at,
    })
    .onConflict((oc) => oc.column('answer_id').doNothing())
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

/** The member's log, oldest first (one card's when `cardId` is given). */
export async function memberReviews(
  db: Kysely<Database>,
  member: MemberRef,
  cardId?: string,
): Promise<ReviewRow[]> {
  let q = db
    .selectFrom('reviews')
    .selectAll()
    .where('platform', '=', member.platform)
    .where('workspace_id', '=', member.workspaceId)
    .where('user_id', '=', member.userId);
  if (cardId !== undefined) q = q.where('card_id', '=', cardId);
  return q.orderBy('reviewed_at').orderBy('id').execute();
}

function memoryFromRow(row: CardMemoryRow): MemoryState {
  return {
    state: row.state,
    stability: row.stability,
    difficulty: row.difficulty,
    due: row.due,
    lastReview: row.last_review,
    scheduledDays: row.scheduled_days,
    learningSteps: row.learning_steps,
    reps: row.reps,
    lapses: row.lapses,
  };
}

/**
 * Makes sure the member's row for the card exists and locks it for the rest of the transaction, so two
 * answers on the same card are applied one after the other. Returns undefined for a card never reviewed.
 */
export async function lockMemory(
  db: Kysely<Database>,
  member: MemberRef,
  cardId: string,
  placeholder: MemoryState,
): Promise<MemoryState | undefined> {
  await db
    .insertInto('card_memory')
    .values({ ...memoryValues(member, cardId, placeholder), updated_at: placeholder.due })
    .onConflict((oc) => oc.columns(['platform', 'workspace_id', 'user_id', 'card_id']).doNothing())
    .execute();
  const row = await db
    .selectFrom('card_memory')
    .selectAll()
    .where('platform', '=', member.platform)
    .where('workspace_id', '=', member.workspaceId)
    .where('user_id', '=', member.userId)
    .where('card_id', '=', cardId)
    .forUpdate()
    .executeTakeFirstOrThrow();
  return row.reps === 0 && row.last_review === null ? undefined : memoryFromRow(row);
}

function memoryValues(member: MemberRef, cardId: string, m: MemoryState) {
  return {
    platform: member.platform,
    workspace_id: member.workspaceId,
    user_id: member.userId,
    card_id: cardId,
    state: m.state,
    stability: m.stability,
    difficulty: m.difficulty,
    due: m.due,
    last_review: m.lastReview,
    scheduled_days: m.scheduledDays,
    learning_steps: m.learningSteps,
    reps: m.reps,
    lapses: m.lapses,
  };
}

export async function saveMemory(
  db: Kysely<Database>,
  member: MemberRef,
  cardId: string,
  memory: MemoryState,
  at: Date,
): Promise<void> {
  const values = memoryValues(member, cardId, memory);
  await db
    .insertInto('card_memory')
    .values({ ...values, updated_at: at })
    .onConflict((oc) =>
      oc.columns(['platform', 'workspace_id', 'user_id', 'card_id']).doUpdateSet({
        state: values.state,
        stability: values.stability,
        difficulty: values.difficulty,
        due: values.due,
        last_review: values.last_review,
        scheduled_days: values.scheduled_days,
        learning_steps: values.learning_steps,
        reps: values.reps,
        lapses: values.lapses,
        updated_at: at,
      }),
    )
    .execute();
}

/** Removes the member's states for cards that have no review left in the log. */
export async function deleteMemoriesExcept(
  db: Kysely<Database>,
  member: MemberRef,
  keepCardIds: readonly string[],
): Promise<void> {
  let q = db
    .deleteFrom('card_memory')
    .where('platform', '=', member.platform)
    .where('workspace_id', '=', member.workspaceId)
    .where('user_id', '=', member.userId);
  if (keepCardIds.length > 0) q = q.where('card_id', 'not in', keepCardIds);
  await q.execute();
}

/** The member's reviewed cards; only those due by `dueBy` when it is given. */
export async function memberMemories(
  db: Kysely<Database>,
  member: MemberRef,
  dueBy?: Date,
): Promise<CardMemory[]> {
  let q = db
    .selectFrom('card_memory')
    .selectAll()
    .where('platform', '=', member.platform)
    .where('workspace_id', '=', member.workspaceId)
    .where('user_id', '=', member.userId)
    .where('reps', '>', 0);
  if (dueBy) q = q.where('due', '<=', dueBy);
  const rows = await q.orderBy('card_id').execute();
  return rows.map((r) => ({ cardId: r.card_id, memory: memoryFromRow(r) }));
}

/** Several members' memories of some cards (a channel's members and the cards it was taught). */
export async function membersMemories(
  db: Kysely<Database>,
  workspace: WorkspaceRef,
  userIds: readonly string[],
  cardIds: readonly string[],
): Promise<{ memberId: string; cardId: string; memory: MemoryState }[]> {
  if (userIds.length === 0 || cardIds.length === 0) return [];
  const rows = await db
    .selectFrom('card_memory')
    .selectAll()
    .where('platform', '=', workspace.platform)
    .where('workspace_id', '=', workspace.workspaceId)
    .where('user_id', 'in', userIds)
    .where('card_id', 'in', cardIds)
    .where('reps', '>', 0)
    .execute();
  return rows.map((r) => ({ memberId: r.user_id, cardId: r.card_id, memory: memoryFromRow(r) }));
}

/** The local dates (in `timezone`) on which the member did at least one review from `source`, newest first. */
export async function reviewDates(
  db: Kysely<Database>,
  member: MemberRef,
  timezone: string,
  source: 'drill' | 'practice',
): Promise<string[]> {
  const rows = await db
    .selectFrom('reviews')
    .select(sql<string>`to_char(reviewed_at at time zone ${timezone}, 'YYYY-MM-DD')`.as('day'))
    .where('platform', '=', member.platform)
    .where('workspace_id', '=', member.workspaceId)
    .where('user_id', '=', member.userId)
    .where('source', '=', source)
    .groupBy('day')
    .orderBy('day', 'desc')
    .execute();
  return rows.map((r) => r.day);
}

/** When the member's current review session started; undefined when none was started. */
export async function reviewSessionStart(db: Kysely<Database>, member: MemberRef): Promise<Date | undefined> {
  const row = await db
    .selectFrom('review_sessions')
    .select('started_at')
    .where('platform', '=', member.platform)
    .where('workspace_id', '=', member.workspaceId)
    .where('user_id', '=', member.userId)
    .executeTakeFirst();
  return row?.started_at;
}

/** Starts the member's review session at `at`, replacing the one before. */
export async function startReviewSession(db: Kysely<Database>, member: MemberRef, at: Date): Promise<void> {
  await db
    .insertInto('review_sessions')
    .values({
      platform: member.platform,
      workspace_id: member.workspaceId,
      user_id: member.userId,
      started_at: at,
    })
    .onConflict((oc) => oc.columns(['platform', 'workspace_id', 'user_id']).doUpdateSet({ started_at: at }))
    .execute();
}
