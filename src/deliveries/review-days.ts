/**
 * Review days (issue #15): on some study days a channel's drill shows the already-taught card its members are
 * closest to forgetting instead of a new one, and the programme resumes the next study day. The rules for
 * which day and which card are src/memory's (`isReviewDay`, `channelReviewCandidate`); this file applies them
 * to a drill's delivery.
 *
 * The drill's `review_mode`: 'auto' (every 5th study day, or whenever the channel's mean retrievability over
 * the taught cards is below 0.85), 'weekly' (the first study day of each week) or 'off'. Unset, a plain drill
 * is 'auto' and a cohort's drill 'off', so a cohort's card N stays on day N unless its manager opts in.
 */
import type { Kysely } from 'kysely';
import { addDays, weekdayIndex } from '../core/calendar.ts';
import type { StudyDeps } from '../db/deps.ts';
import type { Database, ReviewMode } from '../db/schema.ts';
import { channelRetention, channelReviewCandidate, isReviewDay } from '../memory/memory.ts';
import type { Drill } from '../plans/model.ts';
import { reviewContext } from './deliveries.repository.ts';

/** Members count as active when they answered one of the drill's deliveries in this many days. */
const ACTIVE_DAYS = 30;

export function reviewModeOf(drill: Pick<Drill, 'reviewMode' | 'cohortId'>): ReviewMode {
  return drill.reviewMode ?? (drill.cohortId === null ? 'auto' : 'off');
}

export interface ReviewPlan {
  /** Review deliveries before this date: a cohort that opted in shows its cards that many days later. */
  reviewsBefore: number;
  /** Set when this date is a review day with a card to review. */
  review?: { cardId: string; due: number; shown: number };
}

/** Whether the drill's delivery on `localDate` is a review day, and of which card. */
export async function planReview(
  deps: StudyDeps,
  drill: Drill,
  localDate: string,
  trackCardIds: readonly string[],
  db: Kysely<Database> = deps.db,
): Promise<ReviewPlan> {
  const mode = reviewModeOf(drill);
  // A cohort turned off after review days keeps the delay they caused, so no card is left out.
  if (mode === 'off' && drill.cohortId === null) return { reviewsBefore: 0 };
  const now = deps.clock.now();
  const ctx = await reviewContext(
    db,
    drill.id,
    localDate,
    addDays(localDate, -weekdayIndex(localDate)),
    new Date(now.getTime() - ACTIVE_DAYS * 86_400_000),
  );
  const plan: ReviewPlan = { reviewsBefore: ctx.reviewsBefore };
  if (mode === 'off') return plan;
  const inTrack = new Set(trackCardIds);
  const taught = ctx.taughtCardIds.filter((id) => inTrack.has(id));
  if (taught.length === 0 || ctx.memberIds.length === 0) return plan;
  const workspace = { platform: drill.channel.platform, workspaceId: drill.channel.workspaceId };
  const reviewDay =
    mode === 'weekly'
      ? !ctx.deliveredThisWeek
      : isReviewDay({
          studyDay: ctx.deliveredBefore + 1,
          meanRetrievability: await channelRetention(db, workspace, ctx.memberIds, taught, now),
        });
  if (!reviewDay) return plan;
  const candidate = await channelReviewCandidate(db, workspace, ctx.memberIds, taught, now);
  if (!candidate) return plan;
  plan.review = { cardId: candidate.cardId, due: candidate.due, shown: ctx.shown.get(candidate.cardId) ?? 0 };
  return plan;
}
