/** What adapters hand the core: a command (as text or as typed options) or a button click, already acknowledged. */
import type { ChannelMention, MemberMention, RawArgs } from './commands/options.ts';
import type { ChannelRef, OutboundMessage, UserRef } from './types.ts';

/** Turns a platform mention token (`<@U123|ana>`, `@ana`) into a member or channel; undefined when it is none. */
export type MentionResolver = (token: string) => MemberMention | ChannelMention | undefined;

export type CommandInput =
  /** Everything after `/roadmap`, as typed (Slack, terminal). */
  | { kind: 'text'; text: string; resolveMention?: MentionResolver }
  /** A subcommand path with typed options (Discord). */
  | { kind: 'structured'; path: string[]; args: RawArgs };

export interface CommandInvocation {
  channel: ChannelRef;
  user: UserRef;
  input: CommandInput;
  requestId: string;
  receivedAt: Date;
  /**
   * Asks the platform whether the caller is an admin by role, when that is not already in `user`. The bot
   * calls it only for a manager command from someone not granted, so other commands never wait on it.
   */
  isPlatformAdmin?: () => Promise<boolean>;
}

export interface ActionInvocation {
  channel: ChannelRef;
  user: UserRef;
  actionId: string;
  value: string;
  /** The message the button was on, when the platform says. */
  messageId?: string;
  requestId: string;
  receivedAt: Date;
}

export interface ActionResult {
  /** Shown to the member who clicked (ephemeral where the platform allows). */
  reply: OutboundMessage;
}
