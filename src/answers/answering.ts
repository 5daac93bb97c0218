/**
 * Recording answers: first answer final, points and board totals in the same transaction, streak after.
 * Recording is split from its follow-up so an adapter can record before it acknowledges the click (nothing
 * acknowledged lives only in memory) and do the slower streak work after.
 */
import type { Kysely } from 'kysely';
import { LETTERS, type Question, type StudyCard } from '../content/track.ts';
import { periodStart } from '../core/calendar.ts';
import { UserFacingError } from '../core/errors.ts';
import type { ChannelRef, UserRef } from '../core/types.ts';
import { type StudyDeps, trackOf } from '../db/deps.ts';
import type { Database } from '../db/schema.ts';
import { ensureTrack } from '../db/track-versions.ts';
import { findAnswerableDelivery } from '../deliveries/deliveries.repository.ts';
import { recordReview } from '../memory/memory.ts';
import { type Delivery, type Drill, deliveryFromRow, isOpen } from '../plans/model.ts';
import { findDeliveryAnswer, insertAnswerOnce } from './answers.repository.ts';
import { addToPoints } from './boards.repository.ts';
import { pointsFor } from './scoring.ts';
import { streakFor } from './streak-service.ts';
import type { StreakState } from './streaks.ts';

export interface AnswerOutcome {
  source: 'drill' | 'practice';
  card: StudyCard;
  question: Question;
  choice: number;
  correct: boolean;
  points: number;
  /** The member's streak on the drill, for drill answers. */
  streak?: StreakState;
  /** The delivery answered, for drill answers (its shared message shows a count). */
  deliveryId?: number;
  /** The drill's study day, when `/roadmap answer` picked the drill: the reply names what was answered. */
  studyDay?: number;
  /** When the member's memory of the card falls due again (the answer was a review of it), and when it was given. */
  nextReview?: { due: Date; answeredAt: Date };
  /** For a practice answer: whether its question came from a `/roadmap review` session. */
  reviewSession?: boolean;
}

export function lookup(deps: StudyDeps, trackId: string, questionId: string) {
  const track = trackOf(deps, trackId);
  const question = track.question(questionId);
  const card = question ? track.card(question.cardId) : undefined;
  if (!question || !card)
    throw new UserFacingError(
      'NOT_FOUND',
      'That question is no longer in the curriculum; try /roadmap today.',
    );
  return { card, question };
}

/** A drill answer stored under its unique key, with what its follow-up (the streak) needs. */
export interface RecordedAnswer {
  outcome: AnswerOutcome;
  /** The drill whose streak the follow-up refreshes; absent for practice answers. */
  drill?: AnsweredDrill;
  userId: string;
}

/** The drill an answer counts on, as the answer and its streak need it. */
type AnsweredDrill = Pick<Drill, 'id' | 'channel' | 'trackId'> & { timezone: string };

/** What one drill answer stores. */
interface DrillAnswer {
  user: UserRef;
  drill: AnsweredDrill;
  delivery: Delivery;
  card: StudyCard;
  question: Question;
  choice: number;
  correct: boolean;
  points: number;
  now: Date;
}

/**
 * The answer (one insert under its unique key), the board points and the card's review, in one transaction;
 * undefined when the member's answer was already there.
 */
function insertDrillAnswer(deps: StudyDeps, a: DrillAnswer) {
  const { user, drill, delivery, card, question, choice, correct, points, now } = a;
  const periods = (['week', 'month', 'all'] as const).map((period) => ({
    period,
    start: periodStart(period, now, drill.timezone),
  }));
  return deps.db.transaction().execute(async (trx) => {
    const stored = await insertGradedAnswer(trx, {
      user,
      card,
      question,
      choice,
      points,
      at: now,
      contentVersion: trackOf(deps, drill.trackId).version,
      target: { source: 'drill', drill_id: drill.id, delivery_id: delivery.id },
    });
    if (stored) await addToPoints(trx, drill.id, user, periods, points, correct, now);
    return stored;
  });
}

/** A member's choice on a question, graded, and what it answers: a drill's delivery or a practice prompt. */
export interface GradedAnswer {
  user: UserRef;
  card: StudyCard;
  question: Question;
  choice: number;
  points: number;
  at: Date;
  contentVersion: string;
  target:
    | { source: 'drill'; drill_id: number; delivery_id: number }
    | { source: 'practice'; practice_id: number };
}

/**
 * Stores a graded answer under its unique key, with its review of the card: every graded answer is a review,
 * logged with the answer or not at all. Undefined when the member's answer is already stored (it is final).
 */
export async function insertGradedAnswer(trx: Kysely<Database>, g: GradedAnswer) {
  const { user, card, question, at } = g;
  const { source, ...answered } = g.target;
  const correct = g.choice === question.correctIndex;
  const answer = await insertAnswerOnce(trx, {
    platform: user.platform,
    workspace_id: user.workspaceId,
    user_id: user.userId,
    ...answered,
    module_id: question.moduleId,
    card_id: card.id,
    question_id: question.id,
    choice: g.choice,
    correct,
    points: g.points,
    answered_at: at,
    content_version: g.contentVersion,
  });
  if (!answer) return undefined;
  const review = await recordReview(trx, {
    member: user,
    cardId: card.id,
    questionId: question.id,
    correct,
    source,
    answerId: answer.id,
    at,
  });
  return { answer, nextReview: { due: review.memory.due, answeredAt: at } };
}

/** The delivery a click names, with its drill and question (one read): only in its own channel and workspace. */
async function answerable(deps: StudyDeps, user: UserRef, deliveryId: number, channel: ChannelRef) {
  const row = await findAnswerableDelivery(deps.db, deliveryId);
  if (
    !row ||
    row.platform !== user.platform ||
    row.workspace_id !== user.workspaceId ||
    row.platform !== channel.platform ||
    row.workspace_id !== channel.workspaceId ||
    row.channel_id !== channel.channelId
  ) {
    throw new UserFacingError('NOT_FOUND', 'That drill does not exist here.');
  }
  const delivery = deliveryFromRow(row);
  // A workspace track's version another process stored: read it only when this one has not yet.
  await ensureTrack(deps, row.track_id);
  const drill: AnsweredDrill = {
    id: row.drill_id,
    channel: delivery.channel,
    trackId: row.track_id,
    timezone: row.timezone,
  };
  return { drill, delivery, ...lookup(deps, drill.trackId, delivery.questionId) };
}

/** Why a closed drill takes no answer: the member's own answer when there is one, else that it is closed. */
async function closedError(deps: StudyDeps, delivery: Delivery, userId: string, now: Date) {
  const previous = await findDeliveryAnswer(deps.db, delivery.id, userId);
  if (previous) return alreadyAnswered(previous.choice, previous.correct);
  return new UserFacingError(
    'CLOSED',
    delivery.opensAt > now
      ? 'That drill has not opened yet.'
      : `The drill of ${delivery.localDate} is closed: answers count only while a drill is open. Try /roadmap today.`,
  );
}

/**
 * Stores one member's drill answer (one insert under the unique key, points in the same transaction): the part
 * that must be durable before the platform is told the click arrived. The unique key decides which answer
 * counts, so nothing is looked up before the insert; a second click finds it taken and is told which counts.
 */
export async function recordDeliveryAnswer(
  deps: StudyDeps,
  user: UserRef,
  deliveryId: number,
  choice: number,
  /** Where the click or command came from: a drill is answered only in its own channel. */
  channel: ChannelRef,
): Promise<RecordedAnswer> {
  const { drill, delivery, card, question } = await answerable(deps, user, deliveryId, channel);
  const now = deps.clock.now();
  if (!isOpen(delivery, now)) throw await closedError(deps, delivery, user.userId, now);
  const correct = choice === question.correctIndex;
  const points = pointsFor(correct, 'drill');
  const inserted = await insertDrillAnswer(deps, {
    user,
    drill,
    delivery,
    card,
    question,
    choice,
    correct,
    points,
    now,
  });
  if (!inserted) {
    // Answered before (a second click, or a race with one): report the answer that counts.
    const winner = (await findDeliveryAnswer(deps.db, delivery.id, user.userId))!;
    throw alreadyAnswered(winner.choice, winner.correct);
  }
  deps.log.info({ deliveryId: delivery.id, userId: user.userId, correct }, 'answer recorded');
  return {
    outcome: {
      source: 'drill',
      card,
      question,
      choice,
      correct,
      points,
      deliveryId: delivery.id,
      nextReview: inserted.nextReview,
    },
    drill,
    userId: user.userId,
  };
}

/** The follow-up of a recorded answer: the member's streak, recomputed. Safe to repeat. */
export async function completeAnswer(deps: StudyDeps, recorded: RecordedAnswer): Promise<AnswerOutcome> {
  if (!recorded.drill) return recorded.outcome;
  const streak = await streakFor(deps, recorded.drill, recorded.userId);
  return { ...recorded.outcome, streak };
}

export async function answerDelivery(
  deps: StudyDeps,
  user: UserRef,
  deliveryId: number,
  choice: number,
  channel: ChannelRef,
): Promise<AnswerOutcome> {
  return completeAnswer(deps, await recordDeliveryAnswer(deps, user, deliveryId, choice, channel));
}

export function alreadyAnswered(choice: number, correct: boolean): UserFacingError {
  return new UserFacingError(
    'ALREADY_ANSWERED',
    `You already answered ${LETTERS[choice]} (${correct ? 'correct' : 'not correct'}); the first answer is final.`,
  );
}
