/** The message a posted drill shows, open or revealed: what posting, revealing and the live count send. */
import type { OutboundMessage } from '../core/types.ts';
import { type StudyDeps, trackOf } from '../db/deps.ts';
import { findDrillById } from '../plans/drills.repository.ts';
import type { Delivery } from '../plans/model.ts';
import { countAnswers } from './deliveries.repository.ts';
import { drillMessage, revealMessage } from './messages.ts';
import { answerDistribution } from './posting.repository.ts';
import { resultsMessage } from './results-message.ts';

/**
 * While open, the card and question with buttons and how many answered; once revealed, the answer, the
 * distribution and the explanation instead of the buttons. `trackId` is the drill's track when the caller
 * read the drill already; otherwise the drill is read here.
 */
async function studied(deps: StudyDeps, delivery: Delivery, trackId?: string) {
  const track = trackOf(
    deps,
    trackId ?? (await findDrillById(deps.db, delivery.drillId))?.track_id ?? deps.defaultTrackId,
  );
  const card = track.card(delivery.cardId)!;
  return {
    track,
    card,
    question: track.question(delivery.questionId)!,
    moduleTitle: track.module(card.moduleId)!.title,
  };
}

export async function deliveryMessage(
  deps: StudyDeps,
  delivery: Delivery,
  state: 'open' | 'revealed',
  trackId?: string,
): Promise<OutboundMessage> {
  const { track, card, question, moduleTitle } = await studied(deps, delivery, trackId);
  return state === 'open'
    ? drillMessage(track, card, question, delivery, await countAnswers(deps.db, delivery.id))
    : revealMessage(card, question, delivery, moduleTitle, await answerDistribution(deps.db, delivery.id));
}

/** The results reply of a revealed delivery: the share right, the answer, why, and `link` back to the drill. */
export async function resultsPost(
  deps: StudyDeps,
  delivery: Delivery,
  link: string | undefined,
): Promise<OutboundMessage> {
  const { card, question } = await studied(deps, delivery);
  return resultsMessage(card, question, delivery, await answerDistribution(deps.db, delivery.id), link);
}
