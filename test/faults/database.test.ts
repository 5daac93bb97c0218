/**
 * The service against a PostgreSQL that goes away: sessions ended by pg_terminate_backend (idle and busy)
 * and a restart of the server under a stream of clicks. The cluster is the test's own (initdb + pg_ctl on a
 * loopback port), never the shared one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeSlack, SlackMessage } from './fake-slack.ts';
import {
  ADMIN_APPLICATION_NAME,
  answersByUser,
  type Click,
  click,
  eventually,
  type FaultDatabase,
  type FaultRun,
  faultRun,
  postgresBinaries,
  report,
  type ServiceChild,
  seedDueDrills,
  sleep,
  type ThrowawayPostgres,
} from './harness.ts';

const bin = postgresBinaries();
if (!bin)
  console.warn('fault suite: skipping the PostgreSQL scenarios, no initdb/pg_ctl under /usr/lib/postgresql');

describe.skipIf(!bin)(
  'the service when PostgreSQL ends its sessions or restarts',
  { timeout: 180_000 },
  () => {
    let run: FaultRun;
    let cluster: ThrowawayPostgres;

    beforeAll(async () => {
      run = faultRun();
      cluster = await run.postgres();
    });
    afterAll(() => run.close());

    /** A service with one posted drill in C1, its message, and the database and Slack it uses. */
    async function servicePostingOneDrill(): Promise<{
      db: FaultDatabase;
      slack: FakeSlack;
      service: ServiceChild;
      drill: SlackMessage;
    }> {
      const db = await run.database(cluster.url);
      const slack = await run.slack();
      await seedDueDrills(db, ['C1']);
      const service = await run.service({ database: db, slack });
      await slack.waitFor('the drill posted in C1', () => slack.postsIn('C1').length > 0, 60_000);
      const drill = slack.postsIn('C1')[0]!;
      await eventually(
        'the post recorded',
        async () =>
          (
            await db.query(`select 1 from deliveries where message_id = $1 and post_status = 'posted'`, [
              drill.ts,
            ])
          ).length > 0,
        10_000,
      );
      return { db, slack, service, drill };
    }

    /** Ends the service's sessions (not ours); returns how many. */
    async function terminate(db: FaultDatabase, which: 'idle' | 'active'): Promise<number> {
      const rows = await db.query<{ ok: boolean }>(
        `select pg_terminate_backend(pid) as ok from pg_stat_activity
        where backend_type = 'client backend' and pid <> pg_backend_pid() and datname = current_database()
          and application_name <> '${ADMIN_APPLICATION_NAME}' and state ${which === 'idle' ? "= 'idle'" : "<> 'idle'"}
          and query not like '%pg_terminate_backend%'`,
      );
      return rows.filter((r) => r.ok).length;
    }

    /** Every acked click gets a reply: its answer recorded, or the generic error telling the member to retry. */
    async function settle(slack: FakeSlack, clicks: Click[]) {
      const acked = clicks.filter((c) => c.status === 200);
      await slack.waitFor(
        'a reply to every acked click',
        () => acked.every((c) => slack.replies.some((r) => r.tag === c.tag)),
        20_000,
      );
      const errored = acked.filter((c) =>
        slack.replies.some((r) => r.tag === c.tag && /went wrong/i.test(String(r.body.text))),
      );
      return { acked, errored };
    }

    it('survives its idle connections being terminated, stays ready and records the next answer', async () => {
      const { db, slack, service, drill } = await servicePostingOneDrill();
      expect((await service.readyz()).status).toBe(200);
      // The readiness probe just returned its connection: the pool holds it idle.
      const terminated = await eventually(
        'an idle session to end',
        async () => (await terminate(db, 'idle')) || undefined,
        5000,
      );
      await service.logged('database connection lost; the next query opens a new one');
      await sleep(200);
      expect(service.alive()).toBe(true);
      expect((await service.readyz()).body).toMatchObject({ status: 'ready', checks: { database: 'ok' } });
      const after = await click(service, slack, drill, 'UAFTER');
      expect(after.status).toBe(200);
      await slack.waitFor('the reply', () => slack.replies.some((r) => r.tag === after.tag), 10_000);
      expect((await answersByUser(db, drill.ts)).get('UAFTER')).toBe(1);
      expect(service.stderr()).toBe('');
      report('terminate idle', {
        'sessions terminated': terminated,
        'process exits': service.alive() ? 0 : 1,
      });
    });

    it('survives busy connections being terminated during a click burst; every acked click is answered', async () => {
      const { db, slack, service, drill } = await servicePostingOneDrill();
      const clicks: Promise<Click>[] = [];
      let terminated = 0;
      for (let wave = 0; wave < 8; wave++) {
        for (let i = 0; i < 8; i++) clicks.push(click(service, slack, drill, `UB${wave}X${i}`));
        await sleep(40);
        if (wave % 2 === 1) terminated += await terminate(db, 'active');
      }
      const done = await Promise.all(clicks);
      const { acked, errored } = await settle(slack, done);
      expect(service.alive()).toBe(true);
      const answers = await answersByUser(db, drill.ts);
      // Nobody's answer is recorded twice, and whoever was not recorded was told something went wrong.
      expect([...answers.values()].filter((n) => n !== 1)).toEqual([]);
      const lost = acked.filter((c) => !answers.has(c.user) && !errored.includes(c));
      expect(lost).toEqual([]);
      // Once the burst is over every answer lands again.
      const after = await click(service, slack, drill, 'UAFTER');
      await slack.waitFor('the reply', () => slack.replies.some((r) => r.tag === after.tag), 10_000);
      expect((await answersByUser(db, drill.ts)).get('UAFTER')).toBe(1);
      expect((await service.readyz()).status).toBe(200);
      report('terminate busy', {
        'sessions terminated': terminated,
        clicks: done.length,
        acked: acked.length,
        recorded: answers.size,
        'answered with an error': errored.length,
        'recorded twice': [...answers.values()].filter((v) => v > 1).length,
        'process exits': service.alive() ? 0 : 1,
      });
    });

    it('rides through a PostgreSQL restart under a stream of clicks: not ready while down, ready and recording after', async () => {
      const { db, slack, service, drill } = await servicePostingOneDrill();
      const clicks: Promise<Click>[] = [];
      let n = 0;
      let streaming = true;
      const stream = (async () => {
        while (streaming) {
          clicks.push(click(service, slack, drill, `UR${++n}`));
          await sleep(40);
        }
      })();
      try {
        await sleep(400);
        await cluster.stop();
        const down = await service.readyz();
        expect(down.status).toBe(503);
        expect(down.body.failed).toContain('database');
        await sleep(800);
        expect(service.alive()).toBe(true);
        await cluster.start();
        await eventually('ready again', async () => (await service.readyz()).status === 200, 15_000);
        await sleep(400);
      } finally {
        streaming = false;
        await stream;
      }
      const done = await Promise.all(clicks);
      const { acked, errored } = await settle(slack, done);
      expect(service.alive()).toBe(true);
      const answers = await answersByUser(db, drill.ts);
      expect([...answers.values()].filter((v) => v !== 1)).toEqual([]);
      expect(acked.filter((c) => !answers.has(c.user) && !errored.includes(c))).toEqual([]);
      // After the restart the service serves as before, without being restarted itself.
      const after = await Promise.all(
        ['UPOST1', 'UPOST2', 'UPOST3'].map((u) => click(service, slack, drill, u)),
      );
      await slack.waitFor(
        'replies after the restart',
        () => after.every((c) => slack.replies.some((r) => r.tag === c.tag)),
        10_000,
      );
      const final = await answersByUser(db, drill.ts);
      for (const c of after) expect(final.get(c.user)).toBe(1);
      expect(
        service.lines.filter((l) => l.msg === 'readiness check failing' && l.check === 'database'),
      ).not.toEqual([]);
      expect(service.stderr()).toBe('');
      report('postgres restart', {
        clicks: done.length,
        acked: acked.length,
        recorded: answers.size,
        'answered with an error': errored.length,
        'not acked': done.length - acked.length,
        'recorded twice': [...answers.values()].filter((v) => v > 1).length,
        'process exits': service.alive() ? 0 : 1,
      });
    });
  },
);
