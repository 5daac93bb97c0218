/**
 * Seeded data for the dashboard's tests and screenshots, made through the bot's own commands: workspace T1 with
 * a cohort of six over five study days (some answers wrong, one member drops out), a second channel with a
 * plain drill, a reported question with a note, and names that look like markup (plain names for the README's
 * screenshots); workspace T2 with its own cohort. A manager is granted in T1 only.
 */
import { LETTERS } from '../../src/content/track.ts';
import type { ChannelRef, UserRef } from '../../src/core/types.ts';
import { button, type Harness } from '../helpers/harness.ts';

export const T1: ChannelRef = { platform: 'slack', workspaceId: 'T1', channelId: 'C1' };
export const T1_PLAIN: ChannelRef = { ...T1, channelId: 'C2' };
export const T2: ChannelRef = { platform: 'slack', workspaceId: 'T2', channelId: 'C9' };

const person = (ch: ChannelRef, id: string, name: string, extra: Partial<UserRef> = {}): UserRef => ({
  ...ch,
  userId: id,
  displayName: name,
  ...extra,
});

/** The owner of T1 (a platform admin) grants Gail; Nia is a member of T1 and manages nothing. */
export const OWNER = person(T1, 'U-owner', 'Olive Owner', { isPlatformAdmin: true });
export const GAIL = person(T1, 'U-gail', 'Gail Granted');
export const NIA = person(T1, 'U-nia', 'Nia Member');
const T2_OWNER = person(T2, 'U-t2', 'Tom Two', { isPlatformAdmin: true });
/** A member whose name is markup: the pages must show it as text. */
export const MARKUP_NAME = '<img src=x onerror=alert(1)>Mallory';

const MEMBERS = ['Ana Alvarez', 'Ben Brook', 'Cy Chen', 'Dee Dunn', MARKUP_NAME, NIA.displayName];
/** What the screenshots show instead of the markup-looking names the tests need. */
const PLAIN = {
  member: 'Mia Moreno',
  cohort: 'Backend Q1',
  note: 'Is an A record not also right while the address stays the same?',
};
/** Mon 2026-11-23 to Fri 2026-11-27. */
const DATES = ['2026-11-23', '2026-11-24', '2026-11-25', '2026-11-26', '2026-11-27'];

export async function seedDashboard(
  h: Harness,
  opts: { plainNames?: boolean } = {},
): Promise<{ cohortName: string }> {
  const cohortName = opts.plainNames ? PLAIN.cohort : 'Backend <b>Q1</b>';
  const members = opts.plainNames ? MEMBERS.map((m) => (m === MARKUP_NAME ? PLAIN.member : m)) : MEMBERS;
  const note = opts.plainNames ? PLAIN.note : 'Option <b>B</b> is also right <script>alert(1)</script>';
  // The screenshots' channels go by their names, as their commands show them; the tests' by their ids.
  const named = (channelName: string) => (opts.plainNames ? { channelName } : {});
  await h.say(OWNER, `managers add <@${GAIL.userId}>`, T1, named('backend-study'));
  await h.say(OWNER, `cohort create "${cohortName}" start:2026-11-23 weeks:2 time:09:00 tz:UTC`, T1);
  await h.say(OWNER, 'schedule set 08:30 mon-fri Europe/Berlin', T1_PLAIN, named('platform-team'));
  await h.say(T2_OWNER, 'cohort create "Other team" start:2026-11-23 weeks:2 time:10:00 tz:UTC', T2);
  const people = members.map((name, i) => (i === 5 ? NIA : person(T1, `U-m${i}`, name)));
  for (const p of people) await h.say(p, 'cohort join', T1);
  for (const [k, date] of DATES.entries()) {
    h.clock.set(`${date}T09:30:00Z`);
    const q = h.track.cards[k]!.questions[0]!;
    for (const [i, p] of people.entries()) {
      if (i === 3 && k >= 2) continue; // Dee stops answering: at risk
      const drill = await h.say(p, 'today', T1);
      const right = (i + k) % 3 !== 0;
      const letter = LETTERS[right ? q.correctIndex : (q.correctIndex + 1 + (i % 3)) % 4]!;
      await h.click(p, button(drill, letter), T1);
    }
  }
  await h.say(people[0]!, `report unclear "${note}"`, T1);
  await h.say(people[1]!, 'report wrong-key', T1);
  h.clock.set('2026-11-27T12:00:00Z');
  return { cohortName };
}
