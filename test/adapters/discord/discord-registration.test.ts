import { PermissionsBitField } from 'discord.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  botPermissions,
  inviteUrl,
  registerCommands,
} from '../../../src/adapters/discord/discord-registration.ts';
import { commandEntries } from '../../../src/bot/catalog.ts';
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
    const done = await registerCommands({ ...config(), guildId: FAKE_GUILD_ID }, commandEntries());
    expect(done.scope).toBe('guild');
    const [put] = fake.requestsTo('PUT', /\/commands$/);
    expect(put?.path).toBe(`/applications/${FAKE_APP_ID}/guilds/${FAKE_GUILD_ID}/commands`);
    expect(put?.authorized).toBe(true);
    // Two commands: members' open to everyone; managers' shown by default to Manage Server (0x20) only,
    // because Discord sets permissions per top-level command, never per subcommand.
    const body = put?.body as {
      name: string;
      default_member_permissions: string | null;
      contexts: number[];
      options: { name: string }[];
    }[];
    expect(body.map((c) => [c.name, c.default_member_permissions, c.contexts])).toEqual([
      ['roadmap', null, [0]],
      ['roadmap-manage', '32', [0]],
    ]);
    expect(body[0]!.options.map((o) => o.name)).not.toContain('drill');
    expect(body[1]!.options.map((o) => o.name)).toEqual(
      expect.arrayContaining(['schedule', 'cohort', 'drill']),
    );
    expect(done.commands.map((c) => c.name)).toEqual(['roadmap', 'roadmap-manage']);
    expect(done.commands[0]!.options).toContain('today');
  });

  it('registers globally without a server, and running twice replaces rather than adds', async () => {
    await registerCommands({ ...config(), guildId: undefined }, commandEntries());
    await registerCommands({ ...config(), guildId: undefined }, commandEntries());
    expect(fake.requestsTo('PUT', new RegExp(`^/applications/${FAKE_APP_ID}/commands$`))).toHaveLength(2);
    expect(fake.commands.get('global')).toHaveLength(2);
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
