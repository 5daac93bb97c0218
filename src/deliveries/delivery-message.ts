/** The message a posted drill shows, open or revealed: what posting, revealing and the live count send. */
import type { OutboundMessage } from '../core/types.ts';
import type { StudyDeps } from '../db/deps.ts';
import { trackFor } from '../db/track-versions.ts';
import type { Delivery } from '../plans/model.ts';
import { countAnswers } from './deliveries.repository.ts';
import { drillMessage, revealMessage } from './messages.ts';
import { answerDistribution } from './posting.repository.ts';
import { resultsMessage } from './results-message.ts';

/** The card and question a delivery shows, from the track version it was opened with. */
async function studied(deps: StudyDeps, delivery: Delivery) {
  const track = await trackFor(deps, delivery.trackId);
  const card = track.card(delivery.cardId)!;
  return {
    track,
    card,
    question: track.question(delivery.questionId)!,
    moduleTitle: track.module(card.moduleId)!.title,
  };
}

/**
 * While open, the card and question with buttons and how many answered; once revealed, the answer, the
 * distribution and the explanation instead of the buttons. What the caller read already (the count of
 * answers, the distribution) comes in `known` and is not read again.
 */
export async function deliveryMessage(
  deps: StudyDeps,
  delivery: Delivery,
  state: 'open' | 'revealed',
  known: { answered?: number; distribution?: readonly number[] } = {},
): Promise<OutboundMessage> {
  const { track, card, question, moduleTitle } = await studied(deps, delivery);
  return state === 'open'
    ? drillMessage(
        track,
        card,
        question,
        delivery,
        known.answered ?? (await countAnswers(deps.db, delivery.id)),
      )
    : revealMessage(
        card,
        question,
        delivery,
        moduleTitle,
        known.distribution ?? (await answerDistribution(deps.db, delivery.id)),
      );
}

/** The results reply of a revealed delivery: the share right, the answer, why, and `link` back to the drill. */
export async function resultsPost(
  deps: StudyDeps,
  delivery: Delivery,
  link: string | undefined,
  distribution?: readonly number[],
): Promise<OutboundMessage> {
  const { card, question } = await studied(deps, delivery);
  const counts = distribution ?? (await answerDistribution(deps.db, delivery.id));
  return resultsMessage(card, question, delivery, counts, link);
}
