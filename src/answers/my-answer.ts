/** "My answer" under a drill's results: the member's own choice and outcome, privately, from one read each. */
import { UserFacingError } from '../core/errors.ts';
import type { OutboundMessage, UserRef } from '../core/types.ts';
import { type StudyDeps, trackOf } from '../db/deps.ts';
import { findAnswerableDelivery } from '../deliveries/deliveries.repository.ts';
import { myAnswerMessage } from '../deliveries/results-message.ts';
import { findDeliveryAnswer } from './answers.repository.ts';

export async function myAnswer(deps: StudyDeps, user: UserRef, deliveryId: number): Promise<OutboundMessage> {
  const delivery = await findAnswerableDelivery(deps.db, deliveryId);
  // Another workspace's drill is as unknown as a missing one.
  if (!delivery || delivery.platform !== user.platform || delivery.workspace_id !== user.workspaceId)
    throw new UserFacingError('UNKNOWN_ACTION', 'That button is not valid.');
  const question = trackOf(deps, delivery.track_id).question(delivery.question_id)!;
  const answer = await findDeliveryAnswer(deps.db, deliveryId, user.userId);
  return myAnswerMessage(question, answer, delivery.revealed_at !== null);
}
