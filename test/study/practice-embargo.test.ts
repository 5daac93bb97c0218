import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ALL_DAYS } from '../../src/core/commands/options.ts';
import type { ChannelRef, OutboundMessage } from '../../src/core/types.ts';
import { drillSecrets } from '../../src/practice/embargo.ts';
import { backends } from '../helpers/databases.ts';
import { button, CHANNEL, createHarness, type Harness, member, realTrack } from '../helpers/harness.ts';

const LETTERS = ['A', 'B', 'C', 'D'] as const;
const ana = member('Ana');
const ben = member('Ben');
const boss = member('Boss', { isPlatformAdmin: true });
const ELSEWHERE: ChannelRef = { ...CHANNEL, channelId: 'C2' };

describe('drillSecrets', () => {
  const track = realTrack();
  const ids = (from: number, to = track.cards.length) => track.cards.slice(from, to).map((c) => c.id);

  it('a plain drill keeps its unrevealed card and the rest of the track secret', () => {
    const open = { localDate: '2026-11-20', cardId: track.cards[2]!.id, secret: true };
    const secrets = drillSecrets({
      drill: { position: 3, cohortId: null },
      track,
      today: '2026-11-20',
      deliveries: [open],
    });
    expect([...secrets].sort()).toEqual(ids(2).sort());
    const revealed = drillSecrets({
      drill: { position: 3, cohortId: null },
      track,
      today: '2026-11-20',
      deliveries: [{ ...open, secret: false }],
    });
    expect([...revealed].sort()).toEqual(ids(3).sort());
  });

  it("a cohort's drill keeps the cards of its remaining study days secret, and nothing past its end", () => {
    const secrets = drillSecrets({
      drill: { position: 0, cohortId: 1 },
      track,
      today: '2026-11-18',
      deliveries: [],
      // Mon 16 … Fri 20: Wednesday to Friday are still to come, so cards 3 to 5 (indexes 2 to 4).
      cohort: {
        calendar: { startsOn: '2026-11-16', endsOn: '2026-11-22', days: 0b0011111 },
        skips: new Set(),
      },
    });
    expect([...secrets].sort()).toEqual(ids(2, 5).sort());
  });
});

describe.each(backends)('practice never gives a drill away on $name', (backend) => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness(backend, '2026-11-20T10:00:00Z');
  });
  afterEach(async () => {
    await h.close();
  });

  /** The question a practice reply shows, found in the curriculum by its stem. */
  const served = (reply: OutboundMessage) => {
    const body = reply.card?.sections.find((s) => s.heading === 'Question')?.body ?? '';
    const stem = body.split('\n')[0]!.replace(/\*\*/g, '');
    const q = h.track.cards.flatMap((c) => c.questions).find((x) => x.stem === stem);
    if (!q) throw new Error(`not a practice question: ${reply.text.slice(0, 120)}`);
    return q;
  };
  const prompts = () => h.db.handle.db.selectFrom('practice_prompts').selectAll().execute();

  it("serves neither the open drill's card nor the coming ones; a card opens to practice at its reveal", async () => {
    await h.drill({ timeOfDay: '09:00', days: ALL_DAYS, timezone: 'UTC' });
    const day1 = await h.say(ana, 'today');
    expect(day1.card?.title).toBe(`Day 1 · ${h.track.cards[0]!.title}`);

    // Day 1 is open and every later card is a coming drill: nothing may be practised yet.
    const blocked = await h.say(ana, 'quiz');
    expect(blocked.text).toBe(
      "Nothing to practise right now: practice covers only cards your channels' drills have revealed, so it never gives a drill away. More opens with every reveal.",
    );
    expect(await prompts()).toEqual([]);
    const inModule = await h.say(ana, `quiz ${h.track.cards[0]!.moduleId}`);
    expect(inModule.text).toMatch(/^Nothing to practise in that module right now/);

    // The next day opens day 2 and closes day 1: day 1's card, its drill question included, is fair game.
    h.clock.set('2026-11-21T10:00:00Z');
    expect((await h.say(ana, 'today')).card?.title).toBe(`Day 2 · ${h.track.cards[1]!.title}`);
    const seen = new Set<string>();
    for (let i = 0; i < 5; i++) {
      const q = served(await h.say(ana, 'quiz'));
      expect(q.cardId).toBe(h.track.cards[0]!.id);
      seen.add(q.id);
      await h.say(ana, `answer ${LETTERS[q.correctIndex]}`);
    }
    expect([...seen].sort()).toEqual(h.track.cards[0]!.questions.map((q) => q.id).sort());

    // Day 2 still counts on the board: answering it now earns the full 10 points.
    const day2 = await h.say(ana, 'today');
    const right = LETTERS[h.track.cards[1]!.questions[0]!.correctIndex]!;
    expect((await h.click(ana, button(day2, right))).card?.footer).toContain('+10 points');
  });

  it("keeps a cohort's coming cards from its members in every channel, and only from them", async () => {
    await h.say(boss, 'cohort create "Backend Q1" start:2026-11-23 weeks:1 time:09:00 tz:UTC');
    await h.say(boss, `cohort add <@${ana.userId}>`);
    // Study days 1–5 (Mon 23 … Fri 27) show cards 1–5; the sixth card is the first no drill will show.
    const firstFree = h.track.cards[5]!;

    const quiz = await h.say(ana, 'quiz', ELSEWHERE);
    expect(served(quiz).cardId).toBe(firstFree.id);
    const path = await h.say(ana, 'today', ELSEWHERE);
    expect(path.card?.title).toBe(firstFree.title);

    // Ben studies in no channel with a drill: his path starts at the first card.
    expect((await h.say(ben, 'today', ELSEWHERE)).card?.title).toBe(h.track.cards[0]!.title);
  });
});
