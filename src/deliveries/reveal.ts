/** Revealing a delivery: take the reveal lease, edit the posted message to show the answer, record it. */
import { PublishError } from '../core/outbound.ts';
import type { MessageRef } from '../core/types.ts';
import { deliveryFromRow } from '../plans/model.ts';
import { deliveryMessage } from './delivery-message.ts';
import { type DispatchContext, deliveryLogFields, type RunReport } from './dispatch-context.ts';
import { claimReveal, markRevealed } from './posting.repository.ts';
import { withDeadline } from './run-limits.ts';

const REVEAL_LEASE_MS = 60_000;

export async function revealDelivery(
  ctx: DispatchContext,
  deliveryId: number,
  now: Date,
  report: RunReport,
): Promise<void> {
  const { deps, log } = ctx;
  const row = await claimReveal(deps.db, deliveryId, now, new Date(now.getTime() + REVEAL_LEASE_MS));
  if (!row) return;
  const platform = row.platform;
  const context = deliveryLogFields(row);
  const publisher = deps.publishers.get(platform);
  if (row.post_status === 'posted' && row.message_id) {
    if (!publisher) return; // Only listed for served platforms; kept for a publisher removed meanwhile.
    const delivery = deliveryFromRow(row);
    const ref: MessageRef = { channel: delivery.channel, messageId: row.message_id };
    try {
      const message = await deliveryMessage(deps, delivery, 'revealed');
      await withDeadline(() => publisher.update(ref, message), ctx.postTimeoutMs, 'revealing');
    } catch (err) {
      if (!(err instanceof PublishError && err.permanent)) {
        log.info({ ...context, err }, 'reveal will be retried');
        return; // The lease lapses and the next run tries again.
      }
      log.warn({ ...context, err }, 'reveal could not update the message; marking it revealed');
    }
  }
  await markRevealed(deps.db, row.id, deps.clock.now());
  report.revealed++;
  ctx.metrics.delivery(platform, 'revealed');
  log.info(context, 'drill revealed');
}
