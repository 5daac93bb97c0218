/**
 * Revealing a delivery: take the reveal lease, edit the posted message to show the answer, post the results
 * as a reply to it, record both. Every step is safe to repeat after a crash: the edit is idempotent, and the
 * results post carries an idempotency key and, once attempted, looks for its earlier attempt first.
 */
import { PublishError, type Publisher } from '../core/outbound.ts';
import type { MessageRef } from '../core/types.ts';
import type { DeliveryRow } from '../db/schema.ts';
import { deliveryFromRow } from '../plans/model.ts';
import { deliveryMessage, resultsPost } from './delivery-message.ts';
import { type DispatchContext, deliveryLogFields, type RunReport } from './dispatch-context.ts';
import {
  answerDistribution,
  claimReveal,
  markResultsAttempted,
  markResultsPosted,
  markRevealed,
} from './posting.repository.ts';
import { withDeadline } from './run-limits.ts';

const REVEAL_LEASE_MS = 60_000;

export async function revealDelivery(
  ctx: DispatchContext,
  now: Date,
  report: RunReport,
  deliveryId: number,
): Promise<void> {
  const { deps, log } = ctx;
  const row = await claimReveal(deps.db, deliveryId, now, new Date(now.getTime() + REVEAL_LEASE_MS));
  if (!row) return;
  const platform = row.platform;
  const context = deliveryLogFields(row);
  const publisher = deps.publishers.get(platform);
  if (row.post_status === 'posted' && row.message_id) {
    if (!publisher) return; // Only listed for served platforms; kept for a publisher removed meanwhile.
    try {
      await revealPosted(ctx, publisher, row, row.message_id);
    } catch (err) {
      if (!(err instanceof PublishError && err.permanent)) {
        log.info({ ...context, err }, 'reveal will be retried');
        return; // The lease lapses and the next run tries again.
      }
      log.warn({ ...context, err }, 'reveal could not update or reply to the message; marking it revealed');
    }
  }
  await markRevealed(deps.db, row.id, deps.clock.now());
  report.revealed++;
  ctx.metrics.delivery(platform, 'revealed');
  log.info(context, 'drill revealed');
}

/**
 * The edit that shows the answer, then the results reply, each once: the results attempt is recorded after
 * the edit, so a retry after it skips the edit and looks for the reply its earlier attempt may have posted.
 */
async function revealPosted(
  ctx: DispatchContext,
  publisher: Publisher,
  row: DeliveryRow,
  messageId: string,
): Promise<void> {
  const { deps } = ctx;
  const delivery = deliveryFromRow(row);
  const ref: MessageRef = { channel: delivery.channel, messageId };
  const earlier = row.results_attempted_at;
  // Answers are closed by now: one read of how they fell serves the edit and the reply.
  const distribution = await answerDistribution(deps.db, row.id);
  if (!earlier) {
    const message = await deliveryMessage(deps, delivery, 'revealed', { distribution });
    await withDeadline(() => publisher.update(ref, message), ctx.postTimeoutMs, 'revealing');
    // Recorded before the post: if this process dies after the post lands, the next attempt looks for it.
    await markResultsAttempted(deps.db, row.id, deps.clock.now());
  }
  if (row.results_message_id) return;
  const link = await publisher.link?.(ref).catch(() => undefined);
  const results = await resultsPost(deps, delivery, link, distribution);
  const posted = await withDeadline(
    (signal) =>
      publisher.post(delivery.channel, results, {
        idempotencyKey: `results-${row.id}`,
        replyTo: messageId,
        signal,
        ...(earlier ? { earlierAttemptSince: earlier } : {}),
      }),
    ctx.postTimeoutMs,
    'posting the results',
  );
  await markResultsPosted(deps.db, row.id, posted.messageId);
}
