import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDiscordAdapter, type DiscordAdapter } from '../../../src/adapters/discord/discord-adapter.ts';
import { createBot } from '../../../src/bot/bot.ts';
import { LETTERS } from '../../../src/content/track.ts';
import { ALL_DAYS } from '../../../src/core/commands/options.ts';
import { silentLog } from '../../../src/core/log.ts';
import { noopMetrics } from '../../../src/core/metrics.ts';
import type { ChannelRef } from '../../../src/core/types.ts';
import { REPORT_REASON_ACTION, reasonValue } from '../../../src/feedback/messages.ts';
import {
  FAKE_APP_ID,
  FAKE_CHANNEL_ID,
  FAKE_GUILD_ID,
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

const CHANNEL: ChannelRef = { platform: 'discord', workspaceId: FAKE_GUILD_ID, channelId: FAKE_CHANNEL_ID };
const ana: FakeMember = { id: '100000000000000001', name: 'Ana' };
const ben: FakeMember = { id: '100000000000000002', name: 'Ben' };
const owner: FakeMember = { id: '100000000000000004', name: 'Olu', permissions: PERMISSIONS.manageGuild };
const STRING = 3;

const embedsOf = (m: FakeMessage) => m.embeds as { title?: string; description?: string }[];
const buttonsOf = (m: FakeMessage) =>
  (m.components as { components: { custom_id: string; label: string }[] }[]).flatMap((r) => r.components);
/** A button by its label; an answer button by its letter too (its label may be "A · the option"). */
const labelled = (m: FakeMessage, label: string) =>
  buttonsOf(m).find((b) => b.label === label || b.label.startsWith(`${label} · `))!.custom_id;

describe.each(backends)(
  'reporting a question on Discord on $name (discord.js against a fake Discord)',
  (backend) => {
    let h: Harness;
    let fake: FakeDiscord;
    let adapter: DiscordAdapter;

    beforeEach(async () => {
      h = await createHarness(backend, '2026-11-20T10:00:00Z');
      fake = await startFakeDiscord();
      const bot = createBot({ study: h.study.deps, log: silentLog, clock: h.clock });
      adapter = createDiscordAdapter({
        config: {
          token: FAKE_TOKEN,
          applicationId: FAKE_APP_ID,
          guildId: undefined,
          managerRole: FAKE_MANAGER_ROLE_NAME,
          apiUrl: fake.apiUrl,
        },
        bot,
        log: silentLog,
        metrics: noopMetrics,
        clock: h.clock,
      });
      await adapter.start();
    });
    afterEach(async () => {
      await adapter.stop();
      await fake.close();
      await h.close();
    });

    const reply = async (started: { id: string }) => fake.waitForReply(started.id);

    it('a member reports from the result’s button with a reason and a note; a manager lists and keeps it', async () => {
      await h.drill({ timeOfDay: '09:00', days: ALL_DAYS, timezone: 'UTC' }, CHANNEL);
      const card = h.track.cards[0]!;
      const question = card.questions[0]!;
      const drill = await reply(fake.slashCommand(ana, ['today']));
      const result = await reply(
        fake.clickButton(ana, drill, labelled(drill, LETTERS[question.correctIndex]!)),
      );
      expect(embedsOf(result)[0]?.title).toMatch(/^✅ Correct/);
      expect(labelled(result, 'Report a problem')).toBe(`roadmap.report|d:${question.id}`);

      const reportClick = fake.clickButton(ana, result, labelled(result, 'Report a problem'));
      const choice = await reply(reportClick);
      // Only the member sees the reason buttons.
      expect(fake.interaction(reportClick.id)?.callbacks).toEqual([{ type: 5, data: { flags: 64 } }]);
      expect(buttonsOf(choice).map((b) => b.label)).toEqual([
        'Wrong key',
        'Unclear',
        'Outdated',
        'Typo',
        'Something else',
      ]);
      const thanks = await reply(fake.clickButton(ana, choice, labelled(choice, 'Outdated')));
      expect(thanks.content).toContain(
        `Thanks: your report on **${card.title}**, question 1 (outdated) is recorded.`,
      );
      const noted = await reply(
        fake.slashCommand(
          ana,
          ['report'],
          [
            { name: 'reason', type: STRING, value: 'outdated' },
            { name: 'note', type: STRING, value: 'HTTP/3 changed this @everyone' },
          ],
        ),
      );
      expect(noted.content).toContain('is updated with your note `HTTP/3 changed this @everyone`');
      const stored = await h.db.handle.db.selectFrom('question_reports').selectAll().execute();
      expect(stored).toMatchObject([
        {
          platform: 'discord',
          workspace_id: FAKE_GUILD_ID,
          channel_id: FAKE_CHANNEL_ID,
          user_id: ana.id,
          question_id: question.id,
          card_id: card.id,
          content_version: h.track.version,
          source: 'drill',
          reason: 'outdated',
          note: 'HTTP/3 changed this @everyone',
        },
      ]);

      expect((await reply(fake.slashCommand(ben, ['content', 'reports']))).content).toMatch(
        /^Only managers can use `content reports`/,
      );
      const list = await reply(fake.slashCommand(owner, ['content', 'reports']));
      expect(embedsOf(list)[0]?.title).toBe('Open reports · 1 question');
      expect(JSON.stringify(list.embeds)).toContain(question.id);
      const kept = await reply(
        fake.slashCommand(
          owner,
          ['content', 'resolve'],
          [
            { name: 'report', type: STRING, value: question.id },
            { name: 'resolution', type: STRING, value: 'kept' },
          ],
        ),
      );
      expect(kept.content).toContain('Resolved 1 report on');
      expect(kept.content).toContain('as kept');
      const keeps = await h.db.handle.db.selectFrom('question_keeps').selectAll().execute();
      expect(keeps).toMatchObject([
        { platform: 'discord', workspace_id: FAKE_GUILD_ID, question_id: question.id, kept_by: owner.id },
      ]);
    });

    it('three members’ reports through Discord withhold a question from the next drill; a manager sees why', async () => {
      const cy: FakeMember = { id: '100000000000000003', name: 'Cy' };
      await h.drill({ timeOfDay: '09:00', days: ALL_DAYS, timezone: 'UTC' }, CHANNEL);
      const card1 = h.track.cards[1]!;
      const question = card1.questions[0]!.id;
      const drill = await reply(fake.slashCommand(ana, ['today']));
      const reasonId = `${REPORT_REASON_ACTION}|${reasonValue('practice', question, 'unclear')}`;
      await reply(fake.clickButton(ana, drill, reasonId));
      await reply(fake.clickButton(ben, drill, reasonId));
      const third = await reply(fake.clickButton(cy, drill, reasonId));
      expect(third.content).toContain('3 members here have reported it, so it is set aside');
      const list = await reply(fake.slashCommand(owner, ['content', 'reports']));
      expect(JSON.stringify(list.embeds)).toContain(question);

      h.clock.set('2026-11-21T10:00:00Z');
      await reply(fake.slashCommand(ana, ['today']));
      const day2 = await h.db.handle.db
        .selectFrom('deliveries')
        .select(['card_id', 'question_id'])
        .where('local_date', '=', '2026-11-21')
        .executeTakeFirstOrThrow();
      expect(day2).toEqual({ card_id: card1.id, question_id: card1.questions[1]!.id });
    });
  },
);
