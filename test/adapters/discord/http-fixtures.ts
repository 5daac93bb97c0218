/** The Discord HTTP-mode adapter as the service runs it: on a real HTTP server on loopback, against the fake Discord. */
import type { PlatformAdapter } from '../../../src/adapters/adapter.ts';
import { createDiscordHttpAdapter } from '../../../src/adapters/discord/discord-http.ts';
import { createBot } from '../../../src/bot/bot.ts';
import type { Log } from '../../../src/core/log.ts';
import { noopMetrics } from '../../../src/core/metrics.ts';
import { createHttpServer, type HttpServer } from '../../../src/server/http-server.ts';
import {
  type applicationKeys,
  FAKE_APP_ID,
  FAKE_MANAGER_ROLE_NAME,
  FAKE_TOKEN,
  type FakeDiscord,
} from '../../fake-discord/fake-discord.ts';
import type { Harness } from '../../helpers/harness.ts';

/** Starts the adapter and its server; returns both and the port the server listens on. */
export async function serveDiscordHttp(o: {
  h: Harness;
  fake: FakeDiscord;
  keys: ReturnType<typeof applicationKeys>;
  log: Log;
  ackWithinMs?: number;
}): Promise<{ adapter: PlatformAdapter; server: HttpServer; port: number }> {
  const { h, fake, keys, log } = o;
  const adapter = createDiscordHttpAdapter({
    config: {
      token: FAKE_TOKEN,
      applicationId: FAKE_APP_ID,
      managerRole: FAKE_MANAGER_ROLE_NAME,
      apiUrl: fake.apiUrl,
      publicKey: keys.publicKeyHex,
    },
    bot: createBot({ study: h.study.deps, log, clock: h.clock }),
    log,
    metrics: noopMetrics,
    clock: h.clock,
    ...(o.ackWithinMs !== undefined ? { ackWithinMs: o.ackWithinMs } : {}),
  });
  const server = createHttpServer({
    host: '127.0.0.1',
    port: 0,
    log,
    readiness: [],
    mounts: [adapter.http!],
  });
  const { port } = await server.listen();
  await adapter.start();
  return { adapter, server, port };
}
