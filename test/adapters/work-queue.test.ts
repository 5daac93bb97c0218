import { describe, expect, it } from 'vitest';
import { createKeyedWorkQueue, withinBudget } from '../../src/adapters/work-queue.ts';

describe('the work queue after an ack', () => {
  it('runs at most `limit` at once, in arrival order, and frees the slot of a task that fails', async () => {
    // One workspace's slots, with more overall slots than it may hold.
    const keyed = createKeyedWorkQueue(2, 10);
    const queue = <T>(work: () => Promise<T>) => keyed('T1', work);
    let running = 0;
    let peak = 0;
    const started: number[] = [];
    const gates = Array.from({ length: 6 }, () => {
      let resolve = () => {};
      const promise = new Promise<void>((r) => {
        resolve = r;
      });
      return { promise, resolve };
    });
    const tasks = gates.map((gate, i) =>
      queue(async () => {
        started.push(i);
        running++;
        peak = Math.max(peak, running);
        await gate.promise;
        running--;
        if (i === 1) throw new Error('task 1 fails');
        return i;
      }),
    );
    await Promise.resolve();
    expect(started).toEqual([0, 1]);
    gates[1]!.resolve();
    await expect(tasks[1]).rejects.toThrow('task 1 fails');
    expect(started).toEqual([0, 1, 2]);
    for (const gate of gates) gate.resolve();
    expect(await Promise.all([tasks[0], tasks[2], tasks[3], tasks[4], tasks[5]])).toEqual([0, 2, 3, 4, 5]);
    expect(started).toEqual([0, 1, 2, 3, 4, 5]);
    expect(peak).toBe(2);
  });

  it('per workspace: a workspace whose work hangs holds only its own slots, and another runs at once', async () => {
    const queue = createKeyedWorkQueue(2, 3);
    let release = () => {};
    const hung = new Promise<void>((r) => {
      release = r;
    });
    const started: string[] = [];
    const slow = Array.from({ length: 5 }, (_, i) =>
      queue('T1', async () => {
        started.push(`T1-${i}`);
        await hung;
      }),
    );
    const other = queue('T2', async () => {
      started.push('T2');
      return 'done';
    });
    expect(await other).toBe('done');
    expect(started).toEqual(['T1-0', 'T1-1', 'T2']);
    release();
    await Promise.all(slow);
    expect(started).toHaveLength(6);
  });
});

describe('a reply budget', () => {
  it('gives the value of work done within it, says late for work still running, and 0 is always late', async () => {
    expect(await withinBudget(Promise.resolve('reply'), 60_000)).toEqual({ late: false, value: 'reply' });
    let finish: (v: string) => void = () => {};
    const running = new Promise<string>((resolve) => {
      finish = resolve;
    });
    expect(await withinBudget(running, 1)).toEqual({ late: true });
    // The work goes on after the budget: its result is still there for whoever waits for it.
    finish('later');
    expect(await running).toBe('later');
    expect(await withinBudget(Promise.resolve('reply'), 0)).toEqual({ late: true });
  });
});
