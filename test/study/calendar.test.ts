import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  localDateOf,
  nextSlotAfter,
  nextStudyDate,
  periodStart,
  slotFor,
  weekdayIndex,
} from '../../src/core/calendar.ts';
import { ALL_DAYS, WEEKDAYS } from '../../src/core/commands/options.ts';

const local = (d: Date, tz: string) => DateTime.fromJSDate(d, { zone: tz }).toFormat('yyyy-MM-dd HH:mm');

describe('addDays and weekdayIndex', () => {
  it('agree with a calendar library on every day from 1970 to 2100, across leap days and month ends', () => {
    let day = DateTime.fromISO('1970-01-01', { zone: 'UTC' });
    const last = DateTime.fromISO('2100-12-31', { zone: 'UTC' });
    const mismatches: string[] = [];
    for (let i = 0; day <= last; day = day.plus({ days: 1 }), i++) {
      const date = day.toISODate()!;
      const offset = (i % 801) - 400;
      if (addDays(date, offset) !== day.plus({ days: offset }).toISODate())
        mismatches.push(`${date} + ${offset} → ${addDays(date, offset)}`);
      if (weekdayIndex(date) !== day.weekday - 1) mismatches.push(`weekday of ${date}`);
    }
    expect(mismatches).toEqual([]);
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2027-03-01', -1)).toBe('2027-02-28');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(weekdayIndex('2026-12-07')).toBe(0);
    expect(weekdayIndex('2026-12-06')).toBe(6);
  });
});

describe('slotFor', () => {
  it('keeps a 09:00 drill at 09:00 local on both sides of a DST change', () => {
    for (const [tz, dates] of [
      [
        'America/New_York',
        ['2026-03-07', '2026-03-08', '2026-03-09', '2026-10-31', '2026-11-01', '2026-11-02'],
      ],
      ['Europe/Berlin', ['2026-03-28', '2026-03-29', '2026-03-30', '2026-10-24', '2026-10-25', '2026-10-26']],
    ] as const) {
      for (const d of dates)
        expect(local(slotFor({ timeOfDay: '09:00', timezone: tz }, d), tz)).toBe(`${d} 09:00`);
    }
  });

  it('opens at the first valid minute after a time that does not exist', () => {
    expect(slotFor({ timeOfDay: '02:30', timezone: 'America/New_York' }, '2026-03-08').toISOString()).toBe(
      '2026-03-08T07:00:00.000Z',
    );
    expect(slotFor({ timeOfDay: '02:30', timezone: 'Europe/Berlin' }, '2026-03-29').toISOString()).toBe(
      '2026-03-29T01:00:00.000Z',
    );
    // Lord Howe springs forward by 30 minutes, 02:00 → 02:30.
    expect(
      local(
        slotFor({ timeOfDay: '02:15', timezone: 'Australia/Lord_Howe' }, '2026-10-04'),
        'Australia/Lord_Howe',
      ),
    ).toBe('2026-10-04 02:30');
  });

  it('opens once, at the first occurrence, when a time happens twice', () => {
    expect(slotFor({ timeOfDay: '01:30', timezone: 'America/New_York' }, '2026-11-01').toISOString()).toBe(
      '2026-11-01T05:30:00.000Z',
    );
    expect(slotFor({ timeOfDay: '02:30', timezone: 'Europe/Berlin' }, '2026-10-25').toISOString()).toBe(
      '2026-10-25T00:30:00.000Z',
    );
    expect(slotFor({ timeOfDay: '01:45', timezone: 'Australia/Lord_Howe' }, '2026-04-05').toISOString()).toBe(
      '2026-04-04T14:45:00.000Z',
    );
  });

  it('handles offsets far from UTC and off the hour', () => {
    expect(slotFor({ timeOfDay: '09:00', timezone: 'Pacific/Kiritimati' }, '2026-11-20').toISOString()).toBe(
      '2026-11-19T19:00:00.000Z',
    );
    expect(slotFor({ timeOfDay: '09:00', timezone: 'Pacific/Pago_Pago' }, '2026-11-20').toISOString()).toBe(
      '2026-11-20T20:00:00.000Z',
    );
    expect(slotFor({ timeOfDay: '09:00', timezone: 'Asia/Kathmandu' }, '2026-11-20').toISOString()).toBe(
      '2026-11-20T03:15:00.000Z',
    );
  });
});

describe('study days', () => {
  it('skips weekends for a weekday drill and skipped dates', () => {
    expect(nextStudyDate({ days: WEEKDAYS }, '2026-11-20')).toBe('2026-11-23');
    expect(nextStudyDate({ days: WEEKDAYS }, '2026-11-20', new Set(['2026-11-23']))).toBe('2026-11-24');
    expect(nextStudyDate({ days: ALL_DAYS }, '2026-11-20')).toBe('2026-11-21');
  });

  it('finds the next opening after an instant', () => {
    const s = { timeOfDay: '09:00', days: WEEKDAYS, timezone: 'Europe/Berlin' };
    expect(nextSlotAfter(s, new Date('2026-11-20T07:59:00Z'))).toEqual({
      localDate: '2026-11-20',
      at: new Date('2026-11-20T08:00:00Z'),
    });
    expect(nextSlotAfter(s, new Date('2026-11-20T08:00:00Z'))).toEqual({
      localDate: '2026-11-23',
      at: new Date('2026-11-23T08:00:00Z'),
    });
  });
});

describe('local dates and periods', () => {
  it('puts an instant on the local date of the drill, not of UTC', () => {
    const t = new Date('2026-11-20T12:30:00Z');
    expect(localDateOf(t, 'Pacific/Kiritimati')).toBe('2026-11-21');
    expect(localDateOf(t, 'Pacific/Pago_Pago')).toBe('2026-11-20');
    expect(localDateOf(new Date('2026-11-20T10:59:00Z'), 'Pacific/Pago_Pago')).toBe('2026-11-19');
  });

  it('starts weeks on Monday 00:00 and months on the 1st in the drill zone', () => {
    // Sunday 2026-11-22 23:30 UTC is already Monday afternoon in Kiritimati, still Sunday in Pago Pago.
    const t = new Date('2026-11-22T23:30:00Z');
    expect(periodStart('week', t, 'Pacific/Kiritimati')).toBe('2026-11-23');
    expect(periodStart('week', t, 'Pacific/Pago_Pago')).toBe('2026-11-16');
    expect(periodStart('month', new Date('2026-11-30T11:00:00Z'), 'Pacific/Kiritimati')).toBe('2026-12-01');
    expect(periodStart('month', new Date('2026-12-01T04:59:00Z'), 'America/New_York')).toBe('2026-11-01');
    expect(periodStart('month', new Date('2026-12-01T05:00:00Z'), 'America/New_York')).toBe('2026-12-01');
    expect(periodStart('all', t, 'UTC')).toBe('1970-01-01');
  });

  it('keeps the week boundary at local midnight across a DST change', () => {
    // Berlin leaves summer time on Sunday 2026-10-25; Monday 00:00 CET is 2026-10-25T23:00Z.
    expect(periodStart('week', new Date('2026-10-25T22:59:00Z'), 'Europe/Berlin')).toBe('2026-10-19');
    expect(periodStart('week', new Date('2026-10-25T23:00:00Z'), 'Europe/Berlin')).toBe('2026-10-26');
  });
});
