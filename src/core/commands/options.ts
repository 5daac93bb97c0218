/** Option definitions: one description drives validation, typed handler arguments, parsing, help and registration. */
import { IANAZone } from 'luxon';

interface OptionBase {
  name: string;
  description: string;
  required?: boolean;
}

export type OptionDef =
  /** `suggest`: the values come from data (this channel's teams, its cohorts); Discord completes them. */
  | (OptionBase & { type: 'string'; maxLength?: number; minLength?: number; suggest?: Suggestions })
  | (OptionBase & { type: 'integer'; min?: number; max?: number })
  | (OptionBase & { type: 'choice'; choices: readonly string[] })
  /** `clearable`: the word `none` (or `off`) is accepted too and reaches the handler as 'none'. */
  | (OptionBase & { type: 'time'; clearable?: boolean })
  | (OptionBase & { type: 'date' | 'timezone' | 'days' | 'module' | 'boolean' | 'user' | 'channel' })
  | (OptionBase & { type: 'users' })
  /**
   * A file: on Discord an attachment option; in text a word naming it (a path in the terminal), which the
   * handler passes to the invocation's attachment reader.
   */
  | (OptionBase & { type: 'attachment' });

/** Kinds of data an option's values can be suggested from. */
export type Suggestions = 'teams' | 'cohorts' | 'tracks';

export interface MemberMention {
  userId: string;
  displayName?: string;
}

export interface ChannelMention {
  channelId: string;
  name?: string;
}

export function isMember(v: unknown): v is MemberMention {
  return typeof v === 'object' && v !== null && 'userId' in v;
}
export function isChannel(v: unknown): v is ChannelMention {
  return typeof v === 'object' && v !== null && 'channelId' in v;
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

/**
 * The longest raw value each option type can hold. Values are refused above it before any parsing or
 * fuzzy matching, so nobody can make the bot spend time on suggestions for a 1,000-character "time zone".
 */
export function maxOptionLength(o: OptionDef): number {
  switch (o.type) {
    case 'string':
      return o.maxLength ?? 200;
    case 'attachment':
      return 300;
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
