/** What command and action handlers may use. */

import type { CommandRouter } from '../core/commands/router.ts';
import type { Platform } from '../core/types.ts';
import type { StudyService } from './study-service.ts';

export interface CoreServices {
  study: StudyService;
  /** The command table, for help and usage lines. */
  commands: CommandRouter<CoreServices>;
  /** Who is a manager by platform role on `platform`, in that platform's words (for refusals and lists). */
  platformAdmins(platform: Platform): string;
  /** Signals to the process around the core: the live answer count and the scheduler. */
  events: CoreEvents;
  /** The application's version and the content version of the default track, for help's footer. */
  version: { app: string; content: string };
}

export interface CoreEvents {
  /** A delivery's answer count changed. */
  deliveryChanged(deliveryId: number): void;
  /** Something is due now (`drill now`, a resumed drill): run the scheduler without waiting for the minute. */
  scheduleDue(): void;
}
