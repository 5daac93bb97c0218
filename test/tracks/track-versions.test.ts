/**
 * Workspace-track versions across processes: two sets of study dependencies on one database, as two processes
 * of the service have. One imports; the other reads a version on the first drill or `today` that names it,
 * and reads nothing about tracks while every version in use is loaded.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { KyselyPlugin } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { platformAdminDescriptions } from '../../src/adapters/platform-admins.ts';
import { createBot } from '../../src/bot/bot.ts';
import { silentLog } from '../../src/core/log.ts';
import type { OutboundMessage, UserRef } from '../../src/core/types.ts';
import type { StudyDeps } from '../../src/db/deps.ts';
import { createDispatcher } from '../../src/deliveries/dispatcher.ts';
import { backends } from '../helpers/databases.ts';
import { createFakePlatform } from '../helpers/fake-publisher.ts';
import { CHANNEL, createHarness, type Harness, member } from '../helpers/harness.ts';

const FIXTURE = path.resolve(import.meta.dirname, '../content/fixtures/team-track.yaml');
const boss = member('Boss', { isPlatformAdmin: true });
const ana = member('Ana');
const FIRST_TITLE = 'Releases leave on the train';
const SECOND_TITLE = 'Releases ride the train';
const HOUR = 3_600_000;

describe.each(backends)('workspace-track versions across processes on $name', (backend) => {
  let h: Harness;
  let n = 0;
  beforeEach(async () => {
    h = await createHarness(backend, '2026-11-23T08:00:00Z'); // a Monday
  });
  afterEach(async () => {
    await h.close();
  });

  /** Imports the track file through the harness's process (the first), with the card title given. */
  async function importVersion(title: string): Promise<string> {
    const source = readFileSync(FIXTURE, 'utf8').replace(FIRST_TITLE, title);
    const reply = await h.bot.handleCommand({
      channel: CHANNEL,
      user: boss,
      input: { kind: 'text', text: 'track import' },
      attachment: async () => ({ name: 'team-track.yaml', data: Buffer.from(source) }),
      requestId: `import-${++n}`,
      receivedAt: h.clock.now(),
    });
    return reply.text;
  }

  /** A second process on the same database: its own track cache, and a count of its reads of stored tracks. */
  function secondProcess() {
    const trackReads: string[] = [];
    const countTrackReads: KyselyPlugin = {
      transformQuery: (args) => {
        if (JSON.stringify(args.node).includes('"workspace_tracks"')) trackReads.push(args.node.kind);
        return args.node;
      },
      transformResult: async (args) => args.result,
    };
    const deps: StudyDeps = {
      ...h.study.deps,
      db: h.db.handle.db.withPlugin(countTrackReads),
      imported: { byKey: new Map(), lastRowId: 0 },
    };
    const bot = createBot({
      study: deps,
      log: silentLog,
      clock: h.clock,
      platformAdmins: platformAdminDescriptions(),
    });
    const say = (user: UserRef, text: string): Promise<OutboundMessage> =>
      bot.handleCommand({
        channel: CHANNEL,
        user,
        input: { kind: 'text', text },
        requestId: `second-${++n}`,
        receivedAt: h.clock.now(),
      });
    return { deps, say, trackReads };
  }

  const drillKey = async () =>
    (await h.db.handle.db.selectFrom('drills').select('track_id').executeTakeFirstOrThrow()).track_id;

  it('`today` reads a version another process imported on its first use, and nothing while it is loaded', async () => {
    expect(await importVersion(FIRST_TITLE)).toContain('version 1');
    await h.say(boss, 'schedule set 09:00 daily UTC track:team-deploys');
    const firstKey = await drillKey();
    const other = secondProcess();

    h.clock.set('2026-11-23T09:05:00Z');
    expect((await other.say(ana, 'today')).card!.title).toContain(FIRST_TITLE);
    expect(other.trackReads).toHaveLength(1);
    expect([...other.deps.imported.byKey.keys()]).toEqual([firstKey]);
    expect((await other.say(ana, 'today')).card!.title).toContain(FIRST_TITLE);
    expect(other.trackReads).toHaveLength(1);

    // The first process imports a new version: the drill names it from its next day on.
    expect(await importVersion(SECOND_TITLE)).toContain('version 2');
    const secondKey = await drillKey();
    expect(secondKey).not.toBe(firstKey);
    h.clock.set('2026-11-24T09:05:00Z');
    expect((await other.say(ana, 'today')).card!.title).toContain(SECOND_TITLE);
    expect(other.trackReads).toHaveLength(2);
    expect(other.deps.imported.byKey.has(secondKey)).toBe(true);
    const days = await h.db.handle.db
      .selectFrom('deliveries')
      .select(['local_date', 'track_id'])
      .orderBy('local_date')
      .execute();
    expect(days).toEqual([
      { local_date: '2026-11-23', track_id: firstKey },
      { local_date: '2026-11-24', track_id: secondKey },
    ]);
    expect((await other.say(ana, 'today')).card!.title).toContain(SECOND_TITLE);
    expect(other.trackReads).toHaveLength(2);
  });

  it("the other process's scheduler posts each day with the version its drill names", async () => {
    await importVersion(FIRST_TITLE);
    await h.say(boss, 'schedule set 09:00 daily UTC track:team-deploys');
    const other = secondProcess();
    const slack = createFakePlatform('slack');
    const dispatcher = createDispatcher(
      { ...other.deps, publishers: new Map([['slack', slack]]) },
      { catchupMs: 6 * HOUR },
    );
    const posted = () => [...slack.messages.values()].filter((m) => !m.replyTo).map((m) => m.versions[0]!);

    // A run with no drill due reads no stored track.
    await dispatcher.runOnce();
    expect(other.trackReads).toEqual([]);

    h.clock.set('2026-11-23T09:00:30Z');
    await dispatcher.runOnce();
    expect(posted().map((m) => m.card?.title)).toEqual([expect.stringContaining(FIRST_TITLE)]);
    expect(other.trackReads).toHaveLength(1);

    await importVersion(SECOND_TITLE);
    h.clock.set('2026-11-24T09:00:30Z');
    await dispatcher.runOnce();
    expect(posted().map((m) => m.card?.title)).toEqual([
      expect.stringContaining(FIRST_TITLE),
      expect.stringContaining(SECOND_TITLE),
    ]);
    expect(other.trackReads).toHaveLength(2);
    expect((await other.say(ana, 'today')).card!.title).toContain(SECOND_TITLE);
    expect(other.trackReads).toHaveLength(2);
  });
});
