/**
 * Slack HTTP receiver under load: signed `/roadmap today` at 50 concurrent connections on loopback into the
 * real adapter (real Bolt receiver, bot and study service on PostgreSQL with 100,000 answers), beside a bare
 * Bolt app that acks the same command with fixed text, in the same run. A member sees a reply when the ack
 * carries it, or when it arrives through response_url; "replies/s" counts both, beside the bare app's acks. Needs BENCH_DATABASE_URL or
 * TEST_DATABASE_URL; works in a fresh schema it drops afterwards.
 */
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { App, HTTPReceiver, LogLevel } from '@slack/bolt';
import { sql } from 'kysely';
import { createSlackAdapter } from '../src/adapters/slack/slack-adapter.ts';
import { groupShownWrites } from '../src/answers/shown.repository.ts';
import { createBot } from '../src/bot/bot.ts';
import { createManualClock, systemClock } from '../src/core/clock.ts';
import { ALL_DAYS } from '../src/core/commands/options.ts';
import { silentLog } from '../src/core/log.ts';
import { noopMetrics } from '../src/core/metrics.ts';
import type { ChannelRef } from '../src/core/types.ts';
import type { StudyDeps } from '../src/db/deps.ts';
import { ReadCache } from '../src/db/read-cache.ts';
import { DRILL_CACHE_ENTRIES, DRILL_CACHE_TTL_MS, ensureDrill } from '../src/deliveries/deliveries.ts';
import { createTouch } from '../src/members/touch.ts';
import { benchStudyDeps, openBenchDatabase } from './bench-database.ts';
import type { LoadRequest, LoadResult } from './slack-load.worker.ts';

const CONCURRENCY = 50;
const MEMBERS = 2_000;
const DAYS = 50; // MEMBERS × DAYS = 100,000 answers
const WARMUP = Number(process.env.SLACK_BENCH_WARMUP ?? 1_000);
const COUNT = Number(process.env.SLACK_BENCH_COUNT ?? 10_000);
const ROUNDS = 2;
/** The adapter's budget for replying in the ack (SLACK_REPLY_IN_ACK_MS; the default unless set). */
const REPLY_IN_ACK_MS = Number(process.env.SLACK_REPLY_IN_ACK_MS ?? 250);
const SECRET = 'bench-signing-secret-0123456789';
const CHANNEL: ChannelRef = { platform: 'slack', workspaceId: 'T1', channelId: 'C1' };

const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? Number.NaN;
};

const fmt = (n: number) => n.toFixed(1);
const pct = (n: number) => `${((100 * n) / COUNT).toFixed(0)}%`;

/** An adapter's row: its acks/s and visible replies/s, each beside its ratio to the bare app's acks/s in the same round. */
function adapterRow(round: number, name: string, r: LoadResult, bareRps: number): string {
  const ackRps = (COUNT / r.elapsedAckMs) * 1000;
  const replyRps = (COUNT / r.elapsedReplyMs) * 1000;
  const ratio = (n: number) => `${n.toFixed(0)} (**${(n / bareRps).toFixed(2)}**)`;
  return `| ${round} | ${name} (reply in the ack within ${REPLY_IN_ACK_MS} ms, else response_url) | ${ratio(ackRps)} | ${ratio(replyRps)} | ${fmt(percentile(r.ackMs, 50))} | ${fmt(percentile(r.ackMs, 99))} | ${fmt(percentile(r.replyMs, 50))} | ${fmt(percentile(r.replyMs, 99))} | ${pct(r.inAck)} | ${r.doubles} | ${r.errors} |`;
}

function serve(listener: RequestListener): Promise<{ url: string; server: Server }> {
  const server = createServer(listener);
  server.keepAliveTimeout = 60_000;
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server }),
    ),
  );
}

export default async function slackBench(): Promise<void> {
  const { handle, schema, serverVersion, drop } = await openBenchDatabase();
  const worker = new Worker(path.join(import.meta.dirname, 'slack-load.worker.ts'));
  // Listen before anything else awaits: the worker reports its sink's address as soon as it listens.
  const workerReady = new Promise<{ sinkUrl: string }>((resolve) =>
    worker.once('message', (m: { type: string; sinkUrl: string }) => resolve(m)),
  );
  const servers: Server[] = [];
  try {
    const today = new Date();
    const clock = createManualClock(new Date(today.getTime() - DAYS * 86_400_000));
    const study = benchStudyDeps(handle.db, clock);
    const bot = createBot({ study, log: silentLog, clock });

    // A daily drill running for DAYS days, each day opened the way members open it (`today`)...
    process.stdout.write(`loading ${MEMBERS * DAYS} answers into schema ${schema}…\n`);
    const adminUser = { ...CHANNEL, userId: 'UADMIN', displayName: 'admin' };
    await createTouch(study)(adminUser);
    await ensureDrill(
      study,
      CHANNEL,
      { timeOfDay: '00:00', days: ALL_DAYS, timezone: 'UTC' },
      'UADMIN',
      clock.now(),
    );
    for (let d = 0; d <= DAYS; d++) {
      clock.set(new Date(today.getTime() - (DAYS - d) * 86_400_000));
      await bot.handleCommand({
        channel: CHANNEL,
        user: adminUser,
        input: { kind: 'text', text: 'today' },
        requestId: `load-${d}`,
        receivedAt: clock.now(),
      });
    }
    // ...and MEMBERS members who answered every delivery.
    await sql`insert into members (platform, workspace_id, user_id, display_name)
      select 'slack', 'T1', 'U' || lpad(g::text, 6, '0'), 'member ' || g from generate_series(1, ${MEMBERS}) g
      on conflict do nothing`.execute(handle.db);
    const deliveries = await handle.db
      .selectFrom('deliveries')
      .select(['id', 'drill_id', 'card_id', 'question_id'])
      .orderBy('id')
      .limit(DAYS)
      .execute();
    for (const d of deliveries) {
      const moduleId = study.tracks.get(study.defaultTrackId)!.card(d.card_id)!.moduleId;
      await sql`insert into answers (platform, workspace_id, user_id, drill_id, delivery_id, module_id, card_id,
          question_id, choice, correct, points, answered_at)
        select 'slack', 'T1', 'U' || lpad(g::text, 6, '0'), ${d.drill_id}, ${d.id}, ${moduleId}, ${d.card_id},
          ${d.question_id}, g % 4, g % 4 = 0, case when g % 4 = 0 then 10 else 2 end, now()
        from generate_series(1, ${MEMBERS}) g on conflict do nothing`.execute(handle.db);
    }
    await sql`analyze`.execute(handle.db);
    const answers = await handle.db
      .selectFrom('answers')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    clock.set(new Date());
    process.stdout.write(`loaded; running ${ROUNDS} rounds of ${WARMUP} + ${COUNT} requests per server…\n`);

    const ready = await workerReady;
    const run = (request: LoadRequest) =>
      new Promise<LoadResult>((resolve) => {
        worker.once('message', (m: { type: 'result'; result: LoadResult }) => resolve(m.result));
        worker.postMessage({ type: 'run', request });
      });

    // The real adapter: as it was (the drill read for each `today`), with the per-process drill cache on the real
    // clock (the load's manual clock would never let an entry expire), and as the service runs it: the cache and
    // the members' shown writes grouped while one is on its way.
    const startAdapter = async (deps: StudyDeps) => {
      const adapter = createSlackAdapter({
        config: {
          mode: 'http',
          signingSecret: SECRET,
          appToken: undefined,
          auth: { kind: 'single', botToken: 'xoxb-bench' },
          apiUrl: `${ready.sinkUrl}/api/`,
          replyInAckMs: REPLY_IN_ACK_MS,
        },
        bot: deps === study ? bot : createBot({ study: deps, log: silentLog, clock: deps.clock }),
        db: handle.db,
        log: silentLog,
        metrics: noopMetrics,
        clock: systemClock,
      });
      await adapter.start();
      const served = await serve(adapter.http!.listener);
      servers.push(served.server);
      return { adapter, url: served.url };
    };
    const real = await startAdapter(study);
    const cached = await startAdapter({
      ...study,
      clock: systemClock,
      drillCache: new ReadCache(handle.writes!, DRILL_CACHE_TTL_MS, DRILL_CACHE_ENTRIES),
    });
    const grouped = await startAdapter({
      ...study,
      clock: systemClock,
      drillCache: new ReadCache(handle.writes!, DRILL_CACHE_TTL_MS, DRILL_CACHE_ENTRIES),
      shownWrites: groupShownWrites(handle.db),
    });

    // The bare app: the same receiver, acking the same command with a fixed text.
    const bareReceiver = new HTTPReceiver({
      signingSecret: SECRET,
      endpoints: '/slack/events',
      logLevel: LogLevel.ERROR,
    });
    const bareApp = new App({
      receiver: bareReceiver,
      token: 'xoxb-bench',
      logLevel: LogLevel.ERROR,
      clientOptions: { slackApiUrl: `${ready.sinkUrl}/api/` },
      deferInitialization: true,
    });
    bareApp.command('/roadmap', async ({ ack }) => {
      await ack({ response_type: 'ephemeral', text: 'No drill is open right now.' });
    });
    await bareApp.init();
    const bare = await serve(bareReceiver.requestListener);
    servers.push(bare.server);

    const base = { secret: SECRET, concurrency: CONCURRENCY, warmup: WARMUP, count: COUNT, users: MEMBERS };
    const rows: string[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      const b = await run({ ...base, target: `${bare.url}/slack/events` });
      process.stdout.write(`round ${round}: bare done\n`);
      const r = await run({ ...base, target: `${real.url}/slack/events` });
      process.stdout.write(`round ${round}: adapter done\n`);
      const c = await run({ ...base, target: `${cached.url}/slack/events` });
      process.stdout.write(`round ${round}: adapter with the drill cache done\n`);
      const g = await run({ ...base, target: `${grouped.url}/slack/events` });
      process.stdout.write(`round ${round}: adapter with the drill cache and grouped shown writes done\n`);
      const bareRps = (COUNT / b.elapsedAckMs) * 1000;
      rows.push(
        `| ${round} | bare Bolt app (fixed text in the ack) | ${bareRps.toFixed(0)} | ${bareRps.toFixed(0)} | ${fmt(percentile(b.ackMs, 50))} | ${fmt(percentile(b.ackMs, 99))} | ${fmt(percentile(b.replyMs, 50))} | ${fmt(percentile(b.replyMs, 99))} | ${pct(b.inAck)} | ${b.doubles} | ${b.errors} |`,
        adapterRow(round, 'roadmap-bot adapter, drill read per request', r, bareRps),
        adapterRow(round, `roadmap-bot adapter, drill cache (${DRILL_CACHE_TTL_MS} ms)`, c, bareRps),
        adapterRow(
          round,
          'roadmap-bot adapter, drill cache and grouped shown writes (as the service runs)',
          g,
          bareRps,
        ),
      );
    }
    await real.adapter.stop();
    await cached.adapter.stop();
    await grouped.adapter.stop();
    const cpu = os.cpus();
    process.stdout.write(
      [
        '',
        `Slack receiver benchmark · ${new Date().toISOString().slice(0, 10)} · ${cpu.length} × ${cpu[0]?.model ?? 'cpu'} · ` +
          `${Math.round(os.totalmem() / 2 ** 30)} GiB · Node ${process.version} · PostgreSQL ${serverVersion}`,
        `${CONCURRENCY} concurrent keep-alive connections, ${WARMUP} warm-up + ${COUNT} measured signed \`/roadmap today\` per run, ` +
          `${MEMBERS} members, ${Number(answers.n).toLocaleString('en-US')} answers; latencies in ms`,
        '',
        '| round | server | acks/s | visible replies/s | ack p50 | ack p99 | reply p50 | reply p99 | replies in the ack | second replies | errors |',
        '|---|---|---|---|---|---|---|---|---|---|---|',
        ...rows,
        '',
      ].join('\n'),
    );
  } finally {
    worker.postMessage({ type: 'close' });
    for (const s of servers) {
      s.closeAllConnections();
      s.close();
    }
    await drop();
  }
}
