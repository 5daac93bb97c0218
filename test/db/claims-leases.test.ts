import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { claimTable } from '../../src/db/claims.ts';
import type { DatabaseHandle } from '../../src/db/database.ts';
import { leaseOn, withRowLock } from '../../src/db/leases.ts';
import { backends } from '../helpers/databases.ts';

const at = (iso: string) => new Date(iso);

describe.each(backends)('claim and lease helpers on $name', (backend) => {
  let handle: DatabaseHandle;
  let drop: () => Promise<void>;
  let drillId: number;
  beforeEach(async () => {
    ({ handle, drop } = await backend.open());
    await handle.db
      .insertInto('workspaces')
      .values({ platform: 'slack' as const, workspace_id: 'T1' })
      .execute();
    ({ id: drillId } = await handle.db
      .insertInto('drills')
      .values({
        platform: 'slack' as const,
        workspace_id: 'T1',
        channel_id: 'C1',
        track_id: 'backend',
        time_of_day: '09:00',
        days: 127,
        timezone: 'UTC',
        updated_at: new Date(),
      })
      .returning('id')
      .executeTakeFirstOrThrow());
  });
  afterEach(async () => {
    await drop();
  });

  const delivery = (localDate: string) => ({
    drill_id: drillId,
    platform: 'slack' as const,
    workspace_id: 'T1',
    channel_id: 'C1',
    local_date: localDate,
    study_day: 1,
    card_id: 'c1',
    question_id: 'q1',
    track_id: 'backend',
    opens_at: at(`${localDate}T09:00:00Z`),
  });

  it('a claim row goes to the one caller that inserted it; finishing records the outcome by key', async () => {
    const claims = claimTable('member_reminders', ['platform', 'workspace_id', 'user_id', 'local_date']);
    const key = { platform: 'slack' as const, workspace_id: 'T1', user_id: 'U1', local_date: '2027-03-22' };
    const won = await Promise.all(
      Array.from({ length: 5 }, () =>
        claims.claim(handle.db, { ...key, claimed_at: at('2027-03-22T18:00:00Z') }),
      ),
    );
    expect(won.filter((r) => r !== undefined)).toHaveLength(1);
    await claims.finish(handle.db, key, {
      status: 'failed',
      last_error: 'cannot_dm',
      finished_at: new Date(),
    });
    await claims.finish(handle.db, { ...key, local_date: '2027-03-23' }, { status: 'sent' });
    const rows = await handle.db
      .selectFrom('member_reminders')
      .select(['local_date', 'status', 'last_error'])
      .execute();
    expect(rows).toEqual([{ local_date: '2027-03-22', status: 'failed', last_error: 'cannot_dm' }]);
  });

  it('a lease goes to one caller while it holds, to the next once it lapses, and a release ends it', async () => {
    const lease = leaseOn('deliveries', 'post_lease_until');
    const { id } = await handle.db
      .insertInto('deliveries')
      .values(delivery('2027-03-22'))
      .returning('id')
      .executeTakeFirstOrThrow();
    const take = (now: string) =>
      lease.take(handle.db, id, {
        now: at(now),
        until: new Date(at(now).getTime() + 60_000),
        where: (eb) => eb('post_status', 'in', ['pending', 'posting']),
        set: (eb) => ({ post_status: 'posting', post_attempts: eb('post_attempts', '+', 1) }),
      });
    const first = await Promise.all([take('2027-03-22T09:00:00Z'), take('2027-03-22T09:00:00Z')]);
    expect(first.filter((r) => r !== undefined).map((r) => r!.post_attempts)).toEqual([1]);
    expect(await take('2027-03-22T09:00:59Z')).toBeUndefined();
    expect((await take('2027-03-22T09:01:01Z'))?.post_attempts).toBe(2); // the first owner crashed

    // Kept until a retry time: nobody takes it before then.
    await lease.release(handle.db, id, { last_error: '5xx' }, { until: at('2027-03-22T09:05:00Z') });
    expect(await take('2027-03-22T09:04:00Z')).toBeUndefined();
    await lease.release(handle.db, id, { post_status: 'posted', message_id: 'm1' });
    const row = await handle.db
      .selectFrom('deliveries')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      post_status: 'posted',
      post_lease_until: null,
      message_id: 'm1',
      last_error: '5xx',
    });
    expect(await take('2027-03-22T09:10:00Z')).toBeUndefined(); // `where` fails: posted rows are done
    const free = await handle.db
      .selectFrom('deliveries')
      .select('id')
      .where(lease.freeAt(at('2027-03-22T09:10:00Z')))
      .execute();
    expect(free).toEqual([{ id }]);
  });

  it('a row lock runs the work once the row is held, and skips a row another transaction holds', async () => {
    const ifActive = <T>(work: (row: { channel_id: string }) => Promise<T>) =>
      withRowLock(
        handle.db,
        'drills',
        drillId,
        { skipLocked: true, where: (eb) => eb('status', '=', 'active') },
        (_trx, row) => work(row),
      );
    expect(await ifActive(async (row) => row.channel_id)).toBe('C1');
    await handle.db.updateTable('drills').set({ status: 'paused' }).where('id', '=', drillId).execute();
    expect(await ifActive(async () => 'ran')).toBeUndefined();
    if (backend.name !== 'postgres') return; // PGlite has one connection: no second transaction to wait on.
    await handle.db.updateTable('drills').set({ status: 'active' }).where('id', '=', drillId).execute();
    let release = () => {};
    const held = new Promise<void>((r) => {
      release = r;
    });
    let locked = () => {};
    const isLocked = new Promise<void>((r) => {
      locked = r;
    });
    const holder = withRowLock(handle.db, 'drills', drillId, {}, async () => {
      locked();
      await held;
    });
    await isLocked;
    expect(await ifActive(async () => 'ran')).toBeUndefined();
    release();
    await holder;
  });
});
