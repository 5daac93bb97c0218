/**
 * The practice policy the bot used before member memory (src/memory) replaced it, kept only as the benchmark's
 * baseline: a question answered wrong came back once 20 hours had passed, then unanswered questions from the
 * member's weakest modules, then new material in track order; a question answered right never returned until
 * everything had been answered.
 */

import type { PastAnswer } from '../src/answers/answers.repository.ts';
import type { Question, StudyCard, Track } from '../src/content/track.ts';
import { type Embargo, isEmbargoed } from '../src/practice/embargo.ts';

/** A question answered wrong comes back for review after this long. */
export const REVIEW_AFTER_MS = 20 * 60 * 60 * 1000;
/** A module is weak below this accuracy, once the member has answered enough in it. */
export const WEAK_ACCURACY = 0.7;
export const WEAK_MIN_ANSWERS = 3;

export type OldPracticeReason = 'review' | 'weak' | 'new' | 'refresh';

export interface OldPracticePick {
  card: StudyCard;
  question: Question;
  reason: OldPracticeReason;
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
): OldPracticePick | undefined {
  const inScope = (q: Question) => (!moduleId || q.moduleId === moduleId) && !isEmbargoed(embargo, q.cardId);
  const latest = new Map<string, PastAnswer>();
  for (const a of answers) {
    const seen = latest.get(a.questionId);
    if (!seen || seen.answeredAt < a.answeredAt) latest.set(a.questionId, a);
  }
  const pick = (question: Question, reason: OldPracticeReason): OldPracticePick => ({
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
