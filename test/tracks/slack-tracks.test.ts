import { readFileSync } from 'node:fs';
import path from 'node:path';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSlackAdapter, type SlackAdapter } from '../../src/adapters/slack/slack-adapter.ts';
import { createBot } from '../../src/bot/bot.ts';
import type { SlackConfig } from '../../src/config/config.ts';
import { silentLog } from '../../src/core/log.ts';
import { noopMetrics } from '../../src/core/metrics.ts';
import {
  commandBody,
  commandReply,
  postSigned,
  SIGNING_SECRET,
  serveMount,
} from '../adapters/slack/slack-fixtures.ts';
import { backends } from '../helpers/databases.ts';
import { createHarness, type Harness } from '../helpers/harness.ts';

type Json = Record<string, unknown>;
const FIXTURES = path.resolve(import.meta.dirname, '../content/fixtures');
const config: SlackConfig = {
  mode: 'http',
  signingSecret: SIGNING_SECRET,
  appToken: undefined,
  auth: { kind: 'single', botToken: 'xoxb-test-token' },
  apiUrl: undefined,
  replyInAckMs: 250,
};
let responses = 0;

/** Slack's file store (https://files.slack.com): serves the fixtures to the bot token only. */
function fileStore(): { url: string; auth: string[] } {
  const auth: string[] = [];
  nock('https://files.slack.com')
    .persist()
    .get(/^\/files-pri\//)
    .reply((req: Request) => {
      auth.push(String(req.headers.get('authorization')));
      if (req.headers.get('authorization') !== 'Bearer xoxb-test-token') return [403, ''];
      return [200, readFileSync(path.join(FIXTURES, path.basename(new URL(req.url).pathname)))];
    });
  return { url: 'https://files.slack.com/files-pri/T1-F0TRACK01', auth };
}

beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect((host) => host.startsWith('127.0.0.1'));
});
afterAll(() => {
  nock.enableNetConnect();
});

describe.each(backends)('workspace tracks on Slack on $name', (backend) => {
  let h: Harness;
  let adapter: SlackAdapter;
  let server: Awaited<ReturnType<typeof serveMount>>;
  let files: ReturnType<typeof fileStore>;

  beforeEach(async () => {
    h = await createHarness(backend, '2026-11-23T08:00:00Z');
    files = fileStore();
    nock('https://slack.com')
      .post('/api/auth.test')
      .reply(200, { ok: true, user_id: 'UBOT', bot_id: 'BBOT', team_id: 'T1' });
    for (const [user, admin] of [
      ['UBOSS', true],
      ['UBOSS2', true],
      ['UANA', false],
    ] as const)
      nock('https://slack.com')
        .persist()
        .post('/api/users.info', (b) => b.user === user)
        .reply(200, { ok: true, user: { id: user, is_admin: admin, is_owner: false } });
    const bot = createBot({ study: h.study.deps, log: silentLog, clock: h.clock });
    adapter = createSlackAdapter({
      config,
      bot,
      db: h.db.handle.db,
      log: silentLog,
      metrics: noopMetrics,
      clock: h.clock,
    });
    await adapter.start();
    server = await serveMount(adapter.http!);
  });
  afterEach(async () => {
    await adapter.stop();
    await server.close();
    await h.close();
    nock.cleanAll();
  });

  /** The member's newest shared file, as files.list returns it for that member and channel. */
  function shared(fileName: string, expected: { user: string; channel: string }) {
    nock('https://slack.com')
      .post(
        '/api/files.list',
        (b) => b.user === expected.user && b.channel === expected.channel && b.count === '1',
      )
      .reply(200, {
        ok: true,
        files: [
          {
            id: 'F0TRACK01',
            name: fileName,
            user: expected.user,
            channels: [expected.channel],
            url_private_download: `${files.url}/${fileName}`,
          },
        ],
      });
  }

  async function command(text: string, user = 'UBOSS', team = 'T1'): Promise<Json> {
    const path = `/tracks/${team}/${++responses}/secret`;
    const body = new Promise<Json>((resolve) => {
      nock('https://hooks.slack.com')
        .post(path)
        .reply(200, async (req: Request) => {
          resolve((await req.json()) as Json);
          return 'ok';
        });
    });
    const res = await postSigned(`${server.url}/slack/events`, {
      body: commandBody({ text, user, team, responseUrl: `https://hooks.slack.com${path}` }),
      timestamp: Math.floor(h.clock.now().getTime() / 1000),
    });
    expect(res.status).toBe(200);
    return commandReply(res, body);
  }
  const textOf = (m: Json) => `${m.text}\n${JSON.stringify(m.blocks ?? [])}`;

  it('imports the file a manager shared: every problem with its line, then a valid track that drives the drill, escaped; another workspace cannot see it', async () => {
    shared('team-track-3-errors.yaml', { user: 'UBOSS', channel: 'C1' });
    const errors = textOf(await command('track import'));
    expect(errors).toContain('team-track-3-errors.yaml: 3 problems, nothing imported.');
    for (const line of [
      ':11: pipeline.release-train difficulty',
      ':24: pipeline.release-train.q1 stem',
      ':43: pipeline.release-train.q2 options.C',
    ])
      expect(errors).toContain(`team-track-3-errors.yaml${line}`);

    shared('team-track.yaml', { user: 'UBOSS', channel: 'C1' });
    expect(textOf(await command('track import'))).toContain('Imported *How we ship at Acme*');
    expect(files.auth).toEqual(['Bearer xoxb-test-token', 'Bearer xoxb-test-token']);
    expect(textOf(await command('schedule set 09:00 daily UTC track:team-deploys'))).toMatch(
      /track `team-deploys@[0-9a-f]{12}`/,
    );

    h.clock.set('2026-11-23T09:05:00Z');
    const today = textOf(await command('today', 'UANA'));
    expect(today).toContain('Releases leave on the train');
    // The track's text is user text: Slack shows <!channel>, <@U0123> and <!here> as written, never live.
    expect(today).toContain('Tell &lt;!channel&gt; and &lt;@U0123&gt; nothing');
    expect(today).toContain('&lt;!here&gt;');
    expect(today).not.toMatch(/<!channel>|<!here>|<@U0123>/);

    expect(textOf(await command('track list', 'UBOSS2', 'T2'))).toContain('none yet');
    expect(textOf(await command('schedule set 09:00 track:team-deploys', 'UBOSS2', 'T2'))).toContain(
      '`team-deploys` is not a track here; tracks: backend.',
    );
    expect(textOf(await command('track import', 'UANA'))).toMatch(/Only managers can use `track import`/);
  });

  it('says how to share the file when there is none', async () => {
    nock('https://slack.com').post('/api/files.list').reply(200, { ok: true, files: [] });
    expect(textOf(await command('track import'))).toContain(
      'No track file found: share the YAML file in this channel (or this DM), then run /roadmap track import.',
    );
  });

  /** files.info for a Slack file link: whatever file the bot token can read, wherever it was shared. */
  function linked(file: Record<string, unknown>) {
    nock('https://slack.com')
      .post('/api/files.info', (b) => b.file === 'F0TRACK02')
      .reply(200, { ok: true, file: { id: 'F0TRACK02', name: 'team-track.yaml', ...file } });
  }
  const link = 'track import https://acme.slack.com/files/UBOSS/F0TRACK02/team-track.yaml';

  it('imports a linked file only if the manager shared it in this channel, and sends the token to files.slack.com only', async () => {
    const url = `${files.url}/team-track.yaml`;
    linked({ user: 'UOTHER', channels: ['C1'], url_private_download: url });
    expect(textOf(await command(link))).toContain('That file was not shared in this channel by you');
    linked({ user: 'UBOSS', channels: ['C9'], groups: ['G1'], ims: ['D1'], url_private_download: url });
    expect(textOf(await command(link))).toContain('That file was not shared in this channel by you');
    expect(files.auth).toEqual([]);

    const elsewhere: string[] = [];
    const other = nock('https://files.example.com')
      .get(/.*/)
      .reply((req: Request) => {
        elsewhere.push(String(req.headers.get('authorization')));
        return [200, 'id: x'];
      });
    linked({
      user: 'UBOSS',
      channels: ['C1'],
      url_private_download: 'https://files.example.com/team-track.yaml',
    });
    expect(textOf(await command(link))).toContain(
      'That file is not on files.slack.com, so it was not downloaded.',
    );
    linked({
      user: 'UBOSS',
      channels: ['C1'],
      url_private_download: 'http://files.slack.com/team-track.yaml',
    });
    expect(textOf(await command(link))).toContain('That file is not on files.slack.com');
    nock('https://files.slack.com')
      .get('/moved.yaml')
      .reply(302, '', { location: 'https://files.example.com/team-track.yaml' });
    linked({ user: 'UBOSS', channels: ['C1'], url_private_download: 'https://files.slack.com/moved.yaml' });
    expect(textOf(await command(link))).toContain('That file redirects away from files.slack.com');
    expect(other.isDone()).toBe(false);
    expect(elsewhere).toEqual([]);

    linked({ user: 'UBOSS', groups: ['C1'], url_private_download: url });
    expect(textOf(await command(link))).toContain('Imported *How we ship at Acme*');
    expect(files.auth).toEqual(['Bearer xoxb-test-token']);
  });
});
