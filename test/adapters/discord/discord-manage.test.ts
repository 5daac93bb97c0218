/**
 * The manager subcommands under /roadmap-manage, end to end through the real discord.js client against the
 * fake Discord: registered with Manage Server as the default, still checked on every call, named as
 * /roadmap-manage wherever a message names one, and completed and opened as forms like /roadmap's.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDiscordAdapter, type DiscordAdapter } from '../../../src/adapters/discord/discord-adapter.ts';
import { registerCommands } from '../../../src/adapters/discord/discord-registration.ts';
import { platformAdminDescriptions } from '../../../src/adapters/platform-admins.ts';
import { createBot } from '../../../src/bot/bot.ts';
import { commandEntries } from '../../../src/bot/catalog.ts';
import { silentLog } from '../../../src/core/log.ts';
import { noopMetrics } from '../../../src/core/metrics.ts';
import {
  FAKE_APP_ID,
  FAKE_CHANNEL_ID,
  FAKE_GUILD_ID,
  FAKE_MANAGER_ROLE_NAME,
  FAKE_TOKEN,
  type FakeDiscord,
  type FakeMember,
  PERMISSIONS,
  startFakeDiscord,
} from '../../fake-discord/fake-discord.ts';
import { backends } from '../../helpers/databases.ts';
import { createHarness, type Harness } from '../../helpers/harness.ts';

const ana: FakeMember = { id: '100000000000000001', name: 'Ana' };
const owner: FakeMember = { id: '100000000000000004', name: 'Olu', permissions: PERMISSIONS.manageGuild };
const channel = { platform: 'discord' as const, workspaceId: FAKE_GUILD_ID, channelId: FAKE_CHANNEL_ID };

type Embed = { title?: string; description?: string; footer?: { text: string } };
const seen = (m: { content: string; embeds: unknown[] }) =>
  [m.content, ...(m.embeds as Embed[]).flatMap((e) => [e.title, e.description, e.footer?.text])].join('\n');

describe.each(backends)('Discord /roadmap-manage on $name', (backend) => {
  let h: Harness;
  let fake: FakeDiscord;
  let adapter: DiscordAdapter;

  beforeEach(async () => {
    h = await createHarness(backend, '2026-11-20T10:00:00Z');
    fake = await startFakeDiscord();
    const bot = createBot({
      study: h.study.deps,
      log: silentLog,
      clock: h.clock,
      platformAdmins: platformAdminDescriptions(FAKE_MANAGER_ROLE_NAME),
    });
    const config = {
      token: FAKE_TOKEN,
      applicationId: FAKE_APP_ID,
      guildId: FAKE_GUILD_ID,
      managerRole: FAKE_MANAGER_ROLE_NAME,
      apiUrl: fake.apiUrl,
    };
    await registerCommands(config, commandEntries());
    adapter = createDiscordAdapter({ config, bot, log: silentLog, metrics: noopMetrics, clock: h.clock });
    await adapter.start();
  });
  afterEach(async () => {
    await adapter.stop();
    await fake.close();
    await h.close();
  });

  async function response(id: string) {
    await fake.waitForRequest((r) => r.method === 'POST' && r.path.startsWith(`/interactions/${id}/`));
    return fake.interaction(id)!.callbacks[0]!;
  }

  it('registers the manager subcommands apart, shown by default to Manage Server only', () => {
    const registered = fake.commands.get(FAKE_GUILD_ID) as {
      name: string;
      default_member_permissions: string | null;
    }[];
    expect(registered.map((c) => [c.name, c.default_member_permissions])).toEqual([
      ['roadmap', null],
      ['roadmap-manage', '32'],
    ]);
  });

  it('still refuses a member who reaches /roadmap-manage (a server may show it to anyone), with the usual reason', async () => {
    const refused = fake.manageCommand(ana, ['schedule', 'pause']);
    const reply = await fake.waitForReply(refused.id);
    expect(reply.content).toBe(
      'Only managers can use `schedule pause`: members with the Manage Server permission or the "Study Lead" role, and members granted with /roadmap-manage managers add. Ask one of them.',
    );
    expect(await h.study.getDrill(channel)).toBeUndefined();
  });

  it('runs a manager command for a manager, and names manager commands as /roadmap-manage in its replies', async () => {
    const set = fake.manageCommand(owner, ['schedule', 'set'], [{ name: 'time', type: 3, value: '09:30' }]);
    expect((await fake.waitForReply(set.id)).content).toContain("scheduled this channel's drill: 09:30");
    expect((await h.study.getDrill(channel))?.schedule.timeOfDay).toBe('09:30');

    const paused = fake.manageCommand(owner, ['schedule', 'pause']);
    const pausedReply = await fake.waitForReply(paused.id);
    expect(pausedReply.content).toContain('Resume with /roadmap-manage schedule resume.');
    expect(pausedReply.content).not.toContain('/roadmap schedule');
  });

  it('help names /roadmap for Study lines and /roadmap-manage for Manage lines', async () => {
    const help = seen(await fake.waitForReply(fake.slashCommand(owner, ['help']).id));
    expect(help).toContain('`/roadmap today`');
    expect(help).toContain('`/roadmap cohort join`');
    expect(help).toContain('`/roadmap-manage schedule set`');
    expect(help).toContain('`/roadmap-manage cohort create`');
    expect(help).not.toContain('`/roadmap schedule set`');

    const one = seen(
      await fake.waitForReply(
        fake.slashCommand(owner, ['help'], [{ name: 'command', type: 3, value: 'schedule set' }]).id,
      ),
    );
    expect(one).toContain('/roadmap-manage schedule set <time:HH:MM>');
    expect(one).toContain('`/roadmap-manage schedule set 09:30`');

    // A member's mistake names the command they may not see as it is registered.
    const usage = await fake.waitForReply(
      fake.manageCommand(owner, ['schedule', 'set'], [{ name: 'time', type: 3, value: '25:61' }]).id,
    );
    expect(usage.content).toContain('Usage: /roadmap-manage schedule set <time:HH:MM>');
  });

  it('completes options and opens forms from /roadmap-manage as from /roadmap', async () => {
    const typed = fake.autocomplete(
      owner,
      ['schedule', 'set'],
      { name: 'tz', value: 'berl' },
      [],
      'roadmap-manage',
    );
    const answer = await response(typed.id);
    expect(answer.type).toBe(8);
    expect(answer.data!.choices).toEqual([{ name: 'Europe/Berlin', value: 'Europe/Berlin' }]);

    const modal = await response(fake.manageCommand(owner, ['cohort', 'create']).id);
    expect(modal.type).toBe(9);
    expect(modal.data!.custom_id).toBe('roadmap.form:cohort create');
    const member = await response(fake.manageCommand(ana, ['cohort', 'create']).id);
    expect(member.type).toBe(5); // no form for a member: refused after the defer
  });
});
