/** Commands as data: a subcommand is a name, options, who may run it, how it replies, and a handler. */
import type { Clock } from '../clock.ts';
import type { CommandInvocation } from '../invocation.ts';
import type { Log } from '../log.ts';
import type { Form, OutboundMessage, Visibility } from '../types.ts';
import type { ArgsOf, OptionDef } from './options.ts';

type Access = 'all' | 'manager';

/** The command members type: `/roadmap today`. Messages name a manager command with `managerCommand`. */
export const COMMAND_NAME = 'roadmap';

export interface CommandContext<S> {
  invocation: CommandInvocation;
  services: S;
  log: Log;
  clock: Clock;
}

export interface SubcommandDef<S = unknown, Os extends readonly OptionDef[] = readonly OptionDef[]> {
  kind: 'subcommand';
  name: string;
  aliases?: readonly string[];
  description: string;
  options: Os;
  access: Access;
  visibility: Visibility;
  /** Ways to run it, as the words after the command (`schedule set 09:30`); help writes the command before them. */
  examples?: readonly string[];
  // biome-ignore lint/suspicious/noExplicitAny: handlers are checked against their own options where defined
  handler(ctx: CommandContext<S>, args: any): Promise<OutboundMessage>;
  /**
   * The form this command opens when run with no options where forms can open (Slack, Discord). Its field
   * ids are option names: the submission runs this command with them, through the same validation.
   */
  form?(ctx: CommandContext<S>): Promise<Form>;
}

export interface GroupDef<S = unknown> {
  kind: 'group';
  name: string;
  description: string;
  subcommands: readonly SubcommandDef<S>[];
}

export type CommandEntry<S = unknown> = SubcommandDef<S> | GroupDef<S>;

/**
 * Binds the services type once, so each definition infers its handler's argument types from its options:
 * `const { subcommand } = commandBuilder<CoreServices>()`.
 */
export function commandBuilder<S>() {
  return {
    subcommand<const Os extends readonly OptionDef[]>(
      def: Omit<SubcommandDef<S, Os>, 'kind' | 'handler'> & {
        handler(ctx: CommandContext<S>, args: ArgsOf<Os>): Promise<OutboundMessage>;
      },
    ): SubcommandDef<S, Os> {
      return { kind: 'subcommand', ...def };
    },
    group(def: Omit<GroupDef<S>, 'kind'>): GroupDef<S> {
      return { kind: 'group', ...def };
    },
  };
}

/** A resolved subcommand with the words that name it (`['schedule', 'set']`). */
export interface ResolvedCommand<S = unknown> {
  path: string[];
  def: SubcommandDef<S>;
}
