/** A posted drill as a member's click on one of its buttons reaches it: only in the member's own workspace. */
import type { Track } from '../content/track.ts';
import { UserFacingError } from '../core/errors.ts';
import type { OutboundMessage, UserRef } from '../core/types.ts';
import { hasTrack, type StudyDeps, trackOf } from '../db/deps.ts';
import type { DeliveryRow } from '../db/schema.ts';
import { ensureTrack } from '../db/track-versions.ts';
import { findAnswerableDelivery } from './deliveries.repository.ts';
import { fullCardMessage, type ReadCardTarget } from './messages.ts';

const invalid = () => new UserFacingError('UNKNOWN_ACTION', 'That button is not valid.');

/**
 * The delivery a button names, with the track version it was posted from. Another workspace's delivery is as
 * unknown as a missing one; a workspace track's version another process stored is read when this one has not.
 */
export async function memberDelivery(
  deps: StudyDeps,
  user: UserRef,
  deliveryId: number,
): Promise<{ delivery: DeliveryRow; track: Track }> {
  const delivery = await findAnswerableDelivery(deps.db, deliveryId);
  if (!delivery || delivery.platform !== user.platform || delivery.workspace_id !== user.workspaceId)
    throw invalid();
  await ensureTrack(deps, delivery.track_id);
  if (!hasTrack(deps, delivery.track_id))
    throw new UserFacingError('NOT_FOUND', 'That drill’s track is no longer available.');
  return { delivery, track: trackOf(deps, delivery.track_id) };
}

/**
 * "Read the card": the delivered card in full. Buttons posted before drills named their delivery carry a
 * built-in track and card, which read the same in every workspace.
 */
export async function readCard(
  deps: StudyDeps,
  user: UserRef,
  target: ReadCardTarget,
): Promise<OutboundMessage> {
  const { track, cardId } =
    'deliveryId' in target
      ? await memberDelivery(deps, user, target.deliveryId).then(({ delivery, track }) => ({
          track,
          cardId: delivery.card_id,
        }))
      : { track: deps.tracks.get(target.trackId), cardId: target.cardId };
  const card = track?.card(cardId);
  if (!track || !card) throw invalid();
  return fullCardMessage(card, track.module(card.moduleId)!.title);
}
