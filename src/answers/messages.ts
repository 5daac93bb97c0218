/** What a member reads after answering, and the lines `me` is made of: streak, memory, next review. */
import { LETTERS } from '../content/track.ts';
import { pct } from '../core/render/text.ts';
import type { CardSection, OutboundMessage } from '../core/types.ts';
import { message } from '../deliveries/messages.ts';
import type { AnswerOutcome } from './answering.ts';
import type { StreakState } from './streaks.ts';

export function streakLine(streak: StreakState): string {
  const freezes = streak.freezes ? ` · ${streak.freezes} freeze${streak.freezes > 1 ? 's' : ''} banked` : '';
  return `Streak: ${streak.current} study day${streak.current === 1 ? '' : 's'} (best ${streak.best})${freezes}`;
}

/**
 * The result of an answer. `named` leads with the question answered: `/roadmap answer B` picks the question
 * itself, so the member sees which one it was (a button already sits on its question).
 */
export function answerResultMessage(outcome: AnswerOutcome, named = false): OutboundMessage {
  const { question, choice, correct } = outcome;
  const right = LETTERS[question.correctIndex];
  const sections: CardSection[] = [];
  if (named) {
    const what =
      outcome.source === 'drill' ? `Drill${outcome.studyDay ? `, day ${outcome.studyDay}` : ''}` : 'Practice';
    sections.push({ body: `${what} · **${outcome.card.title}**: ${question.stem}` });
  }
  if (!correct) {
    sections.push({ body: `You chose **${LETTERS[choice]}**: ${question.options[choice]!.why}` });
  }
  sections.push({
    body: `**${right}. ${question.options[question.correctIndex]!.text}**\n${question.explanation}`,
  });
  const tail: string[] = [];
  if (outcome.source === 'drill') tail.push(`+${outcome.points} points`);
  if (outcome.nextReview) tail.push(nextReviewText(outcome.nextReview.answeredAt, outcome.nextReview.due));
  if (outcome.streak) tail.push(streakLine(outcome.streak));
  if (outcome.source === 'practice')
    tail.push(
      outcome.reviewSession
        ? 'Review: /roadmap review for your next miss'
        : 'Practice: /roadmap quiz for another',
    );
  return message(
    {
      title: correct ? `✅ Correct: ${right}` : `❌ Not quite: the answer is ${right}`,
      sections,
      footer: tail.join(' · '),
      accent: correct ? 'results' : 'attention',
    },
    'ephemeral',
  );
}

/** `me`: "due now: 3 · retention estimate: 87%" (a dash before the first review). */
export function memoryLine(memory: { dueNow: number; retention: number | undefined }): string {
  const retention = memory.retention === undefined ? '—' : pct(memory.retention, 1);
  return `due now: ${memory.dueNow} · retention estimate: ${retention}`;
}

/** Consecutive days with practice: "3 days". */
export function reviewStreakText(days: number): string {
  return `${days} day${days === 1 ? '' : 's'}`;
}

/** When the card comes back: "Next review tomorrow", "Next review in 4 days". */
function nextReviewText(from: Date, due: Date): string {
  const days = Math.round((due.getTime() - from.getTime()) / 86_400_000);
  if (days <= 0) return 'Next review today';
  return days === 1 ? 'Next review tomorrow' : `Next review in ${days} days`;
}
