/** The message a posted drill shows, open or revealed: what posting, revealing and the live count send. */
import type { OutboundMessage } from '../core/types.ts';
import { type StudyDeps, trackOf } from '../db/deps.ts';
import type { Delivery } from '../plans/model.ts';
import { countAnswers } from './deliveries.repository.ts';
import { drillMessage, revealMessage } from './messages.ts';
import { answerDistribution } from './posting.repository.ts';

/**
 * While open, the card and question with buttons and how many answered; once revealed, the answer, the
 * distribution and the explanation instead of the buttons, from the track the delivery was opened with.
 * The count of answers, when the caller read it already, comes in `known` and is not read again.
 */
export async function deliveryMessage(
  deps: StudyDeps,
  delivery: Delivery,
  state: 'open' | 'revealed',
  known: { answered?: number } = {},
): Promise<OutboundMessage> {
  const track = trackOf(deps, delivery.trackId);
  const card = track.card(delivery.cardId)!;
  const question = track.question(delivery.questionId)!;
  const moduleTitle = track.module(card.moduleId)!.title;
  return state === 'open'
    ? drillMessage(
        card,
        question,
        delivery,
        moduleTitle,
        known.answered ?? (await countAnswers(deps.db, delivery.id)),
      )
    : revealMessage(card, question, delivery, moduleTitle, await answerDistribution(deps.db, delivery.id));
}
