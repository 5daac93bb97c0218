import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { managerCommand, refsAsPlainText } from '../../src/core/render/text.ts';
import { createDispatcher, type Dispatcher } from '../../src/deliveries/dispatcher.ts';
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
  const posted = () =>
    [...slack.messages.values()].filter((m) => !m.replyTo).map((m) => m.versions[0]!.card?.title);
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

  it("a cohort created on a day the channel's drill already posted promises no post today", async () => {
    h.clock.set('2026-11-23T08:00:00Z'); // Monday
    await h.say(boss, 'cohort create "Backend Q1" start:2026-11-23 time:09:00');
    expect((await at('2026-11-23T09:00:30Z')).posted).toBe(1);
    h.clock.set('2026-11-23T10:00:00Z');
    await h.say(boss, 'cohort end');
    // The same day, a second cohort at a later time: the channel has had its drill for today.
    const created = await h.say(boss, 'cohort create "Backend Q2" start:2026-11-23 time:15:00');
    expect((await at('2026-11-23T15:00:30Z')).posted).toBe(0);
    const body = created.card!.sections[0]!.body;
    expect(body).not.toContain("Today's card posts at");
    expect(body).toContain(
      "Today is study day 1 of 215. This channel's drill has already posted today (one a day), so the next card posts on the next study day at 15:00.",
    );
    expect((await at('2026-11-24T15:00:30Z')).posted).toBe(1);
  });
});

describe.each(backends)('manager input gets the right reason on $name', (backend) => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness(backend, '2026-11-20T10:00:00Z'); // a Friday
  });
  afterEach(async () => {
    await h.close();
  });
  const say = async (text: string, channel = CHANNEL) => (await h.say(boss, text, channel)).text;
  const USAGE = `\nUsage: ${managerCommand('schedule set')} <time:HH:MM> [days] [tz] [track] [reveal:HH:MM|none] [auto|weekly|off]`;

  it('each option parser names the option it could not read and shows an example', async () => {
    expect(await say('schedule set 25:00')).toBe(
      `\`time\`: \`25:00\` is not a time of day; use HH:MM (24-hour), e.g. 09:00.${USAGE}`,
    );
    expect(await say('schedule set 09:00 days:fridayz')).toBe(
      `\`days\`: \`fridayz\` is not a list of days; use e.g. mon-fri, tue,thu, tuesdays, weekdays, weekends or daily.${USAGE}`,
    );
    expect(await say('schedule set 09:00 thursdayz')).toBe(
      `\`track\`: \`thursdayz\` is not a track here; tracks: backend. Study days go in \`days\`, e.g. mon-fri, tue,thu, tuesdays, weekdays, weekends or daily.${USAGE}`,
    );
    // A zone typed without its region reads as a track word: the reason still points to `tz`.
    expect(await say('schedule set 09:00 berlin')).toBe(
      `\`track\`: \`berlin\` is not a track here; tracks: backend. A time zone goes in \`tz\` by its IANA name (did you mean Europe/Berlin?). Study days go in \`days\`, e.g. mon-fri, tue,thu, tuesdays, weekdays, weekends or daily.${USAGE}`,
    );
    expect(await say('cohort create Q1 2026-12-01 berlin')).toMatch(
      /^`track`: `berlin` is not a track here; tracks: backend\. A time zone goes in `tz` by its IANA name \(did you mean Europe\/Berlin\?\)\./,
    );
    expect(await say('cohort create Q1 start:2026-11-31 weeks:0')).toMatch(
      /^`start`: `2026-11-31` is not a date; use YYYY-MM-DD, e.g. 2026-12-01\./,
    );
    expect(await say('cohort create Q1 start:2026-12-01 weeks:0')).toMatch(
      /^`weeks`: `0` is too small; use a whole number from 1 to 104, e.g. 4\./,
    );
    expect(await h.study.getDrill(CHANNEL)).toBeUndefined();
  });

  it('common day spellings are days', async () => {
    for (const [days, mask] of [
      ['tuesdays', 0b0000010],
      ['tue', 0b0000010],
      ['tue/thu', 0b0001010],
      ['weekdays', 0b0011111],
      ['Mondays-Wednesdays', 0b0000111],
      ['"mon to fri"', 0b0011111],
      ['"every day"', 0b1111111],
    ] as const) {
      expect(await say(`schedule set 09:00 ${days}`)).toContain("scheduled this channel's drill");
      expect((await h.study.getDrill(CHANNEL))!.schedule.days).toBe(mask);
    }
  });

  it('a reveal time must come after the post time, and reveal:none clears it', async () => {
    const refusal = (reveal: string, post: string) =>
      `\`reveal\`: the answer would be revealed at ${reveal}, before the drill posts at ${post}; give a later time the same day, or reveal:none to reveal it when the next drill opens.${USAGE}`;
    expect(await say('schedule set 09:00 reveal:08:00')).toBe(refusal('08:00', '09:00'));
    expect(await h.study.getDrill(CHANNEL)).toBeUndefined();
    expect(await say('schedule set 09:00 reveal:17:00')).toContain('answer revealed at 17:00');
    expect((await h.study.getDrill(CHANNEL))!.revealTime).toBe('17:00');
    // Moving the post after the kept reveal time is refused too, rather than silently ignoring the reveal.
    expect(await say('schedule set 18:00')).toBe(refusal('17:00', '18:00'));
    expect(await say('schedule set 18:00 reveal:none')).not.toContain('revealed at');
    expect(await h.study.getDrill(CHANNEL)).toMatchObject({
      revealTime: null,
      schedule: { timeOfDay: '18:00' },
    });
  });

  it('help explains every subcommand path', async () => {
    for (const { path } of h.bot.commands.all()) {
      const reply = await h.say(boss, `help ${path.join(' ')}`);
      expect(refsAsPlainText(reply.card!.title), path.join(' ')).toBe(`/roadmap ${path.join(' ')}`);
      expect(refsAsPlainText(reply.text).startsWith(`\`/roadmap ${path.join(' ')}`), path.join(' ')).toBe(
        true,
      );
    }
    const group = await h.say(boss, 'help cohort');
    expect(group.text).toContain(`\`${managerCommand('cohort create')} <name>`);
    expect(group.text).toContain(`\`${managerCommand('cohort export')} [name]\``);
    expect(await say('help schedule sett')).toBe(
      'There is no command "schedule sett". Did you mean `help schedule set` or `help schedule show` or `help schedule skip`?\nUsage: /roadmap help schedule',
    );
  });

  it('drill now tells what will happen', async () => {
    const slack = createFakePlatform('slack');
    const dispatcher = createDispatcher(
      { ...h.study.deps, publishers: new Map([['slack', slack]]) },
      { catchupMs: 6 * HOUR },
    );
    expect(await say('drill now')).toBe(`This channel has no schedule yet.${USAGE}`);
    await say('schedule set 09:00 mon-fri');
    expect(await say('drill now')).toBe("Posting today's drill (day 1, 2026-11-20) in this channel now.");
    expect(await say('drill now')).toBe(
      "Today's drill (day 1, 2026-11-20) opened at 10:00 UTC and is being posted in this channel now; a drill posts once per day.",
    );
    await dispatcher.runOnce();
    const [posted] = [...slack.messages.values()].filter((m) => !m.replyTo);
    expect(await say('drill now')).toBe(
      `Today's drill (day 1, 2026-11-20) is already posted in this channel (message ${posted!.id}); a drill posts once per day. /roadmap today shows it.`,
    );
    h.clock.set('2026-11-21T10:00:00Z'); // Saturday
    expect(await say('drill now')).toBe(
      "Today (Sat 21 Nov, 2026-11-21) is not a study day of this channel's drill (Mon–Fri), so nothing posts. The next drill opens Mon 23 Nov at 09:00 UTC (in 1 day).",
    );
    h.clock.set('2026-11-23T07:00:00Z'); // Monday, before the post: skip it
    await say('schedule skip');
    expect(await say('drill now')).toBe(
      'Today (Mon 23 Nov, 2026-11-23) is skipped, so nothing posts and it counts against nobody’s streak. The next drill opens Tue 24 Nov at 09:00 UTC (in 1 day).',
    );
    await say('schedule pause');
    expect(await say('drill now')).toBe(
      `The drill is paused (paused by Boss), so nothing posts; resume it first with ${managerCommand('schedule resume')}.`,
    );
    const other = { ...CHANNEL, channelId: 'C3' };
    await say('cohort create Later start:2026-12-01', other);
    expect(await say('drill now', other)).toBe(
      'The cohort **Later** starts on 2026-12-01, so nothing posts before then; its first drill posts that day at 09:00 UTC.',
    );
    expect(await h.db.handle.db.selectFrom('deliveries').select('local_date').execute()).toEqual([
      { local_date: '2026-11-20' },
    ]);
  });
});
