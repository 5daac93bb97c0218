/**
 * Discord's Webhook Events in HTTP mode end to end: the real HTTP server on loopback with the events URL
 * mounted beside the Interactions Endpoint, events signed with a generated Ed25519 key pair like Discord's,
 * and a server that installs the bot welcomed over REST against the fake Discord, as GUILD_CREATE welcomes it
 * in gateway mode.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PlatformAdapter } from '../../../src/adapters/adapter.ts';
import { EVENTS_PATH } from '../../../src/adapters/discord/discord-http.ts';
import type { HttpServer } from '../../../src/server/http-server.ts';
import {
  applicationKeys,
  FAKE_APP_ID,
  type FakeDiscord,
  signedHeaders,
  startFakeDiscord,
} from '../../fake-discord/fake-discord.ts';
import { backends } from '../../helpers/databases.ts';
import { createHarness, type Harness } from '../../helpers/harness.ts';
import { recordingLog } from '../../helpers/recording-log.ts';
import { serveDiscordHttp } from './http-fixtures.ts';

const NEW_GUILD = '777777777777777777';
const VOICE = '777777777777777701';
const RULES = '777777777777777702';
const GENERAL = '777777777777777703';
const RANDOM = '777777777777777704';
/** Send Messages (discord-api-types PermissionFlagsBits), denied to @everyone in #rules. */
const SEND_MESSAGES = String(1n << 11n);

/** A server with a voice channel first and a read-only #rules: #general is the first the bot may post in. */
const SERVER = {
  id: NEW_GUILD,
  systemChannelId: null,
  channels: [
    { id: VOICE, name: 'Lounge', position: 0, type: 2 },
    {
      id: RULES,
      name: 'rules',
      position: 1,
      overwrites: [{ id: NEW_GUILD, type: 0 as const, allow: '0', deny: SEND_MESSAGES }],
    },
    { id: GENERAL, name: 'general', position: 2 },
    { id: RANDOM, name: 'random', position: 3 },
  ],
};

const installer = {
  id: '100000000000000001',
  username: 'ana',
  discriminator: '0',
  global_name: 'Ana',
  avatar: null,
};

/** An APPLICATION_AUTHORIZED webhook event (events/webhook-events.mdx, "Application Authorized"). */
function authorized(data: Record<string, unknown>): string {
  return JSON.stringify({
    version: 1,
    application_id: FAKE_APP_ID,
    type: 1,
    event: { type: 'APPLICATION_AUTHORIZED', timestamp: '2026-11-20T10:00:00.000000', data },
  });
}

describe.each(backends)('Discord webhook events on $name (HTTP mode, REST only)', (backend) => {
  let h: Harness;
  let fake: FakeDiscord;
  let keys: ReturnType<typeof applicationKeys>;
  let served: { adapter: PlatformAdapter; server: HttpServer } | undefined;
  let url: string;
  const log = recordingLog();

  beforeEach(async () => {
    h = await createHarness(backend, '2026-11-20T10:00:00Z');
    fake = await startFakeDiscord();
    keys = applicationKeys();
    log.lines.length = 0;
    const { adapter, server, port } = await serveDiscordHttp({ h, fake, keys, log });
    served = { adapter, server };
    url = `http://127.0.0.1:${port}${EVENTS_PATH}`;
    // The bot's own member (its user id is the application's), holding no role beyond @everyone.
    fake.guildMembers.set(FAKE_APP_ID, { id: FAKE_APP_ID, name: 'roadmap-bot' });
  });

  /** Stops the adapter, which waits for the work it took after acknowledging (the welcome). */
  async function settled() {
    if (!served) return;
    const { adapter, server } = served;
    served = undefined;
    await adapter.stop();
    await server.close(1000);
  }

  afterEach(async () => {
    await settled();
    await fake.close();
    await h.close();
  });

  const nowSeconds = () => Math.floor(h.clock.now().getTime() / 1000);
  const post = (body: string, timestamp = nowSeconds(), privateKey = keys.privateKey) =>
    fetch(url, { method: 'POST', headers: signedHeaders(body, privateKey, timestamp), body });
  const ping = JSON.stringify({ version: 1, application_id: FAKE_APP_ID, type: 0 });
  /** SERVER installing the bot (the fake then serves its channels), as Discord's event says it. */
  const serverInstall = () =>
    authorized({ integration_type: 0, scopes: ['bot'], user: installer, guild: fake.installGuild(SERVER) });
  const welcomes = () =>
    h.db.handle.db
      .selectFrom('channel_welcomes')
      .select(['platform', 'workspace_id', 'channel_id'])
      .where('workspace_id', '=', NEW_GUILD)
      .execute();

  it('answers a signed PING with 204 and no body', async () => {
    const res = await post(ping);
    expect(res.status).toBe(204);
    expect(await res.text()).toBe('');
  });

  it('refuses a forged signature and a stale timestamp with 401, as the Interactions Endpoint does', async () => {
    const forged = await post(ping, nowSeconds(), applicationKeys().privateKey);
    expect(forged.status).toBe(401);
    const stale = await post(ping, nowSeconds() - 6 * 60);
    expect(stale.status).toBe(401);
    const event = serverInstall();
    expect((await post(event, nowSeconds() - 6 * 60)).status).toBe(401);
    expect(log.lines.filter((l) => l.msg === 'discord request refused').map((l) => l.obj.reason)).toEqual([
      'signature mismatch',
      'timestamp too old',
      'timestamp too old',
    ]);
    await settled();
    expect(fake.requestsTo('GET', /^\/guilds\//)).toEqual([]);
    expect(fake.messages).toEqual([]);
  });

  it('welcomes a server that installs the bot once, in the first channel it may post in', async () => {
    const event = authorized({
      integration_type: 0,
      scopes: ['bot', 'applications.commands'],
      user: installer,
      guild: fake.installGuild(SERVER),
    });
    const res = await post(event);
    expect(res.status).toBe(204);
    expect(await res.text()).toBe('');
    await settled();
    expect(fake.requestsTo('GET', new RegExp(`^/guilds/${NEW_GUILD}/channels$`))).toHaveLength(1);
    const posted = fake.requestsTo('POST', /^\/channels\/\d+\/messages$/);
    expect(posted.map((r) => r.path)).toEqual([`/channels/${GENERAL}/messages`]);
    expect(posted[0]!.authorized).toBe(true);
    expect(fake.channelMessages(GENERAL)[0]!.content).toContain('roadmap-bot is here');
    expect(await welcomes()).toEqual([{ platform: 'discord', workspace_id: NEW_GUILD, channel_id: GENERAL }]);
  });

  it('the same event delivered twice still welcomes the server once', async () => {
    const event = serverInstall();
    expect((await post(event)).status).toBe(204);
    expect((await post(event)).status).toBe(204);
    await settled();
    expect(fake.requestsTo('POST', /^\/channels\/\d+\/messages$/)).toHaveLength(1);
    expect(fake.channelMessages(GENERAL)).toHaveLength(1);
    expect(log.lines.filter((l) => l.msg === 'discord server already welcomed')).toHaveLength(1);
    expect(await welcomes()).toEqual([{ platform: 'discord', workspace_id: NEW_GUILD, channel_id: GENERAL }]);
  });

  it('a failed post gives the claim back and tries the next channel', async () => {
    fake.fail('POST', new RegExp(`^/channels/${GENERAL}/messages$`), 403, {
      code: 50013,
      message: 'Missing Permissions',
    });
    const event = serverInstall();
    expect((await post(event)).status).toBe(204);
    await settled();
    expect(fake.channelMessages(GENERAL)).toEqual([]);
    expect(fake.channelMessages(RANDOM)).toHaveLength(1);
    expect(await welcomes()).toEqual([{ platform: 'discord', workspace_id: NEW_GUILD, channel_id: RANDOM }]);
  });

  it('a user install, or another event, is acknowledged and posts nothing', async () => {
    fake.installGuild(SERVER);
    const user = authorized({ integration_type: 1, scopes: ['applications.commands'], user: installer });
    expect((await post(user)).status).toBe(204);
    const other = JSON.stringify({
      version: 1,
      application_id: FAKE_APP_ID,
      type: 1,
      event: {
        type: 'APPLICATION_DEAUTHORIZED',
        timestamp: '2026-11-20T10:00:00.000000',
        data: { user: installer },
      },
    });
    expect((await post(other)).status).toBe(204);
    // An event body with no event in it (an interaction sent to this URL) is acknowledged and ignored.
    const eventless = JSON.stringify({ version: 1, application_id: FAKE_APP_ID, type: 1 });
    expect((await post(eventless)).status).toBe(204);
    await settled();
    expect(fake.requests).toEqual([]);
    expect(await welcomes()).toEqual([]);
    expect(log.lines.filter((l) => l.level === 'error').map((l) => l.msg)).toEqual([]);
  });

  it('a server whose channels cannot be read is logged, and the event is still acknowledged', async () => {
    fake.fail('GET', new RegExp(`^/guilds/${NEW_GUILD}/channels$`), 403, {
      code: 50001,
      message: 'Missing Access',
    });
    const event = serverInstall();
    expect((await post(event)).status).toBe(204);
    await settled();
    expect(log.lines.filter((l) => l.msg === 'discord install welcome failed')).toHaveLength(1);
    expect(fake.messages).toEqual([]);
    expect(await welcomes()).toEqual([]);
  });
});
