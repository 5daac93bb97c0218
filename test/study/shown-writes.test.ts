/**
 * What each member was shown last (what `/roadmap answer B` answers) is written in groups: members' `today`s
 * that arrive while one write is on its way share the next statement. Each reply still waits for its own row,
 * so a command after it, on any process, answers the question the member saw.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { groupShownWrites, lastShown, markShown } from '../../src/answers/shown.repository.ts';
import { ALL_DAYS } from '../../src/core/commands/options.ts';
import { transactionally } from '../../src/db/deps.ts';
import { drillNow } from '../../src/deliveries/deliveries.ts';
import { backends } from '../helpers/databases.ts';
import { CHANNEL, createHarness, type Harness, member } from '../helpers/harness.ts';
import { createStatementLog } from '../helpers/statement-log.ts';

describe.each(backends)('grouped writes of what members were shown, on $name', (backend) => {
  const log = createStatementLog();
  let h: Harness;
  let deliveryId: number;
  beforeEach(async () => {
    h = await createHarness(backend, '2026-11-20T10:00:00Z', { plugins: [log.plugin] });
    h.study.deps.shownWrites = groupShownWrites(h.study.deps.db);
    await h.drill({ timeOfDay: '09:00', days: ALL_DAYS, timezone: 'UTC' });
    deliveryId = (await drillNow(h.study.deps, CHANNEL))!.delivery!.id;
  });
  afterEach(() => h.close());

  const shownTo = (name: string) => lastShown(h.db.handle.db, CHANNEL, member(name).userId);
  const shownWrites = (sql: string[]) => sql.filter((s) => s.startsWith('insert into "last_shown"'));

  it("stores every member's row before their reply returns, in fewer statements than members", async () => {
    const names = Array.from({ length: 40 }, (_, i) => `M${i}`);
    // Each member is seen once first, so the measured round sends only the shown writes.
    for (const name of names) await h.study.touch(member(name));
    log.start();
    const seenAtReply = await Promise.all(
      names.map((name) => h.say(member(name), 'today').then(() => shownTo(name))),
    );
    const writes = shownWrites(log.stop(h.db.handle.db));
    expect(seenAtReply.map((s) => s?.target)).toEqual(
      names.map(() => ({ kind: 'delivery', id: deliveryId })),
    );
    expect(writes.length).toBeGreaterThanOrEqual(2);
    expect(writes.length).toBeLessThan(names.length / 4);
  });

  it('alone, a write goes at once in a statement of its own', async () => {
    log.start();
    await h.say(member('Ana'), 'today');
    expect(shownWrites(log.stop(h.db.handle.db))).toHaveLength(1);
    expect((await shownTo('Ana'))?.target).toEqual({ kind: 'delivery', id: deliveryId });
  });

  const mark = (name: string, id: number, channel = CHANNEL) =>
    markShown(h.study.deps, channel, member(name).userId, { kind: 'delivery', id }, h.clock.now());

  it('fails only the rows that cannot be stored, each member left with the last row that could', async () => {
    // The first goes alone; the rest wait for it and then go as one group, which fails on the missing delivery.
    const first = mark('Ana', deliveryId);
    const rest = [
      mark('Ben', deliveryId),
      mark('Cy', deliveryId + 1000),
      mark('Dee', deliveryId + 1000),
      mark('Dee', deliveryId),
      mark('Eve', deliveryId),
      mark('Eve', deliveryId + 1000),
    ];
    const outcomes = await Promise.allSettled([first, ...rest]);
    expect(outcomes.map((o) => o.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'rejected',
      'rejected',
      'fulfilled',
      'fulfilled',
      'rejected',
    ]);
    expect((await shownTo('Ben'))?.target).toEqual({ kind: 'delivery', id: deliveryId });
    expect(await shownTo('Cy')).toBeUndefined();
    // Dee's later row stands; Eve's later row could not be stored, so her earlier one stands.
    expect((await shownTo('Dee'))?.target).toEqual({ kind: 'delivery', id: deliveryId });
    expect((await shownTo('Eve'))?.target).toEqual({ kind: 'delivery', id: deliveryId });
  });

  it("inside a transaction, the write is the transaction's own and rolls back with it", async () => {
    await expect(
      transactionally(h.study.deps, async (deps) => {
        await markShown(
          deps,
          CHANNEL,
          member('Ana').userId,
          { kind: 'delivery', id: deliveryId },
          h.clock.now(),
        );
        expect((await lastShown(deps.db, CHANNEL, member('Ana').userId))?.target.id).toBe(deliveryId);
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(await shownTo('Ana')).toBeUndefined();
  });
});

describe.each(backends.filter((b) => b.name === 'postgres'))(
  'grouped shown writes of two workspaces, on $name',
  (backend) => {
    let h: Harness;
    const OTHER = { platform: 'slack' as const, workspaceId: 'T2', channelId: 'C9' };
    /** Ends the transaction holding T1's delivery (also after a failed test, so the database can close). */
    let release = () => {};
    beforeEach(async () => {
      h = await createHarness(backend, '2026-11-20T10:00:00Z');
      h.study.deps.shownWrites = groupShownWrites(h.study.deps.db);
      await h.drill({ timeOfDay: '09:00', days: ALL_DAYS, timezone: 'UTC' });
      await h.drill({ timeOfDay: '09:00', days: ALL_DAYS, timezone: 'UTC' }, OTHER);
    });
    afterEach(async () => {
      release();
      await h.close();
    });

    it("one workspace's blocked write does not hold another workspace's", async () => {
      const here = (await drillNow(h.study.deps, CHANNEL))!.delivery!.id;
      const there = (await drillNow(h.study.deps, OTHER))!.delivery!.id;
      const at = h.clock.now();
      // Another transaction holds workspace T1's delivery, so a row naming it waits for that lock.
      const held = new Promise<void>((resolve) => {
        release = resolve;
      });
      let locked = () => {};
      const isLocked = new Promise<void>((resolve) => {
        locked = resolve;
      });
      const holder = h.db.handle.db.transaction().execute(async (trx) => {
        await trx.selectFrom('deliveries').select('id').where('id', '=', here).forUpdate().execute();
        locked();
        await held;
      });
      await isLocked;
      const ana = markShown(h.study.deps, CHANNEL, member('Ana').userId, { kind: 'delivery', id: here }, at);
      // Ben's row in T2 is stored while Ana's still waits (grouped with hers, it would wait until the release).
      await markShown(h.study.deps, OTHER, member('Ben').userId, { kind: 'delivery', id: there }, at);
      expect((await lastShown(h.db.handle.db, OTHER, member('Ben').userId))?.target.id).toBe(there);
      release();
      await holder;
      await ana;
      expect((await lastShown(h.db.handle.db, CHANNEL, member('Ana').userId))?.target.id).toBe(here);
    });
  },
);
