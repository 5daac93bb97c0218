/**
 * Memory (issue #15): each member's FSRS memory of each card, kept by ts-fsrs, and the review log it is
 * computed from. The rules are pure in scheduler.ts; this file stores and reads them. Memory is per member of
 * a workspace (platform, workspace, user), whichever channel an answer came from. The answers given before
 * this feature were replayed into the log and the states by migrations/20261203080000_memory.ts (why there,
 * and not at start-up: see its header).
 *
 * The API, and where it is meant to be called:
 *
 * - `recordReview(db, { member, cardId, questionId, correct, source, answerId, at })` — from the answer flow,
 *   for every graded answer (drill: source 'drill'; practice: 'practice'), with the id of the `answers` row
 *   just inserted and the answer's time. Pass the answer's transaction as `db` to record both or neither.
 *   Idempotent per answer id: a redelivered answer is not counted twice (`recorded: false`).
 * - `/roadmap quiz`: `pickStudyCard(await memberMemory(db, member), track.cards.map((c) => c.id), now,
 *   allowed)` — the due card the member is closest to forgetting, else the first unseen card in track order,
 *   else the weakest seen card; `allowed(cardId)` is where the drill embargo goes (a card whose question is,
 *   or will be, an unrevealed drill question is skipped). The benchmark measures this very function.
 *   `dueCards(db, member, now, limit)` lists the due cards, lowest retrievability first.
 * - `memorySummary(db, member, now, timezone)` — `me`: "due now: N · retention estimate: 87%", and the review
 *   streak (consecutive local days, in `timezone`, with at least one practice review; today not yet
 *   practised does not break it). Pass the member's zone, or the drill's when the member has none.
 * - `channelRetention(db, workspace, memberIds, taughtCardIds, now)` and `isReviewDay({ studyDay,
 *   meanRetrievability, share?, floor? })` — when a delivery is chosen: whether today's drill is a review drill
 *   (defaults: every 5th study day, or channel mean R < 0.85; a setting for `share` is the caller's to add).
 *   `memberIds`: the channel's active members (e.g. who answered one of its recent deliveries);
 *   `taughtCardIds`: the cards of its revealed deliveries, in the order they were taught. A review drill's
 *   question must itself pass the embargo, like any other.
 * - `channelReviewCandidate(db, workspace, memberIds, taughtCardIds, now)` — on a review day: the taught card
 *   maximising Σ(1 − R) over the members who studied it (and how many of them have it due).
 * - `recomputeMember(db, member, now)` — rebuilds a member's states from the log (after a parameter change, or
 *   to check); `replayMember` computes the same without writing.
 * - `/roadmap review`: `sessionMisses(await memberReviews(db, member), sessionStart)` — the questions whose last
 *   answer before the session was a miss and that have not been answered right since it started, oldest miss
 *   first. Serve them in turn (with the drill embargo); the session is over when the list is empty. A
 *   member's session start is kept in `review_sessions` (`reviewSessionStart`, `startReviewSession`); the
 *   rules for when a session starts are `startReview`'s in src/practice/practice.ts.
 */

import type { Kysely } from 'kysely';
import { DateTime } from 'luxon';
import type { WorkspaceRef } from '../core/types.ts';
import type { Database } from '../db/schema.ts';
import {
  deleteMemoriesExcept,
  insertReview,
  lockMemory,
  type MemberRef,
  memberMemories,
  memberReviews,
  membersMemories,
  reviewDates,
  saveMemory,
} from './memory.repository.ts';
import {
  applyReview,
  type CardMemory,
  type DueCard,
  dueFirst,
  emptyMemory,
  type MemoryState,
  type ReviewCandidate,
  type ReviewSource,
  ratingFor,
  replay,
  retentionEstimate,
  retrievability,
  reviewCandidate,
} from './scheduler.ts';

export type { MemberRef } from './memory.repository.ts';
export { memberReviews, reviewSessionStart, startReviewSession } from './memory.repository.ts';
export type { CardMemory, DueCard, ReviewCandidate } from './scheduler.ts';
export { isReviewDay, pickStudyCard, sessionMisses } from './scheduler.ts';

export interface ReviewInput {
  member: MemberRef;
  cardId: string;
  questionId: string;
  correct: boolean;
  source: ReviewSource;
  /** The `answers` row this review comes from; null for a review with no stored answer. */
  answerId: number | null;
  at: Date;
}

export interface ReviewResult {
  /** False when this answer was already logged: nothing changed. */
  recorded: boolean;
  memory: MemoryState;
}

const inTransaction = <T>(db: Kysely<Database>, work: (trx: Kysely<Database>) => Promise<T>): Promise<T> =>
  db.isTransaction ? work(db) : db.transaction().execute(work);

/** Logs a graded answer as a review and updates the member's memory of the card. */
export async function recordReview(db: Kysely<Database>, input: ReviewInput): Promise<ReviewResult> {
  const { member, cardId, at } = input;
  return inTransaction(db, async (trx) => {
    // Lock first, so answers on the same card apply one after the other.
    const current = await lockMemory(trx, member, cardId, emptyMemory(at));
    const recorded = await insertReview(trx, {
      member,
      cardId,
      questionId: input.questionId,
      rating: ratingFor(input.correct),
      source: input.source,
      answerId: input.answerId,
      at,
    });
    if (!recorded) {
      if (current) return { recorded, memory: current };
      // Logged, yet no state: rebuild it from the log rather than leave it empty.
      return { recorded, memory: await recomputeCard(trx, member, cardId, at) };
    }
    // An answer older than the card's last review (a late redelivery) is put in its place by replaying the log.
    if (current?.lastReview && at < current.lastReview) {
      return { recorded, memory: await recomputeCard(trx, member, cardId, at) };
    }
    const memory = applyReview(current, input.correct, at);
    await saveMemory(trx, member, cardId, memory, at);
    return { recorded, memory };
  });
}

async function recomputeCard(
  db: Kysely<Database>,
  member: MemberRef,
  cardId: string,
  at: Date,
): Promise<MemoryState> {
  const memory = replay(
    (await memberReviews(db, member, cardId)).map((r) => ({
      correct: r.rating >= 2,
      reviewedAt: r.reviewed_at,
    })),
  );
  // No review of this card in the member's log: nothing to store (the placeholder row stays invisible).
  if (!memory) return emptyMemory(at);
  await saveMemory(db, member, cardId, memory, at);
  return memory;
}

/** The member's due cards at `now`, the one closest to being forgotten (lowest retrievability) first. */
export async function dueCards(
  db: Kysely<Database>,
  member: MemberRef,
  now: Date,
  limit = 10,
): Promise<DueCard[]> {
  return dueFirst(await memberMemories(db, member, now), now, limit);
}

/** The member's stored memory of every card reviewed. */
export async function memberMemory(db: Kysely<Database>, member: MemberRef): Promise<CardMemory[]> {
  return memberMemories(db, member);
}

export interface MemorySummary {
  /** Cards due now. */
  dueNow: number;
  /** Cards reviewed at least once. */
  seen: number;
  /** Mean retrievability over the seen cards (0–1); undefined before the first review. */
  retention: number | undefined;
  /** Consecutive local days with at least one practice review, up to today (or yesterday, if not yet today). */
  streak: number;
}

export async function memorySummary(
  db: Kysely<Database>,
  member: MemberRef,
  now: Date,
  timezone: string,
): Promise<MemorySummary> {
  const cards = await memberMemories(db, member);
  const dates = await reviewDates(db, member, timezone, 'practice');
  return {
    dueNow: cards.filter((c) => c.memory.due <= now).length,
    seen: cards.length,
    retention: retentionEstimate(cards, now),
    streak: reviewStreak(dates, DateTime.fromJSDate(now, { zone: timezone }).toISODate()!),
  };
}

/** Consecutive days in `dates` (local 'YYYY-MM-DD', any order) ending today, or yesterday. */
export function reviewStreak(dates: readonly string[], today: string): number {
  const set = new Set(dates);
  let day = DateTime.fromISO(today, { zone: 'UTC' });
  if (!set.has(today)) day = day.minus({ days: 1 });
  let streak = 0;
  while (set.has(day.toISODate()!)) {
    streak += 1;
    day = day.minus({ days: 1 });
  }
  return streak;
}

/** Replays the member's whole log, without writing: what the stored states should be. */
export async function replayMember(db: Kysely<Database>, member: MemberRef): Promise<CardMemory[]> {
  const byCard = new Map<string, { correct: boolean; reviewedAt: Date }[]>();
  for (const r of await memberReviews(db, member)) {
    const list = byCard.get(r.card_id) ?? [];
    list.push({ correct: r.rating >= 2, reviewedAt: r.reviewed_at });
    byCard.set(r.card_id, list);
  }
  return [...byCard.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([cardId, reviews]) => ({ cardId, memory: replay(reviews)! }));
}

/** Rebuilds and stores the member's states from the log; returns them. */
export async function recomputeMember(
  db: Kysely<Database>,
  member: MemberRef,
  now: Date,
): Promise<CardMemory[]> {
  return inTransaction(db, async (trx) => {
    const cards = await replayMember(trx, member);
    for (const c of cards) await saveMemory(trx, member, c.cardId, c.memory, now);
    await deleteMemoriesExcept(
      trx,
      member,
      cards.map((c) => c.cardId),
    );
    return cards;
  });
}

/**
 * The channel's mean retrievability over the taught cards its members studied (each member-card pair
 * counts once); undefined when none was studied.
 */
export async function channelRetention(
  db: Kysely<Database>,
  workspace: WorkspaceRef,
  memberIds: readonly string[],
  taughtCardIds: readonly string[],
  now: Date,
): Promise<number | undefined> {
  const memories = await membersMemories(db, workspace, memberIds, taughtCardIds);
  if (memories.length === 0) return undefined;
  return memories.reduce((sum, m) => sum + retrievability(m.memory, now), 0) / memories.length;
}

/** On a review day: the taught card the channel's members are closest to forgetting (see reviewCandidate). */
export async function channelReviewCandidate(
  db: Kysely<Database>,
  workspace: WorkspaceRef,
  memberIds: readonly string[],
  taughtCardIds: readonly string[],
  now: Date,
): Promise<ReviewCandidate | undefined> {
  return reviewCandidate(await membersMemories(db, workspace, memberIds, taughtCardIds), taughtCardIds, now);
}
