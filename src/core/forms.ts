/**
 * Forms in the neutral model: the fields a setup form is made of, and reading a submission back into a
 * command's raw options. A field's id is the option it fills, so a submission is validated by the command's
 * own option schema, exactly like typed text.
 */
import { isValidTimezone, type OptionDef } from './commands/options.ts';
import type { FormChoice, FormField, FormValues } from './types.ts';

/** The zones most teams pick: an empty time zone box and a form's zone select offer these first. */
export const COMMON_ZONES = [
  'UTC',
  'Europe/London',
  'Europe/Berlin',
  'Europe/Paris',
  'Europe/Madrid',
  'Europe/Warsaw',
  'Europe/Kyiv',
  'America/New_York',
  'America/Chicago',
  'America/Denver',
  'America/Los_Angeles',
  'America/Sao_Paulo',
  'Asia/Kolkata',
  'Asia/Singapore',
  'Asia/Tokyo',
  'Australia/Sydney',
];

/** Discord lets a select hold 25 choices; Slack 100. A form's zone select stays inside both. */
const MAX_ZONE_CHOICES = 25;

const DAY_CHOICES: FormChoice[] = [
  { value: 'mon', label: 'Monday' },
  { value: 'tue', label: 'Tuesday' },
  { value: 'wed', label: 'Wednesday' },
  { value: 'thu', label: 'Thursday' },
  { value: 'fri', label: 'Friday' },
  { value: 'sat', label: 'Saturday' },
  { value: 'sun', label: 'Sunday' },
];

/** The days of a bitmask (Monday = bit 0) as the checkbox values a days field preselects. */
function dayValues(mask: number): string[] {
  return DAY_CHOICES.filter((_, i) => mask & (1 << i)).map((d) => d.value);
}

export function daysField(id: string, label: string, mask: number): FormField {
  return { id, label, kind: 'checkboxes', choices: DAY_CHOICES, initial: dayValues(mask), required: true };
}

/** A zone select with `preselected` first (the member's or the workspace's zone), then the common ones. */
export function timezoneField(id: string, label: string, preselected: string | undefined): FormField {
  const valid = preselected && isValidTimezone(preselected) ? preselected : undefined;
  const zones = [...new Set([...(valid ? [valid] : []), ...COMMON_ZONES])].slice(0, MAX_ZONE_CHOICES);
  return {
    id,
    label,
    kind: 'select',
    choices: zones.map((z) => ({ value: z, label: z })),
    initial: valid ?? 'UTC',
    required: true,
    hint: 'Another zone: type the command, e.g. tz:Africa/Lagos',
  };
}

/**
 * A submission as the command's raw options: text trimmed, empty fields left out (the option's default
 * applies), checkbox values joined as a day list (`mon,wed,fri`) for the `days` option to read.
 */
export function formArgs(options: readonly OptionDef[], values: FormValues): Record<string, string> {
  const args: Record<string, string> = {};
  for (const [id, value] of Object.entries(values)) {
    if (!options.some((o) => o.name === id)) continue;
    const text = Array.isArray(value) ? value.join(',') : (value ?? '').trim();
    if (text) args[id] = text;
  }
  return args;
}
