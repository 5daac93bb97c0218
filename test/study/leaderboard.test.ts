import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ALL_DAYS } from '../../src/core/commands/options.ts';
import type { OutboundMessage, UserRef } from '../../src/core/types.ts';
import { backends } from '../helpers/databases.ts';
import { button, createHarness, type Harness, member } from '../helpers/harness.ts';

const LETTERS = ['A', 'B', 'C', 'D'] as const;
const [xia, yan, hal, ivy, kim] = ['Xia', 'Yan', 'Hal', 'Ivy', 'Kim'].map((n) => member(n)) as [
  UserRef,
  UserRef,
  UserRef,
  UserRef,
  UserRef,
];
const boss = member('Boss', { isPlatformAdmin: true });
const DAYS = ['2026-11-16', '2026-11-17', '2026-11-18', '2026-11-19', '2026-11-20', '2026-11-21'];

describe.each(backends)('boards rank with a stated tie-break on $name', (backend) => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness(backend, '2026-11-16T09:00:00Z');
    await h.drill({ timeOfDay: '09:00', days: ALL_DAYS, timezone: 'UTC' });
    // Mon 16 … Sat 21, one drill a day. Yan answers every day wrong at 09:30: 12 points, none correct.
    // Xia answers Friday wrong and Saturday right at 11:00: 12 points too, one correct, reached later.
    // Hal and Ivy answer Monday right at the same instant; Kim answers Tuesday right: 10 points each.
    for (const [i, day] of DAYS.entries()) {
      const q = h.track.cards[i]!.questions[0]!;
      const right = LETTERS[q.correctIndex]!;
      const wrong = LETTERS[(q.correctIndex + 1) % 4]!;
      h.clock.set(`${day}T09:30:00Z`);
      const drill = await h.say(yan, 'today');
      await h.click(yan, button(drill, wrong));
      h.clock.set(`${day}T10:00:00Z`);
      if (i === 0) for (const u of [hal, ivy]) await h.click(u, button(drill, right));
      if (i === 1) await h.click(kim, button(drill, right));
      if (i === 4) await h.click(xia, button(drill, wrong));
      h.clock.set(`${day}T11:00:00Z`);
      if (i === 5) await h.click(xia, button(drill, right));
    }
  });
  afterEach(async () => {
    await h.close();
  });

  const lines = (reply: OutboundMessage) => reply.card!.sections[0]!.body.split('\n');

  it('ranks 1224 with medals: more correct answers first, then who reached the total first; marks the caller', async () => {
    // Streaks beside the names (Hal and Ivy missed the days since theirs); nobody was on last week's board.
    const expected = (trend: string) => [
      `🥇 Xia 🔥2 · 12 pts · 1/2 correct${trend}`,
      `🥈 Yan 🔥6 · 12 pts · 0/6 correct${trend}`,
      `🥉 Hal · 10 pts · 1/1 correct${trend}`,
      `🥉 Ivy · 10 pts · 1/1 correct${trend}`,
      `5. **Kim** · 10 pts · 1/1 correct${trend} ← you`,
    ];
    for (const period of ['week', 'month', 'all']) {
      const board = await h.say(kim, `leaderboard ${period}`);
      expect(board.visibility).toBe('public');
      expect(lines(board)).toEqual(expected(period === 'week' ? ' · new' : ''));
      expect(board.card?.footer).toContain(
        'Ties: more correct answers first, then whoever reached the total first',
      );
    }
  });

  it('tells a hidden member their rank privately and leaves them off the board', async () => {
    await h.say(yan, 'privacy hide');
    const board = await h.say(yan, 'leaderboard');
    expect(board.visibility).toBe('ephemeral');
    expect(lines(board)).toEqual([
      '🥇 Xia 🔥2 · 12 pts · 1/2 correct · new',
      '🥈 Hal · 10 pts · 1/1 correct · new',
      '🥈 Ivy · 10 pts · 1/1 correct · new',
      '4. Kim · 10 pts · 1/1 correct · new',
    ]);
    expect(board.card!.sections[1]!.body).toBe(
      'You are hidden from the public board; your rank would be 2 (12 pts · 0/6 correct).',
    );
    // Everyone else's board stays public and never mentions Yan.
    const others = await h.say(kim, 'leaderboard');
    expect(others.visibility).toBe('public');
    expect(others.text).not.toContain('Yan');
  });

  it('team boards break ties the same way, per member, and mark the caller’s team', async () => {
    await h.say(boss, `team create Apple <@${kim.userId}>`);
    await h.say(boss, `team create Zebra <@${hal.userId}>`);
    const board = await h.say(kim, 'leaderboard all teams');
    // Equal points and correct answers per member: Zebra reached its total on Monday, Apple on Tuesday.
    expect(lines(board)).toEqual([
      '🥇 Zebra · 10.0 pts/member · 1 member · 10 pts',
      '🥈 Apple · 10.0 pts/member · 1 member · 10 pts ← your team',
    ]);
    expect(board.card?.footer).toContain('Ties: more correct answers first');
  });

  it('a week board shows places moved since last week’s final board', async () => {
    // Monday of the next week: Kim (5th last week) answers right, Hal (3rd) wrong, Ivy (3rd) not at all.
    h.clock.set('2026-11-23T09:30:00Z');
    const drill = await h.say(kim, 'today');
    const q = h.track.cards[6]!.questions[0]!;
    expect(drill.card?.title).toContain(h.track.cards[6]!.title);
    await h.click(kim, button(drill, LETTERS[q.correctIndex]!));
    await h.click(hal, button(drill, LETTERS[(q.correctIndex + 1) % 4]!));
    await h.click(yan, button(drill, LETTERS[(q.correctIndex + 1) % 4]!));
    await h.click(xia, button(drill, LETTERS[q.correctIndex]!));
    expect(lines(await h.say(kim, 'leaderboard'))).toEqual([
      // Kim and Xia answered at the same instant, as did Hal and Yan: exact ties share a rank and a medal.
      '🥇 **Kim** 🔥1 · 10 pts · 1/1 correct · ▲4 ← you',
      '🥇 Xia 🔥3 · 10 pts · 1/1 correct · =',
      '🥉 Hal 🔥1 · 2 pts · 0/1 correct · =',
      '🥉 Yan 🔥7 · 2 pts · 0/1 correct · ▼1',
    ]);
    const legend = (await h.say(kim, 'leaderboard')).card?.footer;
    expect(legend).toContain('🔥 study days in a row · ▲▼ places since last week’s final board');
  });
});
