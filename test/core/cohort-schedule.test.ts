import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDispatcher, type Dispatcher } from '../../src/study/dispatcher.ts';
import { backends } from '../helpers/databases.ts';
import { createFakePlatform, type FakePlatform } from '../helpers/fake-publisher.ts';
import { CHANNEL, createHarness, type Harness, member } from '../helpers/harness.ts';

const boss = member('Boss', { isPlatformAdmin: true });
const HOUR = 3_600_000;

describe.each(backends)('cohorts on a channel over time on $name', (backend) => {
  let h: Harness;
  let slack: FakePlatform;
  let dispatcher: Dispatcher;
  beforeEach(async () => {
    h = await createHarness(backend, '2026-11-20T10:00:00Z'); // a Friday
    slack = createFakePlatform('slack');
    dispatcher = createDispatcher(
      { ...h.study.deps, publishers: new Map([['slack', slack]]) },
      { catchupMs: 6 * HOUR },
    );
  });
  afterEach(async () => {
    await h.close();
  });
  /** Moves the clock and runs the scheduler, as the minute ticker would. */
  const at = async (instant: string) => {
    h.clock.set(instant);
    return dispatcher.runOnce();
  };
  const posted = () => [...slack.messages.values()].map((m) => m.versions[0]!.card?.title);
  const cardTitle = (day: number) => `Day ${day} · ${h.track.cards[day - 1]!.title}`;

  it('a second cohort after `cohort end` posts, back-dated to its study day; the ended one keeps its pace and length', async () => {
    await h.say(boss, 'cohort create "Backend Q1" start:2026-11-23 weeks:1 days:mon-fri time:09:00 tz:UTC');
    expect((await at('2026-11-23T09:00:30Z')).posted).toBe(1);
    expect((await at('2026-11-24T09:00:30Z')).posted).toBe(1);
    h.clock.set('2026-11-24T12:00:00Z');
    await h.say(boss, 'cohort end');
    expect((await h.study.getDrill(CHANNEL))?.status).toBe('paused');

    // Wednesday: a new cohort back-dated to Monday, Mon/Wed/Fri at 08:00 (already past today).
    h.clock.set('2026-11-25T10:00:00Z');
    const created = await h.say(
      boss,
      'cohort create "Backend Q2" start:2026-11-23 days:mon,wed,fri time:08:00',
    );
    expect(await h.study.getDrill(CHANNEL)).toMatchObject({ status: 'active', pauseReason: null });
    expect((await at('2026-11-25T10:00:05Z')).posted).toBe(1);
    expect(posted().at(-1)).toBe(cardTitle(2));
    expect(created.card!.sections[0]!.body).toContain(
      "It started on **2026-11-23**. Today is study day 2 of 215. Today's card (study day 2) posts now.",
    );
    // Friday at its own time: study day 3, once.
    expect((await at('2026-11-27T08:00:30Z')).posted).toBe(1);
    expect((await at('2026-11-27T08:05:00Z')).posted).toBe(0);
    expect(posted().at(-1)).toBe(cardTitle(3));

    // The ended cohort still reads as it ran: Mon–Fri at 09:00 UTC, two study days until it ended.
    const q1 = await h.say(boss, 'cohort show "Backend Q1"');
    expect(q1.text).toBe('Backend Q1 (ended): Ended on 2026-11-24: 2 study days. 0 members.');
    expect(q1.card!.fields).toEqual([
      { label: 'Dates', value: '2026-11-23 to 2026-11-24', inline: true },
      { label: 'Pace', value: 'Mon–Fri at 09:00 UTC', inline: true },
      { label: 'Study days', value: '2 of 2 done', inline: true },
    ]);
    const q2 = await h.say(boss, 'cohort show');
    expect(q2.card!.fields![1]).toEqual({ label: 'Pace', value: 'Mon, Wed, Fri at 08:00 UTC', inline: true });
  });

  it('a cohort that starts today after its time serves day 1 today, not from tomorrow on', async () => {
    h.clock.set('2026-11-23T10:00:00Z'); // Monday, after 09:00
    const created = await h.say(boss, 'cohort create "Backend Q1" start:2026-11-23 time:09:00');
    expect((await at('2026-11-23T10:00:05Z')).posted).toBe(1);
    expect(created.card!.sections[0]!.body).toContain("Today's card (study day 1) posts now.");
    expect((await at('2026-11-24T09:00:30Z')).posted).toBe(1);
    expect(posted()).toEqual([cardTitle(1), cardTitle(2)]);
  });
});
