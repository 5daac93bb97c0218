import { randomBytes } from 'node:crypto';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSlackAdapter, type SlackAdapter } from '../../../src/adapters/slack/slack-adapter.ts';
import { createTokenCipher } from '../../../src/adapters/slack/token-cipher.ts';
import { createBot } from '../../../src/bot/bot.ts';
import type { SlackConfig } from '../../../src/config/config.ts';
import { silentLog } from '../../../src/core/log.ts';
import { noopMetrics } from '../../../src/core/metrics.ts';
import { PublishError } from '../../../src/core/outbound.ts';
import { backends } from '../../helpers/databases.ts';
import { createHarness, type Harness } from '../../helpers/harness.ts';
import { postSigned, SIGNING_SECRET, serveMount } from './slack-fixtures.ts';

const BOT_TOKEN = 'xoxb-installed-team-token';

describe('token cipher', () => {
  const cipher = createTokenCipher(randomBytes(32));
  it('round-trips, uses a fresh IV each time, and refuses another row or a changed byte', () => {
    const a = cipher.encrypt('xoxb-secret', 'team:T1');
    expect(a).not.toContain('xoxb');
    expect(cipher.encrypt('xoxb-secret', 'team:T1')).not.toBe(a);
    expect(cipher.decrypt(a, 'team:T1')).toBe('xoxb-secret');
    expect(() => cipher.decrypt(a, 'team:T2')).toThrow();
    const raw = Buffer.from(a.slice(3), 'base64');
    raw[raw.length - 1]! ^= 1;
    expect(() => cipher.decrypt(`v1:${raw.toString('base64')}`, 'team:T1')).toThrow();
    expect(() => createTokenCipher(randomBytes(31))).toThrow();
  });
});

beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect((host) => host.startsWith('127.0.0.1'));
});
afterAll(() => nock.enableNetConnect());

describe.each(backends)('Slack OAuth installs on $name', (backend) => {
  let h: Harness;
  let adapter: SlackAdapter;
  let server: Awaited<ReturnType<typeof serveMount>>;
  const config: SlackConfig = {
    mode: 'http',
    signingSecret: SIGNING_SECRET,
    appToken: undefined,
    auth: {
      kind: 'oauth',
      clientId: '1111.2222',
      clientSecret: 'client-secret',
      stateSecret: 'state-secret-0123456789',
      encryptionKey: randomBytes(32),
    },
    apiUrl: undefined,
    replyInAckMs: 250,
  };

  beforeEach(async () => {
    h = await createHarness(backend, new Date().toISOString());
    adapter = createSlackAdapter({
      config,
      bot: createBot({ study: h.study.deps, log: silentLog, clock: h.clock }),
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

  const rows = () =>
    h.db.handle.db
      .withTables<{ slack_installations: { install_key: string; installation: string } }>()
      .selectFrom('slack_installations')
      .selectAll()
      .execute();

  it('installs through /slack/install and /slack/oauth_redirect, stores the token encrypted, and forgets it on app_uninstalled', async () => {
    const install = await fetch(`${server.url}/slack/install`, { redirect: 'manual' });
    expect(install.status).toBe(302);
    const location = new URL(install.headers.get('location')!);
    expect(location.origin + location.pathname).toBe('https://slack.com/oauth/v2/authorize');
    expect(location.searchParams.get('client_id')).toBe('1111.2222');
    expect(location.searchParams.get('scope')).toBe(
      'commands,chat:write,im:write,files:write,files:read,users:read,channels:read,groups:read,channels:history,groups:history',
    );
    const state = location.searchParams.get('state')!;
    const cookie = install.headers.get('set-cookie')!.split(';')[0]!;

    nock('https://slack.com')
      .post('/api/oauth.v2.access', (b) => b.code === 'the-code' && b.client_id === '1111.2222')
      .reply(200, {
        ok: true,
        app_id: 'A1',
        authed_user: { id: 'UINSTALLER' },
        scope:
          'commands,chat:write,im:write,files:write,files:read,users:read,channels:read,groups:read,channels:history,groups:history',
        token_type: 'bot',
        access_token: BOT_TOKEN,
        bot_user_id: 'UBOT',
        team: { id: 'T9', name: 'Acme' },
        enterprise: null,
        is_enterprise_install: false,
      })
      .post('/api/auth.test')
      .reply(200, { ok: true, user_id: 'UBOT', bot_id: 'BBOT', team_id: 'T9' });
    const done = await fetch(
      `${server.url}/slack/oauth_redirect?code=the-code&state=${encodeURIComponent(state)}`,
      {
        headers: { cookie },
      },
    );
    expect(done.status).toBe(200);

    const stored = await rows();
    expect(stored.map((r) => r.install_key)).toEqual(['team:T9']);
    expect(stored[0]!.installation).not.toContain(BOT_TOKEN);
    expect(stored[0]!.installation).not.toContain('xoxb');

    // The publisher posts to that workspace with its own token.
    nock('https://slack.com')
      .post('/api/chat.postMessage')
      .matchHeader('authorization', `Bearer ${BOT_TOKEN}`)
      .reply(200, { ok: true, ts: '5.6' });
    const channel = { platform: 'slack' as const, workspaceId: 'T9', channelId: 'C9' };
    expect((await adapter.publisher.post(channel, { text: 'hi' })).messageId).toBe('5.6');

    // Slack tells us the app was uninstalled: the row goes, and posting there fails for good.
    const now = Math.floor(h.clock.now().getTime() / 1000);
    const uninstalled = await postSigned(`${server.url}/slack/events`, {
      contentType: 'application/json',
      timestamp: now,
      body: JSON.stringify({
        token: 'legacy',
        team_id: 'T9',
        api_app_id: 'A1',
        type: 'event_callback',
        event_id: 'Ev1',
        event_time: now,
        event: { type: 'app_uninstalled', event_ts: `${now}.000100` },
        authorizations: [
          { team_id: 'T9', enterprise_id: null, user_id: 'UBOT', is_bot: true, is_enterprise_install: false },
        ],
      }),
    });
    expect(uninstalled.status).toBe(200);
    for (let i = 0; i < 100 && (await rows()).length > 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(await rows()).toEqual([]);
    const err = await adapter.publisher.post(channel, { text: 'hi' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PublishError);
    expect(err).toMatchObject({ code: 'not_installed', permanent: true });
  });

  it('refuses an OAuth redirect without the state cookie', async () => {
    const res = await fetch(`${server.url}/slack/oauth_redirect?code=x&state=forged`);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(await rows()).toEqual([]);
  });
});
