// The application's version comes from package.json once; /healthz reports it with the content version, and
// help's footer shows both, so a report or a screenshot says which release and which wording it came from.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createBot } from '../src/bot/bot.ts';
import { APP_VERSION } from '../src/config/version.ts';
import { silentLog } from '../src/core/log.ts';
import { createHttpServer, type HttpServer } from '../src/server/http-server.ts';
import { backends } from './helpers/databases.ts';
import { CHANNEL, createHarness, member } from './helpers/harness.ts';

const pkg = JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../package.json'), 'utf8'));

const servers: HttpServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close(1000)));
});

describe('versions', () => {
  it('reads the application version from package.json, a semantic version', () => {
    expect(APP_VERSION).toBe(pkg.version);
    expect(APP_VERSION).toMatch(/^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/);
  });

  it('/healthz reports the application and content versions', async () => {
    const version = { app: '1.2.3', content: 'abcdef012345' };
    const server = createHttpServer({ host: '127.0.0.1', port: 0, log: silentLog, readiness: [], version });
    servers.push(server);
    const { port } = await server.listen();
    const body = await (await fetch(`http://127.0.0.1:${port}/healthz`)).json();
    expect(body).toMatchObject({ status: 'ok', version: '1.2.3', contentVersion: 'abcdef012345' });
  });

  it("help's footer names the application version and the track's content version", async () => {
    const h = await createHarness(backends[0]!);
    try {
      const bot = createBot({ study: h.study.deps, log: silentLog, clock: h.clock, appVersion: '1.2.3' });
      const reply = await bot.handleCommand({
        channel: CHANNEL,
        user: member('Ana'),
        input: { kind: 'text', text: 'help' },
        requestId: 'req-help',
        receivedAt: h.clock.now(),
      });
      expect(reply.card?.footer).toContain(`roadmap-bot 1.2.3, content ${h.track.version}.`);
    } finally {
      await h.close();
    }
  });
});
