/** "My answer" under a drill's results: the member's own choice and outcome, privately, from one read each. */
import { UserFacingError } from '../core/errors.ts';
import type { OutboundMessage, UserRef } from '../core/types.ts';
import type { StudyDeps } from '../db/deps.ts';
import { memberDelivery } from '../deliveries/member-delivery.ts';
import { myAnswerMessage } from '../deliveries/results-message.ts';
import { findDeliveryAnswer } from './answers.repository.ts';

export async function myAnswer(deps: StudyDeps, user: UserRef, deliveryId: number): Promise<OutboundMessage> {
  const { delivery, track } = await memberDelivery(deps, user, deliveryId);
  const question = track.question(delivery.question_id);
  if (!question)
    throw new UserFacingError('NOT_FOUND', 'That drill’s question is no longer in the curriculum.');
  const answer = await findDeliveryAnswer(deps.db, deliveryId, user.userId);
  return myAnswerMessage(question, answer, delivery.revealed_at !== null);
}
