/**
 * Review days (issue #15): a channel's drill on a review day shows the taught card its members are closest to
 * forgetting (the largest Σ(1 − R) over the members who studied it), and the programme resumes the next study
 * day; a cohort keeps card N on day N unless its manager opts in.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createDispatcher, type Dispatcher } from '../../src/deliveries/dispatcher.ts';
import { recordReview } from '../../src/memory/memory.ts';
import { practiceEmbargo } from '../../src/practice/embargo.ts';
import { backends } from '../helpers/databases.ts';
import { createFakePlatform, type FakePlatform } from '../helpers/fake-publisher.ts';
import { button, CHANNEL, createHarness, type Harness, member } from '../helpers/harness.ts';

const HOUR = 3_600_000;
const boss = member('Boss', { isPlatformAdmin: true });
const [ana, ben, cy] = [member('Ana'), member('Ben'), member('Cy')];

describe.each(backends)('review days on $name', (backend) => {
  let h: Harness;
  let slack: FakePlatform;
  let dispatcher: Dispatcher;

  async function setup() {
    h = await createHarness(backend, '2026-11-23T07:00:00Z'); // a Monday
    slack = createFakePlatform('slack');
    dispatcher = createDispatcher(
      { ...h.study.deps, publishers: new Map([['slack', slack]]) },
      { catchupMs: 6 * HOUR },
    );
  }
  afterEach(async () => {
    await h?.close();
  });

  /** Runs the scheduler at 09:00:30 UTC on `date`, as the minute ticker would. */
  const openDay = async (date: string) => {
    h.clock.set(`${date}T09:00:30Z`);
    return dispatcher.runOnce();
  };
  const titles = () => drillPosts().map((m) => m.versions[0]!.card?.title);
  const lastPost = () => drillPosts().at(-1)!.versions[0]!;
  /** The drills posted, without the results replies made at reveal. */
  function drillPosts() {
    return [...slack.messages.values()].filter((m) => !m.replyTo);
  }
  const card = (n: number) => h.track.cards[n]!;

  /** The members answer today's drill right: they become the channel's active members. */
  async function answerToday(...who: (typeof ana)[]) {
    const drill = (await h.study.getDrill(CHANNEL))!;
    const delivery = (await h.study.currentDelivery(drill))!;
    const question = h.track.question(delivery.questionId)!;
    for (const m of who) {
      const today = await h.say(m, 'today');
      await h.click(m, button(today, 'ABCD'[question.correctIndex] as 'A'));
    }
  }

  /** A past graded answer on a card, as practice would have recorded it. */
  const remember = (who: typeof ana, n: number, correct: boolean, at: string) =>
    recordReview(h.db.handle.db, {
      member: who,
      cardId: card(n).id,
      questionId: card(n).questions[0]!.id,
      correct,
      source: 'practice',
      answerId: null,
      at: new Date(at),
    });

  /**
   * Four study days (cards 1–4) with the members answering day 4; their memory: card 1 answered right by all
   * three on Thursday, card 2 missed by Ana alone on Monday (the most forgotten single memory), card 3 missed
   * by Ben and Cy on Wednesday. Card 3 is the one most of them are closest to forgetting.
   */
  async function fourDaysWithMemory() {
    for (const date of ['2026-11-23', '2026-11-24', '2026-11-25', '2026-11-26']) {
      expect((await openDay(date)).posted).toBe(1);
    }
    await answerToday(ana, ben, cy);
    for (const m of [ana, ben, cy]) await remember(m, 0, true, '2026-11-26T10:00:00Z');
    await remember(ana, 1, false, '2026-11-23T10:00:00Z');
    for (const m of [ben, cy]) await remember(m, 2, false, '2026-11-25T10:00:00Z');
  }

  it('the fifth study day reviews the card the most members are closest to forgetting; the programme resumes the next day', async () => {
    await setup();
    await h.say(boss, 'schedule set 09:00 daily UTC');
    await fourDaysWithMemory();

    // Friday, study day 5: a review of card 3 (both who missed it have it due), not card 5.
    expect((await openDay('2026-11-27')).posted).toBe(1);
    const review = lastPost();
    expect(review.card?.title).toBe(`Day 5 · Review · ${card(2).title}`);
    expect(review.card?.sections[0]?.body).toBe('🔁 Review day: 2 of you are due on this.');
    const drill = (await h.study.getDrill(CHANNEL))!;
    expect(drill.position).toBe(4);
    const delivery = (await h.study.currentDelivery(drill))!;
    expect(delivery).toMatchObject({ isReview: true, reviewDue: 2, cardId: card(2).id });
    // It comes back with another of the card's questions than the one its first day asked.
    expect(delivery.questionId).toBe(card(2).questions[1 % card(2).questions.length]!.id);
    // It is answered like any drill, and counts for the streak.
    const today = await h.say(ben, 'today');
    const question = h.track.question(delivery.questionId)!;
    const result = await h.click(ben, button(today, 'ABCD'[question.correctIndex] as 'A'));
    expect(result.card?.footer).toContain('Streak: 2 study days');
    await answerToday(ana, cy);

    // Saturday: the programme resumes with card 5.
    expect((await openDay('2026-11-28')).posted).toBe(1);
    expect(lastPost().card?.title).toBe(`Day 5 · ${card(4).title}`);
    expect((await h.study.getDrill(CHANNEL))!.position).toBe(5);
    expect(titles()).toHaveLength(6);
  });

  it('review:off never reviews, and schedule show says so', async () => {
    await setup();
    await h.say(boss, 'schedule set 09:00 daily UTC review:off');
    await fourDaysWithMemory();
    await openDay('2026-11-27');
    expect(lastPost().card?.title).toBe(`Day 5 · ${card(4).title}`);
    expect((await h.say(ana, 'schedule show')).text).toContain('**Review days:** off');
    // Unset, a later `schedule set` keeps the setting.
    await h.say(boss, 'schedule set 09:00 daily UTC');
    expect((await h.study.getDrill(CHANNEL))!.reviewMode).toBe('off');
  });

  it('a cohort keeps card N on day N by default, however much its members have forgotten', async () => {
    await setup();
    await h.say(boss, 'cohort create Q1 start:2026-11-23 weeks:2 days:daily time:09:00 tz:UTC');
    await fourDaysWithMemory();
    await openDay('2026-11-27');
    expect(titles()).toEqual([0, 1, 2, 3, 4].map((n) => `Day ${n + 1} · ${card(n).title}`));
    expect((await h.say(ana, 'schedule show')).text).toContain('**Review days:** off');
  });

  it('a cohort whose manager opts in reviews on day 5 and shows card 5 on day 6, and practice keeps it secret until then', async () => {
    await setup();
    await h.say(boss, 'cohort create Q1 start:2026-11-23 weeks:2 days:daily time:09:00 tz:UTC');
    await h.say(boss, 'schedule set 09:00 daily UTC review:auto');
    await fourDaysWithMemory();
    await openDay('2026-11-27');
    expect(lastPost().card?.title).toBe(`Day 5 · Review · ${card(2).title}`);
    // Card 5 is still to come, on day 6: practice does not serve it.
    expect((await practiceEmbargo(h.study.deps, CHANNEL, ana.userId)).cards.has(card(4).id)).toBe(true);
    await answerToday(ana, ben, cy);
    await openDay('2026-11-28');
    expect(lastPost().card?.title).toBe(`Day 6 · ${card(4).title}`);
    // Turned off again, the cohort keeps the delay: no card is left out.
    await h.say(boss, 'schedule set 09:00 daily UTC review:off');
    await openDay('2026-11-29');
    expect(lastPost().card?.title).toBe(`Day 7 · ${card(5).title}`);
  });

  it('review:weekly reviews on the first study day of the week, not on the fifth study day', async () => {
    await setup();
    await h.say(boss, 'schedule set 09:00 daily UTC review:weekly');
    await fourDaysWithMemory();
    for (const date of ['2026-11-27', '2026-11-28', '2026-11-29']) await openDay(date);
    expect(titles().slice(4)).toEqual([4, 5, 6].map((n) => `Day ${n + 1} · ${card(n).title}`));
    await openDay('2026-11-30'); // Monday
    expect(lastPost().card?.title).toMatch(/^Day 8 · Review · /);
    expect((await h.study.getDrill(CHANNEL))!.position).toBe(7);
  });

  it('a bad review value names the option', async () => {
    await setup();
    const reply = await h.say(boss, 'schedule set 09:00 review:sometimes');
    expect(reply.text).toMatch(/^`review`: `sometimes` is not one of auto, weekly, off; e\.g\. auto\./);
    expect(await h.study.getDrill(CHANNEL)).toBeUndefined();
  });
});
