/** Local dates, study days and period starts in IANA time zones; luxon does the zone arithmetic. */
import { DateTime } from 'luxon';

export interface Schedule {
  /** Local wall-clock time, "HH:MM". */
  timeOfDay: string;
  /** Study weekdays as a bitmask, Monday = bit 0 … Sunday = bit 6. */
  days: number;
  timezone: string;
}

export type PeriodKind = 'week' | 'month' | 'all';

/** The first day of 'all': every answer falls after it. */
const ALL_TIME_START = '1970-01-01';

export function localDateOf(instant: Date, timezone: string): string {
  return DateTime.fromJSDate(instant, { zone: timezone }).toISODate()!;
}

/**
 * A local date's day at midnight UTC. Calendar days need no zone: day counts and weekdays are the same in every
 * one, so plain date arithmetic serves (many times faster than a zoned DateTime; a calendar picture takes 182).
 */
function utcDay(localDate: string): Date {
  const [year, month, day] = localDate.split('-').map(Number) as [number, number, number];
  const at = new Date(0);
  at.setUTCFullYear(year, month - 1, day);
  return at;
}

export function addDays(localDate: string, days: number): string {
  const at = utcDay(localDate);
  at.setUTCDate(at.getUTCDate() + days);
  return at.toISOString().slice(0, 10);
}

/** 0 for Monday … 6 for Sunday. */
export function weekdayIndex(localDate: string): number {
  return (utcDay(localDate).getUTCDay() + 6) % 7;
}

export function isStudyWeekday(schedule: Pick<Schedule, 'days'>, localDate: string): boolean {
  return (schedule.days & (1 << weekdayIndex(localDate))) !== 0;
}

/**
 * The instant a drill opens on a local date. A wall time that does not exist (spring-forward gap)
 * opens at the first valid minute after it; a wall time that happens twice (fall-back) opens at the first.
 */
export function slotFor(schedule: Pick<Schedule, 'timeOfDay' | 'timezone'>, localDate: string): Date {
  const [hour, minute] = schedule.timeOfDay.split(':').map(Number) as [number, number];
  const day = DateTime.fromISO(localDate, { zone: schedule.timezone });
  const wanted = `${localDate} ${schedule.timeOfDay}`;
  let t = day.set({ hour, minute, second: 0, millisecond: 0 });
  if (t.toFormat('yyyy-MM-dd HH:mm') !== wanted) {
    // In a gap luxon moves forward by the gap's length; walk back to the minute the clocks jumped to.
    for (;;) {
      const prev = t.minus({ minutes: 1 });
      if (prev.toFormat('yyyy-MM-dd HH:mm') < wanted) break;
      t = prev;
    }
  } else {
    // Of two instants with this wall time, take the earlier one.
    const earlier = t.minus({ hours: 1 });
    if (earlier.toFormat('yyyy-MM-dd HH:mm') === wanted) t = earlier;
    else {
      const halfEarlier = t.minus({ minutes: 30 });
      if (halfEarlier.toFormat('yyyy-MM-dd HH:mm') === wanted) t = halfEarlier;
    }
  }
  return t.toJSDate();
}

/** The next study date strictly after `localDate`, skipping dates in `skips`. */
export function nextStudyDate(
  schedule: Pick<Schedule, 'days'>,
  localDate: string,
  skips: ReadonlySet<string> = new Set(),
): string {
  let d = localDate;
  for (let i = 0; i < 7 * 60; i++) {
    d = addDays(d, 1);
    if (isStudyWeekday(schedule, d) && !skips.has(d)) return d;
  }
  throw new Error('no study day within 60 weeks');
}

/** The next opening strictly after `instant`: its local date and the instant it opens. */
export function nextSlotAfter(
  schedule: Schedule,
  instant: Date,
  skips: ReadonlySet<string> = new Set(),
): { localDate: string; at: Date } {
  let d = addDays(localDateOf(instant, schedule.timezone), -1);
  for (let i = 0; i < 7 * 60; i++) {
    d = nextStudyDate(schedule, d, skips);
    const at = slotFor(schedule, d);
    if (at.getTime() > instant.getTime()) return { localDate: d, at };
  }
  throw new Error('no study slot within 60 weeks');
}

/** The local date a period containing `instant` starts on: weeks start on Monday, months on the 1st. */
export function periodStart(kind: PeriodKind, instant: Date, timezone: string): string {
  if (kind === 'all') return ALL_TIME_START;
  const local = DateTime.fromJSDate(instant, { zone: timezone });
  return (kind === 'week' ? local.startOf('week') : local.startOf('month')).toISODate()!;
}
