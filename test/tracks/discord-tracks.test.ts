import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDiscordAdapter, type DiscordAdapter } from '../../src/adapters/discord/discord-adapter.ts';
import { createBot } from '../../src/bot/bot.ts';
import { silentLog } from '../../src/core/log.ts';
import { noopMetrics } from '../../src/core/metrics.ts';
import {
  FAKE_APP_ID,
  FAKE_MANAGER_ROLE_NAME,
  FAKE_TOKEN,
  type FakeDiscord,
  type FakeMember,
  type FakeMessage,
  PERMISSIONS,
  startFakeDiscord,
} from '../fake-discord/fake-discord.ts';
import { backends } from '../helpers/databases.ts';
import { createHarness, type Harness } from '../helpers/harness.ts';

const FIXTURES = path.resolve(import.meta.dirname, '../content/fixtures');
const ana: FakeMember = { id: '100000000000000001', name: 'Ana' };
const owner: FakeMember = { id: '100000000000000004', name: 'Olu', permissions: PERMISSIONS.manageGuild };
const STRING = 3;
const ATTACHMENT = 11;

/** Discord's CDN on loopback: serves the fixtures. */
async function cdn(): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/octet-stream' });
    res.end(readFileSync(path.join(FIXTURES, path.basename(req.url ?? ''))));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

const everything = (m: FakeMessage) => `${m.content}\n${JSON.stringify(m.embeds)}`;

describe.each(backends)(
  'workspace tracks on Discord on $name (discord.js against a fake Discord)',
  (backend) => {
    let h: Harness;
    let fake: FakeDiscord;
    let adapter: DiscordAdapter;
    let files: Awaited<ReturnType<typeof cdn>>;

    beforeEach(async () => {
      h = await createHarness(backend, '2026-11-23T08:00:00Z');
      fake = await startFakeDiscord();
      files = await cdn();
      const bot = createBot({ study: h.study.deps, log: silentLog, clock: h.clock });
      adapter = createDiscordAdapter({
        config: {
          token: FAKE_TOKEN,
          applicationId: FAKE_APP_ID,
          guildId: undefined,
          managerRole: FAKE_MANAGER_ROLE_NAME,
          apiUrl: fake.apiUrl,
        },
        bot,
        log: silentLog,
        metrics: noopMetrics,
        clock: h.clock,
      });
      await adapter.start();
    });
    afterEach(async () => {
      await adapter.stop();
      await fake.close();
      await new Promise((resolve) => files.server.close(resolve));
      await h.close();
    });

    const reply = async (started: { id: string }) => fake.waitForReply(started.id);
    /** `/roadmap track import` with a file in its attachment option, as Discord sends it. */
    const importFile = (member: FakeMember, fileName: string) =>
      reply(
        fake.slashCommand(
          member,
          ['track', 'import'],
          [{ name: 'file', type: ATTACHMENT, value: '900000000000000001' }],
          {
            attachments: {
              '900000000000000001': {
                id: '900000000000000001',
                filename: fileName,
                size: readFileSync(path.join(FIXTURES, fileName)).byteLength,
                url: `${files.url}/${fileName}`,
                proxy_url: `${files.url}/${fileName}`,
                content_type: 'application/yaml',
              },
            },
          },
        ),
      );

    it('imports an attached file: every problem with its line, then a track that drives the drill with no live mention', async () => {
      const errors = await importFile(owner, 'team-track-3-errors.yaml');
      expect(errors.content).toContain('team-track-3-errors.yaml: 3 problems, nothing imported.');
      for (const line of [
        ':11: pipeline.release-train difficulty',
        ':24: pipeline.release-train.q1 stem',
        ':43: pipeline.release-train.q2 options.C',
      ])
        expect(errors.content).toContain(`team-track-3-errors.yaml${line}`);

      expect((await importFile(ana, 'team-track.yaml')).content).toMatch(
        /^Only managers can use `track import`/,
      );
      expect((await importFile(owner, 'team-track.yaml')).content).toContain(
        'Imported **How we ship at Acme**',
      );
      const scheduled = await reply(
        fake.slashCommand(
          owner,
          ['schedule', 'set'],
          [
            { name: 'time', type: STRING, value: '09:00' },
            { name: 'days', type: STRING, value: 'daily' },
            { name: 'tz', type: STRING, value: 'UTC' },
            { name: 'track', type: STRING, value: 'team-deploys' },
          ],
        ),
      );
      expect(scheduled.content).toMatch(/track `team-deploys@[0-9a-f]{12}`/);

      h.clock.set('2026-11-23T09:05:00Z');
      const started = fake.slashCommand(ana, ['today']);
      const today = await reply(started);
      expect(everything(today)).toContain('Releases leave on the train');
      expect(everything(today)).toContain('@everyone reads the changelog');
      // Discord is told to ping nobody, whatever the track's text says.
      const sent = fake.requests.filter((r) => r.path.includes(fake.interaction(started.id)!.token));
      expect(sent.length).toBeGreaterThan(0);
      for (const r of sent)
        if ((r.body as { allowed_mentions?: unknown }).allowed_mentions !== undefined)
          expect((r.body as { allowed_mentions: unknown }).allowed_mentions).toEqual({ parse: [] });
      expect(sent.some((r) => (r.body as { allowed_mentions?: unknown }).allowed_mentions)).toBe(true);

      const list = await reply(fake.slashCommand(owner, ['track', 'list']));
      expect(list.content).toMatch(/`team-deploys` How we ship at Acme · 1 card, 2 questions/);
    });
  },
);
