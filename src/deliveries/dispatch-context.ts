/** What every step of a dispatcher run shares: its settings, its dependencies and the run's report. */
import type { Log } from '../core/log.ts';
import { type Metrics, noopMetrics } from '../core/metrics.ts';
import type { Publishers } from '../core/outbound.ts';
import type { Platform } from '../core/types.ts';
import type { StudyDeps } from '../db/deps.ts';
import type { DeliveryRow } from '../db/schema.ts';

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

const DEFAULT_LATE_AFTER_MS = 10 * 60_000;
/**
 * Two minutes: longer than any single platform call we allow (postTimeoutMs), and inside the window in which
 * Discord still deduplicates a repeated `nonce`, so a post retried after a crash lands once there.
 */
const DEFAULT_POST_LEASE_MS = 2 * 60_000;
/** Slack allows about one post per second per channel and a few hundred a minute per workspace. */
const DEFAULT_PER_WORKSPACE = 4;

export type DispatchDeps = StudyDeps & { publishers: Publishers; metrics?: Metrics };

/** The options with their defaults filled in, and the dependencies every step uses. */
export interface DispatchContext {
  deps: DispatchDeps;
  metrics: Metrics;
  log: Log;
  catchupMs: number;
  lateAfterMs: number;
  postLeaseMs: number;
  postTimeoutMs: number;
  concurrency: number;
  perWorkspace: { key: (row: Pick<DeliveryRow, 'platform' | 'workspace_id'>) => string; limit: number };
  batch: number;
  /** The platforms this process posts to; publishers register after the dispatcher is made. */
  served(): Platform[];
}

/** The fields every log line about one delivery carries. */
export function deliveryLogFields(row: DeliveryRow) {
  return {
    drillId: row.drill_id,
    deliveryId: row.id,
    localDate: row.local_date,
    platform: row.platform,
    channel: row.channel_id,
  };
}

export function dispatchContext(deps: DispatchDeps, options: DispatcherOptions): DispatchContext {
  const postLeaseMs = options.postLeaseMs ?? DEFAULT_POST_LEASE_MS;
  return {
    deps,
    metrics: deps.metrics ?? noopMetrics,
    log: deps.log,
    catchupMs: options.catchupMs,
    lateAfterMs: options.lateAfterMs ?? DEFAULT_LATE_AFTER_MS,
    postLeaseMs,
    postTimeoutMs: options.postTimeoutMs ?? Math.floor(postLeaseMs / 2),
    concurrency: options.concurrency ?? 64,
    perWorkspace: {
      key: (row) => `${row.platform}:${row.workspace_id}`,
      limit: Math.max(1, options.perWorkspace ?? DEFAULT_PER_WORKSPACE),
    },
    batch: options.batch ?? 1000,
    served: () => [...deps.publishers.keys()],
  };
}
