/** The one port adapters use: a command or a click in, a neutral message out, and the command table to show. */

import type { Suggestions } from './commands/options.ts';
import type { CommandRouter } from './commands/router.ts';
import type {
  ActionInvocation,
  ActionResult,
  CommandInvocation,
  FormInvocation,
  FormOutcome,
} from './invocation.ts';
import type { Card, ChannelRef, Form, OutboundMessage, UserRef } from './types.ts';

/** A click whose durable part is done (the answer is stored); `finish` makes the reply and the rest. */
export interface AcceptedAction {
  /** The click opens this form: the adapter shows it as the click's response, and `finish` has nothing to add. */
  form?: Form;
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
  /** Runs the command a submitted form names with its values, or says which fields are wrong. */
  submitForm(inv: FormInvocation): Promise<FormOutcome>;
  /**
   * The welcome for a channel the bot was just added to, once per channel ever: the one caller that claims it
   * gets the message to post, every other caller (a restart, a second instance) undefined. With
   * `onlyWithoutDrill`, a channel that already has a drill is not welcomed (a first command there).
   */
  welcome(channel: ChannelRef, opts?: { onlyWithoutDrill?: boolean }): Promise<OutboundMessage | undefined>;
  /** The claimed welcome could not be posted: gives the claim back so the next trigger welcomes the channel. */
  welcomeFailed(channel: ChannelRef): Promise<void>;
  /** A member's home (Slack's App Home tab): their own record, and for managers their channels' drills. */
  home(user: UserRef, opts: { isPlatformAdmin?: () => Promise<boolean> }): Promise<HomeView>;
  /**
   * Values an option may take that come from data (`suggest` on its definition): the names of this channel's
   * teams, the cohorts the member may see, or the tracks the workspace may study. Never throws: nothing to suggest is [].
   */
  suggest(inv: { channel: ChannelRef; user: UserRef; kind: Suggestions }): Promise<string[]>;
  /** The command table, read only: Discord registers `/roadmap` and completes options from it. */
  // biome-ignore lint/suspicious/noExplicitAny: adapters read definitions, never call handlers
  commands: Pick<CommandRouter<any>, 'commandName' | 'entries' | 'find' | 'all'>;
  /** The default track's modules, for option completion. */
  modules: readonly { id: string; title: string }[];
}

/** What a member's home shows, as cards in order; `text` is the fallback. */
export interface HomeView {
  text: string;
  cards: Card[];
}
