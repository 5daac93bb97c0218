import { describe, expect, it } from 'vitest';
import { nextSlotAfter, type Schedule } from '../../src/core/calendar.ts';
import { ALL_DAYS, parseDays, WEEKDAYS } from '../../src/core/commands/options.ts';

/** Every opening from `from` on, `count` of them, as ISO instants in UTC. */
function openings(schedule: Schedule, from: string, count: number, skips: string[] = []): string[] {
  const out: string[] = [];
  let at = new Date(from);
  for (let i = 0; i < count; i++) {
    const next = nextSlotAfter(schedule, at, new Set(skips));
    out.push(`${next.localDate} ${next.at.toISOString()}`);
    at = next.at;
  }
  return out;
}

describe('next post across daylight-saving changes', () => {
  it('America/New_York: 09:00 stays 09:00; 02:30 on the spring-forward day posts at 03:00; 01:30 on fall-back once', () => {
    const nine: Schedule = { timeOfDay: '09:00', days: ALL_DAYS, timezone: 'America/New_York' };
    expect(openings(nine, '2026-03-07T15:00:00Z', 2)).toEqual([
      '2026-03-08 2026-03-08T13:00:00.000Z', // EDT, UTC-4
      '2026-03-09 2026-03-09T13:00:00.000Z',
    ]);
    expect(openings({ ...nine, timeOfDay: '02:30' }, '2026-03-07T12:00:00Z', 2)).toEqual([
      '2026-03-08 2026-03-08T07:00:00.000Z', // 03:00 EDT, the first valid minute after the gap
      '2026-03-09 2026-03-09T06:30:00.000Z',
    ]);
    expect(openings({ ...nine, timeOfDay: '01:30' }, '2026-10-31T12:00:00Z', 2)).toEqual([
      '2026-11-01 2026-11-01T05:30:00.000Z', // the first 01:30 (EDT); the repeat at 06:30Z does not post
      '2026-11-02 2026-11-02T06:30:00.000Z',
    ]);
  });

  it('Europe/Berlin: the 02:30 gap in March and the repeated 02:30 in October', () => {
    const s: Schedule = { timeOfDay: '02:30', days: ALL_DAYS, timezone: 'Europe/Berlin' };
    expect(openings(s, '2026-03-28T12:00:00Z', 2)).toEqual([
      '2026-03-29 2026-03-29T01:00:00.000Z', // 03:00 CEST
      '2026-03-30 2026-03-30T00:30:00.000Z',
    ]);
    expect(openings(s, '2026-10-24T12:00:00Z', 2)).toEqual([
      '2026-10-25 2026-10-25T00:30:00.000Z', // the first 02:30 (CEST) only
      '2026-10-26 2026-10-26T01:30:00.000Z',
    ]);
  });

  it('Australia/Lord_Howe: a 30-minute shift both ways', () => {
    const s: Schedule = { timeOfDay: '02:15', days: ALL_DAYS, timezone: 'Australia/Lord_Howe' };
    // 5 April 2026: 02:00 (+11) falls back to 01:30 (+10:30). 02:15 happens once, at +10:30.
    expect(openings({ ...s, timeOfDay: '01:45' }, '2026-04-04T00:00:00Z', 2)).toEqual([
      '2026-04-05 2026-04-04T14:45:00.000Z', // the first 01:45, at +11; the repeat at 15:15Z does not post
      '2026-04-06 2026-04-05T15:15:00.000Z',
    ]);
    // 4 October 2026: 02:00 (+10:30) springs to 02:30 (+11). 02:15 does not exist: it posts at 02:30.
    expect(openings(s, '2026-10-03T00:00:00Z', 2)).toEqual([
      '2026-10-04 2026-10-03T15:30:00.000Z',
      '2026-10-05 2026-10-04T15:15:00.000Z',
    ]);
  });

  it('Asia/Kathmandu: +05:45 all year', () => {
    const s: Schedule = { timeOfDay: '09:00', days: ALL_DAYS, timezone: 'Asia/Kathmandu' };
    expect(openings(s, '2026-03-28T00:00:00Z', 2)).toEqual([
      '2026-03-28 2026-03-28T03:15:00.000Z',
      '2026-03-29 2026-03-29T03:15:00.000Z',
    ]);
  });
});

describe('next post on weekday schedules and skips', () => {
  it('a Monday-to-Friday drill goes from Friday to Monday', () => {
    const s: Schedule = { timeOfDay: '09:30', days: WEEKDAYS, timezone: 'Europe/Berlin' };
    expect(openings(s, '2026-11-27T09:00:00Z', 2)).toEqual([
      '2026-11-30 2026-11-30T08:30:00.000Z',
      '2026-12-01 2026-12-01T08:30:00.000Z',
    ]);
  });

  it('mon,wed,fri with a skipped Wednesday', () => {
    const s: Schedule = { timeOfDay: '08:00', days: parseDays('mon,wed,fri')!, timezone: 'UTC' };
    expect(openings(s, '2026-11-23T09:00:00Z', 3, ['2026-11-25'])).toEqual([
      '2026-11-27 2026-11-27T08:00:00.000Z',
      '2026-11-30 2026-11-30T08:00:00.000Z',
      '2026-12-02 2026-12-02T08:00:00.000Z',
    ]);
  });
});
