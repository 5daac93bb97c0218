/**
 * Fan-out: 5,000 drills due in the same minute, posted by the real scheduler through the real discord.js
 * publisher into a loopback Discord that enforces the global limit of 50 requests per second (answering 429
 * with `retry_after` and `X-RateLimit-Global` beyond it). Reports the time to post them all beside the lower
 * bound the limit allows (5,000 / 50 = 100 s), the ratio, and the 429s. Needs BENCH_DATABASE_URL or
 * TEST_DATABASE_URL; works in a fresh schema it drops afterwards.
 *
 * `npm run bench -- fanout [drills]`
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { Client, GatewayIntentBits } from 'discord.js';
import { createDiscordPublisher } from '../src/adapters/discord/discord-publisher.ts';
import { createManualClock } from '../src/core/clock.ts';
import { ALL_DAYS } from '../src/core/commands/options.ts';
import { silentLog } from '../src/core/log.ts';
import type { Metrics } from '../src/core/metrics.ts';
import { noopMetrics } from '../src/core/metrics.ts';
import type { Publisher } from '../src/core/outbound.ts';
import type { Platform } from '../src/core/types.ts';
import { createDispatcher } from '../src/deliveries/dispatcher.ts';
import { benchStudyDeps, openBenchDatabase } from './bench-database.ts';

/** Discord's global limit: 50 requests per second per bot (docs: topics/rate-limits.md, "Global Rate Limit"). */
const GLOBAL_PER_SECOND = 50;

/** A loopback Discord that only posts messages, and holds every caller to 50 requests in any second. */
async function startLimitedDiscord() {
  const stamps: number[] = [];
  const stats = { requests: 0, posted: 0, rateLimited: 0, first: 0, last: 0 };
  const nonces = new Set<string>();
  let nextId = 10n ** 17n;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      stats.requests++;
      const now = Date.now();
      while (stamps.length > 0 && now - stamps[0]! >= 1000) stamps.shift();
      if (stamps.length >= GLOBAL_PER_SECOND) {
        stats.rateLimited++;
        const retryAfter = (1000 - (now - stamps[0]!)) / 1000;
        res.writeHead(429, {
          'content-type': 'application/json',
          'retry-after': String(Math.ceil(retryAfter)),
          'x-ratelimit-global': 'true',
          'x-ratelimit-scope': 'global',
        });
        res.end(
          JSON.stringify({ message: 'You are being rate limited.', retry_after: retryAfter, global: true }),
        );
        return;
      }
      stamps.push(now);
      const m = /^\/api\/v10\/channels\/(\d+)\/messages$/.exec(req.url ?? '');
      if (req.method !== 'POST' || !m) {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ message: 'Unknown', code: 0 }));
        return;
      }
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as { nonce?: string };
      if (body.nonce && nonces.has(body.nonce)) stats.posted--; // a repeat would be deduplicated by Discord
      if (body.nonce) nonces.add(body.nonce);
      stats.posted++;
      stats.first ||= now;
      stats.last = now;
      // Per-route headers as Discord sends them: a generous bucket, so only the global limit binds.
      res.writeHead(200, {
        'content-type': 'application/json',
        'x-ratelimit-limit': '5',
        'x-ratelimit-remaining': '4',
        'x-ratelimit-reset-after': '1',
        'x-ratelimit-bucket': `channel-${m[1]}`,
      });
      res.end(JSON.stringify({ id: String(nextId++), channel_id: m[1] }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api`,
    stats,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

export default async function fanout(args: string[]): Promise<void> {
  const drills = Number(args[0] ?? 5000);
  const { handle, drop } = await openBenchDatabase();
  const fake = await startLimitedDiscord();
  const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: fake.url } });
  client.rest.setToken('bench.token.value');
  try {
    const clock = createManualClock('2026-11-23T08:59:00Z');
    const study = benchStudyDeps(handle.db, clock);

    // 5,000 channels in 50 servers, all at 09:00 UTC.
    await handle.db
      .insertInto('workspaces')
      .values(
        Array.from({ length: 50 }, (_, i) => ({
          platform: 'discord',
          workspace_id: `${9_000_000_000_000_000 + i}`,
        })),
      )
      .execute();
    for (let start = 0; start < drills; start += 1000) {
      await handle.db
        .insertInto('drills')
        .values(
          Array.from({ length: Math.min(1000, drills - start) }, (_, k) => {
            const i = start + k;
            return {
              platform: 'discord',
              workspace_id: `${9_000_000_000_000_000 + (i % 50)}`,
              channel_id: `${8_000_000_000_000_000 + i}`,
              track_id: study.defaultTrackId,
              time_of_day: '09:00',
              days: ALL_DAYS,
              timezone: 'UTC',
              updated_at: new Date('2026-11-01T00:00:00Z'),
              schedule_changed_at: new Date('2026-11-01T00:00:00Z'),
            };
          }),
        )
        .execute();
    }

    let sdkWaits = 0;
    const metrics: Metrics = { ...noopMetrics, rateLimited: () => void sdkWaits++ };
    const publisher: Publisher = createDiscordPublisher({ rest: client.rest, log: silentLog, metrics });
    const dispatcher = createDispatcher(
      { ...study, publishers: new Map<Platform, Publisher>([['discord', publisher]]), metrics },
      { catchupMs: 6 * 3_600_000 },
    );
    clock.set('2026-11-23T09:00:05Z');
    const started = performance.now();
    const report = await dispatcher.runOnce();
    const seconds = (performance.now() - started) / 1000;
    const bound = drills / GLOBAL_PER_SECOND;
    const postingSpan = (fake.stats.last - fake.stats.first) / 1000;

    const line = (label: string, value: string) => process.stdout.write(`${label.padEnd(44)} ${value}\n`);
    process.stdout.write(
      `\nfan-out: ${drills} Discord drills due at 09:00, loopback Discord at ${GLOBAL_PER_SECOND} req/s global\n`,
    );
    process.stdout.write(
      `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}\n\n`,
    );
    line('lower bound (drills / 50 per second)', `${bound.toFixed(1)} s`);
    line('scheduler run: open, claim, post, record', `${seconds.toFixed(1)} s`);
    line('ratio to the bound', `${(seconds / bound).toFixed(3)}×`);
    line('first to last post at the fake', `${postingSpan.toFixed(1)} s`);
    line('posted (run report / fake)', `${report.posted} / ${fake.stats.posted}`);
    line('429 answers from the fake', `${fake.stats.rateLimited} of ${fake.stats.requests} requests`);
    line('discord.js rate-limit waits (its own queue)', `${sdkWaits}`);
    line('failed / retrying', `${report.failed} / ${report.retrying}`);
  } finally {
    await client.destroy();
    await fake.close();
    await drop();
  }
}
