/** The core's Metrics interface on prom-client, in a registry of its own so tests and processes never share state. */
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { DeliveryOutcome, Metrics } from '../core/metrics.ts';
import type { Platform } from '../core/types.ts';

interface PoolStats {
  total: number;
  idle: number;
  waiting: number;
}

export interface PrometheusMetrics extends Metrics {
  readonly registry: Registry;
  /** The exposition text for GET /metrics. */
  render(): Promise<string>;
  readonly contentType: string;
}

export interface PrometheusOptions {
  /** Read at scrape time; undefined before the database is open. */
  poolStats?: () => PoolStats | undefined;
  /** Process metrics (CPU, memory, event loop lag, GC); off in tests that count series. */
  defaultMetrics?: boolean;
}

const PLATFORMS: Platform[] = ['slack', 'discord', 'console'];
const DELIVERY_OUTCOMES: DeliveryOutcome[] = ['posted', 'late', 'skipped', 'failed', 'revealed'];

// Labels must come from a closed set or a series per typo would grow without bound. Command paths come from
// the catalog ("schedule set") and outcomes from UserFacingError codes; anything else is folded into "other".
const COMMAND_LABEL = /^[a-z][a-z -]{0,39}$/;
const OUTCOME_LABEL = /^(ok|error|[A-Z][A-Z_]{0,39})$/;
const boundedCommand = (command: string) => (COMMAND_LABEL.test(command) ? command : 'other');
const boundedOutcome = (outcome: string) => (OUTCOME_LABEL.test(outcome) ? outcome : 'other');

// Command handling is a few database round trips: most land under 50 ms, Slack's hard limit is 3 s.
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/** The database pool's connections, read at scrape time. */
function registerPoolGauges(registers: Registry[], poolStats: PrometheusOptions['poolStats']): void {
  const pool = () => poolStats?.();
  new Gauge({
    name: 'roadmap_db_pool_connections',
    help: 'Open database connections (in use plus idle).',
    registers,
    collect() {
      const s = pool();
      if (s) this.set(s.total);
    },
  });
  new Gauge({
    name: 'roadmap_db_pool_idle_connections',
    help: 'Open database connections not running a query.',
    registers,
    collect() {
      const s = pool();
      if (s) this.set(s.idle);
    },
  });
  new Gauge({
    name: 'roadmap_db_pool_waiting_requests',
    help: 'Queries waiting for a free connection; above zero for long means the pool is too small.',
    registers,
    collect() {
      const s = pool();
      if (s) this.set(s.waiting);
    },
  });
}

export function createPrometheusMetrics(opts: PrometheusOptions = {}): PrometheusMetrics {
  const registry = new Registry();
  if (opts.defaultMetrics !== false) collectDefaultMetrics({ register: registry });
  const registers = [registry];

  const commandSeconds = new Histogram({
    name: 'roadmap_command_duration_seconds',
    help: 'Time to handle one /roadmap command, by subcommand and platform.',
    labelNames: ['platform', 'command'] as const,
    buckets: LATENCY_BUCKETS,
    registers,
  });
  const commands = new Counter({
    name: 'roadmap_commands_total',
    help: 'Handled /roadmap commands by outcome: ok, an error code shown to the user, or error (a bug).',
    labelNames: ['platform', 'command', 'outcome'] as const,
    registers,
  });
  const deliveries = new Counter({
    name: 'roadmap_deliveries_total',
    help: 'Scheduled drill deliveries by outcome: posted, late, skipped, failed, revealed.',
    labelNames: ['platform', 'outcome'] as const,
    registers,
  });
  const answers = new Counter({
    name: 'roadmap_answers_total',
    help: 'Answers recorded, on a drill delivery or a practice question.',
    labelNames: ['platform', 'kind'] as const,
    registers,
  });
  const rateLimited = new Counter({
    name: 'roadmap_platform_rate_limited_total',
    help: 'Platform API calls answered with HTTP 429; the SDK waits and retries.',
    labelNames: ['platform'] as const,
    registers,
  });
  // Zero-valued series from the start, so rate() and alerts see the first increment.
  for (const platform of PLATFORMS) {
    for (const outcome of DELIVERY_OUTCOMES) deliveries.inc({ platform, outcome }, 0);
    for (const kind of ['delivery', 'practice']) answers.inc({ platform, kind }, 0);
    rateLimited.inc({ platform }, 0);
  }

  registerPoolGauges(registers, opts.poolStats);

  return {
    registry,
    contentType: registry.contentType,
    render: () => registry.metrics(),
    commandHandled(platform, command, seconds, outcome) {
      const label = boundedCommand(command);
      commandSeconds.observe({ platform, command: label }, seconds);
      commands.inc({ platform, command: label, outcome: boundedOutcome(outcome) });
    },
    delivery(platform, outcome, count = 1) {
      deliveries.inc({ platform, outcome }, count);
    },
    answer(platform, kind) {
      answers.inc({ platform, kind });
    },
    rateLimited(platform) {
      rateLimited.inc({ platform });
    },
  };
}
