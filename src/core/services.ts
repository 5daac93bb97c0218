/** What command and action handlers may use. */
import type { StudyService } from '../study/study-service.ts';
import type { CommandRouter } from './commands/router.ts';

export interface CoreServices {
  study: StudyService;
  /** The command table, for help and usage lines. */
  commands: CommandRouter<CoreServices>;
}
