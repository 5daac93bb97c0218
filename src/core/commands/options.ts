/** Option definitions: one description drives validation, typed handler arguments, parsing, help and registration. */
import { DateTime, IANAZone } from 'luxon';
import { z } from 'zod';

interface OptionBase {
  name: string;
  description: string;
  required?: boolean;
}

export type OptionDef =
  | (OptionBase & { type: 'string'; maxLength?: number; minLength?: number })
  | (OptionBase & { type: 'integer'; min?: number; max?: number })
  | (OptionBase & { type: 'choice'; choices: readonly string[] })
  | (OptionBase & { type: 'time' | 'date' | 'timezone' | 'days' | 'module' | 'boolean' | 'user' | 'channel' })
  | (OptionBase & { type: 'users' });

export type OptionType = OptionDef['type'];

export interface MemberMention {
  userId: string;
  displayName?: string;
}

export interface ChannelMention {
  channelId: string;
  name?: string;
}

/** What an adapter may pass for one option before validation. */
export type RawValue = string | number | boolean | MemberMention | ChannelMention | MemberMention[];
export type RawArgs = Record<string, RawValue | undefined>;

type ValueOf<O extends OptionDef> = O extends { type: 'choice'; choices: infer C extends readonly string[] }
  ? C[number]
  : O extends { type: 'integer' }
    ? number
    : O extends { type: 'boolean' }
      ? boolean
      : O extends { type: 'user' }
        ? MemberMention
        : O extends { type: 'users' }
          ? MemberMention[]
          : O extends { type: 'channel' }
            ? ChannelMention
            : O extends { type: 'days' }
              ? number
              : string;

/** The typed arguments a handler receives for a list of options. */
export type ArgsOf<Os extends readonly OptionDef[]> = {
  [O in Os[number] as O['name']]: O extends { required: true } ? ValueOf<O> : ValueOf<O> | undefined;
};

const FULL_DAY_NAMES = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];

/** 0 for Monday … 6 for Sunday; accepts "mon", "tues", "monday"; -1 when not a day. */
function dayIndex(word: string): number {
  const w = word.trim();
  return w.length >= 3 ? FULL_DAY_NAMES.findIndex((d) => d.startsWith(w)) : -1;
}
export const ALL_DAYS = 0b1111111;
export const WEEKDAYS = 0b0011111;

/**
 * Parses a day list: `daily`, `weekdays`, `weekends`, `mon-fri`, `mon,wed,fri`, or a mix (`mon-wed,fri`).
 * Returns a bitmask (Monday = bit 0), or undefined when the text is not a day list.
 */
export function parseDays(input: string): number | undefined {
  const s = input.trim().toLowerCase();
  if (s === 'daily' || s === 'everyday' || s === 'all') return ALL_DAYS;
  if (s === 'weekdays') return WEEKDAYS;
  if (s === 'weekends') return 0b1100000;
  let mask = 0;
  for (const part of s.split(',')) {
    const ends = part.trim().split('-').map(dayIndex);
    const [from, to = from] = ends;
    if (ends.length > 2 || from === undefined || to === undefined || from < 0 || to < 0) return undefined;
    for (let i = from; ; i = (i + 1) % 7) {
      mask |= 1 << i;
      if (i === to) break;
    }
  }
  return mask || undefined;
}

const SHORT_DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/** The inverse of parseDays for people: "daily", "Mon–Fri", "Mon, Wed, Fri", "Mon–Wed, Sat". */
export function formatDays(mask: number): string {
  if ((mask & ALL_DAYS) === ALL_DAYS) return 'daily';
  const runs: string[] = [];
  for (let i = 0; i < 7; i++) {
    if (!(mask & (1 << i))) continue;
    let j = i;
    while (j + 1 < 7 && mask & (1 << (j + 1))) j++;
    runs.push(j - i >= 2 ? `${SHORT_DAYS[i]}–${SHORT_DAYS[j]}` : SHORT_DAYS.slice(i, j + 1).join(', '));
    i = j;
  }
  return runs.join(', ');
}

/** Normalises "9:05" to "09:05"; undefined when not a valid 24-hour time. */
export function parseTime(input: string): string | undefined {
  const m = /^([01]?\d|2[0-3])[:.h]([0-5]\d)$/.exec(input.trim());
  return m ? `${m[1]!.padStart(2, '0')}:${m[2]}` : undefined;
}

export function isValidTimezone(name: string): boolean {
  return IANAZone.isValidZone(name);
}

function editDistance(a: string, b: string): number {
  const dp = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = dp[0]!;
    dp[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = dp[j]!;
      dp[j] = Math.min(dp[j]! + 1, dp[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return dp[b.length]!;
}

/** The closest candidates to `input`, best first, within a distance that still reads as a typo. */
export function nearest(input: string, candidates: readonly string[], limit = 3): string[] {
  const needle = input.toLowerCase();
  return candidates
    .map((c) => {
      const hay = c.toLowerCase();
      const contains = hay.includes(needle) || hay.split('/').pop() === needle;
      return { c, d: contains ? 0 : editDistance(needle, hay) };
    })
    .filter((x) => x.d <= Math.max(2, Math.floor(needle.length / 3)))
    .sort((a, b) => a.d - b.d || a.c.localeCompare(b.c))
    .slice(0, limit)
    .map((x) => x.c);
}

let zoneNames: string[] | undefined;
export function timezoneNames(): string[] {
  zoneNames ??= Intl.supportedValuesOf('timeZone').concat('UTC');
  return zoneNames;
}

function describe(o: OptionDef): string {
  return `\`${o.name}\``;
}

/** The zod schema for one option's raw value; its messages are the one-line reasons users see. */
export function optionSchema(o: OptionDef, moduleIds: readonly string[]): z.ZodType {
  const name = describe(o);
  const asText = z.union([z.string(), z.number()]).transform((v) => String(v).trim());
  switch (o.type) {
    case 'string':
      return asText.pipe(
        z
          .string()
          .min(o.minLength ?? 1, `${name} must not be empty`)
          .max(o.maxLength ?? 200, `${name} must be at most ${o.maxLength ?? 200} characters`),
      );
    case 'integer':
      return z.coerce
        .number({ error: `${name} must be a whole number` })
        .int(`${name} must be a whole number`)
        .min(o.min ?? Number.MIN_SAFE_INTEGER, `${name} must be at least ${o.min}`)
        .max(o.max ?? Number.MAX_SAFE_INTEGER, `${name} must be at most ${o.max}`);
    case 'choice':
      return asText.transform((v, ctx) => {
        const hit = o.choices.find((c) => c.toLowerCase() === v.toLowerCase());
        if (hit) return hit;
        ctx.addIssue({
          code: 'custom',
          message: `${name} must be one of ${o.choices.join(', ')} (got "${v}")`,
        });
        return z.NEVER;
      });
    case 'boolean':
      return z.union([z.boolean(), z.string()]).transform((v, ctx) => {
        if (typeof v === 'boolean') return v;
        const s = v.toLowerCase();
        if (['true', 'yes', 'on', '1'].includes(s)) return true;
        if (['false', 'no', 'off', '0'].includes(s)) return false;
        ctx.addIssue({ code: 'custom', message: `${name} must be yes or no (got "${v}")` });
        return z.NEVER;
      });
    case 'time':
      return asText.transform((v, ctx) => {
        const t = parseTime(v);
        if (t) return t;
        ctx.addIssue({ code: 'custom', message: `${name} must be a 24-hour time like 09:30 (got "${v}")` });
        return z.NEVER;
      });
    case 'date':
      return asText.transform((v, ctx) => {
        const d = DateTime.fromISO(v, { zone: 'UTC' });
        if (/^\d{4}-\d{2}-\d{2}$/.test(v) && d.isValid) return v;
        ctx.addIssue({ code: 'custom', message: `${name} must be a date like 2026-12-01 (got "${v}")` });
        return z.NEVER;
      });
    case 'days':
      return asText.transform((v, ctx) => {
        const d = parseDays(v);
        if (d !== undefined) return d;
        ctx.addIssue({
          code: 'custom',
          message: `${name} must be days like mon-fri, mon,wed,fri or daily (got "${v}")`,
        });
        return z.NEVER;
      });
    case 'timezone':
      return asText.transform((v, ctx) => {
        const exact = timezoneNames().find((z) => z.toLowerCase() === v.toLowerCase());
        if (exact && isValidTimezone(exact)) return exact;
        const near = nearest(v, timezoneNames());
        ctx.addIssue({
          code: 'custom',
          message: `${name} must be an IANA time zone like Europe/Berlin (got "${v}")${near.length ? `; did you mean ${near.join(', ')}?` : ''}`,
        });
        return z.NEVER;
      });
    case 'module':
      return asText.transform((v, ctx) => {
        const hit = moduleIds.find((m) => m === v.toLowerCase());
        if (hit) return hit;
        const near = nearest(v, moduleIds);
        ctx.addIssue({
          code: 'custom',
          message: `${name} must be a module id (got "${v}")${near.length ? `; did you mean ${near.join(', ')}?` : '; see /roadmap topics'}`,
        });
        return z.NEVER;
      });
    case 'user':
      return z
        .union([z.object({ userId: z.string().min(1), displayName: z.string().optional() }), z.string()])
        .transform((v, ctx) => {
          if (typeof v === 'object') return v;
          ctx.addIssue({ code: 'custom', message: `${name} must be a mention like @name (got "${v}")` });
          return z.NEVER;
        });
    case 'users':
      return z
        .union([
          z.array(z.object({ userId: z.string().min(1), displayName: z.string().optional() })),
          z.object({ userId: z.string() }),
          z.string(),
        ])
        .transform((v, ctx) => {
          const list = typeof v === 'string' ? [] : Array.isArray(v) ? v : [v];
          if (list.length) return list;
          ctx.addIssue({
            code: 'custom',
            message: `${name} needs at least one mention like @name${typeof v === 'string' ? ` (got "${v}")` : ''}`,
          });
          return z.NEVER;
        });
    case 'channel':
      return z
        .union([z.object({ channelId: z.string().min(1), name: z.string().optional() }), z.string()])
        .transform((v, ctx) => {
          if (typeof v === 'object') return v;
          ctx.addIssue({
            code: 'custom',
            message: `${name} must be a channel mention like #study (got "${v}")`,
          });
          return z.NEVER;
        });
  }
}

/** How an option appears in usage lines: <required> and [optional], with choices spelled out. */
export function formatOption(o: OptionDef): string {
  const shape =
    o.type === 'choice'
      ? o.choices.join('|')
      : o.type === 'time'
        ? `${o.name}:HH:MM`
        : o.type === 'date'
          ? `${o.name}:YYYY-MM-DD`
          : o.type === 'users'
            ? '@member…'
            : o.type === 'user'
              ? '@member'
              : o.type === 'channel'
                ? '#channel'
                : o.name;
  return o.required ? `<${shape}>` : `[${shape}]`;
}
