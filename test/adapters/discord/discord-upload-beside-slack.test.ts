/**
 * Both adapters in one process, as the service runs them: loading Bolt (through @slack/socket-mode) installs
 * undici 8's agent as the process-wide dispatcher, which @discordjs/rest's undici 6 then picks up for its
 * requests. A file upload (multipart) through that foreign agent never reaches Discord, so discord.js REST gets
 * its own agent. This test posts an image to the fake Discord with Bolt loaded and fails without that agent.
 */
import { App } from '@slack/bolt';
import { afterEach, describe, expect, it } from 'vitest';
import { createDiscordAdapter, type DiscordAdapter } from '../../../src/adapters/discord/discord-adapter.ts';
import { createManualClock } from '../../../src/core/clock.ts';
import { silentLog } from '../../../src/core/log.ts';
import { noopMetrics } from '../../../src/core/metrics.ts';
import {
  FAKE_APP_ID,
  FAKE_CHANNEL_ID,
  FAKE_GUILD_ID,
  FAKE_TOKEN,
  type FakeDiscord,
  startFakeDiscord,
} from '../../fake-discord/fake-discord.ts';

describe('a Discord file upload in the process that also runs Slack', () => {
  let fake: FakeDiscord;
  let adapter: DiscordAdapter;
  afterEach(async () => {
    await fake?.close();
  });

  it('lands with its description', async () => {
    // What the service does first: the Slack app (Bolt loads @slack/socket-mode, which loads undici 8).
    new App({ token: 'xoxb-test', signingSecret: 'secret', tokenVerificationEnabled: false });
    expect((globalThis as Record<symbol, unknown>)[Symbol.for('undici.globalDispatcher.1')]).toBeDefined();
    fake = await startFakeDiscord();
    adapter = createDiscordAdapter({
      config: {
        token: FAKE_TOKEN,
        applicationId: FAKE_APP_ID,
        guildId: undefined,
        managerRole: undefined,
        apiUrl: fake.apiUrl,
      },
      bot: {
        handleCommand: async () => ({ text: '' }),
        handleAction: async () => ({ reply: { text: '' } }),
      } as never,
      log: silentLog,
      metrics: noopMetrics,
      clock: createManualClock('2026-11-20T10:00:00Z'),
    });
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
    await adapter.publisher.post(
      { platform: 'discord', workspaceId: FAKE_GUILD_ID, channelId: FAKE_CHANNEL_ID },
      {
        text: 'Participation',
        attachment: {
          filename: 'participation.png',
          content: png,
          contentType: 'image/png',
          description: 'Mon 1 Dec 3 of 4 (75%)',
        },
      },
    );
    const [posted] = fake.channelMessages(FAKE_CHANNEL_ID);
    expect(posted?.attachments.map((a) => a.filename)).toEqual(['participation.png']);
    const request = fake.requestsTo('POST', /^\/channels\/\d+\/messages$/)[0]!;
    expect((request.body as { attachments: unknown[] }).attachments).toEqual([
      { id: 0, filename: 'participation.png', description: 'Mon 1 Dec 3 of 4 (75%)' },
    ]);
    await adapter.stop();
  }, 20_000);

  it('a results reply from a bot without Read Message History goes out as a plain post', async () => {
    fake = await startFakeDiscord();
    adapter = createDiscordAdapter({
      config: {
        token: FAKE_TOKEN,
        applicationId: FAKE_APP_ID,
        guildId: undefined,
        managerRole: undefined,
        apiUrl: fake.apiUrl,
      },
      bot: {} as never,
      log: silentLog,
      metrics: noopMetrics,
      clock: createManualClock('2026-11-20T10:00:00Z'),
    });
    fake.fail('POST', /^\/channels\/\d+\/messages$/, 403, { code: 50013, message: 'Missing Permissions' });
    const channel = { platform: 'discord' as const, workspaceId: FAKE_GUILD_ID, channelId: FAKE_CHANNEL_ID };
    await adapter.publisher.post(
      channel,
      { text: 'Day 1 results' },
      { replyTo: '999', idempotencyKey: 'results-1' },
    );
    const posts = fake.requestsTo('POST', /^\/channels\/\d+\/messages$/);
    expect(posts.map((p) => 'message_reference' in (p.body as object))).toEqual([true, false]);
    expect(fake.channelMessages().map((m) => m.content)).toEqual(['Day 1 results']);
    await adapter.stop();
  });
});
