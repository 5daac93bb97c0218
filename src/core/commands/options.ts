/** Option definitions: one description drives validation, typed handler arguments, parsing, help and registration. */
import { DateTime, IANAZone } from 'luxon';
import { z } from 'zod';
import { echo } from '../render/text.ts';

interface OptionBase {
  name: string;
  description: string;
  required?: boolean;
}

export type OptionDef =
  | (OptionBase & { type: 'string'; maxLength?: number; minLength?: number })
  | (OptionBase & { type: 'integer'; min?: number; max?: number })
  | (OptionBase & { type: 'choice'; choices: readonly string[] })
  /** `clearable`: the word `none` (or `off`) is accepted too and reaches the handler as 'none'. */
  | (OptionBase & { type: 'time'; clearable?: boolean })
  | (OptionBase & { type: 'date' | 'timezone' | 'days' | 'module' | 'boolean' | 'user' | 'channel' })
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

/** 0 for Monday … 6 for Sunday; accepts "tue", "tues", "thurs", "monday", "mondays"; -1 when not a day. */
function dayIndex(word: string): number {
  const w = word.trim().replace(/(day)s$/, '$1');
  return w.length >= 3 ? FULL_DAY_NAMES.findIndex((d) => d.startsWith(w)) : -1;
}
export const ALL_DAYS = 0b1111111;
export const WEEKDAYS = 0b0011111;
const WEEKENDS = 0b1100000;

const DAY_WORDS: Record<string, number> = {
  daily: ALL_DAYS,
  everyday: ALL_DAYS,
  'every day': ALL_DAYS,
  all: ALL_DAYS,
  weekdays: WEEKDAYS,
  weekday: WEEKDAYS,
  workdays: WEEKDAYS,
  weekends: WEEKENDS,
  weekend: WEEKENDS,
};

/** What `days` accepts, for messages and help. */
export const DAYS_EXAMPLES = 'mon-fri, tue,thu, tuesdays, weekdays, weekends or daily';

/**
 * Parses a day list: `daily`, `weekdays`, `weekends`, `mon-fri`, `mon,wed,fri`, `tuesdays`, `tue/thu`, or a
 * mix (`mon-wed,fri`). Returns a bitmask (Monday = bit 0), or undefined when the text is not a day list.
 */
export function parseDays(input: string): number | undefined {
  const s = input
    .trim()
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .replace(/\s*(?:[-–—]|\bto\b|\bthrough\b|\bthru\b)\s*/g, '-');
  const word = DAY_WORDS[s];
  if (word !== undefined) return word;
  let mask = 0;
  for (const part of s.split(/\s*(?:[,;/+&]|\band\b)\s*|\s+/)) {
    if (!part) continue;
    const ends = part.split('-').map(dayIndex);
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

/** Normalises "9:05", "9.05", "9h05", "9am" and "5:30 pm" to 24-hour "HH:MM"; undefined when not a time of day. */
export function parseTime(input: string): string | undefined {
  const s = input.trim().toLowerCase();
  const m = /^([01]?\d|2[0-3])[:.h]([0-5]\d)$/.exec(s);
  if (m) return `${m[1]!.padStart(2, '0')}:${m[2]}`;
  const ampm = /^(0?[1-9]|1[0-2])(?:[:.]([0-5]\d))?\s*([ap])\.?m\.?$/.exec(s);
  if (!ampm) return undefined;
  const hour = (Number(ampm[1]) % 12) + (ampm[3] === 'p' ? 12 : 0);
  return `${String(hour).padStart(2, '0')}:${ampm[2] ?? '00'}`;
}

/** The words a clearable option takes to mean "no value": `reveal:none`. */
export const CLEAR_WORDS = ['none', 'off', 'clear'];

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

/** " (did you mean Europe/Berlin?)" for a value that reads like a time zone's name, else "". */
export function timezoneSuggestion(value: string): string {
  const near = nearest(value, timezoneNames());
  return near.length ? ` (did you mean ${near.join(', ')}?)` : '';
}

/**
 * For a word read as a track that is none: when it reads like a time zone (`berlin`), where a zone goes,
 * so the reason points to the option the member meant.
 */
export function zoneHintForTrack(value: string): string {
  const hint = timezoneSuggestion(value);
  return hint ? ` A time zone goes in \`tz\` by its IANA name${hint}.` : '';
}

/** A whole number inside an option's bounds to show as an example. */
function integerExample(o: { min?: number; max?: number }): number {
  return Math.min(Math.max(4, o.min ?? 4), o.max ?? 4);
}

/**
 * The zod schema for one option's raw value. Its messages are the one-line reasons users see: each names
 * the option it could not read, echoes the value and shows what would work ("`time`: `25:00` is not a
 * time of day; use HH:MM, e.g. 09:00").
 */
export function optionSchema(o: OptionDef, moduleIds: readonly string[]): z.ZodType {
  const name = `\`${o.name}\``;
  const bad = (ctx: z.RefinementCtx, v: unknown, reason: string) => {
    ctx.addIssue({ code: 'custom', message: `${name}: ${echo(v)} ${reason}` });
    return z.NEVER;
  };
  const asText = z.union([z.string(), z.number()]).transform((v) => String(v).trim());
  switch (o.type) {
    case 'string':
      return asText.transform((v, ctx) => {
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
    case 'integer': {
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
    case 'choice':
      return asText.transform((v, ctx) => {
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
      return asText.transform((v, ctx) => {
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
    case 'date':
      return asText.transform((v, ctx) => {
        const d = DateTime.fromISO(v, { zone: 'UTC' });
        if (/^\d{4}-\d{2}-\d{2}$/.test(v) && d.isValid) return v;
        return bad(ctx, v, 'is not a date; use YYYY-MM-DD, e.g. 2026-12-01');
      });
    case 'days':
      return asText.transform((v, ctx) => {
        const d = parseDays(v);
        return d ?? bad(ctx, v, `is not a list of days; use e.g. ${DAYS_EXAMPLES}`);
      });
    case 'timezone':
      return asText.transform((v, ctx) => {
        const exact = timezoneNames().find((z) => z.toLowerCase() === v.toLowerCase());
        if (exact && isValidTimezone(exact)) return exact;
        return bad(
          ctx,
          v,
          `is not an IANA time zone${timezoneSuggestion(v)}; use e.g. Europe/Berlin or America/New_York`,
        );
      });
    case 'module':
      return asText.transform((v, ctx) => {
        const hit = moduleIds.find((m) => m === v.toLowerCase());
        if (hit) return hit;
        const near = nearest(v, moduleIds);
        return bad(
          ctx,
          v,
          `is not a module id${near.length ? ` (did you mean ${near.join(', ')}?)` : ''}; use e.g. ${moduleIds[0] ?? 'internet'}, and /roadmap topics lists them all`,
        );
      });
    case 'user':
      return z
        .union([z.object({ userId: z.string().min(1), displayName: z.string().optional() }), z.string()])
        .transform((v, ctx) =>
          typeof v === 'object' ? v : bad(ctx, v, 'is not a member; mention one, e.g. @ana'),
        );
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
          if (typeof v === 'string' && v !== '')
            return bad(ctx, v, 'is not a member; mention one or several, e.g. @ana @ben');
          ctx.addIssue({
            code: 'custom',
            message: `${name} needs at least one mention, e.g. @ana @ben`,
          });
          return z.NEVER;
        });
    case 'channel':
      return z
        .union([z.object({ channelId: z.string().min(1), name: z.string().optional() }), z.string()])
        .transform((v, ctx) =>
          typeof v === 'object' ? v : bad(ctx, v, 'is not a channel; mention one, e.g. #study'),
        );
  }
}

/** How an option appears in usage lines: <required> and [optional], with choices spelled out. */
export function formatOption(o: OptionDef): string {
  const shape =
    o.type === 'choice'
      ? o.choices.join('|')
      : o.type === 'time'
        ? `${o.name}:HH:MM${o.clearable ? '|none' : ''}`
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
