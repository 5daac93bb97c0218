/**
 * Every message kind a member sees, built from the real curriculum by the real bot, as the Slack Block Kit and
 * the Discord payload each platform receives: the drill, an answer's result, the revealed drill and its
 * results reply, "Read the card", "My answer", the board, `me`, `streak history`, the cohort report and the
 * weekly digest. Reviewed by eye; a change to any of them shows here as a diff.
 *
 * PGlite only: a fresh database per run keeps ids stable. Picture bytes are left out (tests/charts decode them).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderMessage } from '../../src/adapters/discord/discord-render.ts';
import { renderSlackMessage } from '../../src/adapters/slack/slack-render.ts';
import { createDigestJob } from '../../src/cohorts/digest.ts';
import { LETTERS } from '../../src/content/track.ts';
import { BRAND } from '../../src/core/brand.ts';
import type { OutboundMessage } from '../../src/core/types.ts';
import { createDispatcher } from '../../src/deliveries/dispatcher.ts';
import { MY_ANSWER_ACTION } from '../../src/deliveries/results-message.ts';
import { backends } from '../helpers/databases.ts';
import { createFakePlatform, type FakePlatform } from '../helpers/fake-publisher.ts';
import { button, createHarness, type Harness, member } from '../helpers/harness.ts';
import { createRecordingPublisher } from '../helpers/recording-publisher.ts';

const boss = member('Boss', { isPlatformAdmin: true });
const [ana, ben, cy] = ['Ana', 'Ben', 'Cy'].map((n) => member(n));

/** What each platform is sent for a message, with a file's bytes replaced by their count. */
function payloads(message: OutboundMessage) {
  const discord = renderMessage(message);
  const file = discord.file && { ...discord.file, data: '<bytes>' };
  const attachment = message.attachment && {
    ...message.attachment,
    content: typeof message.attachment.content === 'string' ? message.attachment.content : '<bytes>',
  };
  return {
    slack: renderSlackMessage(message),
    discord: { ...discord, ...(file ? { file } : {}) },
    ...(attachment ? { attachment } : {}),
  };
}

const pglite = backends.find((b) => b.name === 'pglite')!;

describe('every message kind on Slack and Discord, from the real curriculum', () => {
  let h: Harness;
  let slack: FakePlatform;
  const seen = new Map<string, OutboundMessage>();

  beforeAll(async () => {
    h = await createHarness(pglite, '2026-11-20T10:00:00Z');
    slack = createFakePlatform('slack');
    const dispatcher = createDispatcher(
      { ...h.study.deps, publishers: new Map([['slack', slack]]) },
      { catchupMs: 6 * 3_600_000 },
    );
    const at = (instant: string) => {
      h.clock.set(instant);
      return dispatcher.runOnce();
    };
    await h.say(boss, 'cohort create "Backend Q1" start:2026-11-23 weeks:2 time:09:00 tz:UTC');
    for (const p of [ana!, ben!, cy!]) await h.say(p, 'cohort join');
    for (const [day, date] of ['2026-11-23', '2026-11-24', '2026-11-25'].entries()) {
      await at(`${date}T09:00:05Z`);
      const drill = [...slack.messages.values()].filter((m) => !m.replyTo).at(-1)!;
      if (day === 0) seen.set('drill', drill.versions[0]!);
      const q = h.track.question(
        (
          await h.db.handle.db
            .selectFrom('deliveries')
            .select('question_id')
            .where('local_date', '=', date)
            .executeTakeFirstOrThrow()
        ).question_id,
      )!;
      h.clock.set(`${date}T09:30:00Z`);
      const right = LETTERS[q.correctIndex]!;
      const wrong = LETTERS[(q.correctIndex + 1) % 4]!;
      await h.click(ana!, button(drill.message, right));
      const result = await h.click(ben!, button(drill.message, day === 1 ? right : wrong));
      if (day === 0) seen.set('answer result', result);
      if (day !== 2) await h.click(cy!, button(drill.message, wrong));
      if (day === 0) {
        const read = drill.message.card!.buttons!.find((b) => b.label === 'Read the card')!;
        seen.set('read the card', await h.click(ana!, read));
      }
    }
    const day1 = [...slack.messages.values()][0]!;
    seen.set('revealed drill', day1.message);
    const results = [...slack.messages.values()].find((m) => m.replyTo === day1.id)!;
    seen.set('results reply', results.message);
    const mine = results.message.card!.buttons!.find((b) => b.actionId === MY_ANSWER_ACTION)!;
    seen.set('my answer', await h.click(ben!, mine));
    h.clock.set('2026-11-25T12:00:00Z');
    seen.set('board', await h.say(ben!, 'leaderboard'));
    seen.set('me', await h.say(ana!, 'me'));
    seen.set('streak history', await h.say(ana!, 'streak history'));
    seen.set('cohort report', await h.say(boss, 'cohort report'));
    const recording = createRecordingPublisher('slack');
    h.clock.set('2026-11-30T09:00:05Z');
    await createDigestJob(h.study.deps).run(h.clock.now(), recording.publishers);
    seen.set('weekly digest', recording.directs[0]!.message);
  }, 120_000);
  afterAll(async () => {
    await h?.close();
  });

  /** Each kind's colour (src/core/brand.ts); "my answer" is one line of text, with no card to colour. */
  const KIND_COLOUR = {
    drill: 'drill',
    'answer result': 'attention',
    'read the card': 'drill',
    'revealed drill': 'results',
    'results reply': 'results',
    board: 'board',
    me: 'progress',
    'streak history': 'progress',
    'cohort report': 'progress',
    'weekly digest': 'progress',
  } as const;

  it.each(Object.entries(KIND_COLOUR))(
    '%s: its kind’s colour, Slack’s bar and Discord’s embed',
    (kind, accent) => {
      const message = seen.get(kind)!;
      const slack = renderSlackMessage(message);
      expect(slack.attachments?.map((a) => a.color)).toEqual([BRAND[accent]]);
      // The bar holds one short line; the title, body and buttons stay in the message's blocks.
      expect(slack.attachments![0]!.blocks).toHaveLength(1);
      expect(slack.blocks!.filter((b) => b.type === 'actions')).toHaveLength(
        message.card!.buttons?.length ? 1 : 0,
      );
      expect(renderMessage(message).embeds[0]!.color).toBe(Number.parseInt(BRAND[accent].slice(1), 16));
    },
  );

  it.each([
    'drill',
    'answer result',
    'read the card',
    'revealed drill',
    'results reply',
    'my answer',
    'board',
    'me',
    'streak history',
    'cohort report',
    'weekly digest',
  ])('%s', (kind) => {
    const message = seen.get(kind);
    expect(message, kind).toBeDefined();
    expect(payloads(message!)).toMatchSnapshot();
  });
});
