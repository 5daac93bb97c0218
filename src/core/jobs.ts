/**
 * Periodic work the ticker runs besides drills (weekly digests, streak reminders). Each job decides what is
 * due at `now` and claims it in the database before sending, so several instances and restarts send once.
 */
import type { Publishers } from './outbound.ts';

export interface JobReport {
  /** Counts by outcome for the run's log line and metrics, e.g. { sent: 3, failed: 0 }. */
  [outcome: string]: number;
}

export interface ScheduledJob {
  readonly name: string;
  run(now: Date, publishers: Publishers): Promise<JobReport>;
}
