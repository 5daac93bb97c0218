/**
 * Keeps a posted drill's "N answered" current without flooding the platform: clicks mark the delivery dirty
 * and one update per delivery goes out per window, however many members answer in it.
 */
import type { Publishers } from '../core/outbound.ts';
import type { StudyDeps } from '../db/deps.ts';
import { trackFor } from '../db/track-versions.ts';
import { deliveryFromRow, isOpen } from '../plans/model.ts';
import { findLiveDelivery } from './deliveries.repository.ts';
import { drillMessage } from './messages.ts';

/**
 * Three seconds keeps a busy drill well under Slack's chat.update limit (Tier 3, about 50 a minute per
 * workspace) and Discord's per-channel edit bucket, while a member still sees the count move.
 */
const LIVE_COUNT_WINDOW_MS = 3000;

export interface LiveCounts {
  changed(deliveryId: number): void;
  /** Sends every pending update now (shutdown, tests). */
  flush(): Promise<void>;
  stop(): Promise<void>;
}

export function createLiveCounts(
  deps: StudyDeps & { publishers: Publishers },
  windowMs = LIVE_COUNT_WINDOW_MS,
): LiveCounts {
  const pending = new Map<number, NodeJS.Timeout>();
  const inFlight = new Set<Promise<void>>();

  /** One statement: the delivery's state, its drill's track and its count; no other row is loaded. */
  async function refresh(deliveryId: number): Promise<void> {
    const row = await findLiveDelivery(deps.db, deliveryId);
    if (row?.post_status !== 'posted' || !row.message_id || row.revealed_at) return;
    const delivery = deliveryFromRow(row);
    // Once closed, the reveal owns the message; a late count must not overwrite it.
    if (!isOpen(delivery, deps.clock.now()) || row.reveal_lease_until) return;
    const publisher = deps.publishers.get(row.platform);
    if (!publisher) return;
    const track = await trackFor(deps, row.track_id);
    const card = track.card(delivery.cardId)!;
    const question = track.question(delivery.questionId)!;
    await publisher.update(
      { channel: delivery.channel, messageId: row.message_id },
      drillMessage(track, card, question, delivery, row.answered),
    );
  }

  function run(deliveryId: number): void {
    pending.delete(deliveryId);
    const p = refresh(deliveryId)
      .catch((err) => deps.log.info({ deliveryId, err }, 'could not update the answer count'))
      .finally(() => inFlight.delete(p));
    inFlight.add(p);
  }

  return {
    changed(deliveryId) {
      if (pending.has(deliveryId)) return;
      const timer = setTimeout(() => run(deliveryId), windowMs);
      timer.unref();
      pending.set(deliveryId, timer);
    },
    async flush() {
      for (const [id, timer] of pending) {
        clearTimeout(timer);
        run(id);
      }
      await Promise.all(inFlight);
    },
    async stop() {
      await this.flush();
    },
  };
}
