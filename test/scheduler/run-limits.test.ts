/**
 * The dispatcher's lanes (`eachLimited`): every item runs once, never more than the limit at once nor more
 * than a group's limit of one group, items start in order, a failing item is reported and the rest go on,
 * and no lane stays idle while an item could start.
 */
import { describe, expect, it } from 'vitest';
import { eachLimited } from '../../src/deliveries/run-limits.ts';

/** A small deterministic generator, so a failing case can be replayed from its seed. */
function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1_664_525 + 1_013_904_223) >>> 0;
    return s / 2 ** 32;
  };
}

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

interface Item {
  id: number;
  group: string;
  /** How many event-loop turns the item takes. */
  turns: number;
}

async function run(seed: number) {
  const rand = random(seed);
  const limit = 1 + Math.floor(rand() * 5);
  const groupLimit = 1 + Math.floor(rand() * 3);
  const items: Item[] = Array.from({ length: 5 + Math.floor(rand() * 30) }, (_, id) => ({
    id,
    group: `g${Math.floor(rand() * 4)}`,
    turns: Math.floor(rand() * 4),
  }));
  const running = new Map<number, Item>();
  const started: number[] = [];
  const problems: string[] = [];
  /** Whether an item not yet started could start now: a free lane and room in its group. */
  const couldStart = () => {
    if (running.size >= limit) return false;
    const inGroup = (g: string) => [...running.values()].filter((r) => r.group === g).length;
    return items.some((i) => !started.includes(i.id) && inGroup(i.group) < groupLimit);
  };
  const failedIds: number[] = [];
  const results = (
    await eachLimited(
      items,
      limit,
      async (item) => {
        started.push(item.id);
        running.set(item.id, item);
        if (running.size > limit) problems.push(`${running.size} running, limit ${limit}`);
        const mine = [...running.values()].filter((r) => r.group === item.group).length;
        if (mine > groupLimit) problems.push(`${mine} of ${item.group} running, limit ${groupLimit}`);
        for (let t = 0; t < item.turns; t++) await tick();
        running.delete(item.id);
        // Once every item that ends on this turn has been followed by what its lane starts next, nothing may be
        // left that could start.
        setImmediate(() => {
          if (couldStart()) problems.push(`idle capacity after item ${item.id} ended`);
        });
        if (item.id % 7 === 3) throw new Error(`item ${item.id} failed`);
        return item.id;
      },
      { perGroup: { key: (i) => i.group, limit: groupLimit }, failed: (i) => failedIds.push(i.id) },
    )
  ).flat();
  await tick();
  return { items, started, results, failedIds, problems, limit, groupLimit };
}

describe('eachLimited', () => {
  it('runs every item once within both limits, in order, and leaves no lane idle while an item could start', async () => {
    for (let seed = 1; seed <= 200; seed++) {
      const { items, started, results, failedIds, problems } = await run(seed);
      expect({ seed, problems }).toEqual({ seed, problems: [] });
      expect([...started].sort((a, b) => a - b)).toEqual(items.map((i) => i.id));
      // Within a group, items start in the order given.
      for (const g of new Set(items.map((i) => i.group))) {
        const inGroup = started.filter((id) => items[id]!.group === g);
        expect(inGroup).toEqual([...inGroup].sort((a, b) => a - b));
      }
      const failing = items.filter((i) => i.id % 7 === 3).map((i) => i.id);
      expect([...failedIds].sort((a, b) => a - b)).toEqual(failing);
      expect([...results].sort((a, b) => a - b)).toEqual(
        items.map((i) => i.id).filter((id) => !failing.includes(id)),
      );
    }
  });

  it('goes on with every item when telling of a failure throws', async () => {
    const ran: number[] = [];
    const results = await eachLimited(
      [1, 2, 3, 4, 5, 6],
      2,
      async (n) => {
        ran.push(n);
        if (n % 2 === 1) throw new Error(`item ${n} failed`);
        return n;
      },
      {
        perGroup: { key: () => 'one workspace', limit: 1 },
        failed: () => {
          throw new Error('the report itself failed');
        },
      },
    );
    expect(ran).toEqual([1, 2, 3, 4, 5, 6]);
    expect(results.flat().sort()).toEqual([2, 4, 6]);
  });

  it('reaches the limit when the items allow it', async () => {
    let running = 0;
    let most = 0;
    await eachLimited(
      Array.from({ length: 20 }, (_, i) => i),
      4,
      async () => {
        most = Math.max(most, ++running);
        await tick();
        running--;
      },
    );
    expect(most).toBe(4);
  });
});
