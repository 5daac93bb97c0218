import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Attachment } from '../../src/core/invocation.ts';
import type { ChannelRef, OutboundMessage, UserRef } from '../../src/core/types.ts';
import { MY_ANSWER_ACTION } from '../../src/deliveries/results-message.ts';
import { backends } from '../helpers/databases.ts';
import { button, CHANNEL, createHarness, type Harness, member } from '../helpers/harness.ts';

const FIXTURES = path.resolve(import.meta.dirname, '../content/fixtures');
const fixture = (name: string): Attachment => ({
  name,
  data: readFileSync(path.join(FIXTURES, name)),
});
const boss = member('Boss', { isPlatformAdmin: true });
const ana = member('Ana');
const OTHER: ChannelRef = { platform: 'slack', workspaceId: 'T2', channelId: 'C1' };
const otherBoss: UserRef = { ...OTHER, userId: 'U-other', displayName: 'Other', isPlatformAdmin: true };

describe.each(backends)('workspace tracks on $name', (backend) => {
  let h: Harness;
  let n = 0;
  beforeEach(async () => {
    h = await createHarness(backend, '2026-11-23T08:00:00Z');
  });
  afterEach(async () => {
    await h.close();
  });

  /** A command with a file attached, as an adapter hands it over. */
  const withFile = (user: UserRef, text: string, file: Attachment | undefined, channel = CHANNEL) =>
    h.bot.handleCommand({
      channel,
      user: { ...user, ...channel, userId: user.userId },
      input: { kind: 'text', text },
      attachment: async ({ maxBytes }) =>
        file && { name: file.name, data: file.data.subarray(0, maxBytes + 1) },
      requestId: `t-${++n}`,
      receivedAt: h.clock.now(),
    });
  const text = (m: OutboundMessage) => m.text;

  it('reports every problem of a file with its line, and imports nothing', async () => {
    const reply = await withFile(boss, 'track import', fixture('team-track-3-errors.yaml'));
    expect(text(reply)).toContain('team-track-3-errors.yaml: 3 problems, nothing imported.');
    expect(text(reply)).toContain(
      'team-track-3-errors.yaml:11: pipeline.release-train difficulty: must be 1, 2 or 3',
    );
    expect(text(reply)).toContain(
      'team-track-3-errors.yaml:24: pipeline.release-train.q1 stem: must end with a question mark',
    );
    expect(text(reply)).toContain(
      'team-track-3-errors.yaml:43: pipeline.release-train.q2 options.C: a wrong option needs a `why`',
    );
    expect(await h.db.handle.db.selectFrom('workspace_tracks').selectAll().execute()).toEqual([]);
  });

  it('an imported track drives a channel drill; its text stays inert; another workspace cannot see or schedule it', async () => {
    const imported = await withFile(boss, 'track import', fixture('team-track.yaml'));
    expect(text(imported)).toMatch(
      /✅ Imported \*\*How we ship at Acme\*\* \(`team-deploys`, version 1, `team-deploys@[0-9a-f]{12}`\): 1 module, 1 card, 2 questions/,
    );
    const scheduled = await h.say(boss, 'schedule set 09:00 daily UTC track:team-deploys');
    expect(text(scheduled)).toMatch(/track `team-deploys@[0-9a-f]{12}`/);
    h.clock.set('2026-11-23T09:05:00Z');
    const today = await h.say(ana, 'today');
    expect(today.card!.title).toContain('Releases leave on the train');
    const body = JSON.stringify(today.card);
    // The reference marks that could become mentions are gone; Slack's and Discord's renderers escape the rest.
    expect(body).not.toMatch(/[\uE000\uE001]/);
    // As in a process that has not read this version yet: the click reads it, then answers.
    h.study.deps.imported.byKey.clear();
    h.study.deps.imported.lastRowId = 0;
    const answered = await h.click(ana, button(today, 'A'));
    expect(answered.text).toContain('Correct');
    const stored = await h.db.handle.db
      .selectFrom('answers')
      .select(['question_id', 'content_version'])
      .execute();
    expect(stored).toEqual([
      { question_id: 'pipeline.release-train.q1', content_version: expect.stringMatching(/^[0-9a-f]{12}$/) },
    ]);

    expect(text(await withFile(otherBoss, 'track list', undefined, OTHER))).toContain('none yet');
    expect(text(await h.say(otherBoss, 'schedule set 09:00 track:team-deploys', OTHER))).toMatch(
      /^`track`: `team-deploys` is not a track here; tracks: backend\./,
    );
    expect(text(await h.say(otherBoss, 'track remove team-deploys', OTHER))).toMatch(
      /is not a track of this workspace/,
    );
    expect(text(await h.say(ana, 'track list'))).toMatch(/^Only managers can use `track list`/);
  });

  /** A workspace-track drill posted today, as a process that has not read the track's version sees it. */
  async function workspaceDrill() {
    await withFile(boss, 'track import', fixture('team-track.yaml'));
    await h.say(boss, 'schedule set 09:00 daily UTC track:team-deploys');
    h.clock.set('2026-11-23T09:05:00Z');
    const today = await h.say(ana, 'today');
    h.study.deps.imported.byKey.clear();
    h.study.deps.imported.lastRowId = 0;
    return today;
  }

  it('Read the card on a workspace-track drill shows its card, only to a member of its workspace', async () => {
    const today = await workspaceDrill();
    const read = today.card!.buttons!.find((b) => b.label === 'Read the card')!;
    const card = await h.click(ana, read);
    expect(card.card!.title).toBe('Releases leave on the train');
    expect(card.visibility).toBe('ephemeral');
    // The button names this workspace's delivery: a member elsewhere clicking its value learns nothing.
    expect((await h.click({ ...ana, ...OTHER }, read, OTHER)).text).toBe('That button is not valid.');
    // Buttons posted before carry a track and card: still read for a built-in track, never a workspace's.
    const legacy = (value: string) => h.click(ana, { ...read, value });
    expect((await legacy('c:backend:internet.client-server')).card!.title).toBeTruthy();
    expect((await legacy('c:team-deploys:pipeline.release-train')).text).toBe('That button is not valid.');
  });

  it('My answer on a workspace-track drill works on a process that has not read the version', async () => {
    const today = await workspaceDrill();
    await h.click(ana, button(today, 'A'));
    h.study.deps.imported.byKey.clear();
    h.study.deps.imported.lastRowId = 0;
    const delivery = await h.db.handle.db.selectFrom('deliveries').select('id').executeTakeFirstOrThrow();
    const mine = { actionId: MY_ANSWER_ACTION, value: `d:${delivery.id}`, label: 'My answer' };
    expect((await h.click(ana, mine)).text).toMatch(/^You chose \*\*A\. /);
    expect((await h.click({ ...ana, ...OTHER }, mine, OTHER)).text).toBe('That button is not valid.');
  });

  it('a re-import is a new version: the drill moves on, past days and answers keep the old one; remove waits for the drill', async () => {
    await withFile(boss, 'track import', fixture('team-track.yaml'));
    await h.say(boss, 'schedule set 09:00 daily UTC track:team-deploys');
    h.clock.set('2026-11-23T09:05:00Z');
    const first = await h.say(ana, 'today');
    await h.click(ana, button(first, 'A'));
    const oldKey = (
      await h.db.handle.db.selectFrom('deliveries').select('track_id').executeTakeFirstOrThrow()
    ).track_id;

    const changed = readFileSync(path.join(FIXTURES, 'team-track.yaml'), 'utf8').replace(
      'Every weekday at 14:00',
      'Each weekday at 14:00',
    );
    const again = await withFile(boss, 'track import', {
      name: 'team-track.yaml',
      data: Buffer.from(changed),
    });
    expect(text(again)).toContain('version 2');
    expect(text(again)).toContain('1 channel moves to this version from the next drill');
    const drill = await h.db.handle.db.selectFrom('drills').select('track_id').executeTakeFirstOrThrow();
    expect(drill.track_id).not.toBe(oldKey);
    expect(drill.track_id).toMatch(/^team-deploys@/);
    // Yesterday's delivery still shows the wording it was posted with.
    const delivery = await h.db.handle.db
      .selectFrom('deliveries')
      .select('track_id')
      .executeTakeFirstOrThrow();
    expect(delivery.track_id).toBe(oldKey);
    const list = text(await h.say(boss, 'track list'));
    expect(list).toContain(`version \`${drill.track_id}\``);

    expect(text(await h.say(boss, 'track remove team-deploys'))).toMatch(
      /^1 channel study `team-deploys`; move each/,
    );
    await h.say(boss, 'schedule set 09:00 track:backend');
    expect(text(await h.say(boss, 'track remove team-deploys'))).toContain(
      'Removed the track `team-deploys`',
    );
    expect(text(await h.say(boss, 'track list'))).toContain('none yet');
    expect(text(await h.say(boss, 'schedule set 09:00 track:team-deploys'))).toMatch(/is not a track here/);
  });

  it('enforces the size and count limits in one line, and refuses a built-in id', async () => {
    const big = { name: 'big.yaml', data: Buffer.alloc(300 * 1024, 0x20) };
    expect(text(await withFile(boss, 'track import', big))).toBe(
      '`big.yaml` is over 256 KB, the most a track file may be; split it into tracks.',
    );
    const source = readFileSync(path.join(FIXTURES, 'team-track.yaml'), 'utf8');
    const builtIn = source.replace('track: team-deploys', 'track: backend');
    expect(
      text(await withFile(boss, 'track import', { name: 'b.yaml', data: Buffer.from(builtIn) })),
    ).toMatch(/^`backend` is a built-in track's id/);
    expect(text(await withFile(boss, 'track import', undefined))).toMatch(
      /^No track file found: share the YAML file/,
    );
  });

  it('refuses a code fence inside an example, ids too long for a button, and a card id another of its tracks uses', async () => {
    const source = readFileSync(path.join(FIXTURES, 'team-track.yaml'), 'utf8');
    const file = (name: string, yaml: string) => ({ name, data: Buffer.from(yaml) });
    const fenced = source.replace(
      '        points:\n',
      '        example:\n          code: |\n            ```\n            [Reset your password](https://evil.example)\n        points:\n',
    );
    expect(text(await withFile(boss, 'track import', file('fenced.yaml', fenced)))).toContain(
      'fenced.yaml:20: pipeline.release-train example.code: must not contain three backticks: they would end the code block',
    );
    const long = source
      .replace('track: team-deploys', `track: ${'t'.repeat(31)}`)
      .replaceAll('pipeline.release-train', `pipeline.${'r'.repeat(50)}`);
    const refused = text(await withFile(boss, 'track import', file('long.yaml', long)));
    expect(refused).toContain('long.yaml:2: track: must be at most 30 characters');
    expect(refused).toMatch(/long\.yaml:9: pipeline\.r+ id: must be at most 57 characters/);

    expect(text(await withFile(boss, 'track import', fixture('team-track.yaml')))).toMatch(/^✅ Imported/);
    const again = source.replace('track: team-deploys', 'track: team-deploys-two');
    expect(text(await withFile(boss, 'track import', file('two.yaml', again)))).toContain(
      'two.yaml:9: pipeline.release-train: card id is used by the track "team-deploys"',
    );
    // A new version of the same track keeps its own ids.
    const v2 = source.replace(
      'The train leaves at 14:00 on weekdays.',
      'The train leaves at 14:00, Monday to Friday.',
    );
    expect(text(await withFile(boss, 'track import', file('team-track.yaml', v2)))).toMatch(/^✅ Imported/);
  });

  it('a question of an imported track can be reported and listed in its workspace only; a cohort can study the track', async () => {
    await withFile(boss, 'track import', fixture('team-track.yaml'));
    await h.say(boss, 'schedule set 09:00 daily UTC track:team-deploys');
    h.clock.set('2026-11-23T09:05:00Z');
    const result = await h.click(ana, button(await h.say(ana, 'today'), 'B'));
    const report = result.card!.buttons!.find((b) => b.label === 'Report a problem')!;
    const choice = await h.click(ana, report);
    const unclear = choice.card!.buttons!.find((b) => b.label === 'Unclear')!;
    expect((await h.click(ana, unclear)).text).toContain('your report on **Releases leave on the train**');
    expect(text(await h.say(boss, 'content reports'))).toContain(
      'Releases leave on the train · pipeline.release-train.q1',
    );
    // The same button in another workspace names a question that workspace does not have.
    expect((await h.click({ ...ana, ...OTHER }, unclear, OTHER)).text).toBe(
      'That question is no longer in the curriculum, so there is nothing to report.',
    );

    const cohortChannel: ChannelRef = { ...CHANNEL, channelId: 'C7' };
    const created = await h.say(
      boss,
      'cohort create "Acme onboarding" start:2026-11-24 track:team-deploys',
      cohortChannel,
    );
    expect(text(created)).toContain('Acme onboarding');
    const cohort = await h.db.handle.db.selectFrom('cohorts').select('track_id').executeTakeFirstOrThrow();
    expect(cohort.track_id).toMatch(/^team-deploys@[0-9a-f]{12}$/);
    expect(
      text(await h.say(otherBoss, 'cohort create "Q" start:2026-11-24 track:team-deploys', OTHER)),
    ).toMatch(/^`track`: `team-deploys` is not a track here/);
  });
});
