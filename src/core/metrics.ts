/** What the core counts, as an interface: the server implements it with Prometheus, tests and the terminal ignore it. */
import type { Platform } from './types.ts';

export type DeliveryOutcome = 'posted' | 'late' | 'skipped' | 'failed' | 'revealed';

export interface Metrics {
  /** One handled slash command; `outcome` is `ok`, an error code, or `error`. */
  commandHandled(platform: Platform, command: string, seconds: number, outcome: string): void;
  delivery(platform: Platform, outcome: DeliveryOutcome, count?: number): void;
  answer(platform: Platform, kind: 'delivery' | 'practice'): void;
  /** The platform answered 429; its SDK waits and retries. */
  rateLimited(platform: Platform): void;
}

export const noopMetrics: Metrics = {
  commandHandled() {},
  delivery() {},
  answer() {},
  rateLimited() {},
};
