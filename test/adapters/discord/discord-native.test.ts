/**
 * Discord's native parts end to end through the real discord.js client against the fake Discord: the welcome
 * when the bot joins a server (once) or is first used in a channel, and setup forms as modals.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDiscordAdapter, type DiscordAdapter } from '../../../src/adapters/discord/discord-adapter.ts';
import { createBot } from '../../../src/bot/bot.ts';
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
import { recordingLog } from '../../helpers/recording-log.ts';

const ana: FakeMember = { id: '100000000000000001', name: 'Ana' };
const owner: FakeMember = { id: '100000000000000004', name: 'Olu', permissions: PERMISSIONS.manageGuild };
const NEW_GUILD = '555555555555555555';
const GENERAL = '555555555555555501';
const STUDY = '555555555555555502';

type Component = { type: number; custom_id?: string; label?: string; component?: Component } & Record<
  string,
  unknown
>;

describe.each(backends)('Discord onboarding and modals on $name', (backend) => {
  let h: Harness;
  let fake: FakeDiscord;
  let adapter: DiscordAdapter;
  const log = recordingLog();

  async function start() {
    const bot = createBot({ study: h.study.deps, log, clock: h.clock });
    adapter = createDiscordAdapter({
      config: {
        token: FAKE_TOKEN,
        applicationId: FAKE_APP_ID,
        guildId: undefined,
        managerRole: FAKE_MANAGER_ROLE_NAME,
        apiUrl: fake.apiUrl,
      },
      bot,
      log,
      metrics: noopMetrics,
      clock: h.clock,
    });
    await adapter.start();
  }

  beforeEach(async () => {
    h = await createHarness(backend, '2026-11-20T10:00:00Z');
    fake = await startFakeDiscord();
    log.lines.length = 0;
    await start();
  });
  afterEach(async () => {
    await adapter.stop();
    await fake.close();
    await h.close();
  });

  async function logged(msg: string, count = 1) {
    for (let i = 0; i < 500; i++) {
      if (log.lines.filter((l) => l.msg === msg).length >= count) return;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error(`never logged "${msg}" ${count} times`);
  }

  /** The interaction's first response (a modal is type 9, a reply type 4). */
  async function response(id: string) {
    await fake.waitForRequest((r) => r.method === 'POST' && r.path.startsWith(`/interactions/${id}/`));
    return fake.interaction(id)!.callbacks[0]!;
  }

  it('posts one welcome in the system channel of a server that adds the bot, never again', async () => {
    const guild = {
      id: NEW_GUILD,
      systemChannelId: STUDY,
      channels: [
        { id: GENERAL, name: 'general', position: 0 },
        { id: STUDY, name: 'welcome', position: 1 },
      ],
    };
    fake.joinGuild(guild);
    await logged('discord welcome posted');
    const [welcome] = fake.channelMessages(STUDY);
    expect(welcome!.content).toContain('roadmap-bot is here');
    const buttons = (welcome!.components as { components: { label: string }[] }[]).flatMap(
      (r) => r.components,
    );
    expect(buttons.map((b) => b.label)).toEqual([
      'Set up a daily drill',
      'Start a cohort',
      "Try today's question",
    ]);
    expect(fake.channelMessages(GENERAL)).toEqual([]);

    // Removed and added again (after a restart too): the server is not welcomed twice.
    await adapter.stop();
    await start();
    fake.joinGuild({ ...guild, id: NEW_GUILD });
    await logged('discord server already welcomed');
    expect(fake.channelMessages(STUDY)).toHaveLength(1);
  });

  it('the first command in a channel without a drill brings the welcome, once', async () => {
    const first = fake.slashCommand(ana, ['topics']);
    await fake.waitForRequest(
      (r) => r.method === 'POST' && r.path === `/webhooks/${FAKE_APP_ID}/${first.token}`,
    );
    const followUps = fake.interaction(first.id)!.followUps;
    expect(followUps.map((m) => m.content.slice(0, 40))).toEqual([
      expect.stringContaining('roadmap-bot is here'),
    ]);
    expect(followUps[0]!.flags ?? 0).toBe(0); // public

    const second = fake.slashCommand(ana, ['topics']);
    await fake.waitForReply(second.id);
    expect(fake.interaction(second.id)!.followUps).toEqual([]);
  });

  it('`schedule set` with no options opens a modal; a bad time is re-prompted; good values set the drill', async () => {
    const opened = fake.slashCommand(owner, ['schedule', 'set']);
    const modal = await response(opened.id);
    expect(modal.type).toBe(9);
    expect(modal.data!.custom_id).toBe('roadmap.form:schedule set');
    const fields = modal.data!.components as Component[];
    expect(fields.map((f) => [f.type, f.component!.type, f.component!.custom_id])).toEqual([
      [18, 4, 'time'],
      [18, 22, 'days'],
      [18, 3, 'tz'],
      [18, 4, 'reveal'],
    ]);

    const submit = (time: string) =>
      fake.submitModal(owner, 'roadmap.form:schedule set', [
        { type: 4, custom_id: 'time', value: time },
        { type: 22, custom_id: 'days', values: ['mon', 'wed', 'fri'] },
        { type: 3, custom_id: 'tz', values: ['Europe/Berlin'] },
        { type: 4, custom_id: 'reveal', value: '' },
      ]);
    const bad = await response(submit('25:61').id);
    expect(bad.type).toBe(4);
    expect(bad.data!.flags).toBe(64); // ephemeral
    expect(String(bad.data!.content)).toContain('25:61');
    const retry = (bad.data!.components as { components: { custom_id: string; label: string }[] }[])[0]!
      .components[0]!;
    expect(retry.label).toBe('Open the form again');
    expect(
      await h.study.getDrill({ platform: 'discord', workspaceId: FAKE_GUILD_ID, channelId: FAKE_CHANNEL_ID }),
    ).toBeUndefined();

    // The re-prompt's button opens the form again.
    const message = {
      id: '900000000000000000',
      channel_id: FAKE_CHANNEL_ID,
      content: String(bad.data!.content),
      embeds: [],
      components: bad.data!.components as unknown[],
      attachments: [],
      edits: 0,
    };
    const reopened = fake.clickButton(owner, message, retry.custom_id);
    expect((await response(reopened.id)).type).toBe(9);

    const good = await response(submit('08:30').id);
    expect(good.type).toBe(4);
    expect(good.data!.flags ?? 0).toBe(0); // public, like the typed command
    expect(String(good.data!.content)).toContain(
      "scheduled this channel's drill: 08:30 Mon, Wed, Fri (Europe/Berlin)",
    );
    const drill = await h.study.getDrill({
      platform: 'discord',
      workspaceId: FAKE_GUILD_ID,
      channelId: FAKE_CHANNEL_ID,
    });
    expect(drill?.schedule).toEqual({ timeOfDay: '08:30', days: 0b0010101, timezone: 'Europe/Berlin' });
  });

  it('a member is refused the setup form (the permission is checked on every call); a manager gets it', async () => {
    const refused = fake.slashCommand(ana, ['cohort', 'create']);
    expect((await response(refused.id)).type).toBe(5); // no modal for a member
    expect((await fake.waitForReply(refused.id)).content).toContain('Only managers can use `cohort create`');
    const modal = await response(fake.slashCommand(owner, ['cohort', 'create']).id);
    expect(modal.type).toBe(9);
    expect((modal.data!.components as Component[]).map((c) => c.component!.custom_id)).toEqual([
      'name',
      'start+time',
      'weeks',
      'days',
      'tz',
    ]);
  });

  it('`cohort create` fits the time into its five modal fields: date and time share a box, each checked', async () => {
    const modal = await response(fake.slashCommand(owner, ['cohort', 'create']).id);
    const shared = (modal.data!.components as Component[])[1]!;
    expect(shared.label).toBe('First study day and time');
    expect(shared.component).toMatchObject({ type: 4, value: '2026-11-20 09:00' });

    const submit = (when: string) =>
      fake.submitModal(owner, 'roadmap.form:cohort create', [
        { type: 4, custom_id: 'name', value: 'Backend Q1' },
        { type: 4, custom_id: 'start+time', value: when },
        { type: 4, custom_id: 'weeks', value: '2' },
        { type: 22, custom_id: 'days', values: ['mon', 'tue', 'wed', 'thu', 'fri'] },
        { type: 3, custom_id: 'tz', values: ['Europe/Berlin'] },
      ]);
    const channel = { platform: 'discord' as const, workspaceId: FAKE_GUILD_ID, channelId: FAKE_CHANNEL_ID };
    for (const [bad, named] of [
      ['2026-12-01 25:99', '25:99'],
      ['next monday 09:30', 'next'],
    ] as const) {
      const reprompt = await response(submit(bad).id);
      expect(reprompt.type).toBe(4);
      expect(reprompt.data!.flags).toBe(64);
      expect(String(reprompt.data!.content)).toContain(named);
      expect(String(reprompt.data!.content)).toContain('Nothing was saved');
      expect(await h.study.getDrill(channel)).toBeUndefined();
    }

    const good = await response(submit('2026-12-01 10:15').id);
    expect(String(good.data!.content)).toContain('Backend Q1');
    expect((await h.study.getDrill(channel))?.schedule).toMatchObject({
      timeOfDay: '10:15',
      timezone: 'Europe/Berlin',
    });
  });

  it('`team join` with no options offers the channel’s teams in a select menu', async () => {
    const created = fake.slashCommand(owner, ['team', 'create'], [{ name: 'name', type: 3, value: 'Blue' }]);
    expect((await fake.waitForReply(created.id)).content).toContain('Team **Blue** is on');
    const modal = await response(fake.slashCommand(ana, ['team', 'join']).id);
    expect(modal.type).toBe(9);
    const [field] = modal.data!.components as Component[];
    expect(field!.component).toMatchObject({
      type: 3,
      custom_id: 'team',
      options: [{ value: 'Blue', label: 'Blue (0)' }],
    });
    const joined = await response(
      fake.submitModal(ana, 'roadmap.form:team join', [{ type: 3, custom_id: 'team', values: ['Blue'] }]).id,
    );
    expect(String(joined.data!.content)).toBe('You joined **Blue**. Go team!');
  });

  it('autocompletes team and cohort names from this channel’s data', async () => {
    for (const name of ['Blue', 'Red'])
      await fake.waitForReply(
        fake.slashCommand(owner, ['team', 'create'], [{ name: 'name', type: 3, value: name }]).id,
      );
    const typed = fake.autocomplete(ana, ['team', 'join'], { name: 'team', value: 'bl' });
    const answer = await response(typed.id);
    expect(answer.type).toBe(8);
    expect(answer.data!.choices).toEqual([{ name: 'Blue', value: 'Blue' }]);

    const cohort = fake.slashCommand(
      owner,
      ['cohort', 'create'],
      [
        { name: 'name', type: 3, value: 'Backend Q1' },
        { name: 'start', type: 3, value: '2026-12-01' },
      ],
    );
    expect((await fake.waitForReply(cohort.id)).content).toContain('Backend Q1');
    const names = await response(fake.autocomplete(ana, ['cohort', 'show'], { name: 'name', value: '' }).id);
    expect(names.data!.choices).toEqual([{ name: 'Backend Q1', value: 'Backend Q1' }]);
  });

  it('autocompletes the track of `schedule set` and `cohort create` from the tracks the workspace may study', async () => {
    for (const path of [
      ['schedule', 'set'],
      ['cohort', 'create'],
    ]) {
      const answer = await response(fake.autocomplete(owner, path, { name: 'track', value: 'back' }).id);
      expect(answer.type).toBe(8);
      expect(answer.data!.choices).toEqual([{ name: 'backend', value: 'backend' }]);
    }
  });
});
