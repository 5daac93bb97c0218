/** Resolves input against the command definitions: text parsing, typed options, validation and usage lines. */
import { z } from 'zod';
import { UserFacingError } from '../errors.ts';
import type { CommandInput, MentionResolver } from '../invocation.ts';
import { echo, literal } from '../render/text.ts';
import type { CommandEntry, ResolvedCommand, SubcommandDef } from './define.ts';
import {
  type ChannelMention,
  formatOption,
  isValidTimezone,
  type MemberMention,
  nearest,
  type OptionDef,
  optionSchema,
  parseDays,
  parseTime,
  type RawArgs,
  type RawValue,
} from './options.ts';
import { tokenize } from './tokenize.ts';

/** Longer input is refused before parsing: no command needs it, and it keeps replies one line. */
export const MAX_INPUT_LENGTH = 1000;
// Tabs and newlines are whitespace; every other C0 control and DEL is refused.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

/** Command words are short; a longer word is not worth a suggestion. */
const MAX_WORD_LENGTH = 40;

/**
 * The longest raw value each option type can hold. Values are refused above it before any parsing or
 * fuzzy matching, so nobody can make the bot spend time on suggestions for a 1,000-character "time zone".
 */
export function maxOptionLength(o: OptionDef): number {
  switch (o.type) {
    case 'string':
      return o.maxLength ?? 200;
    case 'integer':
    case 'time':
    case 'date':
    case 'boolean':
      return 16;
    case 'choice':
      return Math.max(16, ...o.choices.map((c) => c.length));
    // The longest IANA name is 32 characters (America/Argentina/ComodRivadavia).
    case 'timezone':
    case 'module':
    case 'days':
      return 64;
    // A mention token with its label.
    case 'user':
    case 'users':
    case 'channel':
      return 120;
  }
}

export interface ParsedCommand<S> extends ResolvedCommand<S> {
  args: Record<string, unknown>;
}

/**
 * A subcommand found from its words, before its options are read: callers check who may run it first,
 * so nobody who may not run a command makes the bot parse (and fuzzy-match) its options.
 */
export interface PendingCommand<S> extends ResolvedCommand<S> {
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
  all(): ResolvedCommand<S>[];
}

function isMember(v: unknown): v is MemberMention {
  return typeof v === 'object' && v !== null && 'userId' in v;
}
function isChannel(v: unknown): v is ChannelMention {
  return typeof v === 'object' && v !== null && 'channelId' in v;
}

/**
 * Names typed by users (teams, cohorts) and names carried by mentions are stored and shown inert;
 * a member listed twice is listed once.
 */
function inert(def: SubcommandDef<unknown>, args: Record<string, unknown>): Record<string, unknown> {
  const person = (m: MemberMention): MemberMention =>
    m.displayName === undefined ? m : { ...m, displayName: literal(m.displayName) };
  for (const o of def.options) {
    const v = args[o.name];
    if (v === undefined) continue;
    if (o.type === 'string' && typeof v === 'string') args[o.name] = literal(v);
    else if (o.type === 'user' && isMember(v)) args[o.name] = person(v);
    // The same member named twice is one member.
    else if (o.type === 'users' && Array.isArray(v))
      args[o.name] = [...new Map(v.map((m: MemberMention) => [m.userId, person(m)])).values()];
    else if (o.type === 'channel' && isChannel(v) && v.name !== undefined)
      args[o.name] = { ...v, name: literal(v.name) };
  }
  return args;
}

export function createCommandRouter<S>(opts: {
  commandName: string;
  entries: readonly CommandEntry<S>[];
  moduleIds: readonly string[];
}): CommandRouter<S> {
  const { commandName, entries, moduleIds } = opts;
  const names = new Set<string>();
  for (const e of entries) {
    for (const n of [e.name, ...(e.kind === 'subcommand' ? (e.aliases ?? []) : [])]) {
      if (names.has(n)) throw new Error(`duplicate command name "${n}"`);
      names.add(n);
    }
  }
  const schemas = new Map<SubcommandDef<S>, z.ZodType>();
  const schemaFor = (def: SubcommandDef<S>) => {
    let s = schemas.get(def);
    if (!s) {
      s = z.object(
        Object.fromEntries(
          def.options.map((o) => [
            o.name,
            o.required ? optionSchema(o, moduleIds) : optionSchema(o, moduleIds).optional(),
          ]),
        ),
      );
      schemas.set(def, s);
    }
    return s;
  };

  const all = (): ResolvedCommand<S>[] =>
    entries.flatMap((e) =>
      e.kind === 'group'
        ? e.subcommands.map((def) => ({ path: [e.name, def.name], def }))
        : [{ path: [e.name], def: e }],
    );

  const usage = ({ path, def }: ResolvedCommand<S>) =>
    [`/${commandName}`, ...path, ...def.options.map(formatOption)].join(' ');

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

  /** Whether a positional word plausibly belongs to an option, so optional options can be skipped. */
  const fits = (o: OptionDef, token: string, mention: RawValue | undefined): boolean => {
    switch (o.type) {
      case 'choice':
        return o.choices.some((c) => c.toLowerCase() === token.toLowerCase());
      case 'time':
        return parseTime(token) !== undefined;
      case 'date':
        return /^\d{4}-\d{2}-\d{2}$/.test(token);
      case 'days':
        return parseDays(token) !== undefined;
      case 'timezone':
        return token.includes('/') || isValidTimezone(token);
      case 'integer':
        return /^-?\d+$/.test(token);
      case 'module':
        return moduleIds.includes(token.toLowerCase());
      case 'boolean':
        return /^(true|false|yes|no|on|off)$/i.test(token);
      case 'user':
      case 'users':
        return isMember(mention);
      case 'channel':
        return isChannel(mention);
      case 'string':
        return mention === undefined;
    }
  };

  const resolvePath = (tokens: string[]): { resolved: ResolvedCommand<S>; rest: string[] } => {
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
    const groupUsage = `/${commandName} ${entry.name} <${subNames.join('|')}>`;
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
  };

  const assign = (
    resolved: ResolvedCommand<S>,
    tokens: string[],
    resolveMention: MentionResolver | undefined,
  ): RawArgs => {
    const { def } = resolved;
    const raw: RawArgs = {};
    const byName = new Map(def.options.map((o) => [o.name.toLowerCase(), o]));
    const fail = (message: string, code: 'BAD_ARGUMENT' | 'TOO_MANY_ARGUMENTS' = 'BAD_ARGUMENT'): never => {
      throw new UserFacingError(code, message, usage(resolved));
    };
    for (let i = 0; i < tokens.length; i++) {
      const token = tokens[i]!;
      const named = /^([a-z][a-z_-]*):(.*)$/is.exec(token);
      const namedOption = named ? byName.get(named[1]!.toLowerCase()) : undefined;
      if (named && namedOption) {
        if (raw[namedOption.name] !== undefined) fail(`\`${namedOption.name}\` is given twice.`);
        const value = named[2]!;
        const mention = resolveMention?.(value);
        if (namedOption.type === 'users') raw[namedOption.name] = isMember(mention) ? [mention] : value;
        else
          raw[namedOption.name] =
            mention && (namedOption.type === 'user' || namedOption.type === 'channel') ? mention : value;
        continue;
      }
      const mention = resolveMention?.(token);
      const open = def.options.filter((o) => raw[o.name] === undefined);
      const target = open.find((o) => fits(o, token, mention)) ?? open.find((o) => o.required) ?? open[0];
      if (!target)
        return fail(
          `Unexpected ${echo(token)}: \`${resolved.path.join(' ')}\` takes no more arguments.`,
          'TOO_MANY_ARGUMENTS',
        );
      const option = target;
      if (option.type === 'users') {
        // A list of mentions: take every following mention too.
        const list: MemberMention[] = [];
        let j = i;
        for (; j < tokens.length; j++) {
          const m = resolveMention?.(tokens[j]!);
          if (!isMember(m)) break;
          list.push(m);
        }
        raw[option.name] = list.length ? list : token;
        i = Math.max(i, j - 1);
        continue;
      }
      raw[option.name] = mention && (option.type === 'user' || option.type === 'channel') ? mention : token;
    }
    return raw;
  };

  const validate = (resolved: ResolvedCommand<S>, raw: RawArgs): Record<string, unknown> => {
    for (const o of resolved.def.options) {
      if (o.required && (raw[o.name] === undefined || raw[o.name] === '')) {
        throw new UserFacingError(
          'MISSING_ARGUMENT',
          `\`${o.name}\` is required: ${o.description.replace(/\.$/, '')}.`,
          usage(resolved),
        );
      }
    }
    for (const key of Object.keys(raw)) {
      if (!resolved.def.options.some((o) => o.name === key)) {
        throw new UserFacingError(
          'BAD_ARGUMENT',
          `\`${resolved.path.join(' ')}\` has no option ${echo(key)}.`,
          usage(resolved),
        );
      }
      const v = raw[key];
      const option = resolved.def.options.find((o) => o.name === key)!;
      const max = maxOptionLength(option);
      const length = typeof v === 'string' || typeof v === 'number' ? String(v).trim().length : 0;
      if (length > max) {
        throw new UserFacingError(
          'BAD_ARGUMENT',
          `\`${key}\` is ${length.toLocaleString('en-US')} characters long; it can be at most ${max}.`,
          usage(resolved),
        );
      }
      if (typeof v === 'string' && CONTROL_CHARS.test(v)) {
        throw new UserFacingError(
          'CONTROL_CHARACTERS',
          `\`${key}\` contains control characters.`,
          usage(resolved),
        );
      }
    }
    // No time, date, zone, module, day list or choice spans lines: read (and echo) such a value on one.
    const oneLine: RawArgs = { ...raw };
    for (const o of resolved.def.options) {
      const v = oneLine[o.name];
      if (o.type !== 'string' && typeof v === 'string') oneLine[o.name] = v.replace(/\s+/g, ' ');
    }
    const result = schemaFor(resolved.def).safeParse(oneLine);
    if (!result.success) {
      const issue = result.error.issues[0]!;
      const name = String(issue.path[0] ?? '');
      const message = issue.message.startsWith('`') ? issue.message : `\`${name}\`: ${issue.message}`;
      throw new UserFacingError('BAD_ARGUMENT', `${message.replace(/\.$/, '')}.`, usage(resolved));
    }
    return inert(resolved.def, result.data as Record<string, unknown>);
  };

  const resolve = (input: CommandInput): PendingCommand<S> => {
    if (input.kind === 'structured') {
      const resolved = find(input.path);
      if (!resolved)
        throw new UserFacingError(
          'UNKNOWN_COMMAND',
          `Unknown command ${echo(input.path.join(' '))}.`,
          topUsage(),
        );
      return { ...resolved, parseArgs: () => validate(resolved, input.args) };
    }
    const text = input.text;
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
    const { resolved, rest } = resolvePath(tokenize(text));
    return {
      ...resolved,
      parseArgs: () => validate(resolved, assign(resolved, rest, input.resolveMention)),
    };
  };

  const parse = (input: CommandInput): ParsedCommand<S> => {
    const pending = resolve(input);
    return { path: pending.path, def: pending.def, args: pending.parseArgs() };
  };

  return { entries, commandName, resolve, parse, find, usage, all };
}
