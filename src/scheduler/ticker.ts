/**
 * The trigger: node-cron wakes us every minute (or every SCHEDULER_INTERVAL_SECONDS) and the dispatcher does
 * the rest. Runs never overlap; a run can also be requested at once (`drill now`, start-up catch-up). The
 * database decides what actually posts.
 */
import cron, { type ScheduledTask } from 'node-cron';
import type { Clock } from '../core/clock.ts';
import type { JobReport, ScheduledJob } from '../core/jobs.ts';
import type { Log } from '../core/log.ts';
import type { Metrics } from '../core/metrics.ts';
import type { Publishers } from '../core/outbound.ts';
import type { Dispatcher, RunReport } from '../deliveries/dispatcher.ts';

export interface Ticker {
  start(): void;
  /** Runs soon (coalesced with a run already under way). */
  kick(): void;
  /** One full run now, awaited (tests, start-up). */
  runNow(): Promise<RunReport>;
  /** Stops the schedule and waits for the run in flight. */
  stop(): Promise<void>;
}

export interface TickerDeps {
  dispatcher: Dispatcher;
  jobs?: readonly ScheduledJob[];
  publishers: Publishers;
  clock: Clock;
  log: Log;
  metrics?: Metrics;
  /** Every minute at second 5, so a 09:00 drill is out a few seconds after 09:00 on every instance. */
  expression?: string;
}

/**
 * The cron expression for a run every `seconds` (a divisor of 60): at second 5 of each minute, as the default
 * schedule, and every `seconds` after it.
 */
export function everySeconds(seconds: number): string {
  return seconds >= 60 ? '5 * * * * *' : `${5 % seconds}-59/${seconds} * * * * *`;
}

export function createTicker(deps: TickerDeps): Ticker {
  let task: ScheduledTask | undefined;
  let running: Promise<RunReport> | undefined;
  let again = false;
  let stopped = false;

  async function runJobs(): Promise<void> {
    for (const job of deps.jobs ?? []) {
      try {
        const report: JobReport = await job.run(deps.clock.now(), deps.publishers);
        if (Object.values(report).some((n) => n > 0)) deps.log.info({ job: job.name, ...report }, 'job run');
      } catch (err) {
        deps.log.error({ job: job.name, err }, 'job failed');
      }
    }
  }

  async function runOnce(): Promise<RunReport> {
    const started = Date.now(); // real elapsed time, not the injected clock (which a test or /clock may set)
    const report = await deps.dispatcher.runOnce();
    await runJobs();
    const busy =
      report.due + report.posted + report.failed + report.revealed + report.expired + report.retrying;
    if (busy > 0) deps.log.info({ ...report, ms: Date.now() - started }, 'scheduler run');
    else deps.log.debug({ ms: Date.now() - started }, 'scheduler run');
    return report;
  }

  function run(): Promise<RunReport> {
    if (running) {
      again = true;
      return running;
    }
    running = runOnce()
      .catch((err) => {
        deps.log.error({ err }, 'scheduler run failed');
        throw err;
      })
      .finally(() => {
        running = undefined;
        if (again && !stopped) {
          again = false;
          void run().catch(() => {});
        }
      });
    return running;
  }

  return {
    start() {
      stopped = false;
      task = cron.schedule(deps.expression ?? '5 * * * * *', () => run().catch(() => {}), {
        name: 'roadmap-scheduler',
        noOverlap: true,
      });
      void run().catch(() => {});
    },
    kick() {
      if (!stopped) void run().catch(() => {});
    },
    runNow: () => run(),
    async stop() {
      stopped = true;
      again = false;
      await task?.destroy();
      task = undefined;
      if (running) await running.catch(() => {});
    },
  };
}
