/** What adapters hand the core: a command (as text or as typed options) or a button click, already acknowledged. */
import type { ChannelMention, MemberMention, RawArgs } from './commands/options.ts';
import type { ChannelRef, FormValues, OutboundMessage, UserRef } from './types.ts';

/** Turns a platform mention token (`<@U123|ana>`, `@ana`) into a member or channel; undefined when it is none. */
export type MentionResolver = (token: string) => MemberMention | ChannelMention | undefined;

export type CommandInput =
  /** Everything after `/roadmap`, as typed (Slack, terminal). */
  | { kind: 'text'; text: string; resolveMention?: MentionResolver }
  /** A subcommand path with typed options (Discord). */
  | { kind: 'structured'; path: string[]; args: RawArgs };

/** A file a member attached to a command, or named where the platform cannot attach one. */
export interface Attachment {
  name: string;
  /** The file's bytes, read no further than the limit asked for plus one byte (so "too big" is known). */
  data: Uint8Array;
}

/**
 * Reads the caller's file: Discord's attachment option, on Slack the newest file the caller shared in the
 * channel, in the terminal the path typed (`hint`). Undefined when there is none.
 */
export type AttachmentReader = (opts: { maxBytes: number; hint?: string }) => Promise<Attachment | undefined>;

export interface CommandInvocation {
  channel: ChannelRef;
  user: UserRef;
  input: CommandInput;
  requestId: string;
  receivedAt: Date;
  /**
   * Asks the platform whether the caller is an admin by role, when that is not already in `user`. The bot
   * calls it only for a manager command, or help's listing, from someone not granted: other commands never
   * wait on it.
   */
  isPlatformAdmin?: () => Promise<boolean>;
  /** The platform can open a form here: a command with a form, given no options, opens it instead of failing. */
  forms?: boolean;
  /**
   * The adapter sends a reply's picture after its text (Slack, which delivers files apart from the reply):
   * the reply comes back with its `picture` undrawn. Otherwise the bot draws it into `attachment` first.
   */
  picturesAfter?: boolean;
  /** The channel's name as the platform shows it, when the command carries one; the dashboard names channels by it. */
  channelName?: string;
  /** The member's own time zone, when the platform knows it (Slack's users.info); forms preselect it. */
  userTimezone?: () => Promise<string | undefined>;
  /** The caller's file, for commands that take one (`track import`); read only when such a command asks. */
  attachment?: AttachmentReader;
}

/** A submitted form: the command it runs (`form.id`) and its values by field id. */
export interface FormInvocation extends Omit<CommandInvocation, 'input' | 'forms' | 'picturesAfter'> {
  formId: string;
  values: FormValues;
}

/** A form either runs its command (the reply to show) or names what is wrong, by field id. */
export type FormOutcome =
  | { kind: 'done'; reply: OutboundMessage }
  | {
      kind: 'invalid';
      errors: Record<string, string>;
      /** The reasons with a button that opens the form again, for platforms that cannot show them inline. */
      reprompt: OutboundMessage;
    };

export interface ActionInvocation {
  channel: ChannelRef;
  user: UserRef;
  actionId: string;
  value: string;
  /** The message the button was on, when the platform says. */
  messageId?: string;
  requestId: string;
  receivedAt: Date;
  /** As for commands: asked only when a click runs a manager command for someone not granted. */
  isPlatformAdmin?: () => Promise<boolean>;
  /** As for commands: a click may open a form (Slack with the click's trigger, Discord as its response). */
  forms?: boolean;
  userTimezone?: () => Promise<string | undefined>;
}

export interface ActionResult {
  /** Shown to the member who clicked (ephemeral where the platform allows). */
  reply: OutboundMessage;
  /** The member's own record changed (an answer): what shows it (Slack's App Home) is refreshed. */
  memberChanged?: boolean;
}
