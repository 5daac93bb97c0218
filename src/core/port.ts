/** The one port adapters use: a command or a click in, a neutral message out, and the command table to show. */
import type { CommandRouter } from './commands/router.ts';
import type { ActionInvocation, ActionResult, CommandInvocation } from './invocation.ts';
import type { OutboundMessage } from './types.ts';

/** A click whose durable part is done (the answer is stored); `finish` makes the reply and the rest. */
export interface AcceptedAction {
  /** Never rejects: failures come back as the reply to show. */
  finish(): Promise<ActionResult>;
}

export interface BotPort {
  handleCommand(inv: CommandInvocation): Promise<OutboundMessage>;
  /**
   * Does what a click must not lose (records the answer) and returns the follow-up; adapters call it before
   * acknowledging the click and `finish` after.
   */
  acceptAction(inv: ActionInvocation): Promise<AcceptedAction>;
  /** `acceptAction` then `finish`, for callers with nothing to do in between. */
  handleAction(inv: ActionInvocation): Promise<ActionResult>;
  /** The command table, read only: Discord registers `/roadmap` and completes options from it. */
  // biome-ignore lint/suspicious/noExplicitAny: adapters read definitions, never call handlers
  commands: Pick<CommandRouter<any>, 'commandName' | 'entries' | 'find' | 'all'>;
  /** The default track's modules, for option completion. */
  modules: readonly { id: string; title: string }[];
}
