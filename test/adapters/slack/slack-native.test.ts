/**
 * Slack's native surfaces end to end through the real Bolt receiver: the welcome when the bot joins a channel
 * (once, also after a restart), setup forms as modals with inline errors, and the App Home tab.
 */
import nock from 'nock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSlackAdapter, type SlackAdapter } from '../../../src/adapters/slack/slack-adapter.ts';
import { type Bot, createBot } from '../../../src/bot/bot.ts';
import type { SlackConfig } from '../../../src/config/config.ts';
import { ALL_DAYS } from '../../../src/core/commands/options.ts';
import { noopMetrics } from '../../../src/core/metrics.ts';
import { backends } from '../../helpers/databases.ts';
import { createHarness, type Harness } from '../../helpers/harness.ts';
import { recordingLog } from '../../helpers/recording-log.ts';
import { clickBody, commandBody, postSigned, SIGNING_SECRET, serveMount } from './slack-fixtures.ts';

type Json = Record<string, unknown>;

const config: SlackConfig = {
  mode: 'http',
  signingSecret: SIGNING_SECRET,
  appToken: undefined,
  auth: { kind: 'single', botToken: 'xoxb-test-token' },
  apiUrl: undefined,
  replyInAckMs: 250,
};

/** The next call to a Web API method, as the JSON or form body Slack would receive. */
function nextCall(method: string, reply: Json = { ok: true }, times = 1): Promise<Json> {
  return new Promise((resolve) => {
    nock('https://slack.com')
      .post(`/api/${method}`)
      .times(times)
      .reply(200, async (req: Request) => {
        const body = await req.text();
        resolve(
          body.startsWith('{') ? (JSON.parse(body) as Json) : Object.fromEntries(new URLSearchParams(body)),
        );
        return reply;
      });
  });
}

/** users.info for a member: their role and their own time zone. */
function usersInfo(user: string, opts: { admin?: boolean; tz?: string } = {}) {
  nock('https://slack.com')
    .post('/api/users.info', (b) => b.user === user)
    .reply(200, {
      ok: true,
      user: {
        id: user,
        name: user.toLowerCase(),
        profile: { display_name: user.slice(1, 2) + user.slice(2).toLowerCase() },
        is_admin: opts.admin ?? false,
        tz: opts.tz ?? 'UTC',
      },
    })
    .persist();
}

let responseCounter = 0;
function responseUrl(): { url: string; body: Promise<Json> } {
  const path = `/actions/T1/${++responseCounter}/secret`;
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

beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect((host) => host.startsWith('127.0.0.1'));
});
afterAll(() => {
  nock.enableNetConnect();
});

describe.each(backends)('Slack onboarding, modals and App Home on $name', (backend) => {
  let h: Harness;
  let adapter: SlackAdapter;
  let server: Awaited<ReturnType<typeof serveMount>>;
  const log = recordingLog();
  let eventCounter = 0;
  const now = () => Math.floor(h.clock.now().getTime() / 1000);
  const events = () => `${server.url}/slack/events`;

  async function start() {
    nock('https://slack.com')
      .post('/api/auth.test')
      .reply(200, { ok: true, user_id: 'UBOT', bot_id: 'BBOT', team_id: 'T1' });
    const bot: Bot = createBot({ study: h.study.deps, log, clock: h.clock });
    adapter = createSlackAdapter({
      config,
      bot,
      db: h.db.handle.db,
      log,
      metrics: noopMetrics,
      clock: h.clock,
    });
    await adapter.start();
    server = await serveMount(adapter.http!);
  }
  async function stop() {
    await adapter.stop();
    await server.close();
  }

  beforeEach(async () => {
    h = await createHarness(backend, '2026-11-20T10:00:00Z');
    log.lines.length = 0;
    await start();
  });
  afterEach(async () => {
    await stop();
    await h.close();
    nock.cleanAll();
  });

  function sendEvent(event: Json) {
    const body = JSON.stringify({
      token: 'legacy',
      team_id: 'T1',
      api_app_id: 'A1',
      type: 'event_callback',
      event_id: `Ev${++eventCounter}`,
      event_time: now(),
      event: { event_ts: `${now()}.000100`, ...event },
      authorizations: [
        { team_id: 'T1', enterprise_id: null, user_id: 'UBOT', is_bot: true, is_enterprise_install: false },
      ],
    });
    return postSigned(events(), { body, timestamp: now(), contentType: 'application/json' });
  }

  /** Waits for the adapter to log `msg` a `count`th time (the listener has finished its work). */
  async function logged(msg: string, count = 1) {
    for (let i = 0; i < 500; i++) {
      if (log.lines.filter((l) => l.msg === msg).length >= count) return;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error(`never logged "${msg}" ${count} times`);
  }

  const joined = (user: string, channel = 'C1') =>
    sendEvent({ type: 'member_joined_channel', user, channel, channel_type: 'C', team: 'T1' });

  it('posts one welcome when the bot is added to a channel, never again, not even after a restart', async () => {
    const posted = nextCall('chat.postMessage', { ok: true, channel: 'C1', ts: '1.1' });
    expect((await joined('UBOT')).status).toBe(200);
    const welcome = await posted;
    await logged('slack welcome posted');
    expect(welcome.channel).toBe('C1');
    expect(String(welcome.text)).toContain('roadmap-bot is here');
    const blocks = JSON.parse(String(welcome.blocks)) as { type: string; elements?: Json[] }[];
    const buttons = blocks.find((b) => b.type === 'actions')!.elements!;
    expect(buttons.map((b) => (b.text as Json).text)).toEqual([
      'Set up a daily drill',
      'Start a cohort',
      "Try today's question",
    ]);
    expect(buttons.map((b) => b.value)).toEqual(['schedule set', 'cohort create', 'today']);

    // A member joining is not the bot; the bot added again (or the event redelivered) finds the claim.
    await joined('UANA');
    await joined('UBOT');
    await logged('slack channel already welcomed');
    await stop();
    await start();
    await joined('UBOT');
    await logged('slack channel already welcomed', 2);
    const rows = await h.db.handle.db.selectFrom('channel_welcomes').selectAll().execute();
    expect(rows.map((r) => r.channel_id)).toEqual(['C1']);
    expect(log.lines.filter((l) => l.msg === 'slack welcome posted')).toHaveLength(1);
  });

  it('a welcome whose post failed is posted on the next trigger, exactly once', async () => {
    const refused = nextCall('chat.postMessage', { ok: false, error: 'channel_not_found' });
    await joined('UBOT');
    await refused;
    await logged('slack welcome failed');
    expect(await h.db.handle.db.selectFrom('channel_welcomes').selectAll().execute()).toEqual([]);

    const posted = nextCall('chat.postMessage', { ok: true, channel: 'C1', ts: '1.2' });
    await joined('UBOT');
    expect(String((await posted).text)).toContain('roadmap-bot is here');
    await logged('slack welcome posted');
    await joined('UBOT');
    await logged('slack channel already welcomed');
    expect(log.lines.filter((l) => l.msg === 'slack welcome posted')).toHaveLength(1);
    const rows = await h.db.handle.db.selectFrom('channel_welcomes').selectAll().execute();
    expect(rows.map((r) => r.channel_id)).toEqual(['C1']);
  });

  async function openScheduleForm(): Promise<Json> {
    usersInfo('UBOSS', { admin: true, tz: 'Europe/Berlin' });
    const opened = nextCall('views.open', { ok: true, view: { id: 'V1' } });
    const res = await postSigned(events(), {
      body: commandBody({ text: 'schedule set', user: 'UBOSS', responseUrl: 'https://hooks.slack.com/x' }),
      timestamp: now(),
    });
    expect(res.status).toBe(200);
    const call = await opened;
    expect(call.trigger_id).toBe('1.2.3');
    return JSON.parse(String(call.view)) as Json;
  }

  function submit(view: Json, values: Record<string, Json>) {
    const payload = {
      type: 'view_submission',
      team: { id: 'T1', domain: 'acme' },
      user: { id: 'UBOSS', username: 'boss', name: 'boss', team_id: 'T1' },
      api_app_id: 'A1',
      token: 'legacy',
      trigger_id: '4.5.6',
      view: { ...view, id: 'V1', team_id: 'T1', hash: 'h', state: { values } },
    };
    return postSigned(events(), {
      body: new URLSearchParams({ payload: JSON.stringify(payload) }).toString(),
      timestamp: now(),
    });
  }

  const form = (time: string, reveal?: string) => ({
    time: { value: { type: 'timepicker', selected_time: time } },
    days: {
      value: {
        type: 'checkboxes',
        selected_options: ['mon', 'wed', 'fri'].map((v) => ({
          value: v,
          text: { type: 'plain_text', text: v },
        })),
      },
    },
    tz: { value: { type: 'static_select', selected_option: { value: 'Europe/Berlin' } } },
    reveal: { value: { type: 'timepicker', selected_time: reveal ?? null } },
  });

  it('`schedule set` with no options opens a modal; a bad time comes back inline; good values set the drill', async () => {
    const view = await openScheduleForm();
    expect(view.callback_id).toBe('roadmap.form:schedule set');
    expect(JSON.parse(String(view.private_metadata))).toEqual({ channelId: 'C1' });
    const blocks = view.blocks as { block_id: string; element: Json }[];
    expect(blocks.map((b) => b.block_id)).toEqual(['time', 'days', 'tz', 'reveal']);
    expect(blocks[0]!.element).toMatchObject({ type: 'timepicker', initial_time: '09:00' });
    expect(blocks[1]!.element.type).toBe('checkboxes');
    // The member's own zone (users.info tz) is preselected.
    expect(blocks[2]!.element).toMatchObject({ initial_option: { value: 'Europe/Berlin' } });

    const bad = await submit(view, form('25:61'));
    expect(bad.status).toBe(200);
    const errors = (await bad.json()) as Json;
    expect(errors.response_action).toBe('errors');
    expect(Object.keys(errors.errors as Json)).toEqual(['time']);
    expect(String((errors.errors as Json).time)).toContain('25:61');
    const early = (await (await submit(view, form('09:00', '08:00'))).json()) as Json;
    expect(Object.keys(early.errors as Json)).toEqual(['reveal']);
    expect(await h.study.getDrill({ platform: 'slack', workspaceId: 'T1', channelId: 'C1' })).toBeUndefined();

    const confirmed = nextCall('chat.postMessage', { ok: true, channel: 'C1', ts: '2.2' });
    const good = await submit(view, form('08:30', '17:00'));
    expect(good.status).toBe(200);
    expect(await good.text()).toBe('');
    const drill = await h.study.getDrill({ platform: 'slack', workspaceId: 'T1', channelId: 'C1' });
    expect(drill?.schedule).toEqual({ timeOfDay: '08:30', days: 0b0010101, timezone: 'Europe/Berlin' });
    expect(drill?.revealTime).toBe('17:00');
    expect(String((await confirmed).text)).toContain("scheduled this channel's drill: 08:30 Mon, Wed, Fri");
  });

  it('a member clicking "Set up a daily drill" is refused; a manager gets the form', async () => {
    usersInfo('UANA');
    const refused = responseUrl();
    await postSigned(events(), {
      body: clickBody({
        actionId: 'roadmap.run#0',
        value: 'schedule set',
        actionTs: '1',
        responseUrl: refused.url,
      }),
      timestamp: now(),
    });
    expect(String((await refused.body).text)).toContain('Only managers can use `schedule set`');

    usersInfo('UBOSS', { admin: true });
    const opened = nextCall('views.open', { ok: true });
    await postSigned(events(), {
      body: clickBody({
        actionId: 'roadmap.run#1',
        value: 'cohort create',
        actionTs: '2',
        user: 'UBOSS',
        responseUrl: 'https://hooks.slack.com/unused',
      }),
      timestamp: now(),
    });
    const view = JSON.parse(String((await opened).view)) as Json;
    expect(view.callback_id).toBe('roadmap.form:cohort create');
    expect((view.blocks as { block_id: string }[]).map((b) => b.block_id)).toEqual([
      'name',
      'start',
      'weeks',
      'days',
      'tz',
      'time',
    ]);
  });

  it('app_home_opened publishes the member’s home: streak, due reviews, progress, buttons; managers see drills', async () => {
    await h.drill({ timeOfDay: '09:00', days: ALL_DAYS, timezone: 'UTC' });
    const ana = {
      platform: 'slack' as const,
      workspaceId: 'T1',
      channelId: 'C1',
      userId: 'UANA',
      displayName: 'ana',
    };
    const today = await h.say(ana, 'today');
    await h.click(ana, today.card!.buttons![0]!);

    usersInfo('UANA');
    const published = nextCall('views.publish');
    await sendEvent({ type: 'app_home_opened', user: 'UANA', channel: 'D1', tab: 'home' });
    const call = await published;
    expect(call.user_id).toBe('UANA');
    const view = JSON.parse(String(call.view)) as { type: string; private_metadata: string; blocks: Json[] };
    expect(view.type).toBe('home');
    const text = JSON.stringify(view.blocks);
    expect(text).toContain("Ana's study");
    expect(text).toContain('Streak: 1 study day');
    expect(text).toContain('Cards due for review');
    expect(text).toContain('Progress per module');
    expect(text).toContain('<#C1>');
    expect(text).toContain("Today's question");
    expect(text).toContain('Practice');
    expect(text).not.toContain('Pause');

    // Answering (another channel's drill) refreshes the Home of a member who opened it, after the reply.
    const c2 = { platform: 'slack' as const, workspaceId: 'T1', channelId: 'C2' };
    await h.drill({ timeOfDay: '09:00', days: ALL_DAYS, timezone: 'UTC' }, c2);
    const quiz = await h.say(ana, 'today', c2);
    const answered = responseUrl();
    const refreshed = nextCall('views.publish');
    await postSigned(events(), {
      body: clickBody({
        actionId: 'roadmap.answer#0',
        value: quiz.card!.buttons![0]!.value,
        actionTs: '9',
        channel: 'C2',
        responseUrl: answered.url,
      }),
      timestamp: now(),
    });
    expect(String((await answered.body).text)).toMatch(/Correct|Not quite/);
    expect((await refreshed).user_id).toBe('UANA');

    usersInfo('UBOSS', { admin: true });
    const managerHome = nextCall('views.publish');
    await sendEvent({ type: 'app_home_opened', user: 'UBOSS', channel: 'D2', tab: 'home' });
    const boss = JSON.stringify(JSON.parse(String((await managerHome).view)).blocks);
    expect(boss).toContain('Active drill');
    expect(boss).toContain('schedule pause@C1');

    // Pause on the Home: checked like the typed command, told in the app's DM, and the Home shows Resume.
    const told = nextCall('chat.postMessage', { ok: true, channel: 'D2', ts: '3.3' });
    const republished = nextCall('views.publish');
    const payload = {
      type: 'block_actions',
      team: { id: 'T1', domain: 'acme' },
      user: { id: 'UBOSS', username: 'boss', name: 'boss', team_id: 'T1' },
      api_app_id: 'A1',
      token: 'legacy',
      trigger_id: '7.8.9',
      container: { type: 'view', view_id: 'VH' },
      view: { id: 'VH', type: 'home', private_metadata: JSON.stringify({ channelId: 'D2' }), blocks: [] },
      actions: [
        {
          type: 'button',
          block_id: 'c1.actions0',
          action_id: 'roadmap.run#0',
          value: 'schedule pause@C1',
          text: { type: 'plain_text', text: 'Pause' },
          action_ts: '10',
        },
      ],
    };
    await postSigned(events(), {
      body: new URLSearchParams({ payload: JSON.stringify(payload) }).toString(),
      timestamp: now(),
    });
    const dm = await told;
    expect(dm.channel).toBe('D2');
    expect(String(dm.text)).toContain("paused this channel's drill");
    const drill = await h.study.getDrill({ platform: 'slack', workspaceId: 'T1', channelId: 'C1' });
    expect(drill?.status).toBe('paused');
    const after = JSON.stringify(JSON.parse(String((await republished).view)).blocks);
    expect(after).toContain('schedule resume@C1');
  });
});
