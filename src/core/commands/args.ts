/** Reading a typed command's words into raw options: `name:value` pairs, and positional words by fit. */
import { UserFacingError } from '../errors.ts';
import type { MentionResolver } from '../invocation.ts';
import { echo } from '../render/text.ts';
import type { ResolvedCommand } from './define.ts';
import {
  isChannel,
  isMember,
  isValidTimezone,
  type MemberMention,
  type OptionDef,
  parseDays,
  parseTime,
  type RawArgs,
  type RawValue,
} from './options.ts';

export interface AssignContext<S> {
  moduleIds: readonly string[];
  usage(resolved: ResolvedCommand<S>): string;
}

/** Whether a positional word plausibly belongs to an option, so optional options can be skipped. */
function fits(
  o: OptionDef,
  token: string,
  mention: RawValue | undefined,
  moduleIds: readonly string[],
): boolean {
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
    case 'attachment':
      return mention === undefined;
  }
}

/** A list of mentions from `tokens[start]` on: every following mention joins it. */
function mentionsFrom(tokens: readonly string[], start: number, resolveMention: MentionResolver | undefined) {
  const list: MemberMention[] = [];
  let j = start;
  for (; j < tokens.length; j++) {
    const m = resolveMention?.(tokens[j]!);
    if (!isMember(m)) break;
    list.push(m);
  }
  return { list, end: j };
}

export function assignArgs<S>(
  ctx: AssignContext<S>,
  resolved: ResolvedCommand<S>,
  tokens: string[],
  resolveMention: MentionResolver | undefined,
): RawArgs {
  const { def } = resolved;
  const raw: RawArgs = {};
  const byName = new Map(def.options.map((o) => [o.name.toLowerCase(), o]));
  const fail = (message: string, code: 'BAD_ARGUMENT' | 'TOO_MANY_ARGUMENTS' = 'BAD_ARGUMENT'): never => {
    throw new UserFacingError(code, message, ctx.usage(resolved));
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
    // Free text takes a word only when no required option before it is still open: `set 25:00` is a bad
    // time (and says so), not a track.
    const fit = open.find((o) => fits(o, token, mention, ctx.moduleIds));
    const required = open.find((o) => o.required);
    const target =
      fit && (fit.type !== 'string' || !required || open.indexOf(required) >= open.indexOf(fit))
        ? fit
        : (required ?? fit ?? open[0]);
    if (!target)
      return fail(
        `Unexpected ${echo(token)}: \`${resolved.path.join(' ')}\` takes no more arguments.`,
        'TOO_MANY_ARGUMENTS',
      );
    const option = target;
    if (option.type === 'users') {
      // A list of mentions: take every following mention too.
      const { list, end } = mentionsFrom(tokens, i, resolveMention);
      raw[option.name] = list.length ? list : token;
      i = Math.max(i, end - 1);
      continue;
    }
    raw[option.name] = mention && (option.type === 'user' || option.type === 'channel') ? mention : token;
  }
  return raw;
}
