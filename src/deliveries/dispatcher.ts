/**
 * The scheduler's run: open the deliveries whose slot has come, expire those too old to post, post the
 * rest, reveal what is due. The database is the arbiter: a drill's slots are handled under its row lock,
 * posting and revealing are leased, so any number of instances run this at once and each post lands once.
 */
import {
  type DispatchContext,
  type DispatchDeps,
  type DispatcherOptions,
  dispatchContext,
  emptyReport,
  type RunReport,
} from './dispatch-context.ts';
import { openDueSlots } from './open-slots.ts';
import { postDelivery } from './post.ts';
import { expireUnposted, listRevealDue, listUnposted, type UnpostedDelivery } from './posting.repository.ts';
import { revealDelivery } from './reveal.ts';
import { eachLimited } from './run-limits.ts';
import { listDueDrillIds } from './slots.repository.ts';

export { emptyReport, type RunReport } from './dispatch-context.ts';

export interface Dispatcher {
  runOnce(): Promise<RunReport>;
}

/** Opens every due slot; returns the deliveries opened, for the post step to post as they are. */
async function openSlots(ctx: DispatchContext, now: Date, report: RunReport): Promise<UnpostedDelivery[]> {
  const opened: UnpostedDelivery[] = [];
  const open = openDueSlots.bind(null, ctx, now, report);
  const failed = (drillId: number, err: unknown) => ctx.log.error({ drillId, err }, 'could not open a drill');
  for (;;) {
    const ids = await listDueDrillIds(ctx.deps.db, now, ctx.batch);
    for (const delivery of (await eachLimited(ids, Math.min(ctx.concurrency, 16), open, { failed })).flat()) {
      if (delivery) opened.push(delivery);
    }
    if (ids.length < ctx.batch) break;
  }
  return opened;
}

async function expire(ctx: DispatchContext, now: Date, report: RunReport): Promise<void> {
  for (const expired of await expireUnposted(ctx.deps.db, new Date(now.getTime() - ctx.catchupMs), now)) {
    report.expired++;
    ctx.metrics.delivery(expired.platform, expired.attempts > 0 ? 'failed' : 'skipped');
    ctx.log.warn(expired, 'drill day expired unposted: the catch-up window closed');
  }
}

/**
 * Posts what this run opened, as it was inserted, then whatever else waits: retries whose lease lapsed, and
 * deliveries an earlier run opened but did not post (a crash, a platform this process did not serve then).
 */
async function postAll(
  ctx: DispatchContext,
  now: Date,
  report: RunReport,
  opened: UnpostedDelivery[],
): Promise<void> {
  const post = postDelivery.bind(null, ctx, now, report);
  const limits = {
    perGroup: ctx.perWorkspace,
    failed: (r: UnpostedDelivery, err: unknown) =>
      ctx.log.error({ deliveryId: r.id, err }, 'could not post a drill'),
  };
  const served = new Set(ctx.served());
  await eachLimited(
    opened.filter((r) => served.has(r.platform)),
    ctx.concurrency,
    post,
    limits,
  );
  const since = new Date(now.getTime() - ctx.catchupMs);
  for (let round = 0; round < 100; round++) {
    const rows = await listUnposted(ctx.deps.db, now, since, ctx.batch, [...served]);
    await eachLimited(rows, ctx.concurrency, post, limits);
    if (rows.length < ctx.batch) break;
  }
}

async function revealAll(ctx: DispatchContext, now: Date, report: RunReport): Promise<void> {
  const ids = await listRevealDue(ctx.deps.db, now, ctx.batch, ctx.served());
  await eachLimited(ids, ctx.concurrency, revealDelivery.bind(null, ctx, now, report), {
    failed: (deliveryId, err) => ctx.log.error({ deliveryId, err }, 'could not reveal a drill'),
  });
}

export function createDispatcher(deps: DispatchDeps, options: DispatcherOptions): Dispatcher {
  const ctx = dispatchContext(deps, options);
  return {
    async runOnce() {
      const report = emptyReport();
      const now = deps.clock.now();
      const opened = await openSlots(ctx, now, report);
      await expire(ctx, now, report);
      await postAll(ctx, now, report, opened);
      await revealAll(ctx, now, report);
      return report;
    },
  };
}
