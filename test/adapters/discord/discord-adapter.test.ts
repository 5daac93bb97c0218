import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDiscordAdapter, type DiscordAdapter } from '../../../src/adapters/discord/discord-adapter.ts';
import { type Bot, createBot } from '../../../src/bot/bot.ts';
import { BRAND } from '../../../src/core/brand.ts';
import { ALL_DAYS } from '../../../src/core/commands/options.ts';
import type { Log } from '../../../src/core/log.ts';
import { type Metrics, noopMetrics } from '../../../src/core/metrics.ts';
import type { ChannelRef } from '../../../src/core/types.ts';
import { createDispatcher } from '../../../src/deliveries/dispatcher.ts';
import {
  FAKE_APP_ID,
  FAKE_CHANNEL_ID,
  FAKE_GUILD_ID,
  FAKE_MANAGER_ROLE_ID,
  FAKE_MANAGER_ROLE_NAME,
  FAKE_TOKEN,
  type FakeDiscord,
  type FakeMember,
  type FakeMessage,
  PERMISSIONS,
  startFakeDiscord,
} from '../../fake-discord/fake-discord.ts';
import { backends } from '../../helpers/databases.ts';
import { createHarness, type Harness } from '../../helpers/harness.ts';
import { expectLivePlatformAdmin } from './platform-admin.ts';

const LETTERS = ['A', 'B', 'C', 'D'] as const;
/** An answer button's letter (its label is "A" or "A · the option"); other labels as they are. */
const letterOf = (label: string | undefined) => label?.split(' · ')[0];
const CHANNEL: ChannelRef = { platform: 'discord', workspaceId: FAKE_GUILD_ID, channelId: FAKE_CHANNEL_ID };
const ana: FakeMember = { id: '100000000000000001', name: 'Ana' };
const ben: FakeMember = { id: '100000000000000002', name: 'Ben' };
const lead: FakeMember = { id: '100000000000000003', name: 'Lea', roles: [FAKE_MANAGER_ROLE_ID] };
const owner: FakeMember = { id: '100000000000000004', name: 'Olu', permissions: PERMISSIONS.manageGuild };

interface Recorded {
  level: string;
  msg: string | undefined;
  obj: object;
}
function recordingLog(into: Recorded[]): Log {
  const at =
    (level: string) =>
    (obj: object, msg?: string): void => {
      into.push({ level, msg, obj });
      if (process.env.DEBUG_LOGS) console.log(level, msg, obj);
    };
  const log: Log = {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: () => log,
  };
  return log;
}

const embedsOf = (m: FakeMessage) =>
  m.embeds as { title?: string; description?: string; footer?: { text: string } }[];
const buttonsOf = (m: FakeMessage) =>
  (m.components as { components: { custom_id: string; label: string }[] }[]).flatMap((r) => r.components);

describe.each(backends)('Discord end to end on $name (discord.js against a fake Discord)', (backend) => {
  let h: Harness;
  let fake: FakeDiscord;
  let bot: Bot;
  let adapter: DiscordAdapter;
  let logs: Recorded[];
  let rateLimited: number;

  beforeEach(async () => {
    h = await createHarness(backend, '2026-11-20T10:00:00Z');
    fake = await startFakeDiscord();
    logs = [];
    rateLimited = 0;
    const metrics: Metrics = { ...noopMetrics, rateLimited: () => void rateLimited++ };
    const log = recordingLog(logs);
    bot = createBot({ study: h.study.deps, log, clock: h.clock });
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
      metrics,
      clock: h.clock,
    });
    await adapter.start();
  });

  afterEach(async () => {
    await adapter.stop();
    await fake.close();
    await h.close();
  });

  const keyFor = (studyDay: number) => {
    const q = h.track.cards[studyDay - 1]!.questions[0]!;
    return { right: LETTERS[q.correctIndex]!, wrong: LETTERS[(q.correctIndex + 1) % 4]!, question: q };
  };

  it('connects through the fake gateway with the Guilds intent only', () => {
    expect(adapter.isReady()).toBe(true);
    expect(fake.identifies).toEqual([{ token: FAKE_TOKEN, intents: 1 }]);
    expect(fake.requestsTo('GET', /^\/gateway\/bot$/)).toHaveLength(1);
  });

  it('says whether a member is a platform admin now, over REST (the dashboard asks on every request)', async () => {
    await expectLivePlatformAdmin(adapter, fake, h.clock);
  });

  it('/roadmap today: defers ephemerally first, then edits in the drill embed with A–D buttons', async () => {
    await h.drill({ timeOfDay: '09:00', days: ALL_DAYS, timezone: 'UTC' }, CHANNEL);
    const { id } = fake.slashCommand(ana, ['today']);
    const reply = await fake.waitForReply(id);
    expect(fake.interaction(id)?.callbacks).toEqual([{ type: 5, data: { flags: 64 } }]);
    expect(embedsOf(reply)[0]?.title).toBe(`Day 1 · ${h.track.cards[0]!.title}`);
    expect(embedsOf(reply)[0]?.description).toContain(keyFor(1).question.stem);
    expect(reply.content).toBe(`Day 1 · ${h.track.cards[0]!.title}`);
    expect(buttonsOf(reply).map((b) => letterOf(b.label))).toEqual([...LETTERS, 'Read the card']);
    expect(buttonsOf(reply)[0]?.custom_id).toMatch(/^roadmap\.answer\|d:\d+:0$/);
    // The member is known to the core by their Discord id and server display name.
    const stored = await h.db.handle.db.selectFrom('members').selectAll().execute();
    expect(stored.map((m) => [m.workspace_id, m.user_id, m.display_name])).toContainEqual([
      FAKE_GUILD_ID,
      ana.id,
      'Ana',
    ]);
    // And the channel by the name the interaction showed, for the dashboard.
    const named = await h.db.handle.db.selectFrom('channel_names').selectAll().execute();
    expect(named.map((n) => [n.workspace_id, n.channel_id, n.name])).toEqual([
      [FAKE_GUILD_ID, FAKE_CHANNEL_ID, 'backend-study'],
    ]);
  });

  it('/roadmap me: the progress embed in its colour, and the study-day calendar with its figures as description', async () => {
    await h.drill({ timeOfDay: '09:00', days: ALL_DAYS, timezone: 'UTC' }, CHANNEL);
    const drill = await fake.waitForReply(fake.slashCommand(ana, ['today']).id);
    const right = buttonsOf(drill).find((b) => letterOf(b.label) === keyFor(1).right)!.custom_id;
    await fake.waitForReply(fake.clickButton(ana, drill, right).id);

    // The text first, then the calendar drawn after it joins the same message by a second edit.
    const { id, token } = fake.slashCommand(ana, ['me']);
    const original = new RegExp(`^/webhooks/${FAKE_APP_ID}/${token}/messages/@original$`);
    await fake.waitForRequest((r) => r.method === 'PATCH' && original.test(r.path) && r.files.length > 0);
    const edits = fake.requestsTo('PATCH', original);
    expect(edits.map((e) => e.files.length)).toEqual([0, 1]);
    expect((edits[0]!.body as { content: string }).content).toContain('Study days: 1 answered');
    const reply = fake.interaction(id)!.original!;
    expect(embedsOf(reply)[0]).toMatchObject({
      title: "Ana's progress",
      color: Number.parseInt(BRAND.progress.slice(1), 16),
    });
    // Complete without the picture: its figures are in the text too.
    expect(reply.content).toContain('Study days: 1 answered · 0 frozen · 0 missed.');
    expect(reply.attachments.map((a) => a.filename)).toEqual(['study-days-2026-11-20.png']);
    expect(reply.attachments[0]!.content.slice(1, 4)).toBe('PNG');
    const [described] = (edits[1]!.body as { attachments: { description: string }[] }).attachments;
    expect(described!.description).toMatch(
      /^Study days, Fri 20 Nov to Fri 20 Nov: 1 answered, 0 frozen, 0 missed, 0 not a study day\./,
    );
  });

  it('a drill posted through the Publisher takes clicks from two members, each answered ephemerally', async () => {
    await h.drill({ timeOfDay: '09:00', days: ALL_DAYS, timezone: 'UTC' }, CHANNEL);
    const drill = await h.study.getDrill(CHANNEL);
    const delivery = await h.study.currentDelivery(drill!);
    const today = await bot.handleCommand({
      channel: CHANNEL,
      user: { ...CHANNEL, userId: 'scheduler', displayName: 'Scheduler' },
      input: { kind: 'structured', path: ['today'], args: {} },
      requestId: 'r1',
      receivedAt: h.clock.now(),
    });
    const ref = await adapter.publisher.post(
      CHANNEL,
      { ...today, visibility: 'public' },
      {
        idempotencyKey: `delivery:${delivery!.id}`,
      },
    );
    const posted = fake.channelMessages();
    expect(posted).toHaveLength(1);
    expect(posted[0]?.id).toBe(ref.messageId);
    const sent = fake.requestsTo('POST', /^\/channels\/\d+\/messages$/)[0]!;
    expect(sent.body).toMatchObject({ enforce_nonce: true, nonce: expect.any(String) });
    expect((sent.body as { nonce: string }).nonce.length).toBeLessThanOrEqual(25);

    const { right, wrong, question } = keyFor(1);
    const idFor = (letter: string) =>
      buttonsOf(posted[0]!).find((b) => letterOf(b.label) === letter)!.custom_id;
    const anaClick = fake.clickButton(ana, posted[0]!, idFor(right));
    const benClick = fake.clickButton(ben, posted[0]!, idFor(wrong));
    const [anaReply, benReply] = await Promise.all([
      fake.waitForReply(anaClick.id),
      fake.waitForReply(benClick.id),
    ]);
    expect(fake.interaction(anaClick.id)?.callbacks).toEqual([{ type: 5, data: { flags: 64 } }]);
    expect(fake.interaction(benClick.id)?.callbacks).toEqual([{ type: 5, data: { flags: 64 } }]);
    expect(embedsOf(anaReply!)[0]?.title).toBe(`✅ Correct: ${right}`);
    expect(embedsOf(benReply!)[0]?.title).toBe(`❌ Not quite: the answer is ${right}`);
    expect(embedsOf(benReply!)[0]?.description).toContain(question.options[LETTERS.indexOf(wrong)]!.why);
    const answers = await h.db.handle.db.selectFrom('answers').selectAll().execute();
    expect(answers.map((a) => a.user_id).sort()).toEqual([ana.id, ben.id]);

    // The same click again: the first answer is final, and it still works from the custom id alone.
    const again = fake.clickButton(ana, posted[0]!, idFor(wrong));
    expect((await fake.waitForReply(again.id)).content).toContain('first answer is final');
  });

  it('stores a click’s answer and a command’s effect before deferring (an acknowledged interaction is never resent)', async () => {
    await h.drill({ timeOfDay: '09:00', days: ALL_DAYS, timezone: 'UTC' }, CHANNEL);
    const delivery = await h.study.currentDelivery((await h.study.getDrill(CHANNEL))!);
    const today = await bot.handleCommand({
      channel: CHANNEL,
      user: { ...CHANNEL, userId: 'scheduler', displayName: 'Scheduler' },
      input: { kind: 'structured', path: ['today'], args: {} },
      requestId: 'r1',
      receivedAt: h.clock.now(),
    });
    await adapter.publisher.post(
      CHANNEL,
      { ...today, visibility: 'public' },
      { idempotencyKey: `delivery:${delivery!.id}` },
    );
    const posted = fake.channelMessages()[0]!;
    const { right } = keyFor(1);
    const click = fake.clickButton(
      ana,
      posted,
      buttonsOf(posted).find((b) => letterOf(b.label) === right)!.custom_id,
    );
    // Read what the database holds the moment the defer reaches Discord.
    await fake.waitForRequest((r) => r.method === 'POST' && r.path.startsWith(`/interactions/${click.id}/`));
    const atDefer = await h.db.handle.db.selectFrom('answers').select('user_id').execute();
    expect(atDefer).toEqual([{ user_id: ana.id }]);
    expect(embedsOf(await fake.waitForReply(click.id))[0]?.title).toBe(`✅ Correct: ${right}`);

    const hide = fake.slashCommand(ben, ['privacy'], [{ name: 'mode', type: 3, value: 'hide' }]);
    await fake.waitForRequest((r) => r.method === 'POST' && r.path.startsWith(`/interactions/${hide.id}/`));
    const members = await h.db.handle.db.selectFrom('members').select(['user_id', 'hidden']).execute();
    expect(members.find((m) => m.user_id === ben.id)?.hidden).toBe(true);
  });

  it('a manager command (schedule set): refused for a plain member, allowed with the manager role or Manage Server', async () => {
    const setOptions = [
      { name: 'time', type: 3, value: '09:30' },
      { name: 'tz', type: 3, value: 'Europe/Berlin' },
    ];
    const refused = fake.slashCommand(ben, ['schedule', 'set'], setOptions);
    const refusal = await fake.waitForReply(refused.id);
    expect(refusal.content).toMatch(/^Only managers can use `schedule set`/);
    // `schedule set` answers in public, so the refusal replaced the public placeholder with an ephemeral one.
    expect(fake.interaction(refused.id)).toMatchObject({
      deleted: true,
      callbacks: [{ type: 5, data: { flags: 0 } }],
    });
    expect(refusal.flags).toBe(64);
    expect(await h.study.getDrill(CHANNEL)).toBeUndefined();

    const byRole = fake.slashCommand(lead, ['schedule', 'set'], setOptions);
    const scheduled = await fake.waitForReply(byRole.id);
    expect(scheduled.content).toMatch(/^📅 Lea scheduled this channel's drill: 09:30/);
    expect(fake.interaction(byRole.id)?.deleted).toBe(false);
    expect((await h.study.getDrill(CHANNEL))?.schedule).toMatchObject({
      timeOfDay: '09:30',
      timezone: 'Europe/Berlin',
    });

    const byPermission = fake.slashCommand(owner, ['schedule', 'pause']);
    expect((await fake.waitForReply(byPermission.id)).content).toMatch(/^⏸️ Olu paused/);
    expect((await h.study.getDrill(CHANNEL))?.status).toBe('paused');
  });

  it('a public command that fails replaces its public placeholder with an ephemeral reason', async () => {
    const { id } = fake.slashCommand(ana, ['leaderboard'], [{ name: 'period', type: 3, value: 'yearly' }]);
    const reply = await fake.waitForReply(id);
    const state = fake.interaction(id)!;
    expect(state.callbacks).toEqual([{ type: 5, data: { flags: 0 } }]);
    expect(state.deleted).toBe(true);
    expect(reply.flags).toBe(64);
    expect(reply.content).toContain('`period`: `yearly` is not one of');
  });

  it('autocompletes modules and time zones from the core', async () => {
    const module = h.track.modules[1]!;
    const { id } = fake.autocomplete(ana, ['quiz'], { name: 'module', value: module.id.slice(0, 4) });
    await fake.waitForRequest((r) => r.path.startsWith(`/interactions/${id}/`));
    const cb = fake.interaction(id)!.callbacks[0]!;
    expect(cb.type).toBe(8);
    expect((cb.data?.choices as { value: string }[] | undefined)?.map((c) => c.value)).toContain(module.id);
  });

  it('an interaction whose token expired is logged as a warning, not an error, and nothing else is sent', async () => {
    fake.expireNext = true;
    const { id } = fake.slashCommand(ana, ['help']);
    await fake.waitForRequest((r) => r.path.startsWith(`/interactions/${id}/`));
    // The bot's next event is handled after the failed one, so the log is complete once it answers.
    const next = fake.slashCommand(ana, ['help']);
    await fake.waitForReply(next.id);
    expect(logs.filter((l) => l.level === 'error')).toEqual([]);
    expect(
      logs.some(
        (l) => l.level === 'warn' && l.msg === 'discord interaction expired before it was acknowledged',
      ),
    ).toBe(true);
    expect(fake.requestsTo('PATCH', new RegExp(`/itoken-${id}/`))).toEqual([]);
  });

  it('the scheduler posts the drill into the channel through the Discord publisher and reveals it in place', async () => {
    const dispatcher = createDispatcher(
      { ...h.study.deps, publishers: new Map([['discord', adapter.publisher]]) },
      { catchupMs: 6 * 3_600_000 },
    );
    await h.drill({ timeOfDay: '10:30', days: ALL_DAYS, timezone: 'UTC' }, CHANNEL);
    h.clock.set('2026-11-20T10:30:05Z');
    expect(await dispatcher.runOnce()).toMatchObject({ posted: 1 });
    const [day1] = fake.channelMessages();
    expect(embedsOf(day1!)[0]?.title).toBe(`Day 1 · ${h.track.cards[0]!.title}`);
    expect(buttonsOf(day1!).map((b) => letterOf(b.label))).toEqual([...LETTERS, 'Read the card']);
    const post = fake.requestsTo('POST', /^\/channels\/\d+\/messages$/)[0]!;
    expect(post.body).toMatchObject({ enforce_nonce: true });

    const click = fake.clickButton(
      ana,
      day1!,
      buttonsOf(day1!).find((b) => letterOf(b.label) === keyFor(1).right)!.custom_id,
    );
    await fake.waitForReply(click.id);

    h.clock.set('2026-11-21T10:30:05Z');
    expect(await dispatcher.runOnce()).toMatchObject({ posted: 1, revealed: 1 });
    expect(day1?.edits).toBeGreaterThanOrEqual(1);
    expect(embedsOf(day1!)[0]?.title).toContain(`answer: ${keyFor(1).right}`);
    // The results moment: a reply to day 1 (Discord's message reference), with a link back to it.
    expect(fake.channelMessages().map((m) => embedsOf(m)[0]?.title?.replace(/ · .*/, ''))).toEqual([
      'Day 1',
      'Day 2',
      'Day 1 results',
    ]);
    const results = fake.channelMessages()[2];
    expect(embedsOf(results!)[0]?.title).toBe(`Day 1 results · ${h.track.cards[0]!.title}`);
    expect(embedsOf(results!)[0]?.description).toContain('**1 of 1** got it right (100%).');
    expect(embedsOf(results!)[0]?.description).toContain(
      `[Back to the drill](https://discord.com/channels/${CHANNEL.workspaceId}/${CHANNEL.channelId}/${day1!.id})`,
    );
    const reply = fake.requestsTo('POST', /^\/channels\/\d+\/messages$/)[2]!;
    expect(reply.body).toMatchObject({
      message_reference: { message_id: day1!.id, fail_if_not_exists: false },
    });
  });

  it('a channel where the bot lost Send Messages pauses its drill with the reason', async () => {
    const dispatcher = createDispatcher(
      { ...h.study.deps, publishers: new Map([['discord', adapter.publisher]]) },
      { catchupMs: 6 * 3_600_000 },
    );
    await h.drill({ timeOfDay: '10:30', days: ALL_DAYS, timezone: 'UTC' }, CHANNEL);
    fake.fail('POST', /^\/channels\/\d+\/messages$/, 403, { code: 50013, message: 'Missing Permissions' });
    h.clock.set('2026-11-20T10:30:05Z');
    expect(await dispatcher.runOnce()).toMatchObject({ posted: 0, failed: 1 });
    const drill = await h.study.getDrill(CHANNEL);
    expect(drill?.status).toBe('paused');
    expect(drill?.pauseReason).toContain('Missing Permissions');
    expect(fake.channelMessages()).toEqual([]);
  });

  describe('the Publisher', () => {
    const message = { text: 'Day 1 · HTTP', card: { title: 'Day 1 · HTTP', sections: [{ body: 'body' }] } };

    it('waits out a 429 in discord.js’s queue and then posts once, counting the rate limit', async () => {
      fake.rateLimit('POST', /^\/channels\/\d+\/messages$/, 0.05);
      const ref = await adapter.publisher.post(CHANNEL, message);
      expect(fake.requestsTo('POST', /^\/channels\/\d+\/messages$/)).toHaveLength(2);
      expect(fake.channelMessages().map((m) => m.id)).toEqual([ref.messageId]);
      expect(rateLimited).toBeGreaterThanOrEqual(1);
    });

    it('a post whose response was lost (500 after Discord stored it) lands once thanks to the nonce', async () => {
      fake.fail('POST', /^\/channels\/\d+\/messages$/, 500, { message: 'boom' }, { afterCommit: true });
      const ref = await adapter.publisher.post(CHANNEL, message, { idempotencyKey: 'delivery:7' });
      expect(fake.requestsTo('POST', /^\/channels\/\d+\/messages$/)).toHaveLength(2);
      expect(fake.channelMessages().map((m) => m.id)).toEqual([ref.messageId]);
      const again = await adapter.publisher.post(CHANNEL, message, { idempotencyKey: 'delivery:7' });
      expect(again.messageId).toBe(ref.messageId);
      expect(fake.channelMessages()).toHaveLength(1);
      const other = await adapter.publisher.post(CHANNEL, message, { idempotencyKey: 'delivery:8' });
      expect(other.messageId).not.toBe(ref.messageId);
    });

    it.each([
      [403, 50001, 'missing_access'],
      [403, 50013, 'missing_permissions'],
      [404, 10003, 'unknown_channel'],
    ])('a %i with code %i is permanent (%s) with a one-line reason', async (status, code, expected) => {
      fake.fail('POST', /^\/channels\/\d+\/messages$/, status, { code, message: 'nope' });
      const err = await adapter.publisher.post(CHANNEL, message).catch((e: unknown) => e);
      expect(err).toMatchObject({ name: 'PublishError', code: expected, permanent: true });
      expect((err as { reason: string }).reason).not.toContain('\n');
    });

    it('5xx on every retry is transient', async () => {
      fake.fail('POST', /^\/channels\/\d+\/messages$/, 502, { message: 'bad gateway' }, { times: 10 });
      const err = await adapter.publisher.post(CHANNEL, message).catch((e: unknown) => e);
      expect(err).toMatchObject({ name: 'PublishError', code: 'discord_unavailable', permanent: false });
    });

    it('updates a message in place, and a deleted one is permanent (10008)', async () => {
      const ref = await adapter.publisher.post(CHANNEL, message);
      await adapter.publisher.update(ref, { ...message, card: { ...message.card, footer: '3 answered' } });
      const [stored] = fake.channelMessages();
      expect(stored?.edits).toBe(1);
      expect(embedsOf(stored!)[0]?.footer?.text).toBe('3 answered');
      const gone = await adapter.publisher
        .update({ channel: CHANNEL, messageId: '123456789012345678' }, message)
        .catch((e: unknown) => e);
      expect(gone).toMatchObject({ code: 'unknown_message', permanent: true });
    });

    it('DMs a member, and a member who refuses DMs is permanent (50007)', async () => {
      await adapter.publisher.sendDirect({ ...CHANNEL, userId: ana.id }, { text: 'Your weekly digest' });
      expect(fake.requestsTo('POST', /^\/users\/@me\/channels$/)[0]?.body).toEqual({ recipient_id: ana.id });
      const dm = fake.messages.find((m) => m.channel_id !== FAKE_CHANNEL_ID);
      expect(dm?.content).toBe('Your weekly digest');
      fake.fail('POST', /^\/channels\/\d+\/messages$/, 403, {
        code: 50007,
        message: 'Cannot send messages to this user',
      });
      const err = await adapter.publisher
        .sendDirect({ ...CHANNEL, userId: ben.id }, { text: 'hi' })
        .catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'cannot_dm', permanent: true });
    });

    it('uploads the file of a message, with its text', async () => {
      await adapter.publisher.post(CHANNEL, {
        text: 'Cohort report',
        attachment: { filename: 'report.csv', content: 'name,points\nAna,10\n', contentType: 'text/csv' },
      });
      const [m] = fake.channelMessages();
      expect(m?.content).toBe('Cohort report');
      expect(m?.attachments.map((a) => [a.filename, a.content])).toEqual([
        ['report.csv', 'name,points\nAna,10\n'],
      ]);
    });
  });
});
