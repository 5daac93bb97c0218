/** Resolves input against the command definitions: text parsing, typed options, validation and usage lines. */
import { UserFacingError } from '../errors.ts';
import type { CommandInput } from '../invocation.ts';
import { echo, managerCommand } from '../render/text.ts';
import { assignArgs } from './args.ts';
import type { CommandEntry, GroupDef, ResolvedCommand } from './define.ts';
import { formatOption, nearest } from './options.ts';
import { tokenize } from './tokenize.ts';
import { CONTROL_CHARS, createSchemaCache, validateArgs } from './validate.ts';

/** Longer input is refused before parsing: no command needs it, and it keeps replies one line. */
export const MAX_INPUT_LENGTH = 1000;

/** Command words are short; a longer word is not worth a suggestion. */
const MAX_WORD_LENGTH = 40;

interface ParsedCommand<S> extends ResolvedCommand<S> {
  args: Record<string, unknown>;
}

/**
 * A subcommand found from its words, before its options are read: callers check who may run it first,
 * so nobody who may not run a command makes the bot parse (and fuzzy-match) its options.
 */
interface PendingCommand<S> extends ResolvedCommand<S> {
  /** No option was given at all: a command with a form may open it instead. */
  empty: boolean;
  /** Reads and validates the options; throws UserFacingError with a one-line reason and the usage. */
  parseArgs(): Record<string, unknown>;
}

export interface CommandRouter<S> {
  readonly entries: readonly CommandEntry<S>[];
  readonly commandName: string;
  /** Finds the subcommand the input names (cheap: no option is read). Throws for unknown commands. */
  resolve(input: CommandInput): PendingCommand<S>;
  /** `resolve` and `parseArgs` in one step. */
  parse(input: CommandInput): ParsedCommand<S>;
  /** Finds a subcommand by its words, e.g. ['cohort', 'create']. */
  find(path: readonly string[]): ResolvedCommand<S> | undefined;
  usage(resolved: ResolvedCommand<S>): string;
  /** The command as members type it (`/roadmap today`), a manager command marked for each platform to name. */
  line(resolved: ResolvedCommand<S>): string;
  all(): ResolvedCommand<S>[];
}

/** The command words: entries and subcommands by name or alias, and the usage lines that show them. */
function createCatalogue<S>(commandName: string, entries: readonly CommandEntry<S>[]) {
  const names = new Set<string>();
  for (const e of entries) {
    for (const n of [e.name, ...(e.kind === 'subcommand' ? (e.aliases ?? []) : [])]) {
      if (names.has(n)) throw new Error(`duplicate command name "${n}"`);
      names.add(n);
    }
  }

  const all = (): ResolvedCommand<S>[] =>
    entries.flatMap((e) =>
      e.kind === 'group'
        ? e.subcommands.map((def) => ({ path: [e.name, def.name], def }))
        : [{ path: [e.name], def: e }],
    );

  // A manager command is marked: Discord registers it under a command of its own.
  const line = ({ path, def }: ResolvedCommand<S>) =>
    def.access === 'manager' ? managerCommand(path.join(' ')) : `/${commandName} ${path.join(' ')}`;

  const usage = (resolved: ResolvedCommand<S>) =>
    [line(resolved), ...resolved.def.options.map(formatOption)].join(' ');

  /** A group's words: marked when every subcommand in it is for managers. */
  const groupLine = (group: GroupDef<S>) =>
    group.subcommands.every((s) => s.access === 'manager')
      ? managerCommand(group.name)
      : `/${commandName} ${group.name}`;

  const topUsage = () =>
    `/${commandName} <${entries.map((e) => e.name).join('|')}> — /${commandName} help lists them all`;

  const findEntry = (word: string) =>
    entries.find((e) => e.name === word || (e.kind === 'subcommand' && e.aliases?.includes(word)));

  const find = (path: readonly string[]): ResolvedCommand<S> | undefined => {
    const [first, second] = path.map((p) => p.toLowerCase());
    const entry = first ? findEntry(first) : undefined;
    if (!entry) return undefined;
    if (entry.kind === 'subcommand')
      return path.length === 1 ? { path: [entry.name], def: entry } : undefined;
    const def = entry.subcommands.find((s) => s.name === second);
    return def && path.length === 2 ? { path: [entry.name, def.name], def } : undefined;
  };

  return { commandName, names, all, line, groupLine, usage, topUsage, findEntry, find };
}

type Catalogue<S> = ReturnType<typeof createCatalogue<S>>;

/** The subcommand the first typed words name, and the words left for its options; unknown words suggest. */
function resolvePath<S>(
  catalogue: Catalogue<S>,
  tokens: string[],
): { resolved: ResolvedCommand<S>; rest: string[] } {
  const { names, usage, topUsage, findEntry, find, groupLine } = catalogue;
  const [first = 'help', ...rest] = tokens;
  const word = first.toLowerCase();
  const entry = findEntry(word);
  if (!entry) {
    const near = word.length <= MAX_WORD_LENGTH ? nearest(word, [...names]) : [];
    const suggestion = near[0] ? find([near[0]]) : undefined;
    throw new UserFacingError(
      'UNKNOWN_COMMAND',
      `Unknown command ${echo(first)}.${near.length ? ` Did you mean ${near.map((n) => `\`${n}\``).join(' or ')}?` : ''}`,
      suggestion ? usage(suggestion) : topUsage(),
    );
  }
  if (entry.kind === 'subcommand') return { resolved: { path: [entry.name], def: entry }, rest };
  const subNames = entry.subcommands.map((s) => s.name);
  const groupUsage = `${groupLine(entry)} <${subNames.join('|')}>`;
  const [second, ...after] = rest;
  if (!second)
    throw new UserFacingError(
      'MISSING_ARGUMENT',
      `\`${entry.name}\` needs one of: ${subNames.join(', ')}.`,
      groupUsage,
    );
  const def = entry.subcommands.find((s) => s.name === second.toLowerCase());
  if (!def) {
    const near = second.length <= MAX_WORD_LENGTH ? nearest(second, subNames) : [];
    throw new UserFacingError(
      'UNKNOWN_COMMAND',
      `Unknown \`${entry.name}\` command ${echo(second)}.${near.length ? ` Did you mean ${near.map((n) => `\`${n}\``).join(' or ')}?` : ''}`,
      groupUsage,
    );
  }
  return { resolved: { path: [entry.name, def.name], def }, rest: after };
}

/** Typed text is refused before it is parsed when it is too long or holds control characters. */
function checkText(text: string, topUsage: () => string): void {
  if (text.length > MAX_INPUT_LENGTH) {
    throw new UserFacingError(
      'INPUT_TOO_LONG',
      `That command is ${text.length.toLocaleString('en-US')} characters long; the limit is ${MAX_INPUT_LENGTH.toLocaleString('en-US')}.`,
      topUsage(),
    );
  }
  if (CONTROL_CHARS.test(text)) {
    throw new UserFacingError(
      'CONTROL_CHARACTERS',
      'That command contains control characters; type it again without them.',
      topUsage(),
    );
  }
}

export function createCommandRouter<S>(opts: {
  commandName: string;
  entries: readonly CommandEntry<S>[];
  moduleIds: readonly string[];
}): CommandRouter<S> {
  const { commandName, entries, moduleIds } = opts;
  const catalogue = createCatalogue(commandName, entries);
  const { usage, line, topUsage, find, all } = catalogue;
  const schemaFor = createSchemaCache<S>(moduleIds);

  const checks = { usage, schemaFor };

  // A subcommand without options, given none, has nothing to read: its arguments are {} without a parse.
  const resolve = (input: CommandInput): PendingCommand<S> => {
    if (input.kind === 'structured') {
      const resolved = find(input.path);
      if (!resolved)
        throw new UserFacingError(
          'UNKNOWN_COMMAND',
          `Unknown command ${echo(input.path.join(' '))}.`,
          topUsage(),
        );
      const empty = Object.values(input.args).every((v) => v === undefined);
      const bare = resolved.def.options.length === 0 && empty;
      return {
        ...resolved,
        empty,
        parseArgs: () => (bare ? {} : validateArgs(checks, resolved, input.args)),
      };
    }
    const text = input.text;
    checkText(text, topUsage);
    const { resolved, rest } = resolvePath(catalogue, tokenize(text));
    const bare = resolved.def.options.length === 0 && rest.length === 0;
    return {
      ...resolved,
      empty: rest.length === 0,
      parseArgs: () =>
        bare
          ? {}
          : validateArgs(
              checks,
              resolved,
              assignArgs({ moduleIds, usage }, resolved, rest, input.resolveMention),
            ),
    };
  };

  const parse = (input: CommandInput): ParsedCommand<S> => {
    const pending = resolve(input);
    return { path: pending.path, def: pending.def, args: pending.parseArgs() };
  };

  return { entries, commandName, resolve, parse, find, usage, line, all };
}
