/** What every command and action handler may use beside its feature's own functions. */
import type { CommandRouter } from './commands/router.ts';
import type { CommandInvocation } from './invocation.ts';
import type { Platform } from './types.ts';

interface CoreEvents {
  /** A delivery's answer count changed. */
  deliveryChanged(deliveryId: number): void;
  /** Something is due now (`drill now`, a resumed drill): run the scheduler without waiting for the minute. */
  scheduleDue(): void;
}

export interface CoreServices {
  /** The command table, for help and usage lines. */
  // biome-ignore lint/suspicious/noExplicitAny: help reads the table whatever services its handlers take
  commands: CommandRouter<any>;
  /** Who is a manager by platform role on `platform`, in that platform's words (for refusals and lists). */
  platformAdmins(platform: Platform): string;
  /** Signals to the process around the core: the live answer count and the scheduler. */
  events: CoreEvents;
  /**
   * Whether the caller manages: granted, or an admin by platform role. The platform is asked (lazily, through
   * the invocation's `isPlatformAdmin`) only when the member is not granted and their role is not known yet,
   * so only the commands that call this (help's listing) may wait on a lookup.
   */
  manages(inv: CommandInvocation): Promise<boolean>;
  /** The application's version and the content version of the default track, for help's footer. */
  version: { app: string; content: string };
}
