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

/**
 * Reads what is due in pages of `limit` rows, each page after the last row of the one before (`page`
 * orders by a unique key), and handles each row in turn. A row whose handling throws is logged by
 * `onError` and left as it was, so the next run tries it again, not this one.
 */
export async function eachDue<R>(
  page: (after: R | undefined) => Promise<R[]>,
  limit: number,
  handle: (row: R) => Promise<void>,
  onError: (row: R, err: unknown) => void,
): Promise<void> {
  let after: R | undefined;
  for (;;) {
    const rows = await page(after);
    for (const row of rows) {
      try {
        await handle(row);
      } catch (err) {
        onError(row, err);
      }
    }
    if (rows.length < limit) return;
    after = rows.at(-1);
  }
}
