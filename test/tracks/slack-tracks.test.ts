import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSlackAdapter, type SlackAdapter } from '../../src/adapters/slack/slack-adapter.ts';
import { createBot } from '../../src/bot/bot.ts';
import type { SlackConfig } from '../../src/config/config.ts';
import { silentLog } from '../../src/core/log.ts';
import { noopMetrics } from '../../src/core/metrics.ts';
import { commandBody, postSigned, SIGNING_SECRET, serveMount } from '../adapters/slack/slack-fixtures.ts';
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
};
let responses = 0;

/** Slack's file store on loopback: serves the fixtures to the bot token only. */
async function fileStore(): Promise<{ url: string; server: Server; auth: string[] }> {
  const auth: string[] = [];
  const server = createServer((req, res) => {
    auth.push(String(req.headers.authorization));
    if (req.headers.authorization !== 'Bearer xoxb-test-token') {
      res.writeHead(403).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/octet-stream' });
    res.end(readFileSync(path.join(FIXTURES, path.basename(req.url ?? ''))));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server, auth };
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
  let files: Awaited<ReturnType<typeof fileStore>>;

  beforeEach(async () => {
    h = await createHarness(backend, '2026-11-23T08:00:00Z');
    files = await fileStore();
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
    await new Promise((resolve) => files.server.close(resolve));
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
    return body;
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
});
