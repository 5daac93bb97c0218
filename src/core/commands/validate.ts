/**
 * Checking a command's raw options before its handler sees them: lengths and control characters first, then
 * each option's schema; names typed by users come out inert.
 */
import { z } from 'zod';
import { UserFacingError } from '../errors.ts';
import { echo, literal } from '../render/text.ts';
import type { ResolvedCommand, SubcommandDef } from './define.ts';
import { optionSchema } from './option-schema.ts';
import { isChannel, isMember, type MemberMention, maxOptionLength, type RawArgs } from './options.ts';

// Tabs and newlines are whitespace; every other C0 control and DEL is refused.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
export const CONTROL_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

export interface ValidateContext<S> {
  usage(resolved: ResolvedCommand<S>): string;
  schemaFor(def: SubcommandDef<S>): z.ZodType;
}

/** The object schema of a subcommand's options, built once per subcommand. */
export function createSchemaCache<S>(moduleIds: readonly string[]): (def: SubcommandDef<S>) => z.ZodType {
  const schemas = new Map<SubcommandDef<S>, z.ZodType>();
  return (def) => {
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

export function validateArgs<S>(
  ctx: ValidateContext<S>,
  resolved: ResolvedCommand<S>,
  raw: RawArgs,
): Record<string, unknown> {
  const { usage, schemaFor } = ctx;
  for (const o of resolved.def.options) {
    if (o.required && (raw[o.name] === undefined || raw[o.name] === '')) {
      throw new UserFacingError(
        'MISSING_ARGUMENT',
        `\`${o.name}\` is required: ${o.description.replace(/\.$/, '')}.`,
        usage(resolved),
        o.name,
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
        key,
      );
    }
    if (typeof v === 'string' && CONTROL_CHARS.test(v)) {
      throw new UserFacingError(
        'CONTROL_CHARACTERS',
        `\`${key}\` contains control characters.`,
        usage(resolved),
        key,
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
    throw new UserFacingError('BAD_ARGUMENT', `${message.replace(/\.$/, '')}.`, usage(resolved), name);
  }
  return inert(resolved.def, result.data as Record<string, unknown>);
}
