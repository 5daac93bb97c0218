/** A practice question as a member sees it: why this one, and the buttons that answer it. */
import type { OutboundMessage } from '../core/types.ts';
import {
  answerButtons,
  cardSections,
  message,
  questionSection,
  sourcesLine,
} from '../deliveries/messages.ts';
import type { PracticePrompt } from './practice.ts';

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
      accent: 'drill',
      buttons: answerButtons({ kind: 'practice', id: prompt.promptId }),
    },
    'ephemeral',
  );
}
