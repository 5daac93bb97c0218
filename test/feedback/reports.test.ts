import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBot } from '../../src/bot/bot.ts';
import { LETTERS } from '../../src/content/track.ts';
import { ALL_DAYS } from '../../src/core/commands/options.ts';
import { silentLog } from '../../src/core/log.ts';
import { managerCommand } from '../../src/core/render/text.ts';
import type { Button, ChannelRef, OutboundMessage, UserRef } from '../../src/core/types.ts';
import type { ReportReason } from '../../src/db/schema-feedback.ts';
import { deliveryMessage } from '../../src/deliveries/delivery-message.ts';
import { REPORT_ACTION } from '../../src/deliveries/report-button.ts';
import { REPORT_REASON_ACTION, reasonValue } from '../../src/feedback/messages.ts';
import { backends } from '../helpers/databases.ts';
import { button, CHANNEL, createHarness, type Harness, member } from '../helpers/harness.ts';

const boss = member('Boss', { isPlatformAdmin: true });
const ana = member('Ana');
const ben = member('Ben');
const cy = member('Cy');
const dee = member('Dee');
const eve = member('Eve');
const fay = member('Fay');
const DAILY = { timeOfDay: '09:00', days: ALL_DAYS, timezone: 'UTC' };
/** A channel without a drill, where `quiz` and `today` serve practice. */
const PRACTICE: ChannelRef = { ...CHANNEL, channelId: 'C9' };
const OTHER: ChannelRef = { platform: 'slack', workspaceId: 'T2', channelId: 'C1' };

const reportButtonOf = (m: OutboundMessage): Button => {
  const b = m.card?.buttons?.find((x) => x.actionId === REPORT_ACTION);
  if (!b) throw new Error(`no report button on: ${m.text.slice(0, 80)}`);
  return b;
};
const labelled = (m: OutboundMessage, label: string) => m.card!.buttons!.find((b) => b.label === label)!;
/** A reason button as "Report a problem" offers it; any member may report any question of the curriculum. */
const reasonButton = (questionId: string, reason: ReportReason = 'wrong-key'): Button => ({
  actionId: REPORT_REASON_ACTION,
  value: reasonValue('practice', questionId, reason),
  label: reason,
  personal: true,
});

describe.each(backends)('reporting a question on $name', (backend) => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness(backend, '2026-11-20T10:00:00Z');
  });
  afterEach(async () => {
    await h.close();
  });

  const rows = () => h.db.handle.db.selectFrom('question_reports').selectAll().orderBy('id').execute();
  const reportBy = (users: UserRef[], questionId: string, channel: ChannelRef = CHANNEL) =>
    Promise.all(users.map((u) => h.click({ ...u, ...channel }, reasonButton(questionId), channel)));
  /** The question of the drill delivery opened on a date, in a workspace. */
  const drillOn = async (localDate: string, workspaceId = 'T1') =>
    h.db.handle.db
      .selectFrom('deliveries')
      .select(['card_id', 'question_id'])
      .where('workspace_id', '=', workspaceId)
      .where('local_date', '=', localDate)
      .executeTakeFirstOrThrow();
  const practised = async (user: UserRef) =>
    h.db.handle.db
      .selectFrom('practice_prompts')
      .select(['card_id', 'question_id'])
      .where('user_id', '=', user.userId)
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();

  it('a member reports from a result with a reason button; the report keeps what was reported and where', async () => {
    await h.drill(DAILY);
    const card = h.track.cards[0]!;
    const question = card.questions[0]!;
    const drill = await h.say(ana, 'today');
    const result = await h.click(ana, button(drill, LETTERS[question.correctIndex]!));
    const choice = await h.click(ana, reportButtonOf(result));
    expect(choice.card!.title).toBe('Report a problem');
    expect(choice.card!.buttons!.map((b) => b.label)).toEqual([
      'Wrong key',
      'Unclear',
      'Outdated',
      'Typo',
      'Something else',
    ]);
    const thanks = await h.click(ana, labelled(choice, 'Unclear'));
    expect(thanks.text).toContain(
      `Thanks: your report on **${card.title}**, question 1 (unclear) is recorded.`,
    );
    expect(thanks.text).toContain(`Managers here see it with ${managerCommand('content reports')}`);
    expect(thanks.text).toContain('once 3 members report it, it is set aside');
    expect(await rows()).toMatchObject([
      {
        platform: 'slack',
        workspace_id: 'T1',
        channel_id: 'C1',
        user_id: ana.userId,
        question_id: question.id,
        card_id: card.id,
        content_version: h.track.version,
        source: 'drill',
        reason: 'unclear',
        note: null,
        resolved_at: null,
      },
    ]);

    // The command adds a note to the same report: a member counts once.
    const noted = await h.say(ana, 'report other "C is right too, see [this](https://evil.example) <@U1>"');
    expect(noted.text).toContain('is updated with your note `C is right too');
    const [row, ...more] = await rows();
    expect(more).toEqual([]);
    expect(row).toMatchObject({ reason: 'other', source: 'drill' });
    expect(row!.note).toContain('<@U1>');
    // Shown only as code, and the link is broken up: user text never becomes live markup.
    expect(noted.text).not.toContain('](https://');

    // Anyone in the channel may report from the reveal.
    const reveal = await deliveryMessage(
      h.study.deps,
      (await h.study.currentDelivery((await h.study.getDrill(CHANNEL))!))!,
      'revealed',
    );
    const fromReveal = await h.click(ben, reportButtonOf(reveal));
    await h.click(ben, labelled(fromReveal, 'Typo'));
    expect((await rows()).map((r) => [r.user_id, r.source, r.reason])).toEqual([
      [ana.userId, 'drill', 'other'],
      [ben.userId, 'reveal', 'typo'],
    ]);
  });

  it('`report` takes the question seen last here, refuses a note over 300 characters, and says when there is none', async () => {
    const none = await h.say(ana, 'report typo', PRACTICE);
    expect(none.text).toContain('You have not met a question here yet');
    await h.say(ana, 'quiz', PRACTICE);
    const prompt = await practised(ana);
    const tooLong = await h.say(ana, `report typo "${'x'.repeat(301)}"`, PRACTICE);
    expect(tooLong.text).toContain('`note` is 301 characters long; it can be at most 300.');
    expect(await rows()).toEqual([]);
    const done = await h.say(ana, 'report typo "Option B says recieve"', PRACTICE);
    expect(done.text).toContain('is recorded with your note `Option B says recieve`');
    expect(await rows()).toMatchObject([
      { question_id: prompt.question_id, source: 'command', reason: 'typo', note: 'Option B says recieve' },
    ]);
    // The answer result carries the button too.
    const answered = await h.say(ana, 'answer A', PRACTICE);
    expect(reportButtonOf(answered).value).toBe(`p:${prompt.question_id}`);
  });

  it('a manager lists their workspace’s open reports, most reported first, and resolves them; a member may not', async () => {
    const [q1, q2] = [h.track.cards[0]!.questions[0]!, h.track.cards[3]!.questions[1]!];
    await reportBy([ana], q2.id);
    await reportBy([ana, ben], q1.id);
    await reportBy([cy], q1.id, OTHER);
    const refused = await h.say(ana, 'content reports');
    expect(refused.text).toContain('Only managers can use `content reports`');
    const list = await h.say(boss, 'content reports');
    expect(list.card!.title).toBe('Open reports · 2 questions');
    const [first, second] = list.card!.sections;
    const firstId = Math.min(...(await rows()).filter((r) => r.question_id === q1.id).map((r) => r.id));
    expect(first!.heading).toBe(`#${firstId} · ${h.track.cards[0]!.title} · ${q1.id}`);
    expect(first!.body).toContain('**2 members** · wrong key 2 · still asked here');
    expect(second!.heading).toContain(q2.id);

    const resolved = await h.say(boss, `content resolve #${firstId} dismissed`);
    expect(resolved.text).toBe(
      `Resolved 2 reports on **${h.track.cards[0]!.title}**, question 1 as dismissed: the reports are closed and it is asked here as before.`,
    );
    expect((await h.say(boss, 'content reports')).card!.title).toBe('Open reports · 1 question');
    expect((await h.say(boss, `content resolve ${q1.id} fixed`)).text).toContain(
      'No open report here matches',
    );
    // The other workspace's report is its own.
    const theirs = (await rows()).find((r) => r.workspace_id === 'T2')!;
    expect((await h.say(boss, `content resolve ${theirs.id} kept`)).text).toContain(
      'No open report here matches',
    );
    expect(theirs.resolved_at).toBeNull();
    expect((await rows()).filter((r) => r.resolution === 'dismissed').map((r) => r.resolved_by)).toEqual([
      boss.userId,
      boss.userId,
    ]);
  });

  it('three members’ reports withhold a question from the next drills; a card with all its questions withheld is passed over', async () => {
    await h.drill(DAILY);
    await h.drill(DAILY, OTHER);
    await h.say(ana, 'today');
    await h.say({ ...ana, ...OTHER }, 'today', OTHER);
    const [, card1, card2, card3, card4] = h.track.cards;
    await reportBy([ana, ben], card1!.questions[0]!.id);
    const third = await reportBy([cy], card1!.questions[0]!.id);
    expect(third[0]!.text).toContain('3 members here have reported it, so it is set aside');
    for (const q of card2!.questions) await reportBy([ana, ben, cy], q.id);

    for (const day of ['2026-11-21', '2026-11-22', '2026-11-23']) {
      h.clock.set(`${day}T10:00:00Z`);
      await h.say(ana, 'today');
      await h.say({ ...ana, ...OTHER }, 'today', OTHER);
    }
    expect(await drillOn('2026-11-21')).toEqual({ card_id: card1!.id, question_id: card1!.questions[1]!.id });
    expect(await drillOn('2026-11-22')).toEqual({ card_id: card3!.id, question_id: card3!.questions[0]!.id });
    expect(await drillOn('2026-11-23')).toEqual({ card_id: card4!.id, question_id: card4!.questions[0]!.id });
    // Another workspace goes on as before.
    expect(await drillOn('2026-11-21', 'T2')).toMatchObject({ question_id: card1!.questions[0]!.id });
    expect(await drillOn('2026-11-22', 'T2')).toMatchObject({ card_id: card2!.id });
  });

  it("a cohort's day whose card is all withheld shows the next card early; its calendar keeps card N on day N", async () => {
    const cohortChannel: ChannelRef = { ...CHANNEL, channelId: 'C5' };
    await h.say(
      boss,
      'cohort create "Q1" start:2026-11-21 weeks:1 days:daily time:09:00 tz:UTC',
      cohortChannel,
    );
    const [, card1, card2] = h.track.cards;
    for (const q of card1!.questions) await reportBy([ana, ben, cy], q.id);
    for (const day of ['2026-11-21', '2026-11-22', '2026-11-23']) {
      h.clock.set(`${day}T10:00:00Z`);
      await h.say(ana, 'today', cohortChannel);
    }
    expect(await drillOn('2026-11-21')).toEqual({
      card_id: h.track.cards[0]!.id,
      question_id: h.track.cards[0]!.questions[0]!.id,
    });
    expect(await drillOn('2026-11-22')).toEqual({
      card_id: card2!.id,
      question_id: card2!.questions.at(-1)!.id,
    });
    expect(await drillOn('2026-11-23')).toEqual({ card_id: card2!.id, question_id: card2!.questions[0]!.id });
  });

  it('withheld questions leave practice until a manager keeps them; another workspace is unaffected', async () => {
    const card0 = h.track.cards[0]!;
    const [q1, ...others] = card0.questions;
    await reportBy([ana, ben, cy], q1!.id);
    await h.say(dee, 'quiz', PRACTICE);
    expect(await practised(dee)).toEqual({ card_id: card0.id, question_id: others[0]!.id });
    await h.say({ ...dee, ...OTHER }, 'quiz', { ...OTHER, channelId: 'C9' });
    expect(await practised(dee)).toMatchObject({ question_id: q1!.id });

    for (const q of others) await reportBy([ana, ben, cy], q.id);
    await h.say(eve, 'today', PRACTICE);
    expect(await practised(eve)).toEqual({
      card_id: h.track.cards[1]!.id,
      question_id: h.track.cards[1]!.questions[0]!.id,
    });
    const list = await h.say(boss, 'content reports');
    expect(list.card!.sections[0]!.body).toContain('⛔ withheld from drills and practice here');

    // Kept: asked again here, and new reports no longer set it aside.
    expect((await h.say(boss, `content resolve ${q1!.id} kept`)).text).toContain(
      'as kept: it stays in drills',
    );
    await reportBy([dee, eve, fay], q1!.id);
    const kept = await reportBy([member('Gus')], q1!.id);
    expect(kept[0]!.text).toContain('A manager here has kept this question');
    await h.say(fay, 'quiz', PRACTICE);
    expect(await practised(fay)).toEqual({ card_id: card0.id, question_id: q1!.id });
  });

  it('REPORT_WITHHOLD_THRESHOLD sets how many members withhold a question', async () => {
    const bot = createBot({
      study: { ...h.study.deps, reportWithholdThreshold: 1 },
      log: silentLog,
      clock: h.clock,
    });
    const q1 = h.track.cards[0]!.questions[0]!;
    const at = { channel: PRACTICE, requestId: 'r', receivedAt: h.clock.now() };
    const reply = await bot.handleAction({ ...at, user: { ...ana, ...PRACTICE }, ...reasonButton(q1.id) });
    expect(reply.reply.text).toContain('1 member here has reported it, so it is set aside');
    await bot.handleCommand({ ...at, user: { ...ben, ...PRACTICE }, input: { kind: 'text', text: 'quiz' } });
    expect(await practised(ben)).toMatchObject({ question_id: h.track.cards[0]!.questions[1]!.id });
  });

  it('a forged or stale report button is refused in one line', async () => {
    const forged = await h.click(ana, { actionId: REPORT_ACTION, value: 'x:<script>', label: 'x' });
    expect(forged.text).toBe('That button is not valid.');
    const gone = await h.click(ana, { actionId: REPORT_ACTION, value: 'd:http.gone.q1', label: 'x' });
    expect(gone.text).toContain('no longer in the curriculum');
    const badReason = await h.click(ana, {
      actionId: REPORT_REASON_ACTION,
      value: 'd:http.gone.q1:z',
      label: 'x',
    });
    expect(badReason.text).toBe('That button is not valid.');
    expect(await rows()).toEqual([]);
  });
});
