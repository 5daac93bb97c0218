/** Reading an option's raw value: one zod schema per option type, with the reasons users see. */
import { DateTime } from 'luxon';
import { z } from 'zod';
import { echo } from '../render/text.ts';
import {
  CLEAR_WORDS,
  DAYS_EXAMPLES,
  isValidTimezone,
  nearest,
  type OptionDef,
  parseDays,
  parseTime,
  timezoneNames,
  timezoneSuggestion,
} from './options.ts';

/** Refuses a value with the option's name, the value echoed and why. */
type Bad = (ctx: z.RefinementCtx, v: unknown, reason: string) => never;

const asText = () => z.union([z.string(), z.number()]).transform((v) => String(v).trim());

/** A whole number inside an option's bounds to show as an example. */
function integerExample(o: { min?: number; max?: number }): number {
  return Math.min(Math.max(4, o.min ?? 4), o.max ?? 4);
}

function stringSchema(o: { minLength?: number; maxLength?: number }, name: string, bad: Bad) {
  return asText().transform((v, ctx) => {
    const min = o.minLength ?? 1;
    const max = o.maxLength ?? 200;
    if (v.length < min)
      return bad(
        ctx,
        v,
        min === 1 ? 'is empty; give a value' : `is too short; use at least ${min} characters`,
      );
    if (v.length > max) {
      ctx.addIssue({
        code: 'custom',
        message: `${name} must be at most ${max} characters (got ${v.length.toLocaleString('en-US')})`,
      });
      return z.NEVER;
    }
    return v;
  });
}

function integerSchema(o: { min?: number; max?: number }, bad: Bad) {
  const range =
    o.min !== undefined && o.max !== undefined
      ? `a whole number from ${o.min} to ${o.max}`
      : o.min !== undefined
        ? `a whole number of at least ${o.min}`
        : o.max !== undefined
          ? `a whole number of at most ${o.max}`
          : 'a whole number';
  const hint = `use ${range}, e.g. ${integerExample(o)}`;
  return z.union([z.string(), z.number()]).transform((v, ctx) => {
    const text = String(v).trim();
    const n = typeof v === 'number' ? v : /^[-+]?\d+$/.test(text) ? Number(text) : Number.NaN;
    if (!Number.isSafeInteger(n)) return bad(ctx, v, `is not a whole number; ${hint}`);
    if (o.min !== undefined && n < o.min) return bad(ctx, v, `is too small; ${hint}`);
    if (o.max !== undefined && n > o.max) return bad(ctx, v, `is too large; ${hint}`);
    return n;
  });
}

function timeSchema(o: { clearable?: boolean }, bad: Bad) {
  return asText().transform((v, ctx) => {
    if (o.clearable && CLEAR_WORDS.includes(v.toLowerCase())) return 'none';
    const t = parseTime(v);
    return (
      t ??
      bad(
        ctx,
        v,
        `is not a time of day; use HH:MM (24-hour), e.g. ${o.clearable ? '17:00, or none to clear it' : '09:00'}`,
      )
    );
  });
}

function moduleSchema(moduleIds: readonly string[], bad: Bad) {
  return asText().transform((v, ctx) => {
    const hit = moduleIds.find((m) => m === v.toLowerCase());
    if (hit) return hit;
    const near = nearest(v, moduleIds);
    return bad(
      ctx,
      v,
      `is not a module id${near.length ? ` (did you mean ${near.join(', ')}?)` : ''}; use e.g. ${moduleIds[0] ?? 'internet'}, and /roadmap topics lists them all`,
    );
  });
}

function usersSchema(name: string, bad: Bad) {
  return z
    .union([
      z.array(z.object({ userId: z.string().min(1), displayName: z.string().optional() })),
      z.object({ userId: z.string() }),
      z.string(),
    ])
    .transform((v, ctx) => {
      const list = typeof v === 'string' ? [] : Array.isArray(v) ? v : [v];
      if (list.length) return list;
      if (typeof v === 'string' && v !== '')
        return bad(ctx, v, 'is not a member; mention one or several, e.g. @ana @ben');
      ctx.addIssue({
        code: 'custom',
        message: `${name} needs at least one mention, e.g. @ana @ben`,
      });
      return z.NEVER;
    });
}

/**
 * The zod schema for one option's raw value. Its messages are the one-line reasons users see: each names
 * the option it could not read, echoes the value and shows what would work ("`time`: `25:00` is not a
 * time of day; use HH:MM, e.g. 09:00").
 */
export function optionSchema(o: OptionDef, moduleIds: readonly string[]): z.ZodType {
  const name = `\`${o.name}\``;
  const bad: Bad = (ctx, v, reason) => {
    ctx.addIssue({ code: 'custom', message: `${name}: ${echo(v)} ${reason}` });
    return z.NEVER;
  };
  switch (o.type) {
    case 'string':
      return stringSchema(o, name, bad);
    case 'attachment':
      return stringSchema({ maxLength: 300 }, name, bad);
    case 'integer':
      return integerSchema(o, bad);
    case 'choice':
      return asText().transform((v, ctx) => {
        const hit = o.choices.find((c) => c.toLowerCase() === v.toLowerCase());
        return hit ?? bad(ctx, v, `is not one of ${o.choices.join(', ')}; e.g. ${o.choices[0]}`);
      });
    case 'boolean':
      return z.union([z.boolean(), z.string()]).transform((v, ctx) => {
        if (typeof v === 'boolean') return v;
        const s = v.toLowerCase();
        if (['true', 'yes', 'on', '1'].includes(s)) return true;
        if (['false', 'no', 'off', '0'].includes(s)) return false;
        return bad(ctx, v, 'is not yes or no; e.g. yes');
      });
    case 'time':
      return timeSchema(o, bad);
    case 'date':
      return asText().transform((v, ctx) => {
        const d = DateTime.fromISO(v, { zone: 'UTC' });
        if (/^\d{4}-\d{2}-\d{2}$/.test(v) && d.isValid) return v;
        return bad(ctx, v, 'is not a date; use YYYY-MM-DD, e.g. 2026-12-01');
      });
    case 'days':
      return asText().transform((v, ctx) => {
        const d = parseDays(v);
        return d ?? bad(ctx, v, `is not a list of days; use e.g. ${DAYS_EXAMPLES}`);
      });
    case 'timezone':
      return asText().transform((v, ctx) => {
        const exact = timezoneNames().find((z) => z.toLowerCase() === v.toLowerCase());
        if (exact && isValidTimezone(exact)) return exact;
        return bad(
          ctx,
          v,
          `is not an IANA time zone${timezoneSuggestion(v)}; use e.g. Europe/Berlin or America/New_York`,
        );
      });
    case 'module':
      return moduleSchema(moduleIds, bad);
    case 'user':
      return z
        .union([z.object({ userId: z.string().min(1), displayName: z.string().optional() }), z.string()])
        .transform((v, ctx) =>
          typeof v === 'object' ? v : bad(ctx, v, 'is not a member; mention one, e.g. @ana'),
        );
    case 'users':
      return usersSchema(name, bad);
    case 'channel':
      return z
        .union([z.object({ channelId: z.string().min(1), name: z.string().optional() }), z.string()])
        .transform((v, ctx) =>
          typeof v === 'object' ? v : bad(ctx, v, 'is not a channel; mention one, e.g. #study'),
        );
  }
}
