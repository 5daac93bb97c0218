/**
 * A slow or failing Slack Web API: 429 with a long Retry-After, a run of 5xx, hangs and slow responses on
 * chat.postMessage, and users.info hanging or failing. Each drill must be posted exactly once (the fake
 * counts the messages that landed in the channel), and a channel or member the fault does not touch must
 * still get replies promptly: the one time bound here is a deadline on what a member waits for.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeSlack, FaultRule, SlackFault, SlackMessage } from './fake-slack.ts';
import {
  click,
  command,
  eventually,
  type FaultDatabase,
  type FaultRun,
  faultRun,
  report,
  type ServiceChild,
  schedulerRunAfter,
  seedDueDrills,
  sleep,
} from './harness.ts';

const url = process.env.TEST_DATABASE_URL;
/** What a member in an unaffected channel may wait for a reply while another channel's call is stuck. */
const UNAFFECTED_REPLY_DEADLINE_MS = 2000;
/** How long without a post attempt counts as settled once the fault is over and a run has passed. */
const QUIET_MS = 5000;
/**
 * The service's scheduler runs every 2 seconds instead of every minute (SCHEDULER_INTERVAL_SECONDS), so a retry
 * comes as soon as its backoff or Retry-After allows rather than at the next whole minute: the same retries,
 * without waiting for the clock.
 */
const SERVICE_ENV = { SCHEDULER_INTERVAL_SECONDS: '2' };

interface Setup {
  db: FaultDatabase;
  slack: FakeSlack;
  service: ServiceChild;
}

async function isPosted(db: FaultDatabase, channel: string): Promise<boolean> {
  const rows = await db.query(`select 1 from deliveries where channel_id = $1 and post_status = 'posted'`, [
    channel,
  ]);
  return rows.length > 0;
}

/** A member of an unaffected channel clicks its drill and gets the reply within the deadline. */
async function unaffectedClickAnswered(s: Setup, drill: SlackMessage, user: string): Promise<void> {
  const c = await click(s.service, s.slack, drill, user);
  expect(c.status).toBe(200);
  await s.slack.waitFor(
    `the reply to ${user}'s click in ${drill.channel}`,
    () => s.slack.replies.some((r) => r.tag === c.tag),
    UNAFFECTED_REPLY_DEADLINE_MS,
  );
}

/**
 * Waits until `channel`'s drill is recorded as posted and the fault is over, then for one more scheduler run
 * that started after both: by then any retry or re-post the fault could cause has happened.
 */
async function settledPosts(s: Setup, channel: string, faultEndsAt: number): Promise<number> {
  await eventually(`the drill in ${channel} recorded as posted`, () => isPosted(s.db, channel), 200_000);
  const wait = faultEndsAt - Date.now();
  if (wait > 0) await sleep(wait);
  await schedulerRunAfter(s.service, Date.now());
  // And nothing is still on its way: a few quiet seconds without a post attempt in the channel.
  const lastAttempt = () =>
    Math.max(
      0,
      ...s.slack.calls
        .filter((c) => c.method === 'chat.postMessage' && c.params.channel === channel)
        .map((c) => c.at),
    );
  await eventually(
    `no post attempt in ${channel} for ${QUIET_MS} ms`,
    () => Date.now() - lastAttempt() >= QUIET_MS,
    120_000,
  );
  return s.slack.postsIn(channel).length;
}

describe.skipIf(!url).concurrent('a slow or failing Slack', () => {
  let run: FaultRun;
  beforeAll(() => {
    run = faultRun();
  });
  afterAll(() => run.close());

  /** Drills due in C1 (the faulty channel) and C2; the fault is injected before the service starts. */
  async function start(inject: (slack: FakeSlack) => void): Promise<Setup & { c2: SlackMessage }> {
    const db = await run.database();
    const slack = await run.slack();
    await seedDueDrills(db, ['C1', 'C2']);
    inject(slack);
    const service = await run.service({ database: db, slack, env: SERVICE_ENV });
    await slack.waitFor('the drill posted in C2', () => slack.postsIn('C2').length > 0, 60_000);
    await eventually('C2 recorded', () => isPosted(db, 'C2'), 10_000);
    return { db, slack, service, c2: slack.postsIn('C2')[0]! };
  }

  /** `times` calls, or every call for `windowMs` from the first; its effects are over `endsAfterMs` after that. */
  const postFaults: Array<{
    name: string;
    fault: SlackFault;
    hits: { times: number } | { windowMs: number };
    endsAfterMs: number;
  }> = [
    {
      // Longer than the dispatcher's first backoff (30 s): it is the Retry-After that holds the retry back.
      name: '429 with Retry-After: 40',
      fault: { kind: 'rate-limited', retryAfterSeconds: 40 },
      hits: { times: 1 },
      // The retry comes at the first scheduler run after the Retry-After.
      endsAfterMs: 50_000,
    },
    {
      name: 'a 20-second run of 500s',
      fault: { kind: 'server-error', status: 500 },
      hits: { windowMs: 20_000 },
      endsAfterMs: 22_000,
    },
    {
      name: 'a hang after the post landed',
      fault: { kind: 'hang', lands: true },
      hits: { times: 1 },
      endsAfterMs: 0,
    },
    {
      name: '16-second responses for 20 s',
      fault: { kind: 'slow', ms: 16_000 },
      hits: { windowMs: 20_000 },
      endsAfterMs: 38_000,
    },
  ];

  for (const { name, fault, hits, endsAfterMs } of postFaults) {
    it(`chat.postMessage: ${name} posts the drill once, and the other channel is answered meanwhile`, async () => {
      let rule: FaultRule | undefined;
      const s = await start((slack) => {
        rule = slack.inject('chat.postMessage', fault, {
          when: (p) => p.channel === 'C1',
          ...('times' in hits ? { times: hits.times } : { lastsMs: hits.windowMs }),
        });
      });
      await s.slack.waitFor('the fault to hit C1', () => (rule?.hits ?? 0) > 0, 60_000);
      // While C1's post is stuck, a member in C2 is answered at once.
      await unaffectedClickAnswered(s, s.c2, 'UC2');
      const posts = await settledPosts(s, 'C1', rule!.firstHitAt! + endsAfterMs);
      report(`post ${name}`, {
        'faults injected': s.slack.faultsInjected(),
        'posts made': posts + s.slack.postsIn('C2').length,
        'posts expected': 2,
        'process exits': s.service.alive() ? 0 : 1,
      });
      expect(s.service.alive()).toBe(true);
      expect(posts).toBe(1);
      expect(s.slack.postsIn('C2')).toHaveLength(1);
    }, 400_000);
  }

  const lookupFaults: Array<{ name: string; fault: SlackFault }> = [
    { name: 'hanging', fault: { kind: 'hang' } },
    { name: 'answering 500', fault: { kind: 'server-error', status: 500 } },
  ];

  for (const { name, fault } of lookupFaults) {
    it(`users.info ${name}: members' commands and clicks are answered meanwhile`, async () => {
      const s = await start((slack) => slack.inject('users.info', fault));
      // A dozen members who are not granted managers try a manager command: each needs users.info.
      const managers = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          command(s.service, s.slack, { text: 'cohort report', channel: 'C1', user: `UM${i}` }),
        ),
      );
      expect(managers.map((m) => m.status)).toEqual(managers.map(() => 200));
      await sleep(200);
      const help = await command(s.service, s.slack, { text: 'help', channel: 'C2', user: 'UHELP' });
      expect(help.status).toBe(200);
      await s.slack.waitFor(
        'the reply to help',
        () => s.slack.replies.some((r) => r.tag === help.tag),
        UNAFFECTED_REPLY_DEADLINE_MS,
      );
      await unaffectedClickAnswered(s, s.c2, 'UC2');
      // The manager commands are answered too (without the admin flag, a refusal), not left hanging.
      await s.slack.waitFor(
        'replies to the manager commands',
        () => managers.every((m) => s.slack.replies.some((r) => r.tag === m.tag)),
        60_000,
      );
      // Each once, in its ack or through its response_url, never both. A hanging lookup outlasts the budget
      // for a reply in the ack: those commands were acked first and replied through response_url.
      for (const m of managers) expect(s.slack.replies.filter((r) => r.tag === m.tag)).toHaveLength(1);
      if (fault.kind === 'hang')
        expect(
          s.slack.replies.filter((r) => managers.some((m) => m.tag === r.tag)).map((r) => r.via),
        ).toEqual(managers.map(() => 'response_url'));
      // The lookup really was asked, and failed: otherwise this scenario would prove nothing.
      expect(s.slack.faultsInjected()).toBeGreaterThan(0);
      report(`users.info ${name}`, {
        'faults injected': s.slack.faultsInjected(),
        'commands answered': managers.length + 1,
        'process exits': s.service.alive() ? 0 : 1,
      });
      expect(s.service.alive()).toBe(true);
    }, 180_000);
  }
});
