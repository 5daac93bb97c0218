import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ALL_DAYS } from '../../src/core/commands/options.ts';
import type { OutboundMessage } from '../../src/core/types.ts';
import { backends } from '../helpers/databases.ts';
import { createHarness, type Harness, member } from '../helpers/harness.ts';

const LETTERS = ['A', 'B', 'C', 'D'] as const;
const ana = member('Ana');
const ben = member('Ben');

describe.each(backends)('`answer X` answers what the member sees on $name', (backend) => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness(backend, '2026-11-20T10:00:00Z');
    await h.drill({ timeOfDay: '09:00', days: ALL_DAYS, timezone: 'UTC' });
    await h.say(ana, 'today'); // day 1 opens
    h.clock.set('2026-11-21T09:30:00Z');
    await h.say(ben, 'today'); // day 2 opens and day 1 is revealed: its card may be practised
  });
  afterEach(async () => {
    await h.close();
  });

  /** The question a reply shows: the section (practice's "Question", or the drill's) led by its stem in bold. */
  const questionOf = (reply: OutboundMessage) => {
    const stems = (reply.card?.sections ?? []).map((s) => s.body.split('\n')[0]!.replace(/\*\*/g, ''));
    return h.track.cards.flatMap((c) => c.questions).find((q) => stems.includes(q.stem))!;
  };
  const anasAnswers = () =>
    h.db.handle.db
      .selectFrom('answers')
      .select(['delivery_id', 'practice_id', 'question_id'])
      .where('user_id', '=', ana.userId)
      .execute();

  it('with the drill on screen after a practice prompt, the drill is answered and the reply says so', async () => {
    h.clock.set('2026-11-21T09:40:00Z');
    const practice = await h.say(ana, 'quiz');
    expect(questionOf(practice).cardId).toBe(h.track.cards[0]!.id);
    h.clock.set('2026-11-21T09:50:00Z');
    const drill = await h.say(ana, 'today');
    expect(drill.card?.title).toBe(`Day 2 · ${h.track.cards[1]!.title}`);

    const q = questionOf(drill);
    const reply = await h.say(ana, `answer ${LETTERS[q.correctIndex]}`);
    expect(reply.card?.sections[0]?.body).toBe(`Drill, day 2 · **${h.track.cards[1]!.title}**: ${q.stem}`);
    expect(reply.card?.footer).toContain('+10 points');
    expect(await anasAnswers()).toEqual([
      expect.objectContaining({ question_id: q.id, practice_id: null, delivery_id: expect.any(Number) }),
    ]);
  });

  it('a practice prompt shown after the drill is what gets answered; an answered one gives way', async () => {
    h.clock.set('2026-11-21T09:40:00Z');
    await h.say(ana, 'today');
    h.clock.set('2026-11-21T09:50:00Z');
    const practice = await h.say(ana, 'quiz');
    const q = questionOf(practice);
    const reply = await h.say(ana, `answer ${LETTERS[q.correctIndex]}`);
    expect(reply.card?.sections[0]?.body).toBe(`Practice · **${h.track.cards[0]!.title}**: ${q.stem}`);
    expect(reply.card?.footer).toMatch(/^Next review in \d+ days · Practice: \/roadmap quiz for another$/);

    // The prompt is answered, so the next `answer` goes to the drill still open in the channel.
    const drillQuestion = h.track.cards[1]!.questions[0]!;
    const next = await h.say(ana, `answer ${LETTERS[drillQuestion.correctIndex]}`);
    expect(next.card?.sections[0]?.body).toBe(
      `Drill, day 2 · **${h.track.cards[1]!.title}**: ${drillQuestion.stem}`,
    );
    expect((await anasAnswers()).map((a) => a.question_id).sort()).toEqual([q.id, drillQuestion.id].sort());
  });
});
