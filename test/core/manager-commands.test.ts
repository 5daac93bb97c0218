import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { platformAdminDescriptions } from '../../src/adapters/platform-admins.ts';
import { renderSlackMessage } from '../../src/adapters/slack/slack-render.ts';
import { createBot } from '../../src/bot/bot.ts';
import { silentLog } from '../../src/core/log.ts';
import { channelRef, managerCommand, refsAsPlainText } from '../../src/core/render/text.ts';
import type { ChannelRef } from '../../src/core/types.ts';
import { backends } from '../helpers/databases.ts';
import { CHANNEL, createHarness, type Harness, member } from '../helpers/harness.ts';

const boss = member('Boss', { isPlatformAdmin: true });
const gail = member('Gail');
const hal = member('Hal');
const ana = member('Ana');
const ben = member('Ben');
const cy = member('Cy');
const at = (u: { userId: string; displayName: string }) => `<@${u.userId}|${u.displayName}>`;

/** Every manager-only command (reports, exports and changes), with arguments that would succeed for a manager. */
const MANAGER_COMMANDS: [string, string][] = [
  ['managers add', `managers add ${at(hal)}`],
  ['managers remove', `managers remove ${at(gail)}`],
  ['cohort create', 'cohort create "Backend Q2" start:2026-12-01'],
  ['cohort add', `cohort add ${at(cy)}`],
  ['cohort remove', `cohort remove ${at(ana)}`],
  ['cohort end', 'cohort end'],
  ['cohort report', 'cohort report'],
  ['cohort export', 'cohort export'],
  ['team create', 'team create Green'],
  ['team add', `team add Blue ${at(cy)}`],
  ['team remove', `team remove ${at(ana)}`],
];

describe.each(backends)('manager commands on $name', (backend) => {
  describe('as a member who is not a manager', () => {
    let h: Harness;
    beforeAll(async () => {
      h = await createHarness(backend, '2026-11-20T10:00:00Z');
      await h.say(boss, `managers add ${at(gail)}`);
      await h.say(boss, 'cohort create "Backend Q1" start:2026-11-23 weeks:4');
      await h.say(boss, `cohort add ${at(ana)}`);
      await h.say(boss, `team create Blue ${at(ana)}`);
      await h.say(boss, 'cohort create Secret start:2026-11-23', { ...CHANNEL, channelId: 'C2' });
    });
    afterAll(async () => {
      await h.close();
    });

    const snapshot = async () => {
      const db = h.db.handle.db;
      const count = async (t: 'managers' | 'cohorts' | 'cohort_members' | 'teams' | 'team_members') =>
        Number(
          (
            await db
              .selectFrom(t)
              .select((eb) => eb.fn.countAll().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        );
      return {
        managers: await count('managers'),
        cohorts: await count('cohorts'),
        roster: await count('cohort_members'),
        teams: await count('teams'),
        teamMembers: await count('team_members'),
        active: (await db.selectFrom('cohorts').select('status').execute()).map((r) => r.status),
      };
    };

    it.each(MANAGER_COMMANDS)(
      '%s is refused, naming who can do it, and changes nothing',
      async (command, text) => {
        const before = await snapshot();
        const reply = await h.say(ben, text);
        expect(reply.text).toBe(
          `Only managers can use \`${command}\`: Slack workspace owners and admins, and members granted with ${managerCommand('managers add')} (now: Gail). Ask one of them.`,
        );
        expect(reply.attachment).toBeUndefined();
        expect(await snapshot()).toEqual(before);
      },
    );

    it('a member is refused before the options are read: no option reason, no time-zone suggestions', async () => {
      const long = 'Europe/Berlin'.repeat(75);
      for (const text of [
        `schedule set 09:00 tz:${long}`,
        'schedule set 25:00',
        `cohort create x start:${long}`,
      ]) {
        const reply = await h.say(ben, text);
        expect(reply.text).toMatch(/^Only managers can use `(schedule set|cohort create)`/);
        expect(reply.text).not.toContain('time zone');
      }
      // A manager gets the option's reason, bounded before any matching.
      const reason = (await h.say(boss, `schedule set 09:00 tz:${long}`)).text.split('\n');
      expect(reason[0]).toBe('`tz` is 975 characters long; it can be at most 64.');
      expect(reason[1]).toMatch(new RegExp(`^Usage: ${managerCommand('schedule set')} `));
    });

    it('may read what concerns them: the channel’s cohorts and roster, who manages, the teams', async () => {
      const show = await h.say(ben, 'cohort show');
      expect(show.text).toBe('Backend Q1: Starts 2026-11-23: 20 study days. 1 member.');
      expect(show.card!.sections[1]).toEqual({ heading: 'Roster (1)', body: '- Ana' });
      expect(show.card!.fields!.map((f) => f.label)).toEqual(['Dates', 'Pace', 'Study days']);
      // Only this channel's cohorts: another channel's may be private to the member.
      const list = await h.say(ben, 'cohort list');
      expect(list.card!.sections[0]!.body).toBe(
        `- **Backend Q1** in ${channelRef({ channelId: 'C1' })} · active · 2026-11-23 to 2026-12-20 · 1 member`,
      );
      expect((await h.say(ben, 'cohort show Secret')).text).toContain(
        'There is no cohort named `Secret` here',
      );
      expect((await h.say(boss, 'cohort list')).card!.sections[0]!.body).toContain('**Secret**');
      expect((await h.say(ben, 'managers list')).card!.sections[0]!.body).toBe(
        'Slack workspace owners and admins are managers by their role.\nGranted:\n- **Gail** (granted 2026-11-20)',
      );
      expect((await h.say(ben, 'team list')).card!.sections[0]!.body).toBe('**Blue** (1): Ana');
    });

    it('on Discord the refusal names Manage Server and the configured role', async () => {
      const bot = createBot({
        study: h.study.deps,
        log: silentLog,
        clock: h.clock,
        platformAdmins: platformAdminDescriptions('Study Lead'),
      });
      const channel: ChannelRef = { platform: 'discord', workspaceId: 'G1', channelId: '42' };
      const reply = await bot.handleCommand({
        channel,
        user: { ...channel, userId: '7', displayName: 'Dora' },
        input: { kind: 'structured', path: ['cohort', 'report'], args: {} },
        requestId: 'r-discord',
        receivedAt: h.clock.now(),
      });
      expect(reply.text).toBe(
        `Only managers can use \`cohort report\`: members with the Manage Server permission or the "Study Lead" role, and members granted with ${managerCommand('managers add')}. Ask one of them.`,
      );
    });
  });

  describe('as a manager', () => {
    let h: Harness;
    beforeEach(async () => {
      h = await createHarness(backend, '2026-11-20T10:00:00Z');
    });
    afterEach(async () => {
      await h.close();
    });

    it('managers add, list and remove several at once; granted managers can manage, revoked ones cannot', async () => {
      expect((await h.say(boss, `managers add ${at(gail)} ${at(hal)}`)).text).toBe(
        '**Gail** and **Hal** can now manage.',
      );
      expect((await h.say(gail, `managers add ${at(hal)}`)).text).toBe('**Hal** already could.');
      const list = await h.say(gail, 'managers list');
      expect(list.card!.sections[0]!.body).toMatch(
        /^Slack workspace owners and admins are managers by their role\.\nGranted:\n- \*\*Gail\*\* \(granted 2026-11-20\)\n- \*\*Hal\*\* \(granted 2026-11-20\)$/,
      );
      expect((await h.say(gail, `managers remove ${at(hal)} ${at(boss)}`)).text).toBe(
        '**Hal** can no longer manage. **Boss** had not been granted (Slack workspace owners and admins are managers by their role).',
      );
      expect((await h.say(hal, `managers add ${at(ben)}`)).text).toContain(
        'Only managers can use `managers add`',
      );
      const rows = await h.db.handle.db.selectFrom('managers').select(['user_id', 'granted_by']).execute();
      expect(rows).toEqual([{ user_id: gail.userId, granted_by: boss.userId }]);
    });

    it('cohort create announces a future start publicly; nothing posts before it; a late joiner gets today’s card', async () => {
      const created = await h.say(
        boss,
        'cohort create "Backend Q1" start:2026-11-24 weeks:2 time:09:00 tz:UTC',
      );
      expect(created.visibility).toBe('public');
      expect(created.card?.title).toBe('📚 New cohort: Backend Q1');
      expect(created.card!.sections[0]!.body).toContain('It starts on **2026-11-24**');
      expect(created.card!.sections[0]!.body).toContain('Mon–Fri at 09:00 UTC');
      expect(created.card!.sections[0]!.body).toContain('10 study days, until 2026-12-07');
      const joinButton = created.card!.buttons![0]!;

      expect((await h.click(ana, joinButton)).text).toBe(
        'You joined **Backend Q1**. It starts on 2026-11-24.',
      );
      expect((await h.click(ana, joinButton)).text).toBe(
        'You are already in **Backend Q1**. It starts on 2026-11-24.',
      );
      expect((await h.say(ana, 'today')).text).toBe(
        'The cohort **Backend Q1** starts on 2026-11-24; its first card posts then.',
      );
      h.clock.set('2026-11-23T10:00:00Z'); // a Monday before the start
      await h.say(ana, 'today');
      expect(await h.db.handle.db.selectFrom('deliveries').selectAll().execute()).toHaveLength(0);

      h.clock.set('2026-11-24T10:00:00Z');
      expect((await h.say(ana, 'today')).card?.title).toBe(`Day 1 · ${h.track.cards[0]!.title}`);
      h.clock.set('2026-11-25T10:00:00Z');
      expect((await h.say(ana, 'today')).card?.title).toBe(`Day 2 · ${h.track.cards[1]!.title}`);
      // Nobody opens Thursday's drill; on Friday Ben joins late and sees study day 4's card, not day 3's.
      h.clock.set('2026-11-27T10:00:00Z');
      expect((await h.say(ben, 'cohort join')).text).toBe(
        "You joined **Backend Q1**. Today is study day 4 of 10: /roadmap today shows today's card.",
      );
      expect((await h.say(ben, 'today')).card?.title).toBe(`Day 4 · ${h.track.cards[3]!.title}`);

      const show = await h.say(boss, 'cohort show');
      expect(show.text).toBe('Backend Q1: Today is study day 4 of 10. 2 members.');
      expect(show.card!.sections[1]).toEqual({
        heading: 'Roster (2)',
        body: '- Ana\n- Ben (joined 2026-11-27)',
      });
      expect(show.card!.fields).toEqual([
        { label: 'Dates', value: '2026-11-24 to 2026-12-07', inline: true },
        { label: 'Pace', value: 'Mon–Fri at 09:00 UTC', inline: true },
        { label: 'Study days', value: '4 of 10 done', inline: true },
      ]);

      h.clock.set('2026-12-08T10:00:00Z'); // past the end: nothing more opens; the last drill stays answerable
      expect((await h.say(ana, 'today')).card?.title).toBe(`Day 4 · ${h.track.cards[3]!.title}`);
      const dates = (await h.db.handle.db.selectFrom('deliveries').select('local_date').execute()).map(
        (d) => d.local_date,
      );
      expect(dates.sort()).toEqual(['2026-11-24', '2026-11-25', '2026-11-27']);
    });

    it('cohort add/remove several at once, list, one active cohort per channel, end pauses the drill', async () => {
      await h.say(boss, 'cohort create "Backend Q1" start:2026-11-16 weeks:4');
      expect((await h.say(boss, `cohort add ${at(ana)} ${at(ben)}`)).text).toBe(
        '**Ana** and **Ben** joined **Backend Q1**.',
      );
      expect((await h.say(boss, `cohort add ${at(cy)} ${at(ana)}`)).text).toBe(
        '**Cy** joined **Backend Q1**. **Ana** was already in it.',
      );
      expect((await h.say(boss, `cohort remove ${at(cy)} ${at(hal)}`)).text).toBe(
        '**Cy** left **Backend Q1**. **Hal** was not in it.',
      );
      expect((await h.say(boss, 'cohort create Other start:2026-12-01')).text).toBe(
        `This channel already runs the cohort "Backend Q1"; end it first with ${managerCommand('cohort end')}.`,
      );
      const other: ChannelRef = { ...CHANNEL, channelId: 'C2' };
      expect((await h.say(boss, 'cohort create "backend q1" start:2026-12-01', other)).text).toContain(
        'A cohort named `backend q1` already exists',
      );
      await h.say(boss, 'cohort create Other start:2026-12-01 days:mon,wed,fri', other);
      const list = await h.say(boss, 'cohort list');
      // Channels are neutral references: a link on Slack, not an escaped `&lt;#C2&gt;`.
      const section = renderSlackMessage(list).blocks!.find((b) => b.type === 'section');
      expect(section?.type === 'section' && section.text?.text.split('\n')).toEqual([
        '• *Other* in <#C2> · active · 2026-12-01 to 2028-04-14 · 0 members',
        '• *Backend Q1* in <#C1> · active · 2026-11-16 to 2026-12-13 · 2 members',
      ]);
      const ended = await h.say(boss, 'cohort end');
      expect(ended.visibility).toBe('public');
      expect(ended.text).toContain('The cohort **Backend Q1** has ended.');
      const drill = await h.study.getDrill(CHANNEL);
      expect(drill).toMatchObject({ status: 'paused', cohortId: null });
      expect(drill!.pauseReason).toContain('cohort "Backend Q1" ended');
      expect((await h.say(boss, `cohort add ${at(cy)}`)).text).toBe(
        `This channel has no cohort; a manager starts one with ${managerCommand('cohort create')}.\nUsage: ${managerCommand('cohort create')} <name> start:YYYY-MM-DD [weeks] [days] [time] [tz] [track]`,
      );
      // Reports outlive the cohort.
      expect((await h.say(boss, 'cohort report')).card?.title).toBe('Cohort report · Backend Q1');
    });

    it('the same member twice is one member: team create Blue @a @a makes the team with a', async () => {
      const reply = await h.say(boss, `team create Blue ${at(ana)} ${at(ana)}`);
      expect(reply.text).toBe(
        'Team **Blue** is on with **Ana**. Others join with `/roadmap team join Blue`.',
      );
      expect((await h.say(boss, `team add Blue ${at(ben)} ${at(ben)}`)).text).toBe('**Ben** is in **Blue**.');
      const rows = await h.db.handle.db
        .selectFrom('team_members')
        .select('user_id')
        .orderBy('user_id')
        .execute();
      expect(rows.map((r) => r.user_id)).toEqual([ana.userId, ben.userId]);
    });

    it('a manager action that fails part-way leaves nothing behind and can be run again', async () => {
      const db = h.db.handle.db;
      // A fault on the second write of each action: the first write must not survive it.
      await sql`create function refuse_row() returns trigger language plpgsql as $$
        begin raise exception 'injected fault'; end $$`.execute(db);
      await sql`create trigger refuse_team_member before insert on team_members
        for each row when (new.user_id = 'U-faulty') execute function refuse_row()`.execute(db);
      await sql`create trigger refuse_cohort before insert on cohorts
        for each row when (new.name = 'Faulty') execute function refuse_row()`.execute(db);
      await sql`create trigger refuse_manager before insert on managers
        for each row when (new.user_id = 'U-faulty') execute function refuse_row()`.execute(db);
      const faulty = member('Faulty');

      expect((await h.say(boss, `team create Blue ${at(faulty)}`)).text).toMatch(/^Something went wrong/);
      expect(await db.selectFrom('teams').selectAll().execute()).toEqual([]);
      expect((await h.say(boss, `team create Blue ${at(ana)}`)).text).toContain('Team **Blue** is on');

      expect((await h.say(boss, 'cohort create Faulty start:2026-11-23')).text).toMatch(
        /^Something went wrong/,
      );
      expect(await db.selectFrom('drills').selectAll().execute()).toEqual([]);

      expect((await h.say(boss, `managers add ${at(faulty)}`)).text).toMatch(/^Something went wrong/);
      expect(
        await db.selectFrom('members').select('user_id').where('user_id', '=', faulty.userId).execute(),
      ).toEqual([]);
    });

    it('teams: create with members, move, join, remove, list; one team per member per channel', async () => {
      await h.say(boss, 'cohort create "Backend Q1" start:2026-11-16 weeks:4');
      const created = await h.say(boss, `team create Blue ${at(ana)} ${at(ben)}`);
      expect(created.visibility).toBe('public');
      expect(created.text).toBe(
        'Team **Blue** is on with **Ana** and **Ben**. Others join with `/roadmap team join Blue`.',
      );
      expect((await h.say(boss, 'team create blue')).text).toBe(
        'This channel already has a team `blue`.\nUsage: /roadmap team list',
      );
      await h.say(boss, 'team create Red');
      expect((await h.say(boss, `team add Red ${at(ben)}`)).text).toBe(
        '**Ben** is in **Red**. Ben moved from Blue.',
      );
      expect((await h.say(cy, 'team join red')).text).toBe('You joined **Red**. Go team!');
      expect((await h.say(cy, 'team join Blue')).text).toBe(
        `You are in the team "Red"; a manager can move you with ${managerCommand('team add')}.`,
      );
      expect((await h.say(cy, 'team join Green')).text).toBe(
        'There is no team `Green` in this channel; teams here: Blue, Red.\nUsage: /roadmap team list',
      );
      expect((await h.say(boss, `team remove ${at(ana)} ${at(hal)}`)).text).toBe(
        '**Ana** left their team. **Hal** was in no team here.',
      );
      expect((await h.say(boss, 'team list')).card!.sections[0]!.body).toBe(
        '**Blue** (0): nobody yet\n**Red** (2): Ben, Cy',
      );
      // Team members in a cohort channel are on the cohort's roster.
      const roster = (await h.say(boss, 'cohort show')).card!.sections[1]!.body;
      expect(roster).toContain('Ben');
      expect(roster).toContain('Cy');
    });

    it('help groups the commands by role: Study for everyone, Manage only for managers', async () => {
      const member = (await h.say(ana, 'help')).card!;
      expect(member.sections.map((s) => s.heading)).toEqual(['Study']);
      const study = member.sections[0]!.body;
      expect(study).toContain('`/roadmap cohort join`: Join this channel');
      expect(study).toContain('`/roadmap team join`: Join a team');
      expect(study).toContain('`/roadmap remind`:');
      expect(study).not.toContain('cohort create');
      expect(member.footer).toContain('Managers also set up drills and cohorts: /roadmap help schedule');

      const manager = (await h.say(boss, 'help')).card!;
      expect(manager.sections.map((s) => s.heading)).toEqual(['Study', 'Manage']);
      const manage = manager.sections[1]!.body;
      expect(manage).toContain(`\`${managerCommand('cohort create')}\`: Start a cohort in this channel`);
      expect(manage).toContain(`\`${managerCommand('managers add')}\`:`);
      expect(manage).not.toContain('cohort join');
      // One sentence per line: the listing never runs into a second sentence.
      for (const line of [...study.split('\n'), ...manage.split('\n')])
        expect(line.split(/[.!?] +[A-Z]/).length, line).toBe(1);
      // Every command path has its own help.
      for (const path of ['schedule set', 'cohort create', 'today', 'team join', 'drill now'])
        expect(refsAsPlainText((await h.say(ana, `help ${path}`)).card!.title)).toBe(`/roadmap ${path}`);
    });
  });
});
