/** Practice: due reviews first, then the member's weakest modules, then new material in track order. */
import type { Question, StudyCard, Track } from '../content/track.ts';
import { UserFacingError } from '../core/errors.ts';
import type { ChannelRef } from '../core/types.ts';
import { memberAnswers } from '../db/repositories/answers.repository.ts';
import { insertPrompt } from '../db/repositories/practice.repository.ts';
import { markShown } from '../db/repositories/shown.repository.ts';
import { type StudyDeps, trackOf } from './deps.ts';
import { type Embargo, isEmbargoed, practiceEmbargo } from './embargo.ts';

/** A question answered wrong comes back for review after this long. */
export const REVIEW_AFTER_MS = 20 * 60 * 60 * 1000;
/** A module is weak below this accuracy, once the member has answered enough in it. */
export const WEAK_ACCURACY = 0.7;
export const WEAK_MIN_ANSWERS = 3;

export type PracticeReason = 'review' | 'weak' | 'new' | 'path' | 'refresh';

export interface PastAnswer {
  questionId: string;
  cardId: string;
  moduleId: string;
  correct: boolean;
  answeredAt: Date;
}

export interface PracticePick {
  card: StudyCard;
  question: Question;
  reason: PracticeReason;
}

/**
 * Chooses the next practice question for a member; pure, so the order is easy to test. Cards under the
 * embargo (coming or unrevealed drills) are never chosen, whatever the reason.
 */
export function choosePractice(
  track: Track,
  answers: readonly PastAnswer[],
  now: Date,
  moduleId?: string,
  embargo?: Embargo,
): PracticePick | undefined {
  const inScope = (q: Question) => (!moduleId || q.moduleId === moduleId) && !isEmbargoed(embargo, q.cardId);
  const latest = new Map<string, PastAnswer>();
  for (const a of answers) {
    const seen = latest.get(a.questionId);
    if (!seen || seen.answeredAt < a.answeredAt) latest.set(a.questionId, a);
  }
  const pick = (question: Question, reason: PracticeReason): PracticePick => ({
    card: track.card(question.cardId)!,
    question,
    reason,
  });

  // 1. Reviews: questions whose latest answer was wrong, once they are due, oldest first.
  const due = [...latest.values()]
    .filter((a) => !a.correct && now.getTime() - a.answeredAt.getTime() >= REVIEW_AFTER_MS)
    .sort((a, b) => a.answeredAt.getTime() - b.answeredAt.getTime());
  for (const a of due) {
    const q = track.question(a.questionId);
    if (q && inScope(q)) return pick(q, 'review');
  }

  const seenCards = new Set(answers.map((a) => a.cardId));
  const unanswered = (cards: readonly StudyCard[]) =>
    cards
      .filter((c) => seenCards.has(c.id))
      .concat(cards.filter((c) => !seenCards.has(c.id)))
      .flatMap((c) => c.questions)
      .find((q) => !latest.has(q.id) && inScope(q));

  // 2. Weak modules, weakest first: an unanswered question there, from cards already met first.
  if (!moduleId) {
    const byModule = new Map<string, { n: number; correct: number }>();
    for (const a of answers) {
      const m = byModule.get(a.moduleId) ?? { n: 0, correct: 0 };
      m.n += 1;
      m.correct += a.correct ? 1 : 0;
      byModule.set(a.moduleId, m);
    }
    const weak = [...byModule.entries()]
      .filter(([, m]) => m.n >= WEAK_MIN_ANSWERS && m.correct / m.n < WEAK_ACCURACY)
      .sort((a, b) => a[1].correct / a[1].n - b[1].correct / b[1].n);
    for (const [id] of weak) {
      const q = unanswered(track.module(id)?.cards ?? []);
      if (q) return pick(q, 'weak');
    }
  }

  // 3. New material: the rest of the cards already met, then the next cards in track order.
  const fresh = unanswered(track.cards);
  if (fresh) return pick(fresh, 'new');

  // Everything answered: refresh the question answered longest ago.
  const oldest = [...latest.values()]
    .filter((a) => {
      const q = track.question(a.questionId);
      return q !== undefined && inScope(q);
    })
    .sort((a, b) => a.answeredAt.getTime() - b.answeredAt.getTime())[0];
  return oldest ? pick(track.question(oldest.questionId)!, 'refresh') : undefined;
}

/**
 * The member's next card in their own path (for channels without a drill): the first card they have not
 * met that no drill of theirs keeps secret.
 */
export function nextPathCard(
  track: Track,
  answers: readonly PastAnswer[],
  embargo?: Embargo,
): StudyCard | undefined {
  const seen = new Set(answers.map((a) => a.cardId));
  return track.cards.find((c) => !seen.has(c.id) && !isEmbargoed(embargo, c.id));
}

/** Nothing left to practise only because the rest is embargoed: say why, and when more opens. */
function embargoedOut(moduleId?: string): UserFacingError {
  return new UserFacingError(
    'NOT_FOUND',
    `Nothing to practise${moduleId ? ' in that module' : ''} right now: practice covers only cards your channels' drills have revealed, so it never gives a drill away. More opens with every reveal.`,
  );
}

export async function pastAnswers(
  deps: StudyDeps,
  channel: ChannelRef,
  userId: string,
): Promise<PastAnswer[]> {
  const rows = await memberAnswers(deps.db, channel, userId);
  return rows.map((r) => ({
    questionId: r.question_id,
    cardId: r.card_id,
    moduleId: r.module_id,
    correct: r.correct,
    answeredAt: r.answered_at,
  }));
}

export interface PracticePrompt extends PracticePick {
  promptId: number;
}

export async function startPractice(
  deps: StudyDeps,
  channel: ChannelRef,
  userId: string,
  moduleId?: string,
): Promise<PracticePrompt> {
  const track = trackOf(deps, deps.defaultTrackId);
  const embargo = await practiceEmbargo(deps, channel, userId);
  const past = await pastAnswers(deps, channel, userId);
  const picked = choosePractice(track, past, deps.clock.now(), moduleId, embargo);
  if (!picked) {
    if (embargo.cards.size && choosePractice(track, past, deps.clock.now(), moduleId))
      throw embargoedOut(moduleId);
    throw new UserFacingError('NOT_FOUND', 'There is no question to practise in that module yet.');
  }
  return record(deps, channel, userId, picked);
}

/** Shows the member's next path card with its first question, as a practice prompt. */
export async function startPath(
  deps: StudyDeps,
  channel: ChannelRef,
  userId: string,
): Promise<PracticePrompt> {
  const track = trackOf(deps, deps.defaultTrackId);
  const embargo = await practiceEmbargo(deps, channel, userId);
  const past = await pastAnswers(deps, channel, userId);
  const card = nextPathCard(track, past, embargo);
  if (!card) {
    const picked = choosePractice(track, past, deps.clock.now(), undefined, embargo);
    if (!picked) {
      if (nextPathCard(track, past)) throw embargoedOut();
      throw new UserFacingError('TRACK_FINISHED', 'You have been through the whole track.');
    }
    return record(deps, channel, userId, picked);
  }
  return record(deps, channel, userId, { card, question: card.questions[0]!, reason: 'path' });
}

async function record(
  deps: StudyDeps,
  channel: ChannelRef,
  userId: string,
  p: PracticePick,
): Promise<PracticePrompt> {
  const row = await insertPrompt(deps.db, channel, userId, {
    cardId: p.card.id,
    questionId: p.question.id,
    reason: p.reason,
    at: deps.clock.now(),
  });
  await markShown(deps.db, channel, userId, { kind: 'practice', id: row.id }, deps.clock.now());
  return { ...p, promptId: row.id };
}
