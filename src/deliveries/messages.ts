/** Builds the neutral messages of studying: the drill card, practice questions, answer results, summaries. */

import type { AnswerOutcome } from '../answers/answering.ts';
import type { StreakState } from '../answers/streaks.ts';
import { LETTERS, type Question, type StudyCard } from '../content/track.ts';
import { cardToText } from '../core/render/text.ts';
import type { Button, Card, CardSection, OutboundMessage } from '../core/types.ts';
import type { Delivery } from '../plans/model.ts';
import type { PracticePrompt } from '../practice/practice.ts';

const DIFFICULTY = ['', 'basic', 'intermediate', 'advanced'];

/** Button ids carry the target and the choice, so a click works on any instance and after restarts. */
export const ANSWER_ACTION = 'roadmap.answer';
export type AnswerTarget = { kind: 'delivery'; id: number } | { kind: 'practice'; id: number };

export function answerValue(target: AnswerTarget, choice: number): string {
  return `${target.kind === 'delivery' ? 'd' : 'p'}:${target.id}:${choice}`;
}

export function parseAnswerValue(value: string): { target: AnswerTarget; choice: number } | undefined {
  const m = /^([dp]):(\d{1,15}):([0-3])$/.exec(value);
  if (!m) return undefined;
  return { target: { kind: m[1] === 'd' ? 'delivery' : 'practice', id: Number(m[2]) }, choice: Number(m[3]) };
}

export function cardSections(card: StudyCard): CardSection[] {
  const sections: CardSection[] = [
    { body: card.summary },
    { heading: 'Key points', body: card.points.map((p) => `- ${p}`).join('\n') },
  ];
  if (card.example)
    sections.push({
      heading: 'Example',
      body: `\`\`\`${card.example.lang ?? ''}\n${card.example.code}\n\`\`\``,
    });
  return sections;
}

export function questionSection(question: Question): CardSection {
  return {
    heading: 'Question',
    body: `**${question.stem}**\n${question.options.map((o, i) => `**${LETTERS[i]}.** ${o.text}`).join('\n')}`,
  };
}

function answerButtons(target: AnswerTarget): Button[] {
  return LETTERS.map((label, i) => ({ actionId: ANSWER_ACTION, value: answerValue(target, i), label }));
}

function sourcesLine(card: StudyCard): string {
  return `Read more: ${card.sources.map((s) => `[${s.title}](${s.url})`).join(' · ')}`;
}

function message(card: Card, visibility: OutboundMessage['visibility']): OutboundMessage {
  return { text: cardToText(card), card, visibility };
}

/** A review day's drill shows an already-taught card: the title says so, and how many have it due. */
type ReviewMark = Partial<Pick<Delivery, 'isReview' | 'reviewDue'>>;

function dayTitle(delivery: Pick<Delivery, 'studyDay'> & ReviewMark): string {
  return `Day ${delivery.studyDay}${delivery.isReview ? ' · Review' : ''}`;
}

/** "Review day: 7 of you are due on this". */
export function reviewLine(due: number): string {
  if (due === 0) return 'Review day: the card this channel is closest to forgetting.';
  return `Review day: ${due} of you ${due === 1 ? 'is' : 'are'} due on this.`;
}

export function drillMessage(
  card: StudyCard,
  question: Question,
  delivery: Pick<Delivery, 'id' | 'studyDay' | 'late' | 'localDate'> & ReviewMark,
  moduleTitle: string,
  answered: number,
): OutboundMessage {
  const late = delivery.late ? ' (posted late)' : '';
  const review = delivery.isReview ? [{ body: `🔁 ${reviewLine(delivery.reviewDue ?? 0)}` }] : [];
  return message(
    {
      title: `${dayTitle(delivery)} · ${card.title}`,
      sections: [...review, ...cardSections(card), questionSection(question), { body: sourcesLine(card) }],
      footer: `${moduleTitle} · ${DIFFICULTY[card.difficulty]} · ${delivery.localDate}${late} · ${answered} answered`,
      accent: 'info',
      buttons: answerButtons({ kind: 'delivery', id: delivery.id }),
    },
    'public',
  );
}

/** Why each wrong option is wrong, one line per option, in option order. */
export function whyNot(question: Question): string {
  return question.options
    .map((o, i) => (i === question.correctIndex ? undefined : `**${LETTERS[i]}.** ${o.why}`))
    .filter((line) => line !== undefined)
    .join('\n');
}

/**
 * The drill message after reveal: the card stays (it still teaches), the buttons go, and the question shows
 * the answer, how the channel answered, why it is right and why each other option is wrong.
 */
export function revealMessage(
  card: StudyCard,
  question: Question,
  delivery: Pick<Delivery, 'studyDay' | 'localDate'> & ReviewMark,
  moduleTitle: string,
  distribution: readonly number[],
): OutboundMessage {
  const total = distribution.reduce((a, b) => a + b, 0);
  const right = distribution[question.correctIndex] ?? 0;
  const percent = total === 0 ? 0 : Math.round((right / total) * 100);
  const rows = question.options.map((o, i) => {
    const n = distribution[i] ?? 0;
    const share = total === 0 ? 0 : Math.round((n / total) * 100);
    const mark = i === question.correctIndex ? '✅' : '▫️';
    return `${mark} **${LETTERS[i]}.** ${o.text} · ${n} (${share}%)`;
  });
  return message(
    {
      title: `${dayTitle(delivery)} · ${card.title} · answer: ${LETTERS[question.correctIndex]}`,
      sections: [
        ...cardSections(card),
        { heading: 'Question', body: `**${question.stem}**\n${rows.join('\n')}` },
        { heading: 'Why', body: question.explanation },
        { heading: 'Why not the others', body: whyNot(question) },
        { body: sourcesLine(card) },
      ],
      footer: `${moduleTitle} · ${delivery.localDate} · ${total} answered · ${percent}% correct · closed`,
      accent: 'success',
    },
    'public',
  );
}

const REASONS: Record<PracticePrompt['reason'], string> = {
  review: 'Review: you missed this one before',
  due: 'Review: due now, before you forget it',
  new: 'New material',
  path: 'Your next card',
  refresh: 'A refresher',
  missed: 'Review session: one of your misses',
};

export function practiceMessage(
  prompt: PracticePrompt,
  moduleTitle: string,
  withCard: boolean,
  /** In a review session: the misses still to answer right, this one included. */
  missesLeft?: number,
): OutboundMessage {
  const reason =
    missesLeft === undefined ? REASONS[prompt.reason] : `${REASONS[prompt.reason]} (${missesLeft} left)`;
  const sections = withCard
    ? [...cardSections(prompt.card), questionSection(prompt.question), { body: sourcesLine(prompt.card) }]
    : [questionSection(prompt.question)];
  return message(
    {
      title: withCard ? prompt.card.title : `Practice · ${prompt.card.title}`,
      sections,
      footer: `${reason} · ${moduleTitle} · practice answers do not count on the board`,
      accent: 'info',
      buttons: answerButtons({ kind: 'practice', id: prompt.promptId }),
    },
    'ephemeral',
  );
}

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
      accent: correct ? 'success' : 'warning',
    },
    'ephemeral',
  );
}

/** `me`: "due now: 3 · retention estimate: 87%" (a dash before the first review). */
export function memoryLine(memory: { dueNow: number; retention: number | undefined }): string {
  const retention = memory.retention === undefined ? '—' : `${Math.round(memory.retention * 100)}%`;
  return `due now: ${memory.dueNow} · retention estimate: ${retention}`;
}

/** Consecutive days with practice: "3 days". */
export function reviewStreakText(days: number): string {
  return `${days} day${days === 1 ? '' : 's'}`;
}

/** When the card comes back: "Next review tomorrow", "Next review in 4 days". */
export function nextReviewText(from: Date, due: Date): string {
  const days = Math.round((due.getTime() - from.getTime()) / 86_400_000);
  if (days <= 0) return 'Next review today';
  return days === 1 ? 'Next review tomorrow' : `Next review in ${days} days`;
}

/** A one-line reply with no card. */
export function plain(
  text: string,
  visibility: OutboundMessage['visibility'] = 'ephemeral',
): OutboundMessage {
  return { text, visibility };
}
