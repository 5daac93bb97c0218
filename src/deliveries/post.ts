/**
 * Posting a delivery: take the posting lease, post, record the message id. A transient failure keeps the
 * lease until its retry time; a permanent one pauses the drill and tells its managers.
 */
import { localDateOf } from '../core/calendar.ts';
import { PublishError, type Publisher } from '../core/outbound.ts';
import { channelRef, managerCommand } from '../core/render/text.ts';
import type { DeliveryRow } from '../db/schema.ts';
import { pauseDrill } from '../plans/drills.repository.ts';
import { deliveryFromRow } from '../plans/model.ts';
import { deliveryMessage } from './delivery-message.ts';
import { type DispatchContext, deliveryLogFields, type RunReport } from './dispatch-context.ts';
import {
  claimPost,
  managerIdsToNotify,
  markPosted,
  markPostFailed,
  type UnpostedDelivery,
} from './posting.repository.ts';
import { withDeadline } from './run-limits.ts';
import { markNotPosted } from './slots.repository.ts';

/** Pauses a drill whose posts cannot succeed and tells whoever can fix it, where the bot still reaches them. */
async function pauseForGood(
  ctx: DispatchContext,
  row: DeliveryRow & Pick<UnpostedDelivery, 'created_by'>,
  err: PublishError,
  now: Date,
): Promise<void> {
  const { deps, log } = ctx;
  await pauseDrill(deps.db, row.drill_id, err.reason, now);
  log.warn(
    { drillId: row.drill_id, code: err.code, reason: err.reason },
    'drill paused: posting cannot succeed',
  );
  const publisher = deps.publishers.get(row.platform);
  if (!publisher) return;
  const text =
    `The study drill in ${channelRef({ channelId: row.channel_id })} is paused: ${err.reason}. ` +
    `Fix it, then run \`${managerCommand('schedule resume')}\` in that channel.`;
  for (const userId of await managerIdsToNotify(deps.db, row)) {
    try {
      await publisher.sendDirect({ platform: row.platform, workspaceId: row.workspace_id, userId }, { text });
    } catch (notifyErr) {
      log.info(
        { drillId: row.drill_id, userId, err: notifyErr },
        'could not tell a manager about a paused drill',
      );
    }
  }
}

/**
 * When a failed post is tried again, or null when it never will be. Transient failures retry until the
 * catch-up window closes (then the day expires unposted); the backoff doubles from 30 s to 10 min and the
 * lease keeps every instance off the row until then. A 429's Retry-After is honoured here, by the one owner
 * of retries, not by the platform client.
 */
function retryTime(ctx: DispatchContext, err: unknown, attempts: number, now: Date): Date | null {
  if (err instanceof PublishError && err.permanent) return null;
  const backoff = Math.min(30_000 * 2 ** Math.min(attempts - 1, 5), 10 * 60_000);
  const retryAfter = err instanceof PublishError ? (err.retryAfterMs ?? 0) : 0;
  return new Date(Math.max(now.getTime() + backoff, ctx.deps.clock.now().getTime() + retryAfter));
}

/**
 * Posts one delivery unless its local day has passed (it is marked not posted) or another instance holds its
 * lease. The candidate is the whole row with what the post needs of its drill (just inserted under the
 * drill's lock, or listed for a retry): nothing is read again.
 */
export async function postDelivery(
  ctx: DispatchContext,
  now: Date,
  report: RunReport,
  candidate: UnpostedDelivery,
): Promise<void> {
  if (localDateOf(now, candidate.timezone) !== candidate.local_date) {
    await markNotPosted(ctx.deps.db, candidate.drill_id, candidate.local_date);
    report.expired++;
    return;
  }
  const platform = candidate.platform;
  const publisher = ctx.deps.publishers.get(platform);
  if (!publisher) return;
  const claim = await claimPost(ctx.deps.db, candidate.id, now, new Date(now.getTime() + ctx.postLeaseMs));
  if (!claim) return;
  const row: UnpostedDelivery = { ...candidate, post_status: 'posting', post_attempts: claim.attempts };
  const context = deliveryLogFields(row);
  const started = Date.now(); // real elapsed time, not the injected clock (which a test or /clock may set)
  try {
    const messageId = await send(ctx, publisher, row, claim.answered);
    await markPosted(ctx.deps.db, row.id, messageId, ctx.deps.clock.now());
    report.posted++;
    if (row.late) report.late++;
    ctx.metrics.delivery(platform, row.late ? 'late' : 'posted');
    const ms = Date.now() - started;
    ctx.log.info({ ...context, late: row.late, attempt: row.post_attempts, ms }, 'drill posted');
  } catch (err) {
    const reason =
      err instanceof PublishError ? err.reason : err instanceof Error ? err.message : String(err);
    const retryAt = retryTime(ctx, err, row.post_attempts, now);
    await markPostFailed(ctx.deps.db, row.id, reason.slice(0, 500), retryAt);
    if (retryAt) {
      report.retrying++;
      ctx.log.info({ ...context, err, attempt: row.post_attempts, retryAt }, 'drill post will be retried');
      return;
    }
    report.failed++;
    ctx.metrics.delivery(platform, 'failed');
    const ms = Date.now() - started;
    ctx.log.warn({ ...context, err, attempt: row.post_attempts, ms }, 'drill post failed');
    await pauseForGood(ctx, row, err as PublishError, now);
  }
}

/** The platform call, within the post deadline; returns the posted message's id. */
async function send(
  ctx: DispatchContext,
  publisher: Publisher,
  row: UnpostedDelivery,
  answered: number,
): Promise<string> {
  const delivery = deliveryFromRow(row);
  const message = await deliveryMessage(ctx.deps, delivery, 'open', { answered });
  const ref = await withDeadline(
    (signal) =>
      publisher.post(delivery.channel, message, {
        idempotencyKey: `delivery-${row.id}`,
        signal,
        // Any earlier attempt (a timeout, a 5xx, a crash while posting) may have landed: look before posting.
        ...(row.post_attempts > 1 ? { earlierAttemptSince: row.opens_at } : {}),
      }),
    ctx.postTimeoutMs,
    'posting',
  );
  return ref.messageId;
}
