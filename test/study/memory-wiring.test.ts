import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ALL_DAYS } from '../../src/core/commands/options.ts';
import type { ChannelRef, OutboundMessage } from '../../src/core/types.ts';
import { recordReview } from '../../src/memory/memory.ts';
import { backends } from '../helpers/databases.ts';
import { button, CHANNEL, createHarness, type Harness, member } from '../helpers/harness.ts';

const LETTERS = ['A', 'B', 'C', 'D'] as const;
const DAY = 24 * 60 * 60 * 1000;
const ana = member('Ana');
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
});
