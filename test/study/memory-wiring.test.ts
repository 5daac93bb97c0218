import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ALL_DAYS } from '../../src/core/commands/options.ts';
import type { ChannelRef, OutboundMessage } from '../../src/core/types.ts';
import { recordReview } from '../../src/memory/memory.ts';
import { backends } from '../helpers/databases.ts';
import { button, CHANNEL, createHarness, type Harness, member } from '../helpers/harness.ts';

const LETTERS = ['A', 'B', 'C', 'D'] as const;
const DAY = 24 * 60 * 60 * 1000;
const ana = member('Ana');
const ben = member('Ben');
/** A channel with no drill: nothing is embargoed there for a member who studies in no drill. */
const ELSEWHERE: ChannelRef = { ...CHANNEL, channelId: 'C2' };

describe.each(backends)('every graded answer is a review on $name', (backend) => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness(backend, '2026-11-20T10:00:00Z');
  });
  afterEach(async () => {
    await h.close();
  });

  const reviews = () => h.db.handle.db.selectFrom('reviews').selectAll().orderBy('id').execute();
  const memories = () => h.db.handle.db.selectFrom('card_memory').selectAll().execute();
  const answers = () => h.db.handle.db.selectFrom('answers').selectAll().orderBy('id').execute();
  /** The question a practice reply shows, found in the curriculum by its stem. */
  const served = (reply: OutboundMessage) => {
    const body = reply.card?.sections.find((s) => s.heading === 'Question')?.body ?? '';
    const stem = body.split('\n')[0]!.replace(/\*\*/g, '');
    const q = h.track.cards.flatMap((c) => c.questions).find((x) => x.stem === stem);
    if (!q) throw new Error(`not a practice question: ${reply.text.slice(0, 120)}`);
    return q;
  };

  it('a drill answer writes one review and the member’s memory of the card, once', async () => {
    await h.drill({ timeOfDay: '09:00', days: ALL_DAYS, timezone: 'UTC' });
    const drill = await h.say(ana, 'today');
    const q = h.track.cards[0]!.questions[0]!;
    const wrong = LETTERS[(q.correctIndex + 1) % 4]!;
    await h.click(ana, button(drill, wrong));
    await h.click(ana, button(drill, LETTERS[q.correctIndex]!)); // refused: the first answer is final

    const [answer] = await answers();
    expect(await reviews()).toMatchObject([
      {
        user_id: ana.userId,
        card_id: q.cardId,
        question_id: q.id,
        rating: 1,
        source: 'drill',
        answer_id: answer!.id,
      },
    ]);
    expect(await memories()).toMatchObject([{ user_id: ana.userId, card_id: q.cardId, reps: 1, lapses: 0 }]);

    // Recording the same answer again (a redelivery) changes nothing.
    const again = await recordReview(h.db.handle.db, {
      member: ana,
      cardId: q.cardId,
      questionId: q.id,
      correct: false,
      source: 'drill',
      answerId: answer!.id,
      at: h.clock.now(),
    });
    expect(again.recorded).toBe(false);
    expect(await reviews()).toHaveLength(1);
    expect((await memories())[0]!.reps).toBe(1);
  });

  it('a practice answer writes one review and the member’s memory of the card', async () => {
    const q = served(await h.say(ana, 'quiz', ELSEWHERE));
    await h.say(ana, `answer ${LETTERS[q.correctIndex]}`, ELSEWHERE);
    const [answer] = await answers();
    expect(await reviews()).toMatchObject([
      { card_id: q.cardId, question_id: q.id, rating: 3, source: 'practice', answer_id: answer!.id },
    ]);
    const [memory] = await memories();
    expect(memory).toMatchObject({ user_id: ana.userId, card_id: q.cardId, reps: 1 });
    expect(memory!.due.getTime()).toBeGreaterThan(h.clock.now().getTime() + DAY);
  });

  it('quiz serves the card answered wrong before the one answered right, then the right one once due', async () => {
    const first = served(await h.say(ana, 'quiz', ELSEWHERE));
    expect(first.cardId).toBe(h.track.cards[0]!.id);
    await h.say(ana, `answer ${LETTERS[(first.correctIndex + 1) % 4]}`, ELSEWHERE);
    // Nothing is due yet: new material, in track order.
    const second = served(await h.say(ana, 'quiz', ELSEWHERE));
    expect(second.cardId).toBe(h.track.cards[1]!.id);
    await h.say(ana, `answer ${LETTERS[second.correctIndex]}`, ELSEWHERE);

    // A month later both cards are due; the one answered wrong is the one closer to being forgotten.
    h.clock.advance(30 * DAY);
    const missed = await h.say(ana, 'quiz', ELSEWHERE);
    expect(served(missed).id).toBe(first.id);
    expect(missed.card?.footer).toMatch(/^Review: you missed this one before/);
    await h.say(ana, `answer ${LETTERS[first.correctIndex]}`, ELSEWHERE);
    const due = await h.say(ana, 'quiz', ELSEWHERE);
    expect(served(due).cardId).toBe(h.track.cards[1]!.id);
    expect(due.card?.footer).toMatch(/^Review: due now/);
  });

  it('quiz <module> keeps to that module', async () => {
    const mod = h.track.modules[1]!;
    for (let i = 0; i < 3; i++) {
      const q = served(await h.say(ana, `quiz ${mod.id}`, ELSEWHERE));
      expect(q.moduleId).toBe(mod.id);
      await h.say(ana, `answer ${LETTERS[(q.correctIndex + 1) % 4]}`, ELSEWHERE);
    }
  });

  it('never serves an embargoed card, not even the due card closest to being forgotten', async () => {
    // A drill walks the track from card 1: card 3 is a coming drill, so practice must not show it.
    await h.drill({ timeOfDay: '09:00', days: ALL_DAYS, timezone: 'UTC' });
    // Ana missed card 3 long ago: it is long overdue, the weakest card she has.
    const weak = h.track.cards[2]!;
    await recordReview(h.db.handle.db, {
      member: ana,
      cardId: weak.id,
      questionId: weak.questions[0]!.id,
      correct: false,
      source: 'practice',
      answerId: null,
      at: new Date('2026-10-01T10:00:00Z'),
    });
    const drill = await h.say(ana, 'today');
    await h.click(ana, button(drill, 'A'));
    expect((await h.say(ana, 'quiz')).text).toMatch(/^Nothing to practise right now/);
    h.clock.advance(DAY);
    await h.say(ana, 'today');
    for (let i = 0; i < 6; i++) {
      const q = served(await h.say(ana, 'quiz'));
      expect(q.cardId).toBe(h.track.cards[0]!.id);
      await h.say(ana, `answer ${LETTERS[q.correctIndex]}`);
    }
  });

  it('review replays the misses until each is answered right once in the session', async () => {
    const sessions = () => h.db.handle.db.selectFrom('review_sessions').selectAll().execute();
    expect((await h.say(ana, 'review', ELSEWHERE)).text).toMatch(/^Nothing to review/);
    expect(await sessions()).toEqual([]);

    // Ana misses cards 1 and 2 and gets card 3 right.
    const asked = [];
    for (const correct of [false, false, true]) {
      const q = served(await h.say(ana, 'quiz', ELSEWHERE));
      asked.push(q);
      await h.say(ana, `answer ${LETTERS[correct ? q.correctIndex : (q.correctIndex + 1) % 4]}`, ELSEWHERE);
      h.clock.advance(60_000);
    }
    const [miss1, miss2] = asked;

    const first = await h.say(ana, 'review', ELSEWHERE);
    expect(served(first).id).toBe(miss1!.id);
    expect(first.card?.footer).toMatch(/^Review session: one of your misses \(2 left\)/);
    const startedAt = new Date(h.clock.now().getTime() + 1);
    expect(await sessions()).toMatchObject([{ user_id: ana.userId, started_at: startedAt }]);
    // Wrong again: it stays in the session, behind the other miss.
    const again = await h.say(ana, `answer ${LETTERS[(miss1!.correctIndex + 1) % 4]}`, ELSEWHERE);
    expect(again.card?.footer).toContain('/roadmap review for your next miss');
    h.clock.advance(60_000);
    const second = await h.say(ana, 'review', ELSEWHERE);
    expect(served(second).id).toBe(miss2!.id);
    expect(second.card?.footer).toContain('(2 left)');
    await h.say(ana, `answer ${LETTERS[miss2!.correctIndex]}`, ELSEWHERE);
    h.clock.advance(60_000);
    const third = await h.say(ana, 'review', ELSEWHERE);
    expect(served(third).id).toBe(miss1!.id);
    expect(third.card?.footer).toContain('(1 left)');
    await h.say(ana, `answer ${LETTERS[miss1!.correctIndex]}`, ELSEWHERE);
    h.clock.advance(60_000);
    expect((await h.say(ana, 'review', ELSEWHERE)).text).toMatch(/^Nothing to review/);

    // A later miss opens a new session with just that one.
    const q = served(await h.say(ana, 'quiz', ELSEWHERE));
    await h.say(ana, `answer ${LETTERS[(q.correctIndex + 1) % 4]}`, ELSEWHERE);
    h.clock.advance(60_000);
    const next = await h.say(ana, 'review', ELSEWHERE);
    expect(served(next).id).toBe(q.id);
    expect(next.card?.footer).toContain('(1 left)');
    expect(await sessions()).toMatchObject([{ started_at: new Date(h.clock.now().getTime() + 1) }]);
  });

  it('me shows what is due, the retention estimate and the review streak', async () => {
    const field = async (label: string) =>
      (await h.say(ana, 'me', ELSEWHERE)).card?.fields?.find((f) => f.label === label)?.value;
    expect(await field('Memory')).toBe('due now: 0 · retention estimate: —');
    expect(await field('Review streak')).toBe('0 days');

    // Day 1: one right, one wrong. Right after, both are fully remembered.
    for (const correct of [true, false]) {
      const q = served(await h.say(ana, 'quiz', ELSEWHERE));
      await h.say(ana, `answer ${LETTERS[correct ? q.correctIndex : (q.correctIndex + 1) % 4]}`, ELSEWHERE);
    }
    expect(await field('Memory')).toBe('due now: 0 · retention estimate: 100%');
    expect(await field('Review streak')).toBe('1 day');

    // Day 2: the miss is due and memory has faded; the streak holds until Ana practises today.
    h.clock.advance(DAY);
    const memory = await field('Memory');
    expect(memory).toMatch(/^due now: 1 · retention estimate: (\d+)%$/);
    expect(Number(/(\d+)%/.exec(memory!)![1])).toBeLessThan(100);
    expect(await field('Review streak')).toBe('1 day');
    const q = served(await h.say(ana, 'quiz', ELSEWHERE));
    await h.say(ana, `answer ${LETTERS[q.correctIndex]}`, ELSEWHERE);
    expect(await field('Review streak')).toBe('2 days');
    expect((await h.say(ana, 'me', ELSEWHERE)).text).toContain('Memory: due now: 0 · retention estimate:');
  });

  it('the answer result says when the card comes back', async () => {
    await h.drill({ timeOfDay: '09:00', days: ALL_DAYS, timezone: 'UTC' });
    const drill = await h.say(ana, 'today');
    const q = h.track.cards[0]!.questions[0]!;
    const wrong = await h.click(ana, button(drill, LETTERS[(q.correctIndex + 1) % 4]!));
    expect(wrong.card?.footer).toMatch(/^\+2 points · Next review tomorrow · Streak/);

    // Ben studies in no drill's channel: his practice may start at card 1.
    const p = served(await h.say(ben, 'quiz', ELSEWHERE));
    const right = await h.say(ben, `answer ${LETTERS[p.correctIndex]}`, ELSEWHERE);
    const stored = await h.db.handle.db
      .selectFrom('card_memory')
      .select('due')
      .where('user_id', '=', ben.userId)
      .executeTakeFirstOrThrow();
    const days = Math.round((stored.due.getTime() - h.clock.now().getTime()) / DAY);
    expect(days).toBeGreaterThan(1);
    expect(right.card?.footer).toBe(`Next review in ${days} days · Practice: /roadmap quiz for another`);
  });

  it('review keeps a missed drill question until the drill is revealed', async () => {
    await h.drill({ timeOfDay: '09:00', days: ALL_DAYS, timezone: 'UTC' });
    const drill = await h.say(ana, 'today');
    const q = h.track.cards[0]!.questions[0]!;
    await h.click(ana, button(drill, LETTERS[(q.correctIndex + 1) % 4]!));
    expect((await h.say(ana, 'review')).text).toBe(
      'Your 1 miss is on cards a drill of yours has not revealed yet; they come back after its reveal. Try /roadmap quiz meanwhile.',
    );
    // Day 2 opens and reveals day 1: the miss can be replayed.
    h.clock.advance(DAY);
    await h.say(ana, 'today');
    const replay = await h.say(ana, 'review');
    expect(served(replay).id).toBe(q.id);
    expect(replay.card?.footer).toMatch(/^Review session: one of your misses \(1 left\)/);
  });
});
