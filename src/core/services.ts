/** What command and action handlers may use. */
import type { StudyService } from '../study/study-service.ts';
import type { CommandRouter } from './commands/router.ts';

export interface CoreServices {
  study: StudyService;
  /** The command table, for help and usage lines. */
  commands: CommandRouter<CoreServices>;
  /** Signals to the process around the core: the live answer count and the scheduler. */
  events: CoreEvents;
}

export interface CoreEvents {
  /** A delivery's answer count changed. */
  deliveryChanged(deliveryId: number): void;
  /** Something is due now (`drill now`, a resumed drill): run the scheduler without waiting for the minute. */
  scheduleDue(): void;
}
