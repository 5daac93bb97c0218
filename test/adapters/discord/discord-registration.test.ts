import { PermissionsBitField } from 'discord.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  botPermissions,
  inviteUrl,
  registerCommands,
} from '../../../src/adapters/discord/discord-registration.ts';
import { COMMAND_NAME, commandEntries } from '../../../src/bot/catalog.ts';
import {
  FAKE_APP_ID,
  FAKE_GUILD_ID,
  FAKE_TOKEN,
  type FakeDiscord,
  startFakeDiscord,
} from '../../fake-discord/fake-discord.ts';

describe('Discord command registration', () => {
  let fake: FakeDiscord;
  beforeEach(async () => {
    fake = await startFakeDiscord();
  });
  afterEach(async () => {
    await fake.close();
  });

  const config = () => ({ token: FAKE_TOKEN, applicationId: FAKE_APP_ID, apiUrl: fake.apiUrl });

  it('bulk-overwrites the guild commands when a server is given, with the bot token', async () => {
    const done = await registerCommands(
      { ...config(), guildId: FAKE_GUILD_ID },
      COMMAND_NAME,
      commandEntries(),
    );
    expect(done.scope).toBe('guild');
    const [put] = fake.requestsTo('PUT', /\/commands$/);
    expect(put?.path).toBe(`/applications/${FAKE_APP_ID}/guilds/${FAKE_GUILD_ID}/commands`);
    expect(put?.authorized).toBe(true);
    expect((put?.body as { name: string }[] | undefined)?.map((c) => c.name)).toEqual(['roadmap']);
    expect(done.names).toContain('today');
  });

  it('registers globally without a server, and running twice replaces rather than adds', async () => {
    await registerCommands({ ...config(), guildId: undefined }, COMMAND_NAME, commandEntries());
    await registerCommands({ ...config(), guildId: undefined }, COMMAND_NAME, commandEntries());
    expect(fake.requestsTo('PUT', new RegExp(`^/applications/${FAKE_APP_ID}/commands$`))).toHaveLength(2);
    expect(fake.commands.get('global')).toHaveLength(1);
  });

  it('invites with View Channel, Send Messages, Embed Links and Attach Files only', () => {
    expect(new PermissionsBitField(botPermissions()).toArray().sort()).toEqual(
      ['AttachFiles', 'EmbedLinks', 'ReadMessageHistory', 'SendMessages', 'ViewChannel'].sort(),
    );
    const url = new URL(inviteUrl(FAKE_APP_ID));
    expect(url.origin + url.pathname).toBe('https://discord.com/oauth2/authorize');
    expect(url.searchParams.get('client_id')).toBe(FAKE_APP_ID);
    expect(url.searchParams.get('scope')).toBe('bot applications.commands');
    expect(url.searchParams.get('permissions')).toBe('117760');
  });
});
