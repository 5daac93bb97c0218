/** A cohort's calendar: which study day a local date is, so study day N shows card N of the track. */
import { addDays, isStudyWeekday } from '../core/calendar.ts';

export interface CohortCalendar {
  /** First local date of the programme. */
  startsOn: string;
  /** Last local date of the programme, inclusive; null when it runs to the end of the track. */
  endsOn: string | null;
  /** The drill's study weekdays as a bitmask, Monday = bit 0. */
  days: number;
}

// Guards the day-by-day walks below; no programme runs for ten years.
const MAX_DAYS = 3660;

/**
 * The study dates of the calendar from its start up to `until` (inclusive, capped at the end date),
 * leaving out weekdays the drill does not run and skipped dates.
 */
export function cohortStudyDates(
  cal: CohortCalendar,
  until: string,
  skips: ReadonlySet<string> = new Set(),
): string[] {
  const last = cal.endsOn !== null && cal.endsOn < until ? cal.endsOn : until;
  const dates: string[] = [];
  for (let d = cal.startsOn, i = 0; d <= last && i < MAX_DAYS; d = addDays(d, 1), i++) {
    if (isStudyWeekday(cal, d) && !skips.has(d)) dates.push(d);
  }
  return dates;
}

/**
 * The 0-based study-day index of `localDate` (study day N has index N-1, and shows card N-1 of the track),
 * or null when the date is no study day of the cohort: before its start, after its end, a day the drill
 * does not run, or a skipped day.
 */
export function cohortDayIndex(
  cal: CohortCalendar,
  localDate: string,
  skips: ReadonlySet<string> = new Set(),
): number | null {
  if (localDate < cal.startsOn || (cal.endsOn !== null && localDate > cal.endsOn)) return null;
  if (!isStudyWeekday(cal, localDate) || skips.has(localDate)) return null;
  return cohortStudyDates(cal, localDate, skips).length - 1;
}

/**
 * The last date of a programme: `weeks` weeks from the start, but never past the study day that shows the
 * track's last card (a cohort cannot study more cards than the track has).
 */
export function cohortEndDate(startsOn: string, days: number, cardCount: number, weeks?: number): string {
  const byWeeks = weeks === undefined ? undefined : addDays(startsOn, weeks * 7 - 1);
  let n = 0;
  for (let d = startsOn, i = 0; i < MAX_DAYS; d = addDays(d, 1), i++) {
    if (byWeeks !== undefined && d > byWeeks) return byWeeks;
    if (isStudyWeekday({ days }, d) && ++n === cardCount) return d;
  }
  return byWeeks ?? addDays(startsOn, MAX_DAYS);
}

/** Where a date sits in the programme, for `cohort show` and reports: study day N of M, or before/after it. */
export function cohortProgress(
  cal: CohortCalendar & { endsOn: string },
  today: string,
  skips: ReadonlySet<string> = new Set(),
): { total: number; done: number; today: number | null; phase: 'upcoming' | 'running' | 'finished' } {
  const total = cohortStudyDates(cal, cal.endsOn, skips).length;
  if (today < cal.startsOn) return { total, done: 0, today: null, phase: 'upcoming' };
  const index = cohortDayIndex(cal, today, skips);
  const done = cohortStudyDates(cal, today, skips).length;
  return {
    total,
    done,
    today: index === null ? null : index + 1,
    phase: today > cal.endsOn ? 'finished' : 'running',
  };
}
