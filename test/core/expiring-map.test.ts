import { describe, expect, it } from 'vitest';
import { createManualClock } from '../../src/core/clock.ts';
import { ExpiringMap } from '../../src/core/expiring-map.ts';

describe('ExpiringMap', () => {
  it('serves an entry until its time is up, by the clock, then drops it', () => {
    const clock = createManualClock('2026-12-04T10:00:00Z');
    const map = new ExpiringMap<string>(clock, 10);
    map.set('a', 'admin', 1_000);
    map.set('b', 'member', 5_000);
    clock.advance(999);
    expect([map.get('a'), map.get('b')]).toEqual(['admin', 'member']);
    clock.advance(1);
    expect([map.get('a'), map.get('b'), map.size]).toEqual([undefined, 'member', 1]);
    expect(map.get('never stored')).toBeUndefined();
  });

  it('keeps at most its bound: the entry stored longest ago goes first, and storing a key again renews it', () => {
    const clock = createManualClock('2026-12-04T10:00:00Z');
    const map = new ExpiringMap<number>(clock, 3);
    for (const [i, key] of ['a', 'b', 'c'].entries()) map.set(key, i, 60_000);
    map.set('a', 10, 60_000);
    map.set('d', 3, 60_000);
    expect(['a', 'b', 'c', 'd'].map((k) => map.get(k))).toEqual([10, undefined, 2, 3]);
    expect(map.size).toBe(3);
    map.delete('c');
    expect([map.get('c'), map.size]).toEqual([undefined, 2]);
  });

  it('does not serve an entry stored after the clock’s now (a clock set back)', () => {
    const clock = createManualClock('2026-12-04T10:00:00Z');
    const map = new ExpiringMap<string>(clock, 10);
    map.set('a', 'admin', 60_000);
    clock.set('2026-12-04T09:59:00Z');
    expect(map.get('a')).toBeUndefined();
  });
});
