import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { renderSlackMessage } from '../../src/adapters/slack/slack-render.ts';
import { ALL_DAYS, WEEKDAYS } from '../../src/core/commands/options.ts';
import { managerCommand } from '../../src/core/render/text.ts';
import type { OutboundMessage } from '../../src/core/types.ts';
import { backends } from '../helpers/databases.ts';
import { button, CHANNEL, createHarness, type Harness, member } from '../helpers/harness.ts';

const LETTERS = ['A', 'B', 'C', 'D'] as const;
const ana = member('Ana');
const ben = member('Ben');

describe.each(backends)('commands on $name', (backend) => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness(backend, '2026-11-20T10:00:00Z');
  });
  afterEach(async () => {
    await h.close();
  });

  /** The day's question and its right and a wrong letter, read from the curriculum, not hard-coded. */
  const keyFor = (studyDay: number) => {
    const q = h.track.cards[studyDay - 1]!.questions[0]!;
    return { right: LETTERS[q.correctIndex]!, wrong: LETTERS[(q.correctIndex + 1) % 4]!, question: q };
  };
  const deliveries = () =>
    h.db.handle.db.selectFrom('deliveries').selectAll().orderBy('local_date').execute();

  it("today shows the channel's drill with buttons; the first answer counts and is final", async () => {
    await h.drill({ timeOfDay: '09:00', days: ALL_DAYS, timezone: 'UTC' });
    const drill = await h.say(ana, 'today');
    expect(drill.card?.title).toBe(`Day 1 · ${h.track.cards[0]!.title}`);
    expect(drill.card?.buttons?.map((b) => b.key)).toEqual(['A', 'B', 'C', 'D', 'R']);
    expect(drill.visibility).toBe('ephemeral');
    expect(drill.text).toContain(keyFor(1).question.stem);

    const { right, wrong, question } = keyFor(1);
    const first = await h.click(ana, button(drill, right));
    expect(first.card?.title).toBe(`✅ Correct: ${right}`);
    expect(first.text).toContain(question.explanation);
    expect(first.card?.footer).toContain('+10 points');
    expect(first.card?.footer).toContain('Streak: 1 study day');

    const again = await h.click(ana, button(drill, wrong));
    expect(again.text).toBe(`You already answered ${right} (correct); the first answer is final.`);

    const benResult = await h.click(ben, button(drill, wrong));
    expect(benResult.card?.title).toBe(`❌ Not quite: the answer is ${right}`);
    expect(benResult.text).toContain(question.options[LETTERS.indexOf(wrong)]!.why);
    expect(benResult.card?.footer).toContain('+2 points');

    const answers = await h.db.handle.db.selectFrom('answers').selectAll().execute();
    expect(answers).toHaveLength(2);
    expect((await h.say(ana, 'today')).card?.footer).toContain('2 answered');
  });

  it('two members: me and leaderboard reflect their points', async () => {
    await h.drill({ timeOfDay: '09:00', days: ALL_DAYS, timezone: 'UTC' });
    const drill = await h.say(ana, 'today');
    await h.click(ana, button(drill, keyFor(1).right));
    await h.say(ben, `answer ${keyFor(1).wrong}`);

    const board = await h.say(ben, 'leaderboard');
    expect(board.visibility).toBe('public');
    expect(board.card!.sections[0]!.body).toBe(
      '🥇 Ana 🔥1 · 10 pts · 1/1 correct · new\n🥈 **Ben** 🔥1 · 2 pts · 0/1 correct · new ← you',
    );
    expect(board.card?.title).toBe('Leaderboard · this week (since 2026-11-16)');

    const me = await h.say(ana, 'me');
    expect(me.card?.fields).toEqual(
      expect.arrayContaining([
        { label: 'Streak', value: '1 (best 1)', inline: true },
        { label: 'Points this week', value: '10', inline: true },
        { label: 'Accuracy', value: '100% of 1', inline: true },
      ]),
    );
    expect(me.card!.sections[0]!.body).toContain(
      `${h.track.modules[0]!.title} 1/${h.track.modules[0]!.cards.length}`,
    );
  });

  it('opens each day once, even when many ask at the same moment', async () => {
    await h.drill({ timeOfDay: '09:00', days: ALL_DAYS, timezone: 'UTC' });
    const replies = await Promise.all([ana, ben, ana, ben, member('Cy')].map((u) => h.say(u, 'today')));
    expect(new Set(replies.map((r) => r.card?.title))).toEqual(
      new Set([`Day 1 · ${h.track.cards[0]!.title}`]),
    );
    expect(await deliveries()).toHaveLength(1);
    const drill = await h.db.handle.db.selectFrom('drills').select('position').executeTakeFirstOrThrow();
    expect(drill.position).toBe(1);
  });

  it('advances one card per study day, closes the old drill, and keeps streak history honest', async () => {
    await h.drill({ timeOfDay: '09:00', days: WEEKDAYS, timezone: 'UTC' });
    // Mon 16 … Fri 20 and Mon 23: Ana answers Mon–Wed, skips Thu, answers Fri and Mon.
    const days = ['2026-11-16', '2026-11-17', '2026-11-18', '2026-11-19', '2026-11-20', '2026-11-23'];
    let firstDrill: OutboundMessage | undefined;
    for (const [i, day] of days.entries()) {
      h.clock.set(`${day}T12:00:00Z`);
      const drill = await h.say(ana, 'today');
      firstDrill ??= drill;
      expect(drill.card?.title).toBe(`Day ${i + 1} · ${h.track.cards[i]!.title}`);
      if (day !== '2026-11-19') await h.click(ana, button(drill, keyFor(i + 1).right));
    }
    const late = await h.click(ben, button(firstDrill!, 'A'));
    expect(late.text).toBe(
      'The drill of 2026-11-16 is closed: answers count only while a drill is open. Try /roadmap today.',
    );

    const history = await h.say(ana, 'streak history');
    expect(history.card!.sections[0]!.body.split('\n')).toEqual([
      '✅ 2026-11-16 answered',
      '✅ 2026-11-17 answered',
      '✅ 2026-11-18 answered',
      '❌ 2026-11-19 missed',
      '✅ 2026-11-20 answered',
      '✅ 2026-11-23 answered',
    ]);
    expect(history.card?.footer).toContain('Streak: 2 study days (best 3)');
  });

  it('on a non-study day today points to the next drill', async () => {
    await h.drill({ timeOfDay: '09:00', days: WEEKDAYS, timezone: 'Europe/Berlin' });
    h.clock.set('2026-11-21T10:00:00Z'); // Saturday
    const reply = await h.say(ana, 'today');
    expect(reply.text).toBe(
      'No drill is open right now. The next one opens 2026-11-23 at 09:00 Europe/Berlin (in 46 h). Try /roadmap quiz meanwhile.',
    );
    expect(await deliveries()).toHaveLength(0);
  });

  it('practice questions come from the curriculum and never reach the board', async () => {
    await h.drill({ timeOfDay: '09:00', days: ALL_DAYS, timezone: 'UTC' });
    const drill = await h.say(ana, 'today');
    await h.click(ana, button(drill, keyFor(1).wrong));
    // Practice never gives a drill away: day 1 is still open and every later card is a coming drill.
    expect((await h.say(ana, 'quiz')).text).toMatch(/^Nothing to practise right now/);

    // A day later day 2 has opened and closed day 1: the missed drill question comes back as a review.
    h.clock.advance(24 * 60 * 60 * 1000);
    await h.say(ana, 'today');
    const review = await h.say(ana, 'quiz');
    expect(review.card?.title).toMatch(/^Practice · /);
    expect(review.card?.footer).toMatch(/^Review: you missed this one before/);
    expect(review.card?.footer).toContain('practice answers do not count on the board');
    expect(review.text).toContain(keyFor(1).question.stem);
    await h.say(ana, `answer ${keyFor(1).right}`);

    const practice = await h.say(ana, 'quiz');
    const stem = practice.card!.sections[0]!.body.split('\n')[0]!.replace(/\*\*/g, '');
    const q = h.track.cards.flatMap((c) => c.questions).find((x) => x.stem === stem)!;
    // Day 1's card has unanswered questions left: practice continues there, never on day 2's card.
    expect(q.cardId).toBe(h.track.cards[0]!.id);
    const result = await h.say(ana, `answer ${LETTERS[q.correctIndex]}`);
    expect(result.card?.title).toBe(`✅ Correct: ${LETTERS[q.correctIndex]}`);
    expect(result.card?.footer).toMatch(/^Next review in \d+ days · Practice: \/roadmap quiz for another$/);

    const board = await h.say(ana, 'leaderboard all');
    expect(board.card!.sections[0]!.body).toBe('🥇 **Ana** 🔥1 · 2 pts · 0/1 correct ← you');
  });

  it('quiz <module> stays in that module', async () => {
    const moduleId = h.track.modules[1]!.id;
    const reply = await h.say(ana, `quiz ${moduleId}`);
    expect(reply.card?.footer).toContain(h.track.modules[1]!.title);
  });

  it('privacy hide keeps a member off public boards but their answers count', async () => {
    await h.drill({ timeOfDay: '09:00', days: ALL_DAYS, timezone: 'UTC' });
    const drill = await h.say(ana, 'today');
    await h.click(ana, button(drill, keyFor(1).right));
    await h.click(ben, button(drill, keyFor(1).wrong));
    expect((await h.say(ana, 'privacy hide')).text).toContain('hidden from public leaderboards');
    const board = await h.say(ana, 'leaderboard');
    expect(board.card!.sections[0]!.body).toBe('🥇 Ben 🔥1 · 2 pts · 0/1 correct · new');
    await h.say(ana, 'privacy show');
    expect((await h.say(ben, 'leaderboard')).card!.sections[0]!.body).toContain('🥇 Ana 🔥1 · 10 pts');
  });

  it("shows the caller's own rank under the top 10", async () => {
    await h.drill({ timeOfDay: '09:00', days: ALL_DAYS, timezone: 'UTC' });
    const drill = await h.say(ana, 'today');
    const { right, wrong } = keyFor(1);
    for (let i = 0; i < 11; i++)
      await h.click(member(`P${String(i).padStart(2, '0')}`), button(drill, right));
    await h.click(ana, button(drill, wrong));
    const lines = (await h.say(ana, 'leaderboard')).card!.sections[0]!.body.split('\n');
    expect(lines).toHaveLength(12);
    expect(lines[0]).toBe('🥇 P00 🔥1 · 10 pts · 1/1 correct · new');
    expect(lines[9]).toBe('🥇 P09 🔥1 · 10 pts · 1/1 correct · new');
    expect(lines.slice(10)).toEqual(['…', '12. **Ana** 🔥1 · 2 pts · 0/1 correct · new ← you']);
  });

  it('without a drill, today gives the member their own next card and the board explains itself', async () => {
    const card = await h.say(ana, 'today');
    expect(card.card?.title).toBe(h.track.cards[0]!.title);
    expect(card.card?.footer).toMatch(/^Your next card/);
    const board = await h.say(ana, 'leaderboard');
    expect(board.text).toBe(
      `This channel has no drill yet, so there is no board.\nUsage: ${managerCommand('schedule set')} <HH:MM> (managers)`,
    );
    expect((await h.say(ana, 'streak history')).text).toBe(
      'This channel has no drill, so there is no streak history here.',
    );
  });

  it('one workspace never answers or sees another workspace’s drill', async () => {
    await h.drill({ timeOfDay: '09:00', days: ALL_DAYS, timezone: 'UTC' });
    const drill = await h.say(ana, 'today');
    const outsider = {
      platform: 'slack' as const,
      workspaceId: 'T2',
      channelId: 'C1',
      userId: 'U-eve',
      displayName: 'Eve',
    };
    const reply = await h.click(outsider, button(drill, 'A'), {
      platform: 'slack',
      workspaceId: 'T2',
      channelId: 'C1',
    });
    expect(reply.text).toBe('That drill does not exist here.');
    const board = await h.say(outsider, 'leaderboard', {
      platform: 'slack',
      workspaceId: 'T2',
      channelId: 'C1',
    });
    expect(board.text).toContain('no drill yet');
  });

  it("a click is bound to its drill's channel: another channel's delivery id is refused and not counted", async () => {
    const other = { ...CHANNEL, channelId: 'C2' };
    await h.drill({ timeOfDay: '09:00', days: ALL_DAYS, timezone: 'UTC' });
    await h.drill({ timeOfDay: '09:00', days: ALL_DAYS, timezone: 'UTC' }, other);
    const drill = await h.say(ana, 'today');
    await h.say(ana, 'today', other);
    // The button of C1's drill, clicked (replayed) from C2 in the same workspace.
    const reply = await h.click(ana, button(drill, keyFor(1).right), other);
    expect(reply.text).toBe('That drill does not exist here.');
    const answers = await h.db.handle.db.selectFrom('answers').selectAll().execute();
    expect(answers).toEqual([]);
    const points = await h.db.handle.db.selectFrom('member_points').selectAll().execute();
    expect(points).toEqual([]);
    // In its own channel the same button counts.
    expect((await h.click(ana, button(drill, keyFor(1).right))).text).toMatch(/correct/i);
  });

  it("a cohort's Join button is bound to its channel: clicked from another channel it enrols nobody", async () => {
    const boss = member('Boss', { isPlatformAdmin: true });
    const other = { ...CHANNEL, channelId: 'C2' };
    const created = await h.say(boss, 'cohort create "Backend Q1" start:2026-11-23');
    const join = created.card!.buttons!.find((b) => b.label === 'Join the cohort')!;
    // The button of C1's cohort, clicked (replayed) from C2 in the same workspace.
    expect((await h.click(ana, join, other)).text).toBe('That cohort does not exist here.');
    expect(await h.db.handle.db.selectFrom('cohort_members').selectAll().execute()).toEqual([]);
    // In its own channel the same button enrols.
    expect((await h.click(ana, join)).text).toMatch(/^You joined \*\*Backend Q1\*\*/);
  });

  it('a reason echoes what was typed on one line, clipped, and never as a link', async () => {
    const typed = 'Blue\n\n[Reset your password](https://evil.example/)';
    const reply = await h.say(ana, `team join "${typed}"`);
    const [reason, usage, ...rest] = reply.text.split('\n');
    expect(rest).toEqual([]);
    expect(usage).toBe('Usage: /roadmap team list');
    expect(reason).toBe(
      'There is no team `Blue [Reset your password]\u200B(https://evi…`: this channel has no teams yet.',
    );
    expect(renderSlackMessage(reply).text).not.toContain('<https://evil.example');
  });

  describe('bad input answers with one line and the usage', () => {
    const cases: [string, string][] = [
      ['frobnicate', 'Unknown command `frobnicate`.'],
      ['leaderbord', 'Unknown command `leaderbord`. Did you mean `leaderboard`?'],
      ['answer', '`choice` is required: Your answer, A to D.'],
      ['answer E', '`choice`: `E` is not one of A, B, C, D; e.g. A.'],
      ['leaderboard week extra stuff', 'Unexpected `stuff`: `leaderboard` takes no more arguments.'],
      [`today ${'x'.repeat(10_000)}`, 'That command is 10,006 characters long; the limit is 1,000.'],
      ['today\u0007', 'That command contains control characters; type it again without them.'],
    ];
    it.each(cases)('%j', async (text, reason) => {
      const reply = await h.say(ana, text);
      const [first, usage, ...rest] = reply.text.split('\n');
      expect(first).toBe(reason);
      expect(usage).toMatch(/^Usage: \/roadmap/);
      expect(rest).toEqual([]);
      expect(reply.visibility).toBe('ephemeral');
    });

    it('answering with nothing open says so', async () => {
      const reply = await h.say(ana, 'answer B');
      expect(reply.text.split('\n')[0]).toBe('No question is open here.');
    });

    it('a forged button value is refused', async () => {
      const forged = await h.click(ana, { actionId: 'roadmap.answer', value: 'd:abc:9', label: 'A' });
      expect(forged.text).toBe('That button is not valid.');
    });
  });

  it('help is generated from the definitions', async () => {
    const all = await h.say(ana, 'help');
    for (const name of [
      'today',
      'quiz',
      'answer',
      'me',
      'streak',
      'leaderboard',
      'topics',
      'privacy',
      'help',
    ]) {
      expect(all.text).toContain(`/roadmap ${name}`);
    }
    const one = await h.say(ana, 'help leaderboard');
    expect(one.text).toContain('`/roadmap leaderboard [week|month|all] [members|teams]`');
    expect(one.text).toContain('Examples:');
  });

  it('topics lists every module with progress', async () => {
    const reply = await h.say(ana, 'topics');
    expect(reply.card!.sections[0]!.body.split('\n')).toHaveLength(h.track.modules.length);
  });

  it('remembers members and keeps their latest display name', async () => {
    await h.say(ana, 'me', CHANNEL);
    await h.say({ ...ana, displayName: 'Ana María' }, 'me');
    const row = await h.db.handle.db
      .selectFrom('members')
      .selectAll()
      .where('user_id', '=', ana.userId)
      .executeTakeFirstOrThrow();
    expect(row.display_name).toBe('Ana María');
  });
});
