import { describe, expect, it } from 'vitest';
import { computeStreak, FREEZE_EVERY, MAX_FREEZES, type StudyDayRecord } from '../../src/answers/streaks.ts';
import { addDays, isStudyWeekday, type Schedule, slotFor } from '../../src/core/calendar.ts';
import { ALL_DAYS, WEEKDAYS } from '../../src/core/commands/options.ts';

/** Study days of a schedule between two local dates; each closes when the next opens, the last stays open. */
function studyDays(
  schedule: Schedule,
  from: string,
  to: string,
  answered: (date: string) => boolean,
): StudyDayRecord[] {
  const dates: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) if (isStudyWeekday(schedule, d)) dates.push(d);
  return dates.map((d, i) => ({
    localDate: d,
    closesAt: dates[i + 1] ? slotFor(schedule, dates[i + 1]!) : null,
    answered: answered(d),
  }));
}

const daily = (tz: string): Schedule => ({ timeOfDay: '09:00', days: ALL_DAYS, timezone: tz });
const weekdays = (tz: string): Schedule => ({ timeOfDay: '09:00', days: WEEKDAYS, timezone: tz });
const FAR_FUTURE = new Date('2030-01-01T00:00:00Z');

describe('streaks', () => {
  it('counts consecutive answered study days; weekends of a weekday drill never break it', () => {
    // Mon 2026-11-02 … Fri 2026-11-13: two working weeks with a weekend between.
    const days = studyDays(weekdays('Europe/Berlin'), '2026-11-02', '2026-11-13', () => true);
    expect(days).toHaveLength(10);
    const s = computeStreak(days, FAR_FUTURE);
    expect(s.current).toBe(10);
    expect(s.best).toBe(10);
    expect(s.history.map((h) => h.status)).toEqual(Array(10).fill('answered'));
  });

  it('a missed study day resets the streak when no freeze is banked, and best remembers', () => {
    const missed = new Set(['2026-11-05']);
    const s = computeStreak(
      studyDays(daily('UTC'), '2026-11-02', '2026-11-08', (d) => !missed.has(d)),
      FAR_FUTURE,
    );
    expect(s.history.find((h) => h.localDate === '2026-11-05')?.status).toBe('missed');
    expect(s.current).toBe(3);
    expect(s.best).toBe(3);
  });

  it('earns a freeze per 7 answered days, at most 2, and spends one on a missed day', () => {
    expect(FREEZE_EVERY).toBe(7);
    expect(MAX_FREEZES).toBe(2);
    const seven = computeStreak(
      studyDays(daily('UTC'), '2026-11-01', '2026-11-07', () => true),
      FAR_FUTURE,
    );
    expect(seven.freezes).toBe(1);
    const six = computeStreak(
      studyDays(daily('UTC'), '2026-11-01', '2026-11-06', () => true),
      FAR_FUTURE,
    );
    expect(six.freezes).toBe(0);
    const many = computeStreak(
      studyDays(daily('UTC'), '2026-10-01', '2026-10-28', () => true),
      FAR_FUTURE,
    );
    expect(many.freezes).toBe(2);

    // 7 answered, 1 missed (frozen), 2 answered: the streak survives and keeps counting.
    const frozen = computeStreak(
      studyDays(daily('UTC'), '2026-11-01', '2026-11-10', (d) => d !== '2026-11-08'),
      FAR_FUTURE,
    );
    expect(frozen.history.find((h) => h.localDate === '2026-11-08')?.status).toBe('frozen');
    expect(frozen.current).toBe(9);
    expect(frozen.freezes).toBe(0);

    // The second miss in a row finds no freeze left and breaks it.
    const broken = computeStreak(
      studyDays(daily('UTC'), '2026-11-01', '2026-11-10', (d) => d !== '2026-11-08' && d !== '2026-11-09'),
      FAR_FUTURE,
    );
    expect(broken.history.slice(-3).map((h) => h.status)).toEqual(['frozen', 'missed', 'answered']);
    expect(broken.current).toBe(1);
    expect(broken.best).toBe(7);
  });

  it('does not break the streak for a day that is still open', () => {
    const days = studyDays(daily('UTC'), '2026-11-16', '2026-11-20', (d) => d !== '2026-11-20');
    const s = computeStreak(days, new Date('2026-11-20T15:00:00Z'));
    expect(s.current).toBe(4);
    expect(s.history.at(-1)).toEqual({ localDate: '2026-11-20', status: 'open' });
  });

  it('starts the history at the first answer; earlier study days do not count as missed', () => {
    const s = computeStreak(
      studyDays(daily('UTC'), '2026-11-01', '2026-11-05', (d) => d >= '2026-11-03'),
      FAR_FUTURE,
    );
    expect(s.history.map((h) => h.localDate)).toEqual(['2026-11-03', '2026-11-04', '2026-11-05']);
    expect(s.current).toBe(3);
  });

  it.each([
    ['America/New_York', '2026-03-08', '2026-03-09T12:59:00Z', '2026-03-09T13:00:00Z'],
    ['America/New_York', '2026-11-01', '2026-11-02T13:59:00Z', '2026-11-02T14:00:00Z'],
    ['Europe/Berlin', '2026-03-29', '2026-03-30T06:59:00Z', '2026-03-30T07:00:00Z'],
    ['Europe/Berlin', '2026-10-25', '2026-10-26T07:59:00Z', '2026-10-26T08:00:00Z'],
  ])(
    'in %s the day of a DST change (%s) stays open until 09:00 local the next day',
    (tz, date, justBefore, atClose) => {
      const days = studyDays(daily(tz), addDays(date, -3), addDays(date, 1), (d) => d !== date);
      // Before the next drill opens, the member cannot have answered it yet.
      const before = computeStreak(days.slice(0, -1), new Date(justBefore));
      expect(before.history.find((h) => h.localDate === date)?.status).toBe('open');
      expect(before.current).toBe(3);
      // Once the next drill opens the day is over: missed, and the streak restarts with the next answer.
      const after = computeStreak(days, new Date(atClose));
      expect(after.history.find((h) => h.localDate === date)?.status).toBe('missed');
      expect(after.current).toBe(1);
    },
  );

  it.each([
    ['Pacific/Kiritimati', '2026-11-19T19:00:00Z'],
    ['Pacific/Pago_Pago', '2026-11-20T20:00:00Z'],
  ])('works in %s, where the local day is far from the UTC day', (tz, slotOf20th) => {
    const schedule = weekdays(tz);
    expect(slotFor(schedule, '2026-11-20').toISOString()).toBe(slotOf20th.replace('Z', '.000Z'));
    // Mon 16 … Fri 20, then Mon 23: the weekend between is not a study day there either.
    const days = studyDays(schedule, '2026-11-16', '2026-11-23', (d) => d !== '2026-11-23');
    expect(days.map((d) => d.localDate)).toEqual([
      '2026-11-16',
      '2026-11-17',
      '2026-11-18',
      '2026-11-19',
      '2026-11-20',
      '2026-11-23',
    ]);
    const fridayClose = days[4]!.closesAt!;
    expect(fridayClose.toISOString()).toBe(slotFor(schedule, '2026-11-23').toISOString());
    const s = computeStreak(days, new Date(fridayClose.getTime() + 60_000));
    expect(s.current).toBe(5);
    expect(s.history.at(-1)?.status).toBe('open');
  });
});
