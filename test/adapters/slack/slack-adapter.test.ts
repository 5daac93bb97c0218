import http from 'node:http';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, onTestFinished } from 'vitest';
import { createSlackAdapter, type SlackAdapter } from '../../../src/adapters/slack/slack-adapter.ts';
import { type Bot, createBot } from '../../../src/bot/bot.ts';
import type { SlackConfig } from '../../../src/config/config.ts';
import { BRAND } from '../../../src/core/brand.ts';
import { ALL_DAYS } from '../../../src/core/commands/options.ts';
import type { CommandInvocation } from '../../../src/core/invocation.ts';
import { silentLog } from '../../../src/core/log.ts';
import { type Metrics, noopMetrics } from '../../../src/core/metrics.ts';
import { grantManagers } from '../../../src/members/managers.repository.ts';
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
let responseCounter = 0;

/**
 * A response_url and a promise of what the adapter POSTs to it (Bolt's respond); `unused` removes its
 * interceptor when the reply came in the ack instead.
 */
function responseUrl(): { url: string; body: Promise<Json>; unused(): void } {
  const path = `/commands/T1/${++responseCounter}/secret`;
  const interceptor = nock('https://hooks.slack.com').post(path);
  const body = new Promise<Json>((resolve) => {
    interceptor.reply(200, async (req: Request) => {
      resolve((await req.json()) as Json);
      return 'ok';
    });
  });
  return { url: `https://hooks.slack.com${path}`, body, unused: () => nock.removeInterceptor(interceptor) };
}

const config: SlackConfig = {
  mode: 'http',
  signingSecret: SIGNING_SECRET,
  appToken: undefined,
  auth: { kind: 'single', botToken: 'xoxb-test-token' },
  apiUrl: undefined,
  replyInAckMs: 250,
};

beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect((host) => host.startsWith('127.0.0.1'));
});
afterAll(() => {
  nock.enableNetConnect();
});

describe.each(backends)('Slack adapter end to end on $name', (backend) => {
  let h: Harness;
  let bot: Bot;
  let adapter: SlackAdapter;
  let server: Awaited<ReturnType<typeof serveMount>>;
  let rateLimited = 0;
  const metrics: Metrics = { ...noopMetrics, rateLimited: () => void rateLimited++ };
  const now = () => Math.floor(h.clock.now().getTime() / 1000);
  const events = () => `${server.url}/slack/events`;

  async function start(b: Bot, withConfig: SlackConfig = config) {
    nock('https://slack.com')
      .post('/api/auth.test')
      .reply(200, { ok: true, user_id: 'UBOT', bot_id: 'BBOT', team_id: 'T1' });
    adapter = createSlackAdapter({
      config: withConfig,
      bot: b,
      db: h.db.handle.db,
      log: silentLog,
      metrics,
      clock: h.clock,
    });
    await adapter.start();
    server = await serveMount(adapter.http!);
  }

  async function restartWith(b: Bot) {
    await adapter.stop();
    await server.close();
    await start(b);
  }

  beforeEach(async () => {
    h = await createHarness(backend, '2026-11-20T10:00:00Z');
    bot = createBot({ study: h.study.deps, log: silentLog, clock: h.clock });
    await start(bot);
  });
  afterEach(async () => {
    await adapter.stop();
    await server.close();
    await h.close();
    nock.cleanAll();
  });

  async function command(text: string, user = 'UANA') {
    const reply = responseUrl();
    const res = await postSigned(events(), {
      body: commandBody({ text, user, responseUrl: reply.url }),
      timestamp: now(),
    });
    expect(res.status).toBe(200);
    // In the ack when it was ready within the budget, otherwise through response_url.
    return commandReply(res, reply.body, reply.unused);
  }

  /** A response_url that counts the POSTs it gets: a command must reply once, in one place. */
  function countedResponseUrl(): { url: string; posts: Json[] } {
    const path = `/commands/T1/${++responseCounter}/counted`;
    const posts: Json[] = [];
    nock('https://hooks.slack.com')
      .post(path)
      .times(5)
      .reply(200, async (req: Request) => {
        posts.push((await req.json()) as Json);
        return 'ok';
      });
    return { url: `https://hooks.slack.com${path}`, posts };
  }

  it('/roadmap today ready within the budget replies in its ack, as Block Kit, and never through response_url', async () => {
    await h.drill({ timeOfDay: '09:00', days: ALL_DAYS, timezone: 'UTC' });
    // The longest budget the config allows, so a busy test machine still answers within it.
    await adapter.stop();
    await server.close();
    await start(bot, { ...config, replyInAckMs: 2500 });
    const later = countedResponseUrl();
    const ack = await postSigned(events(), {
      body: commandBody({ text: 'today', responseUrl: later.url }),
      timestamp: now(),
    });
    expect(ack.status).toBe(200);
    expect(ack.headers.get('content-type')).toMatch(/^application\/json/);
    const reply = (await ack.json()) as Json;
    expect(reply.response_type).toBe('ephemeral');
    expect(reply.text).toContain(h.track.cards[0]!.questions[0]!.stem.slice(0, 20));
    const blocks = reply.blocks as Json[];
    expect(blocks[0]).toMatchObject({ type: 'header' });
    const actions = blocks.find((b) => b.type === 'actions') as { elements: Json[] };
    expect(actions.elements.map((e) => e.action_id)).toEqual([
      'roadmap.answer#0',
      'roadmap.answer#1',
      'roadmap.answer#2',
      'roadmap.answer#3',
      'roadmap.card#4',
    ]);
    // The drill's colour: its last line (the footer) in an attachment of the drill blue, nothing else.
    expect(reply.attachments).toEqual([
      expect.objectContaining({
        color: BRAND.drill,
        blocks: [expect.objectContaining({ block_id: 'footer' })],
      }),
    ]);
    // Nothing was left to send after the ack.
    await adapter.stop();
    expect(later.posts).toEqual([]);
    // The channel's name from the command, for the dashboard.
    const named = await h.db.handle.db.selectFrom('channel_names').select(['channel_id', 'name']).execute();
    expect(named).toEqual([{ channel_id: 'C1', name: 'backend-study' }]);
  });

  it('a public reply goes through response_url even when ready within the budget, so the typed command stays private', async () => {
    await h.drill({ timeOfDay: '09:00', days: ALL_DAYS, timezone: 'UTC' });
    const boss = { platform: 'slack' as const, workspaceId: 'T1', channelId: 'C1', userId: 'UBOSS' };
    await h.study.touch({ ...boss, displayName: 'boss' });
    await grantManagers(h.db.handle.db, boss, ['UBOSS'], 'UADMIN', h.clock.now());
    await adapter.stop();
    await server.close();
    await start(bot, { ...config, replyInAckMs: 2500 });
    const later = countedResponseUrl();
    const ack = await postSigned(events(), {
      body: commandBody({ text: 'schedule pause', user: 'UBOSS', responseUrl: later.url }),
      timestamp: now(),
    });
    expect(ack.status).toBe(200);
    expect(await ack.text()).toBe('');
    await adapter.stop(); // waits for the reply
    expect(later.posts).toHaveLength(1);
    expect(later.posts[0]).toMatchObject({ response_type: 'in_channel' });
    expect(String(later.posts[0]!.text)).toContain('paused this channel');
  });

  it('a command slower than the budget is acked empty while it runs, then replies once through response_url', async () => {
    await h.drill({ timeOfDay: '09:00', days: ALL_DAYS, timezone: 'UTC' });
    // Slack's users.info (asked for a manager command from a member not granted) is held until the ack is in.
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let asked = false;
    nock('https://slack.com')
      .post('/api/users.info', (b) => b.user === 'UBOSS')
      .reply(async () => {
        asked = true;
        await held;
        return [200, { ok: true, user: { id: 'UBOSS', is_admin: true, is_owner: false } }];
      });
    const later = countedResponseUrl();
    const ack = await postSigned(events(), {
      body: commandBody({ text: 'schedule pause', user: 'UBOSS', responseUrl: later.url }),
      timestamp: now(),
    });
    // Acked while the command still waits on Slack: no reply in the ack, nothing sent yet, nothing stored yet.
    expect(ack.status).toBe(200);
    expect(await ack.text()).toBe('');
    expect(later.posts).toEqual([]);
    const status = async () =>
      (await h.db.handle.db.selectFrom('drills').select('status').executeTakeFirstOrThrow()).status;
    expect(await status()).toBe('active');
    release();
    await adapter.stop(); // waits for the command still running and for its reply
    expect(later.posts).toHaveLength(1);
    expect(later.posts[0]).toMatchObject({ response_type: 'in_channel', replace_original: false });
    expect(String(later.posts[0]!.text)).toContain('paused this channel');
    expect(asked).toBe(true);
    expect(await status()).toBe('paused');
  });

  it('a command’s reply follows its stored effect: every `privacy hide` of a burst acked with its reply is in the database', async () => {
    const users = Array.from({ length: 30 }, (_, i) => `UM${i}`);
    const replies = users.map(() => responseUrl());
    const acks = await Promise.all(
      users.map((user, i) =>
        postSigned(events(), {
          body: commandBody({ text: 'privacy hide', user, responseUrl: replies[i]!.url }),
          timestamp: now(),
        }),
      ),
    );
    expect(acks.map((r) => r.status)).toEqual(users.map(() => 200));
    const bodies = await Promise.all(acks.map((r) => r.text()));
    const hidden = async () =>
      (await h.db.handle.db.selectFrom('members').select('user_id').where('hidden', '=', true).execute()).map(
        (m) => m.user_id,
      );
    // Read as soon as the last ack is in: a process killed now must not have lost any reply it sent.
    const repliedInAck = users.filter((_, i) => bodies[i] !== '');
    const stored = await hidden();
    expect(repliedInAck.filter((u) => !stored.includes(u))).toEqual([]);
    // The rest were acked before they finished: each is stored by the time its reply comes.
    for (const [i, user] of users.entries()) {
      const reply = bodies[i] ? (JSON.parse(bodies[i]) as Json) : await replies[i]!.body;
      expect(reply.text).toMatch(/hidden/i);
      expect(await hidden()).toContain(user);
    }
  });

  it('records every answer of a click burst before acking it (nothing acked lives only in memory)', async () => {
    await h.drill({ timeOfDay: '09:00', days: ALL_DAYS, timezone: 'UTC' });
    const drill = await command('today');
    const actions = (drill.blocks as Json[]).find((b) => b.type === 'actions') as {
      elements: { action_id: string; value: string }[];
    };
    const users = Array.from({ length: 40 }, (_, i) => `UC${i}`);
    const replies = users.map(() => responseUrl());
    const acks = await Promise.all(
      users.map((user, i) =>
        postSigned(events(), {
          body: clickBody({
            actionId: actions.elements[i % 4]!.action_id,
            value: actions.elements[i % 4]!.value,
            actionTs: `1700000001.${String(i).padStart(6, '0')}`,
            user,
            responseUrl: replies[i]!.url,
          }),
          timestamp: now(),
        }),
      ),
    );
    expect(acks.map((r) => r.status)).toEqual(users.map(() => 200));
    const answers = await h.db.handle.db.selectFrom('answers').select('user_id').execute();
    expect(answers.map((a) => a.user_id).sort()).toEqual([...users].sort());
    // The replies (with the streak) follow after the ack.
    for (const reply of replies) expect((await reply.body).text).toMatch(/Correct|Not quite/);
  });

  it('a button click answers ephemerally; a redelivered click is counted once', async () => {
    await h.drill({ timeOfDay: '09:00', days: ALL_DAYS, timezone: 'UTC' });
    const drill = await command('today');
    const question = h.track.cards[0]!.questions[0]!;
    const actions = (drill.blocks as Json[]).find((b) => b.type === 'actions') as {
      elements: { action_id: string; value: string }[];
    };
    const right = actions.elements[question.correctIndex]!;

    const reply = responseUrl();
    const click = clickBody({
      actionId: right.action_id,
      value: right.value,
      actionTs: '1700000001.000200',
      responseUrl: reply.url,
    });
    expect((await postSigned(events(), { body: click, timestamp: now() })).status).toBe(200);
    const result = await reply.body;
    expect(result.response_type).toBe('ephemeral');
    expect(result.replace_original).toBe(false);
    expect(result.text).toContain('Correct');
    expect(result.text).toContain(question.explanation.slice(0, 30));

    // Slack redelivers the same click: acknowledged, not answered again (no second response_url call).
    const retry = await postSigned(events(), {
      body: click,
      timestamp: now(),
      headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' },
    });
    expect(retry.status).toBe(200);
    await adapter.stop(); // waits for in-flight handlers, so a second answer would have happened by now
    const answers = await h.db.handle.db.selectFrom('answers').select(['user_id', 'correct']).execute();
    expect(answers).toEqual([{ user_id: 'UANA', correct: true }]);
    expect(nock.pendingMocks()).toEqual([]);

    // A new click (new action_ts) by the same member says what was already answered.
    await server.close();
    await start(bot);
    const again = responseUrl();
    await postSigned(events(), {
      body: clickBody({
        actionId: actions.elements[(question.correctIndex + 1) % 4]!.action_id,
        value: actions.elements[(question.correctIndex + 1) % 4]!.value,
        actionTs: '1700000002.000300',
        responseUrl: again.url,
      }),
      timestamp: now(),
    });
    expect((await again.body).text).toMatch(/already answered/i);
  });

  it('a manager-only command refuses a non-manager and serves a workspace admin, asking users.info once each', async () => {
    await h.drill({ timeOfDay: '09:00', days: ALL_DAYS, timezone: 'UTC' });
    const info = nock('https://slack.com')
      .post('/api/users.info', (b) => b.user === 'UANA')
      .once()
      .reply(200, { ok: true, user: { id: 'UANA', is_admin: false, is_owner: false } })
      .post('/api/users.info', (b) => b.user === 'UBOSS')
      .once()
      .reply(200, { ok: true, user: { id: 'UBOSS', is_admin: true, is_owner: false } });
    const refused = await command('schedule pause', 'UANA');
    expect(refused.response_type).toBe('ephemeral');
    expect(refused.text).toMatch(/^Only managers can use `schedule pause`/);
    // Cached: a second try does not ask Slack again (the interceptor above answers once).
    expect((await command('schedule pause', 'UANA')).text).toMatch(/^Only managers/);
    const paused = await command('schedule pause', 'UBOSS');
    expect(paused.response_type).toBe('in_channel');
    expect(paused.text).toContain('paused this channel');
    expect(info.isDone()).toBe(true);
  });

  it('says whether a member is a workspace owner or admin now, from users.info (the dashboard asks per request)', async () => {
    const info = nock('https://slack.com')
      .post('/api/users.info', (b) => b.user === 'UOWNER')
      .once()
      .reply(200, { ok: true, user: { id: 'UOWNER', is_admin: false, is_owner: true } })
      .post('/api/users.info', (b) => b.user === 'UANA')
      .once()
      .reply(200, { ok: true, user: { id: 'UANA', is_admin: false, is_owner: false } });
    expect(await adapter.isPlatformAdmin!('T1', 'UOWNER')).toBe(true);
    expect(await adapter.isPlatformAdmin!('T1', 'UANA')).toBe(false);
    expect(info.isDone()).toBe(true);
  });

  it('a granted manager’s manager command never asks users.info', async () => {
    await h.drill({ timeOfDay: '09:00', days: ALL_DAYS, timezone: 'UTC' });
    const boss = { platform: 'slack' as const, workspaceId: 'T1', channelId: 'C1', userId: 'UBOSS' };
    await h.study.touch({ ...boss, displayName: 'boss' });
    await grantManagers(h.db.handle.db, boss, ['UBOSS'], 'UADMIN', h.clock.now());
    const info = nock('https://slack.com')
      .post('/api/users.info')
      .reply(200, { ok: true, user: { id: 'UBOSS', is_admin: true } });
    expect((await command('schedule pause', 'UBOSS')).text).toContain('paused this channel');
    expect(info.isDone()).toBe(false);
  });

  it('asks users.info once, with no retries, when it answers 500, and refuses as a non-admin', async () => {
    await h.drill({ timeOfDay: '09:00', days: ALL_DAYS, timezone: 'UTC' });
    let calls = 0;
    nock('https://slack.com')
      .post('/api/users.info')
      .times(10)
      .reply(() => {
        calls++;
        return [500, 'upstream failed'];
      });
    expect((await command('schedule pause', 'UANA')).text).toMatch(/^Only managers/);
    expect(calls).toBe(1);
  });

  it('a hanging users.info in one workspace does not hold up another workspace’s replies', async () => {
    // A Web API on loopback that never answers users.info.
    const sockets = new Set<import('node:net').Socket>();
    const slack = http.createServer((req, res) => {
      if (req.url === '/api/auth.test')
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ ok: true, user_id: 'UBOT', bot_id: 'BBOT', team_id: 'T1' }));
    });
    slack.on('connection', (socket) => sockets.add(socket));
    await new Promise<void>((resolve) => slack.listen(0, '127.0.0.1', resolve));
    onTestFinished(async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => slack.close(resolve));
    });
    await adapter.stop();
    await server.close();
    const { port } = slack.address() as import('node:net').AddressInfo;
    await start(bot, { ...config, apiUrl: `http://127.0.0.1:${port}/api/` });
    const managers = Array.from({ length: 12 }, (_, i) => {
      const reply = responseUrl();
      void postSigned(events(), {
        body: commandBody({ text: 'schedule pause', user: `UT1${i}`, responseUrl: reply.url }),
        timestamp: now(),
      });
      return reply.body.then(() => 'T1');
    });
    const other = responseUrl();
    const ack = await postSigned(events(), {
      body: commandBody({ text: 'topics', team: 'T2', channel: 'C2', user: 'UT2', responseUrl: other.url }),
      timestamp: now(),
    });
    expect(ack.status).toBe(200);
    // T2's reply comes first, while every T1 command still waits on its lookup.
    expect(await Promise.race([commandReply(ack, other.body).then(() => 'T2'), ...managers])).toBe('T2');
    // And each T1 command is answered after one bounded lookup (refused: not a granted manager).
    expect(await Promise.all(managers)).toEqual(managers.map(() => 'T1'));
  });

  it('learner commands never call users.info', async () => {
    const info = nock('https://slack.com')
      .post('/api/users.info')
      .reply(200, { ok: true, user: { id: 'UANA', is_admin: true } });
    const reply = await command('topics');
    expect(reply.text).toContain('/roadmap');
    expect((await command('help schedule set')).text).toContain('/roadmap schedule set');
    expect(info.isDone()).toBe(false);
    nock.cleanAll();
  });

  it('help asks Slack once who is an admin: an admin sees Manage on first help, a member does not', async () => {
    const info = nock('https://slack.com')
      .post('/api/users.info', (b) => b.user === 'UBOSS')
      .once()
      .reply(200, { ok: true, user: { id: 'UBOSS', is_admin: true, is_owner: false } })
      .post('/api/users.info', (b) => b.user === 'UANA')
      .once()
      .reply(200, { ok: true, user: { id: 'UANA', is_admin: false, is_owner: false } });
    const admin = await command('help', 'UBOSS');
    expect(admin.text).toContain('Manage');
    expect(admin.text).toContain('/roadmap schedule set');
    const member = await command('help', 'UANA');
    expect(member.text).toContain('Study');
    expect(member.text).not.toContain('Manage\n');
    expect(member.text).not.toContain('/roadmap schedule set');
    // Cached: help again, and a manager command, do not ask Slack again (each interceptor answers once).
    expect((await command('help', 'UBOSS')).text).toContain('/roadmap schedule set');
    expect((await command('help', 'UANA')).text).not.toContain('/roadmap schedule set');
    expect(info.isDone()).toBe(true);
  });

  it('a reply with a file uploads it into the caller’s DM and says so', async () => {
    // `cohort export` is a manager command, so the bot has the adapter ask Slack whether Ana is an admin.
    const api = nock('https://slack.com')
      .post('/api/users.info', (b) => b.user === 'UANA')
      .reply(200, { ok: true, user: { id: 'UANA', is_admin: true, is_owner: false } })
      .post('/api/conversations.open', (b) => b.users === 'UANA')
      .reply(200, { ok: true, channel: { id: 'D1' } })
      .post('/api/files.getUploadURLExternal', (b) => b.filename === 'report.csv')
      .reply(200, { ok: true, upload_url: 'https://files.slack.com/upload/v1/abc', file_id: 'F1' })
      .post('/api/files.completeUploadExternal', (b) => b.channel_id === 'D1')
      .reply(200, { ok: true, files: [{ id: 'F1' }] });
    const upload = nock('https://files.slack.com').post('/upload/v1/abc').reply(200, 'OK - 22');
    await restartWith({
      ...bot,
      handleCommand: async (inv) => ({
        ...(await inv.isPlatformAdmin?.().then(() => ({}))),
        text: 'Your export is ready.',
        visibility: 'ephemeral',
        attachment: { filename: 'report.csv', content: 'member,points\nana,10\n', contentType: 'text/csv' },
      }),
    });
    const reply = await command('cohort export');
    expect(reply.text).toContain('Your export is ready.');
    expect(reply.text).toContain('I sent you report.csv in a direct message.');
    expect(api.isDone()).toBe(true);
    expect(upload.isDone()).toBe(true);
  });

  /** Ana answers the day's drill right (her `me` then has a study-day calendar to draw), on a long ack budget. */
  async function answerToday() {
    await h.drill({ timeOfDay: '09:00', days: ALL_DAYS, timezone: 'UTC' });
    const drill = await command('today');
    const actions = (drill.blocks as Json[]).find((b) => b.type === 'actions') as {
      elements: { action_id: string; value: string }[];
    };
    const right = actions.elements[h.track.cards[0]!.questions[0]!.correctIndex]!;
    const answered = responseUrl();
    const click = { actionId: right.action_id, value: right.value, responseUrl: answered.url };
    await postSigned(events(), {
      body: clickBody({ ...click, actionTs: '1700000001.000300' }),
      timestamp: now(),
    });
    expect((await answered.body).text).toContain('Correct');
    // The longest budget the config allows, so a busy test machine still answers `me` within it.
    await adapter.stop();
    await server.close();
    await start(bot, { ...config, replyInAckMs: 2500 });
  }

  /** Ana's `/roadmap me`, its ack's JSON and the response_url that counts what follows it. */
  async function meInAck() {
    const later = countedResponseUrl();
    const ack = await postSigned(events(), {
      body: commandBody({ text: 'me', responseUrl: later.url }),
      timestamp: now(),
    });
    return { reply: (await ack.json()) as Json, later };
  }

  it('`me`: the summary in its colour in the ack, then the study-day calendar in the member’s DM with its figures as alt text', async () => {
    await answerToday();
    const api = nock('https://slack.com')
      .post('/api/conversations.open', (b) => b.users === 'UANA')
      .reply(200, { ok: true, channel: { id: 'D1' } })
      .post(
        '/api/files.getUploadURLExternal',
        (b) =>
          b.filename === 'study-days-2026-11-20.png' &&
          String(b.alt_text).startsWith(
            'Study days, Fri 20 Nov to Fri 20 Nov: 1 answered, 0 frozen, 0 missed',
          ),
      )
      .reply(200, { ok: true, upload_url: 'https://files.slack.com/upload/v1/cal', file_id: 'F2' })
      .post('/api/files.completeUploadExternal', (b) => b.channel_id === 'D1')
      .reply(200, { ok: true, files: [{ id: 'F2' }] });
    const upload = nock('https://files.slack.com').post('/upload/v1/cal').reply(200, 'OK');
    const { reply, later } = await meInAck();
    // Complete without the picture: the same figures in the text, which says where the picture goes.
    expect(reply.text).toContain('Study days: 1 answered · 0 frozen · 0 missed.');
    expect(reply.text).toContain('Your picture follows in a direct message.');
    expect(reply.attachments).toEqual([expect.objectContaining({ color: BRAND.progress })]);
    await adapter.stop(); // waits for the picture sent after the ack
    expect(api.isDone()).toBe(true);
    expect(upload.isDone()).toBe(true);
    // Delivered: nothing more to say.
    expect(later.posts).toEqual([]);
  });

  it('`me` whose picture cannot be delivered after the ack says so once, through response_url', async () => {
    await answerToday();
    const api = nock('https://slack.com')
      .post('/api/conversations.open', (b) => b.users === 'UANA')
      .reply(200, { ok: true, channel: { id: 'D1' } })
      .post('/api/files.getUploadURLExternal')
      .reply(200, { ok: false, error: 'file_uploads_disabled' });
    const { reply, later } = await meInAck();
    expect(reply.text).toContain('Your picture follows in a direct message.');
    await adapter.stop();
    expect(api.isDone()).toBe(true);
    expect(later.posts).toHaveLength(1);
    expect(later.posts[0]).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(String(later.posts[0]!.text)).toMatch(
      /^The file study-days-2026-11-20\.png could not be delivered: /,
    );
  });

  it('passes the text unescaped and resolves user and channel mentions', async () => {
    let seen: CommandInvocation | undefined;
    await restartWith({
      ...bot,
      handleCommand: async (inv) => {
        seen = inv;
        return { text: 'ok' };
      },
    });
    // What Slack sends for `/roadmap team join @ben #general "R&D <1>"` with should_escape on (a
    // member's command, so no admin lookup).
    await command('team join <@UBEN|ben> <#CGEN|general> "R&amp;D &lt;1&gt;"');
    expect(seen?.input).toMatchObject({
      kind: 'text',
      text: 'team join <@UBEN|ben> <#CGEN|general> "R&D <1>"',
    });
    const resolve = seen?.input.kind === 'text' ? seen.input.resolveMention : undefined;
    // A mention's label is not a name: members are named by Slack, never by command text.
    expect(resolve?.('<@UBEN|ben>')).toEqual({ userId: 'UBEN' });
    expect(resolve?.('<#CGEN|general>')).toEqual({ channelId: 'CGEN', name: 'general' });
    expect(resolve?.('<1>')).toBeUndefined();
  });

  it('a typed <@U2|label> is text, not a mention, and its label never names anyone', async () => {
    let seen: CommandInvocation | undefined;
    await restartWith({
      ...bot,
      handleCommand: async (inv) => {
        seen = inv;
        return { text: 'ok' };
      },
    });
    // What Slack sends when a member types the mention syntax by hand: entities, not a real token.
    await command('team join Blue &lt;@UBEN|The Boss&gt; <@UCY|cy>');
    const resolve = seen?.input.kind === 'text' ? seen.input.resolveMention : undefined;
    expect(seen?.input).toMatchObject({ text: 'team join Blue <@UBEN|The Boss> <@UCY|cy>' });
    expect(resolve?.('<@UBEN|The')).toBeUndefined();
    expect(resolve?.('<@UBEN|The Boss>')).toBeUndefined();
    expect(resolve?.('<@UCY|cy>')).toEqual({ userId: 'UCY' });
    expect(seen?.user).toMatchObject({
      platform: 'slack',
      workspaceId: 'T1',
      userId: 'UANA',
      displayName: 'ana',
    });
    expect(seen?.channel).toEqual({ platform: 'slack', workspaceId: 'T1', channelId: 'C1' });
  });

  it.each([
    ['a stale timestamp', -301, false],
    ['a timestamp more than five minutes ahead', 301, false],
  ])('refuses %s with 401', async (_name, offset) => {
    const res = await postSigned(events(), {
      body: commandBody({ text: 'today', responseUrl: 'https://hooks.slack.com/commands/T1/0/x' }),
      timestamp: now() + (offset as number),
    });
    expect(res.status).toBe(401);
  });

  it('refuses a tampered body, a wrong secret and missing headers with 401', async () => {
    const body = commandBody({ text: 'today', responseUrl: 'https://hooks.slack.com/commands/T1/0/x' });
    const tampered = await postSigned(events(), {
      body: body.replace('text=today', 'text=leaderboard'),
      signedBody: body,
      timestamp: now(),
    });
    expect(tampered.status).toBe(401);
    const wrongSecret = await postSigned(events(), {
      body,
      timestamp: now(),
      secret: 'another-secret-entirely',
    });
    expect(wrongSecret.status).toBe(401);
    const unsigned = await fetch(events(), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body,
    });
    expect(unsigned.status).toBe(401);
  });

  it('answers 404 for paths it does not own and has no OAuth routes with a single token', async () => {
    expect((await fetch(`${server.url}/slack/install`)).status).toBe(404);
    expect((await fetch(`${server.url}/slack/nothing`, { method: 'POST' })).status).toBe(404);
  });

  it('counts a 429 on a drill post and leaves the retry to the dispatcher (one request, no client retry)', async () => {
    const api = nock('https://slack.com')
      .post('/api/chat.postMessage')
      .reply(429, { ok: false, error: 'ratelimited' }, { 'retry-after': '70' });
    const err = await adapter.publisher
      .post({ platform: 'slack', workspaceId: 'T1', channelId: 'C1' }, { text: 'hello' })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(err).toMatchObject({ code: 'ratelimited', permanent: false });
    expect(rateLimited).toBe(1);
    expect(api.isDone()).toBe(true);
  });
});
