/**
 * SIGKILL in the middle of a posting run, then a new process: every drill ends up in its channel exactly
 * once. At the kill, some posts are answered and recorded, some have landed in Slack but the bot has not
 * heard back (the "accepted but not recorded" window), and some were sent and never processed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, type FaultRun, faultRun, report, seedDueDrills } from './harness.ts';

const url = process.env.TEST_DATABASE_URL;

describe.skipIf(!url)('SIGKILL during a posting run', () => {
  let run: FaultRun;
  beforeAll(() => {
    run = faultRun();
  });
  afterAll(() => run.close());

  it('the restarted service posts each drill exactly once', async () => {
    const answered = ['C01', 'C02', 'C03', 'C04'];
    const landedUnanswered = ['C05', 'C06', 'C07', 'C08'];
    const neverProcessed = ['C09', 'C10', 'C11', 'C12'];
    const channels = [...answered, ...landedUnanswered, ...neverProcessed];
    const db = await run.database();
    const slack = await run.slack();
    await seedDueDrills(db, channels);
    // Slack takes these posts (they are in the channel) but answers only long after the kill…
    slack.inject(
      'chat.postMessage',
      { kind: 'slow', ms: 60_000 },
      { when: (p) => landedUnanswered.includes(String(p.channel)) },
    );
    // …and these never reach a Slack server that processes them.
    slack.inject(
      'chat.postMessage',
      { kind: 'hang' },
      { when: (p) => neverProcessed.includes(String(p.channel)) },
    );
    const first = await run.service({ database: db, slack });
    await eventually(
      'the answered posts recorded and the others in flight',
      async () => {
        const posted = await db.query(`select 1 from deliveries where post_status = 'posted'`);
        const inFlight = slack.calls.filter((c) => c.method === 'chat.postMessage' && c.outcome !== 'ok');
        return posted.length === answered.length && inFlight.length === 8;
      },
      20_000,
    );
    await first.kill();
    const landedAtKill = channels.filter((c) => slack.postsIn(c).length > 0).length;

    // Slack is well again. The dead process's claims lapse after the post lease (two minutes); the test
    // moves them to now instead of waiting, which is all the lease's end changes.
    slack.clearFaults();
    await db.query(
      `update deliveries set post_lease_until = now() - interval '1 second' where post_status <> 'posted'`,
    );
    const second = await run.service({ database: db, slack });
    const rows = await eventually(
      'every delivery recorded as posted',
      async () => {
        const r = await db.query<{ channel_id: string; message_id: string }>(
          `select channel_id, message_id from deliveries where post_status = 'posted'`,
        );
        return r.length === channels.length ? r : undefined;
      },
      30_000,
    );
    await second.logged('scheduler run');
    const perChannel = channels.map((c) => slack.postsIn(c).length);
    report('sigkill during posting', {
      drills: channels.length,
      'landed at the kill': landedAtKill,
      'posts made': perChannel.reduce((a, b) => a + b, 0),
      'posts expected': channels.length,
      'channels posted twice': perChannel.filter((n) => n > 1).length,
    });
    expect(second.alive()).toBe(true);
    expect(Object.fromEntries(channels.map((c, i) => [c, perChannel[i]]))).toEqual(
      Object.fromEntries(channels.map((c) => [c, 1])),
    );
    // What is recorded is the message that is in the channel.
    for (const r of rows) expect(r.message_id).toBe(slack.postsIn(r.channel_id)[0]!.ts);
  }, 240_000);
});
