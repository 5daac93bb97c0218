import { describe, expect, it } from 'vitest';
import { ALL_DAYS, WEEKDAYS } from '../../src/core/commands/options.ts';
import {
  cohortDayIndex,
  cohortEndDate,
  cohortProgress,
  cohortStudyDates,
} from '../../src/plans/cohort-calendar.ts';

// 2026-12-01 is a Tuesday.
const cal = { startsOn: '2026-12-01', endsOn: '2026-12-14', days: WEEKDAYS };

describe('cohort calendar', () => {
  it('counts study days from the start: weekends are no study days and do not advance the card', () => {
    expect(cohortDayIndex(cal, '2026-12-01')).toBe(0);
    expect(cohortDayIndex(cal, '2026-12-04')).toBe(3); // Friday: day 4
    expect(cohortDayIndex(cal, '2026-12-05')).toBeNull(); // Saturday
    expect(cohortDayIndex(cal, '2026-12-07')).toBe(4); // Monday: day 5
    expect(cohortDayIndex(cal, '2026-12-14')).toBe(9);
  });

  it('posts nothing before the start or after the end', () => {
    expect(cohortDayIndex(cal, '2026-11-30')).toBeNull();
    expect(cohortDayIndex(cal, '2026-12-15')).toBeNull();
    expect(cohortDayIndex({ ...cal, endsOn: null }, '2027-01-04')).toBe(24);
  });

  it('skipped days are no study days and shift the following ones back', () => {
    const skips = new Set(['2026-12-02']);
    expect(cohortDayIndex(cal, '2026-12-02', skips)).toBeNull();
    expect(cohortDayIndex(cal, '2026-12-03', skips)).toBe(1);
    expect(cohortStudyDates(cal, '2026-12-04', skips)).toEqual(['2026-12-01', '2026-12-03', '2026-12-04']);
  });

  it('ends after the given weeks, or on the day of the last card, whichever comes first', () => {
    expect(cohortEndDate('2026-12-01', WEEKDAYS, 215, 2)).toBe('2026-12-14');
    expect(cohortEndDate('2026-12-01', WEEKDAYS, 3, 2)).toBe('2026-12-03');
    expect(cohortEndDate('2026-12-01', ALL_DAYS, 10)).toBe('2026-12-10');
  });

  it('says where today is: upcoming, study day N of M, finished', () => {
    expect(cohortProgress(cal, '2026-11-20')).toEqual({ total: 10, done: 0, today: null, phase: 'upcoming' });
    expect(cohortProgress(cal, '2026-12-08')).toEqual({ total: 10, done: 6, today: 6, phase: 'running' });
    expect(cohortProgress(cal, '2026-12-06')).toEqual({ total: 10, done: 4, today: null, phase: 'running' });
    expect(cohortProgress(cal, '2026-12-20')).toEqual({
      total: 10,
      done: 10,
      today: null,
      phase: 'finished',
    });
  });
});
