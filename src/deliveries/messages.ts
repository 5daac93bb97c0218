/** Builds the neutral messages of studying: the drill card, practice questions, answer results, summaries. */

import { sentencesWithin } from '../content/brief.ts';
import { LETTERS, type Question, type StudyCard, type Track } from '../content/track.ts';
import { cardToText, pct } from '../core/render/text.ts';
import {
  BUTTON_LABEL_MAX,
  type Button,
  type Card,
  type CardSection,
  type OutboundMessage,
} from '../core/types.ts';
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

/** "Read the card": the full card, privately, from a drill that shows only its brief. */
export const READ_CARD_ACTION = 'roadmap.card';

/** What a "Read the card" button opens: its delivery's card (`c:<delivery>`), or, on older posts, a track's card. */
export type ReadCardTarget = { deliveryId: number } | { trackId: string; cardId: string };

export function parseReadCardValue(value: string): ReadCardTarget | undefined {
  const id = /^c:(\d{1,15})$/.exec(value);
  if (id) return { deliveryId: Number(id[1]) };
  const m = /^c:([a-z0-9-]{1,30}):([a-z0-9][a-z0-9.-]{0,59})$/.exec(value);
  return m ? { trackId: m[1]!, cardId: m[2]! } : undefined;
}

function readCardButton(deliveryId: number): Button {
  return { actionId: READ_CARD_ACTION, value: `c:${deliveryId}`, label: 'Read the card', key: 'R' };
}

/** An option as its button's label ("A · Idempotent"), or undefined when it does not fit a button. */
function optionLabel(question: Question, i: number): string | undefined {
  const label = `${LETTERS[i]} · ${question.options[i]!.text.replace(/`/g, '')}`;
  return label.length <= BUTTON_LABEL_MAX ? label : undefined;
}

/**
 * The drill's answers. When every option fits on its button the option is the button (and the message shows
 * only the question); otherwise the buttons are the letters and the options are listed in the message.
 * Answers are the primary action of a drill, so they are primary buttons; "Read the card" is secondary.
 */
function drillQuestion(question: Question, deliveryId: number): { section: CardSection; buttons: Button[] } {
  const labels = question.options.map((_, i) => optionLabel(question, i));
  const onButtons = labels.every((l) => l !== undefined);
  const buttons = answerButtons({ kind: 'delivery', id: deliveryId }).map(
    (b, i): Button => ({ ...b, label: onButtons ? labels[i]! : b.label, key: LETTERS[i]!, style: 'primary' }),
  );
  // The options stay in the message when they are not on the buttons; the heading goes (it is plainly a question).
  const section = { body: onButtons ? `**${question.stem}**` : questionSection(question).body };
  return { section, buttons };
}

/**
 * A drill post's visible text on either platform stays within this many characters: read in fifteen seconds.
 * `content:check` measures every drill through the real Slack and Discord renderers against it.
 */
export const DRILL_VISIBLE_MAX = 900;
/** Less of a brief than this is not worth showing: the post leaves it to "Read the card". */
const BRIEF_MIN = 80;
/** Room for an answer count that grows while the drill is open, so the brief shown does not change with it. */
const COUNT_ROOM = 6;

/**
 * The card's brief as the post shows it: whole, or its whole sentences that fit beside the rest of the post
 * (the question and options come first). Counted generously: every line of the post in its source form,
 * markup included, and the title twice, since Discord's notification line repeats it above the embed.
 */
function fittedBrief(brief: string, rest: readonly string[]): string | undefined {
  const used = rest.reduce((n, text) => n + text.length + 1, COUNT_ROOM);
  const room = DRILL_VISIBLE_MAX - used;
  if (brief.length <= room) return brief;
  return room < BRIEF_MIN ? undefined : sentencesWithin(brief, room);
}

/**
 * The channel's drill: the title, the card's brief, the question and its options, and "Read the card" for
 * the whole card (ephemeral). Short enough to read in a busy channel (DRILL_VISIBLE_MAX); the reveal shows
 * the full card.
 */
export function drillMessage(
  track: Pick<Track, 'id' | 'module'>,
  card: StudyCard,
  question: Question,
  delivery: Pick<Delivery, 'id' | 'studyDay' | 'late' | 'localDate'> & ReviewMark,
  answered: number,
): OutboundMessage {
  const late = delivery.late ? ' · posted late' : '';
  const review = delivery.isReview ? [{ body: `🔁 ${reviewLine(delivery.reviewDue ?? 0)}` }] : [];
  const { section, buttons } = drillQuestion(question, delivery.id);
  const moduleTitle = track.module(card.moduleId)!.title;
  const title = `${dayTitle(delivery)} · ${card.title}`;
  const footer = `${moduleTitle} · ${DIFFICULTY[card.difficulty]}${late} · ${answered} answered`;
  const allButtons = [...buttons, readCardButton(delivery.id)];
  const rest = [
    title,
    title,
    ...review.map((r) => r.body),
    section.body,
    footer,
    ...allButtons.map((b) => b.label),
  ];
  const brief = fittedBrief(card.brief, rest);
  return message(
    {
      title,
      sections: [...review, ...(brief ? [{ body: brief }] : []), section],
      footer,
      accent: 'drill',
      buttons: allButtons,
    },
    'public',
  );
}

/** The whole card a "Read the card" button opens, for the member who pressed it. */
export function fullCardMessage(card: StudyCard, moduleTitle: string): OutboundMessage {
  return message(
    {
      title: card.title,
      sections: [...cardSections(card), { body: sourcesLine(card) }],
      footer: `${moduleTitle} · ${DIFFICULTY[card.difficulty]}`,
      accent: 'drill',
    },
    'ephemeral',
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
      accent: 'results',
      buttons: [reportButton('reveal', question.id)],
    },
    'public',
  );
}
