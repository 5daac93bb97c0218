/**
 * `today` answers from this process's memory of the channel's drill: a change this process makes is seen at
 * once (a pause, a delivery opened, an answer recorded, even inside a transaction), another process's change
 * once the entry is DRILL_CACHE_TTL_MS old on the clock.
 */
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ALL_DAYS } from '../../src/core/commands/options.ts';
import { openDatabase } from '../../src/db/database.ts';
import { ReadCache, WriteWatch } from '../../src/db/read-cache.ts';
import { DRILL_CACHE_TTL_MS, drillNow } from '../../src/deliveries/deliveries.ts';
import { pauseSchedule } from '../../src/schedules/schedules.ts';
import { backends } from '../helpers/databases.ts';
import { button, CHANNEL, createHarness, type Harness, member } from '../helpers/harness.ts';
import { createStatementLog, tablesRead } from '../helpers/statement-log.ts';

describe.each(backends)('the drill cache on $name', (backend) => {
  const log = createStatementLog();
  let h: Harness;
  beforeEach(async () => {
    const writes = new WriteWatch();
    // The statement log sits outside the watch, so it records what reaches the database.
    h = await createHarness(backend, '2026-11-20T10:00:00Z', { plugins: [writes.plugin, log.plugin] });
    h.study.deps.drillCache = new ReadCache(writes, DRILL_CACHE_TTL_MS, 100);
    await h.drill({ timeOfDay: '09:00', days: ALL_DAYS, timezone: 'UTC' });
    // Opens the day's delivery: a write of this process, so the next read goes to the database.
    await drillNow(h.study.deps, CHANNEL);
  });
  afterEach(() => h.close());

  const now = () => drillNow(h.study.deps, CHANNEL);
  /** Another process: the same database, none of this process's writes. */
  const elsewhere = () => h.db.handle.db;

  it('serves a repeated today from memory, without reading the drill again', async () => {
    await h.say(member('Ana'), 'today');
    log.start();
    const again = await h.say(member('Ben'), 'today');
    const sql = log.stop(h.db.handle.db);
    expect(again.card?.buttons?.map((b) => b.key)).toContain('A');
    expect(sql.flatMap((s) => tablesRead(s))).not.toContain('drills');
  });

  it("sees this process's own changes at once", async () => {
    const first = await now();
    expect(first?.delivery).toBeDefined();
    expect(first?.answered).toBe(0);
    const drill = await h.say(member('Ana'), 'today');
    await h.click(member('Ana'), button(drill, 'A'));
    expect((await now())?.answered).toBe(1);
    await pauseSchedule(h.study.deps, CHANNEL, member('Admin'));
    expect((await now())?.drill.status).toBe('paused');
    // A transaction's write counts once it commits.
    await h.study.deps.db.transaction().execute(async (trx) => {
      await trx.updateTable('drills').set({ status: 'active', pause_reason: null }).execute();
    });
    expect((await now())?.drill.status).toBe('active');
  });

  it("sees another process's change once the entry is older than the cache's time", async () => {
    expect((await now())?.drill.status).toBe('active');
    await elsewhere().updateTable('drills').set({ status: 'paused', pause_reason: 'elsewhere' }).execute();
    await elsewhere()
      .insertInto('answers')
      .values(await answerRow())
      .execute();
    h.clock.advance(DRILL_CACHE_TTL_MS);
    const stale = await now();
    expect(stale?.drill.status).toBe('active');
    expect(stale?.answered).toBe(0);
    h.clock.advance(1);
    const fresh = await now();
    expect(fresh?.drill.status).toBe('paused');
    expect(fresh?.answered).toBe(1);
  });

  /** An answer row as another process would record it for the day's delivery. */
  async function answerRow() {
    const delivery = await elsewhere().selectFrom('deliveries').selectAll().executeTakeFirstOrThrow();
    return {
      delivery_id: delivery.id,
      drill_id: delivery.drill_id,
      module_id: h.track.card(delivery.card_id)!.moduleId,
      card_id: delivery.card_id,
      question_id: delivery.question_id,
      platform: CHANNEL.platform,
      workspace_id: CHANNEL.workspaceId,
      user_id: 'U-elsewhere',
      choice: 0,
      correct: true,
      points: 10,
      answered_at: new Date('2026-11-20T10:00:00Z'),
    };
  }
});

describe('the write watch of a database handle', () => {
  it('moves on a commit and on a write naming a watched table, not on other statements', async () => {
    const handle = openDatabase({ kind: 'pglite' });
    try {
      const writes = handle.writes!;
      await sql`create table drills (id int)`.execute(handle.db);
      await sql`create table notes (id int)`.execute(handle.db);
      const at = writes.generation;
      await handle.db.selectFrom('drills').selectAll().execute();
      await sql`insert into notes values (1)`.execute(handle.db);
      expect(writes.generation).toBe(at);
      await handle.db.transaction().execute((trx) => trx.selectFrom('drills').selectAll().execute());
      expect(writes.generation).toBeGreaterThan(at);
      const before = writes.generation;
      await handle.db
        .insertInto('drills')
        .values({ id: 1 } as never)
        .execute();
      expect(writes.generation).toBeGreaterThan(before);
    } finally {
      await handle.close();
    }
  });
});
