import { localDateOf, nextSlotAfter } from '../core/calendar.ts';
import type { Metrics } from '../core/metrics.ts';
import { noopMetrics } from '../core/metrics.ts';
import { PublishError, type Publishers } from '../core/outbound.ts';
import { channelRef } from '../core/render/text.ts';
import type { MessageRef, OutboundMessage } from '../core/types.ts';
import { type StudyDeps, trackOf } from '../db/deps.ts';
import type { DeliveryRow } from '../db/schema.ts';
import { findDrillById } from '../plans/drills.repository.ts';
import { type Delivery, deliveryFromRow, drillFromRow } from '../plans/model.ts';
import { countAnswers, insertDeliveryLocked } from './deliveries.repository.ts';
import { planDelivery } from './deliveries.ts';
import { drillMessage, revealMessage } from './messages.ts';
import {
  addSkip,
  answerDistribution,
  claimPost,
  claimReveal,
  expireUnposted,
  isSkipped,
  listDueDrillIds,
  listRevealDue,
  listUnposted,
  managerIdsToNotify,
  markNotPosted,
  markPosted,
  markPostFailed,
  markRevealed,
  pauseDrill,
  setNextSlot,
  withDueDrillLocked,
} from './posting.repository.ts';

export interface DispatcherOptions {
  /** A missed slot still posts, marked late, within this long on the same local day. */
  catchupMs: number;
  /** Posted later than this after its slot counts as late. */
  lateAfterMs?: number;
  /** How long one instance owns a post; a crash frees it when this lapses. */
  postLeaseMs?: number;
  /** A platform call slower than this is abandoned and retried later (must be below the lease). */
  postTimeoutMs?: number;
  /** Posts in flight at once: each platform SDK queues within its own rate limits. */
  concurrency?: number;
  /** Posts and reveals in flight at once in one workspace, so a slow workspace leaves the other lanes free. */
  perWorkspace?: number;
  /** Rows read per query. */
  batch?: number;
}

export interface RunReport {
  due: number;
  opened: number;
  posted: number;
  late: number;
  skipped: number;
  failed: number;
  retrying: number;
  revealed: number;
  expired: number;
}

export interface Dispatcher {
  runOnce(): Promise<RunReport>;
}

export const DEFAULT_LATE_AFTER_MS = 10 * 60_000;
/**
 * Two minutes: longer than any single platform call we allow (postTimeoutMs), and inside the window in which
 * Discord still deduplicates a repeated `nonce`, so a post retried after a crash lands once there.
 */
export const DEFAULT_POST_LEASE_MS = 2 * 60_000;
const REVEAL_LEASE_MS = 60_000;
/** Slack allows about one post per second per channel and a few hundred a minute per workspace. */
export const DEFAULT_PER_WORKSPACE = 4;
const workspaceKey = (row: Pick<DeliveryRow, 'platform' | 'workspace_id'>) =>
  `${row.platform}:${row.workspace_id}`;

export const emptyReport = (): RunReport => ({
  due: 0,
  opened: 0,
  posted: 0,
  late: 0,
  skipped: 0,
  failed: 0,
  retrying: 0,
  revealed: 0,
  expired: 0,
});

/**
 * Runs `work` over `items` with at most `limit` at once, and at most `perGroup.limit` of one group (a
 * workspace) at once, so one workspace's slow or hung calls never hold every lane; a rejection is the item's
 * own problem. Items start in order, skipping those whose group is full.
 */
async function eachLimited<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
  perGroup?: { key: (item: T) => string; limit: number },
): Promise<void> {
  const pending = [...items];
  const active = new Map<string, number>();
  let running = 0;
  await new Promise<void>((resolve) => {
    const pump = () => {
      if (pending.length === 0 && running === 0) return resolve();
      for (let i = 0; i < pending.length && running < limit; ) {
        const item = pending[i]!;
        const key = perGroup?.key(item);
        if (key !== undefined && (active.get(key) ?? 0) >= perGroup!.limit) {
          i++;
          continue;
        }
        pending.splice(i, 1);
        running++;
        if (key !== undefined) active.set(key, (active.get(key) ?? 0) + 1);
        void work(item)
          .catch(() => {})
          .finally(() => {
            running--;
            if (key !== undefined) active.set(key, active.get(key)! - 1);
            pump();
          });
      }
    };
    pump();
  });
}

/**
 * Runs a platform call that gets `signal`, aborted when it takes longer than `ms`: the call stops (the SDK
 * makes no retry of it after we gave up) and this rejects with a transient PublishError.
 */
async function withDeadline<T>(
  call: (signal: AbortSignal) => Promise<T>,
  ms: number,
  what: string,
): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const err = new PublishError('timeout', `${what} took longer than ${ms} ms`, { permanent: false });
      controller.abort(err);
      reject(err);
    }, ms);
    // A hung platform call must not keep a stopping process alive.
    timer.unref();
  });
  return Promise.race([call(controller.signal), timeout]).finally(() => clearTimeout(timer));
}

/**
 * The message a posted drill shows: while open, the card and question with buttons and how many answered;
 * once revealed, the answer, the distribution and the explanation instead of the buttons.
 */
export async function deliveryMessage(
  deps: StudyDeps,
  delivery: Delivery,
  state: 'open' | 'revealed',
): Promise<OutboundMessage> {
  const drillRow = await findDrillById(deps.db, delivery.drillId);
  const track = trackOf(deps, drillRow?.track_id ?? deps.defaultTrackId);
  const card = track.card(delivery.cardId)!;
  const question = track.question(delivery.questionId)!;
  const moduleTitle = track.module(card.moduleId)!.title;
  return state === 'open'
    ? drillMessage(card, question, delivery, moduleTitle, await countAnswers(deps.db, delivery.id))
    : revealMessage(card, question, delivery, moduleTitle, await answerDistribution(deps.db, delivery.id));
}

export function createDispatcher(
  deps: StudyDeps & { publishers: Publishers; metrics?: Metrics },
  options: DispatcherOptions,
): Dispatcher {
  const lateAfterMs = options.lateAfterMs ?? DEFAULT_LATE_AFTER_MS;
  const postLeaseMs = options.postLeaseMs ?? DEFAULT_POST_LEASE_MS;
  const postTimeoutMs = options.postTimeoutMs ?? Math.floor(postLeaseMs / 2);
  const concurrency = options.concurrency ?? 64;
  const perWorkspace = {
    key: workspaceKey,
    limit: Math.max(1, options.perWorkspace ?? DEFAULT_PER_WORKSPACE),
  };
  const batch = options.batch ?? 1000;
  const metrics = deps.metrics ?? noopMetrics;
  const log = deps.log;
  /** The platforms this process posts to; publishers register after the dispatcher is made. */
  const served = () => [...deps.publishers.keys()];

  /** Handles every passed slot of one drill under its row lock; at most today's can open. */
  async function handleSlots(drillId: number, now: Date, report: RunReport): Promise<void> {
    await withDueDrillLocked(deps.db, drillId, async (trx, row) => {
      const drill = drillFromRow(row);
      const { schedule } = drill;
      const today = localDateOf(now, schedule.timezone);
      // A drill seen for the first time starts at its schedule change, or at the oldest slot still postable.
      const since = Math.max(row.schedule_changed_at.getTime(), now.getTime() - options.catchupMs) - 1;
      let slot = row.next_slot_at ?? nextSlotAfter(schedule, new Date(since)).at;
      for (let i = 0; slot.getTime() <= now.getTime() && i < 1000; i++) {
        const localDate = localDateOf(slot, schedule.timezone);
        report.due++;
        if (await isSkipped(trx, drill.id, localDate)) {
          report.skipped++;
        } else if (localDate === today && now.getTime() - slot.getTime() <= options.catchupMs) {
          const late = now.getTime() - slot.getTime() > lateAfterMs;
          const plan = await planDelivery(deps, drill, localDate, { late }, trx);
          // A cohort posts nothing before its start or after its end: not a study day, nothing to skip.
          if (plan && (await insertDeliveryLocked(trx, row, plan))) report.opened++;
        } else {
          // Downtime outlasted the catch-up window: the day is skipped and counts against nobody's streak.
          await addSkip(trx, drill.id, localDate, 'missed', null);
          await markNotPosted(trx, drill.id, localDate);
          report.skipped++;
          metrics.delivery(drill.channel.platform, 'skipped');
          log.info({ drillId: drill.id, localDate }, 'drill day skipped: missed beyond the catch-up window');
        }
        slot = nextSlotAfter(schedule, slot).at;
      }
      await setNextSlot(trx, drill.id, slot);
    });
  }

  async function pauseForGood(row: DeliveryRow, err: PublishError, now: Date): Promise<void> {
    const drillRow = await findDrillById(deps.db, row.drill_id);
    if (!drillRow) return;
    await pauseDrill(deps.db, row.drill_id, err.reason, now);
    log.warn(
      { drillId: row.drill_id, code: err.code, reason: err.reason },
      'drill paused: posting cannot succeed',
    );
    const publisher = deps.publishers.get(row.platform);
    if (!publisher) return;
    const text =
      `The study drill in ${channelRef({ channelId: row.channel_id })} is paused: ${err.reason}. ` +
      'Fix it, then run `/roadmap schedule resume` in that channel.';
    for (const userId of await managerIdsToNotify(deps.db, drillRow)) {
      try {
        await publisher.sendDirect(
          { platform: row.platform, workspaceId: row.workspace_id, userId },
          { text },
        );
      } catch (notifyErr) {
        log.info(
          { drillId: row.drill_id, userId, err: notifyErr },
          'could not tell a manager about a paused drill',
        );
      }
    }
  }

  async function post(candidate: DeliveryRow, now: Date, report: RunReport): Promise<void> {
    const platform = candidate.platform;
    const publisher = deps.publishers.get(platform);
    if (!publisher) return;
    const row = await claimPost(deps.db, candidate.id, now, new Date(now.getTime() + postLeaseMs));
    if (!row) return;
    const delivery = deliveryFromRow(row);
    const context = {
      drillId: row.drill_id,
      deliveryId: row.id,
      localDate: row.local_date,
      platform,
      channel: row.channel_id,
    };
    const started = Date.now(); // real elapsed time, not the injected clock (which a test or /clock may set)
    try {
      const message = await deliveryMessage(deps, delivery, 'open');
      const ref = await withDeadline(
        (signal) =>
          publisher.post(delivery.channel, message, {
            idempotencyKey: `delivery-${row.id}`,
            signal,
            // Any earlier attempt (a timeout, a 5xx, a crash while posting) may have landed: look before posting.
            ...(row.post_attempts > 1 ? { earlierAttemptSince: row.opens_at } : {}),
          }),
        postTimeoutMs,
        'posting',
      );
      await markPosted(deps.db, row.id, ref.messageId, deps.clock.now());
      report.posted++;
      if (row.late) report.late++;
      metrics.delivery(platform, row.late ? 'late' : 'posted');
      log.info(
        { ...context, late: row.late, attempt: row.post_attempts, ms: Date.now() - started },
        'drill posted',
      );
    } catch (err) {
      const permanent = err instanceof PublishError && err.permanent;
      const reason =
        err instanceof PublishError ? err.reason : err instanceof Error ? err.message : String(err);
      // Transient failures retry until the catch-up window closes (then the day expires unposted). The backoff
      // doubles from 30 s to 10 min; the lease keeps every instance off the row until then.
      // A 429's Retry-After is honoured here, by the one owner of retries, not by the platform client.
      const backoff = Math.min(30_000 * 2 ** Math.min(row.post_attempts - 1, 5), 10 * 60_000);
      const retryAfter = err instanceof PublishError ? (err.retryAfterMs ?? 0) : 0;
      const retryAt = permanent
        ? null
        : new Date(Math.max(now.getTime() + backoff, deps.clock.now().getTime() + retryAfter));
      await markPostFailed(deps.db, row.id, reason.slice(0, 500), retryAt);
      if (permanent) {
        report.failed++;
        metrics.delivery(platform, 'failed');
        log.warn(
          { ...context, err, attempt: row.post_attempts, ms: Date.now() - started },
          'drill post failed',
        );
        await pauseForGood(row, err as PublishError, now);
      } else {
        report.retrying++;
        log.info({ ...context, err, attempt: row.post_attempts, retryAt }, 'drill post will be retried');
      }
    }
  }

  async function reveal(deliveryId: number, now: Date, report: RunReport): Promise<void> {
    const row = await claimReveal(deps.db, deliveryId, now, new Date(now.getTime() + REVEAL_LEASE_MS));
    if (!row) return;
    const platform = row.platform;
    const context = {
      drillId: row.drill_id,
      deliveryId: row.id,
      localDate: row.local_date,
      platform,
      channel: row.channel_id,
    };
    const publisher = deps.publishers.get(platform);
    if (row.post_status === 'posted' && row.message_id) {
      if (!publisher) return; // Only listed for served platforms; kept for a publisher removed meanwhile.
      const delivery = deliveryFromRow(row);
      const ref: MessageRef = { channel: delivery.channel, messageId: row.message_id };
      try {
        const message = await deliveryMessage(deps, delivery, 'revealed');
        await withDeadline(() => publisher.update(ref, message), postTimeoutMs, 'revealing');
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
    metrics.delivery(platform, 'revealed');
    log.info(context, 'drill revealed');
  }

  return {
    async runOnce() {
      const report = emptyReport();
      const now = deps.clock.now();
      for (;;) {
        const ids = await listDueDrillIds(deps.db, now, batch);
        await eachLimited(ids, Math.min(concurrency, 16), async (id) => {
          try {
            await handleSlots(id, now, report);
          } catch (err) {
            log.error({ drillId: id, err }, 'could not open a drill');
          }
        });
        if (ids.length < batch) break;
      }

      for (const expired of await expireUnposted(deps.db, new Date(now.getTime() - options.catchupMs), now)) {
        report.expired++;
        metrics.delivery(expired.platform, expired.attempts > 0 ? 'failed' : 'skipped');
        log.warn(expired, 'drill day expired unposted: the catch-up window closed');
      }

      for (let round = 0; round < 100; round++) {
        const rows = await listUnposted(
          deps.db,
          now,
          new Date(now.getTime() - options.catchupMs),
          batch,
          served(),
        );
        await eachLimited(
          rows,
          concurrency,
          async (r) => {
            try {
              if (localDateOf(now, r.timezone) !== r.local_date) {
                await markNotPosted(deps.db, r.drill_id, r.local_date);
                report.expired++;
                return;
              }
              await post(r, now, report);
            } catch (err) {
              log.error({ deliveryId: r.id, err }, 'could not post a drill');
            }
          },
          perWorkspace,
        );
        if (rows.length < batch) break;
      }

      const revealIds = await listRevealDue(deps.db, now, batch, served());
      await eachLimited(revealIds, concurrency, async (id) => {
        try {
          await reveal(id, now, report);
        } catch (err) {
          log.error({ deliveryId: id, err }, 'could not reveal a drill');
        }
      });

      return report;
    },
  };
}
