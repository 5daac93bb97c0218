/** How far away a moment is, in words people read at a glance; one home for both wordings. */
import { DateTime } from 'luxon';

/** "in 40 min", "in 46 h", "in 3 days": compact, for one-line replies that already carry the date. */
export function untilShort(from: Date, to: Date): string {
  const mins = Math.round((to.getTime() - from.getTime()) / 60000);
  if (mins < 60) return `in ${mins} min`;
  const hours = Math.round(mins / 60);
  return hours < 48 ? `in ${hours} h` : `in ${Math.round(hours / 24)} days`;
}

/** "in 3 hours", "in 1 day": luxon's English wording, for schedule replies. */
export function untilWords(from: Date, to: Date): string {
  return DateTime.fromJSDate(to).toRelative({ base: DateTime.fromJSDate(from), locale: 'en' }) ?? '';
}
