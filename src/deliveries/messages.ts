/** Builds the neutral messages of studying: the drill card, practice questions, answer results, summaries. */

import { LETTERS, type Question, type StudyCard } from '../content/track.ts';
import { cardToText, pct } from '../core/render/text.ts';
import type { Button, Card, CardSection, OutboundMessage } from '../core/types.ts';
import type { Delivery } from '../plans/model.ts';
import { reportButton } from './report-button.ts';

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

export function answerButtons(target: AnswerTarget): Button[] {
  const personal = target.kind === 'practice' ? { personal: true } : {};
  return LETTERS.map((label, i) => ({
    actionId: ANSWER_ACTION,
    value: answerValue(target, i),
    label,
    ...personal,
  }));
}

export function sourcesLine(card: StudyCard): string {
  return `Read more: ${card.sources.map((s) => `[${s.title}](${s.url})`).join(' · ')}`;
}

export function message(card: Card, visibility: OutboundMessage['visibility']): OutboundMessage {
  return { text: cardToText(card), card, visibility };
}

/** A review day's drill shows an already-taught card: the title says so, and how many have it due. */
type ReviewMark = Partial<Pick<Delivery, 'isReview' | 'reviewDue'>>;

function dayTitle(delivery: Pick<Delivery, 'studyDay'> & ReviewMark): string {
  return `Day ${delivery.studyDay}${delivery.isReview ? ' · Review' : ''}`;
}

/** "Review day: 7 of you are due on this". */
function reviewLine(due: number): string {
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
function whyNot(question: Question): string {
  return question.options
    .map((o, i) => (i === question.correctIndex ? undefined : `**${LETTERS[i]}.** ${o.why}`))
    .filter((line) => line !== undefined)
    .join('\n');
}

/**
 * The drill message after reveal: the card stays (it still teaches), the answer buttons give way to "Report a
 * problem", and the question shows the answer, how the channel answered, why it is right and why each other
 * option is wrong.
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
  const rows = question.options.map((o, i) => {
    const n = distribution[i] ?? 0;
    const mark = i === question.correctIndex ? '✅' : '▫️';
    return `${mark} **${LETTERS[i]}.** ${o.text} · ${n} (${pct(n, total, '0%')})`;
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
      footer: `${moduleTitle} · ${delivery.localDate} · ${total} answered · ${pct(right, total, '0%')} correct · closed`,
      accent: 'success',
      buttons: [reportButton('reveal', question.id)],
    },
    'public',
  );
}
