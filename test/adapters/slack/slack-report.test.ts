import nock from 'nock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSlackAdapter, type SlackAdapter } from '../../../src/adapters/slack/slack-adapter.ts';
import { createBot } from '../../../src/bot/bot.ts';
import type { SlackConfig } from '../../../src/config/config.ts';
import { ALL_DAYS } from '../../../src/core/commands/options.ts';
import { silentLog } from '../../../src/core/log.ts';
import { noopMetrics } from '../../../src/core/metrics.ts';
import { REPORT_REASON_ACTION, reasonValue } from '../../../src/feedback/messages.ts';
import { backends } from '../../helpers/databases.ts';
import { createHarness, type Harness } from '../../helpers/harness.ts';
import {
  clickBody,
  commandBody,
  commandReply,
  postSigned,
  SIGNING_SECRET,
  serveMount,
} from './slack-fixtures.ts';

type Json = Record<string, unknown>;
type Element = { action_id: string; value: string; text: { text: string } };
let responseCounter = 0;

/** A response_url and a promise of what the adapter POSTs to it (Bolt's respond). */
function responseUrl(): { url: string; body: Promise<Json> } {
  const path = `/report/T1/${++responseCounter}/secret`;
  const body = new Promise<Json>((resolve) => {
    nock('https://hooks.slack.com')
      .post(path)
      .reply(200, async (req: Request) => {
        resolve((await req.json()) as Json);
        return 'ok';
      });
  });
  return { url: `https://hooks.slack.com${path}`, body };
}

const config: SlackConfig = {
  mode: 'http',
  signingSecret: SIGNING_SECRET,
  appToken: undefined,
  auth: { kind: 'single', botToken: 'xoxb-test-token' },
  apiUrl: undefined,
  replyInAckMs: 250,
};

/** Every button of a Block Kit message, in order. */
const elementsOf = (m: Json): Element[] =>
  ((m.blocks as Json[] | undefined) ?? [])
    .filter((b) => b.type === 'actions')
    .flatMap((b) => b.elements as Element[]);

beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect((host) => host.startsWith('127.0.0.1'));
});
afterAll(() => {
  nock.enableNetConnect();
});

describe.each(backends)('reporting a question on Slack on $name', (backend) => {
  let h: Harness;
  let adapter: SlackAdapter;
  let server: Awaited<ReturnType<typeof serveMount>>;
  let clicks = 0;
  const now = () => Math.floor(h.clock.now().getTime() / 1000);

  beforeEach(async () => {
    h = await createHarness(backend, '2026-11-20T10:00:00Z');
    nock('https://slack.com')
      .post('/api/auth.test')
      .reply(200, { ok: true, user_id: 'UBOT', bot_id: 'BBOT', team_id: 'T1' });
    const bot = createBot({ study: h.study.deps, log: silentLog, clock: h.clock });
    adapter = createSlackAdapter({
      config,
      bot,
      db: h.db.handle.db,
      log: silentLog,
      metrics: noopMetrics,
      clock: h.clock,
    });
    await adapter.start();
    server = await serveMount(adapter.http!);
  });
  afterEach(async () => {
    await adapter.stop();
    await server.close();
    await h.close();
    nock.cleanAll();
  });

  async function command(text: string, user = 'UANA'): Promise<Json> {
    const reply = responseUrl();
    const res = await postSigned(`${server.url}/slack/events`, {
      body: commandBody({ text, user, responseUrl: reply.url }),
      timestamp: now(),
    });
    expect(res.status).toBe(200);
    return commandReply(res, reply.body);
  }

  async function click(element: Element, user = 'UANA'): Promise<Json> {
    const reply = responseUrl();
    const res = await postSigned(`${server.url}/slack/events`, {
      body: clickBody({
        actionId: element.action_id,
        value: element.value,
        actionTs: `1700000001.${String(++clicks).padStart(6, '0')}`,
        user,
        responseUrl: reply.url,
      }),
      timestamp: now(),
    });
    expect(res.status).toBe(200);
    return reply.body;
  }

  it('a member reports from the result’s button with a reason, adds a note by command, and a workspace admin resolves it', async () => {
    await h.drill({ timeOfDay: '09:00', days: ALL_DAYS, timezone: 'UTC' });
    const card = h.track.cards[0]!;
    const question = card.questions[0]!;
    const drill = await command('today');
    const result = await click(elementsOf(drill)[question.correctIndex]!);
    expect(result.text).toContain('Correct');
    const reportButton = elementsOf(result).find((e) => e.text.text === 'Report a problem')!;
    expect(reportButton.action_id).toMatch(/^roadmap\.report#\d+$/);
    expect(reportButton.value).toBe(`d:${question.id}`);

    const choice = await click(reportButton);
    expect(choice.response_type).toBe('ephemeral');
    expect(elementsOf(choice).map((e) => e.text.text)).toEqual([
      'Wrong key',
      'Unclear',
      'Outdated',
      'Typo',
      'Something else',
    ]);
    const thanks = await click(elementsOf(choice).find((e) => e.text.text === 'Wrong key')!);
    expect(thanks.text).toContain(
      `Thanks: your report on *${card.title}*, question 1 (wrong key) is recorded.`,
    );

    const noted = await command('report wrong-key "B is right <@U1> <!channel>"');
    // Mentions a member typed stay text: escaped, inside code.
    expect(noted.text).toContain('with your note `B is right &lt;@U1&gt; &lt;!channel&gt;`');
    const stored = await h.db.handle.db.selectFrom('question_reports').selectAll().execute();
    expect(stored).toMatchObject([
      {
        platform: 'slack',
        workspace_id: 'T1',
        channel_id: 'C1',
        user_id: 'UANA',
        question_id: question.id,
        card_id: card.id,
        content_version: h.track.version,
        source: 'drill',
        reason: 'wrong-key',
        note: 'B is right <@U1> <!channel>',
      },
    ]);

    nock('https://slack.com')
      .post('/api/users.info', (b) => b.user === 'UANA')
      .reply(200, { ok: true, user: { id: 'UANA', is_admin: false, is_owner: false } })
      .post('/api/users.info', (b) => b.user === 'UBOSS')
      .reply(200, { ok: true, user: { id: 'UBOSS', is_admin: true, is_owner: false } });
    expect((await command('content reports', 'UANA')).text).toMatch(
      /^Only managers can use `content reports`/,
    );
    const list = await command('content reports', 'UBOSS');
    expect(list.text).toContain('Open reports · 1 question');
    expect(list.text).toContain(`#${stored[0]!.id} · ${card.title} · ${question.id}`);
    const resolved = await command(`content resolve ${stored[0]!.id} fixed`, 'UBOSS');
    expect(resolved.text).toContain('Resolved 1 report on');
    expect((await command('content reports', 'UBOSS')).text).toContain('No open reports in this workspace');
  });

  it('three members’ reports through Slack withhold a question from the next drill until a workspace admin keeps it', async () => {
    await h.drill({ timeOfDay: '09:00', days: ALL_DAYS, timezone: 'UTC' });
    const card1 = h.track.cards[1];
    await command('today');
    const question = card1!.questions[0]!.id;
    const reason = (user: string) =>
      click(
        {
          action_id: `${REPORT_REASON_ACTION}#0`,
          value: reasonValue('practice', question, 'wrong-key'),
          text: { text: 'Wrong key' },
        },
        user,
      );
    await reason('UANA');
    await reason('UBEN');
    expect((await reason('UCY')).text).toContain('3 members here have reported it, so it is set aside');

    // Asked again after the clock moves a day (the admin cache keeps an answer for minutes).
    nock('https://slack.com')
      .post('/api/users.info', (b) => b.user === 'UBOSS')
      .times(2)
      .reply(200, { ok: true, user: { id: 'UBOSS', is_admin: true, is_owner: false } });
    const list = await command('content reports', 'UBOSS');
    expect(list.text).toContain(`${card1!.title} · ${question}`);
    expect(list.text).toContain('3 members');

    h.clock.set('2026-11-21T10:00:00Z');
    await command('today');
    const day2 = await h.db.handle.db
      .selectFrom('deliveries')
      .select(['card_id', 'question_id'])
      .where('local_date', '=', '2026-11-21')
      .executeTakeFirstOrThrow();
    // The card comes on its day with its next question; the reported one is set aside here.
    expect(day2).toEqual({ card_id: card1!.id, question_id: card1!.questions[1]!.id });

    expect((await command(`content resolve ${question} kept`, 'UBOSS')).text).toContain('as kept');
    expect((await command('content reports', 'UBOSS')).text).toContain('No open reports in this workspace');
  });
});
