/**
 * The application as src/runtime/app.ts wires it (bot, live answer counts, dispatcher), on a given Kysely
 * instance, behind the real Slack adapter's HTTP mount on loopback; a recording Publisher stands in for
 * the platform's posts. The one place hops.bench.ts names the application's modules.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Kysely } from 'kysely';
import { createSlackAdapter } from '../src/adapters/slack/slack-adapter.ts';
import { slackActionId } from '../src/adapters/slack/slack-render.ts';
import { createBot } from '../src/bot/bot.ts';
import { createManualClock, type SettableClock } from '../src/core/clock.ts';
import { ALL_DAYS } from '../src/core/commands/options.ts';
import { silentLog } from '../src/core/log.ts';
import { noopMetrics } from '../src/core/metrics.ts';
import type { Publisher } from '../src/core/outbound.ts';
import type { ChannelRef, Platform } from '../src/core/types.ts';
import type { StudyDeps } from '../src/db/deps.ts';
import { ReadCache, type WriteWatch } from '../src/db/read-cache.ts';
import type { Database } from '../src/db/schema.ts';
import { DRILL_CACHE_ENTRIES, DRILL_CACHE_TTL_MS, ensureDrill } from '../src/deliveries/deliveries.ts';
import { createDispatcher } from '../src/deliveries/dispatcher.ts';
import { createLiveCounts } from '../src/deliveries/live-counts.ts';
import { ANSWER_ACTION, answerValue } from '../src/deliveries/messages.ts';
import { createTouch } from '../src/members/touch.ts';
import { benchStudyDeps } from './bench-database.ts';

export interface Wired {
  clock: SettableClock;
  /** The adapter's events endpoint on loopback. */
  eventsUrl: string;
  /** Creates the channel's daily drill: posted at 09:00 UTC, revealed at 18:00. */
  setUp(): Promise<void>;
  runDispatcher(): Promise<{ posted: number }>;
  /** The Slack action id and value of the first answer button of the last posted drill. */
  answerButton(): Promise<{ actionId: string; value: string }>;
  flushLiveCounts(): Promise<void>;
  /** Posted messages the live answer count replaced. */
  updates(): number;
  close(): Promise<void>;
}

const CHANNEL: ChannelRef = { platform: 'slack', workspaceId: 'T1', channelId: 'C1' };

export async function wire(opts: {
  db: Kysely<Database>;
  /** The handle's write watch: `today` reads the drill through the cache the service keeps. */
  writes?: WriteWatch;
  apiUrl: string;
  signingSecret: string;
  /** Called as the recording publisher takes a post, to see the chain that reached it. */
  onPost?: () => void;
}): Promise<Wired> {
  const clock = createManualClock('2026-11-30T12:00:00Z');
  const study: StudyDeps = {
    ...benchStudyDeps(opts.db, clock),
    ...(opts.writes && { drillCache: new ReadCache(opts.writes, DRILL_CACHE_TTL_MS, DRILL_CACHE_ENTRIES) }),
  };
  const posted: number[] = [];
  let updates = 0;
  const publisher: Publisher = {
    platform: 'slack',
    async post(channel) {
      opts.onPost?.();
      posted.push(posted.length + 1);
      return { channel, messageId: `m-${posted.length}` };
    },
    async update() {
      updates++;
    },
    async sendDirect() {},
  };
  const publishers = new Map<Platform, Publisher>([['slack', publisher]]);
  const live = createLiveCounts({ ...study, publishers });
  const dispatcher = createDispatcher({ ...study, publishers, log: silentLog }, { catchupMs: 6 * 3_600_000 });
  const bot = createBot({
    study,
    log: silentLog,
    clock,
    onDeliveryChanged: (id) => live.changed(id),
    onScheduleDue: () => {},
  });
  const adapter = createSlackAdapter({
    config: {
      mode: 'http',
      signingSecret: opts.signingSecret,
      appToken: undefined,
      auth: { kind: 'single', botToken: 'xoxb-bench' },
      apiUrl: opts.apiUrl,
      // The flow counted is the reply through response_url (bench/README.md, hops), so none rides in the ack.
      replyInAckMs: 0,
    },
    bot,
    db: opts.db,
    log: silentLog,
    metrics: noopMetrics,
    clock,
  });
  await adapter.start();
  const server = createServer(adapter.http!.listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  return {
    clock,
    eventsUrl: `http://127.0.0.1:${port}/slack/events`,
    async setUp() {
      await createTouch(study)({ ...CHANNEL, userId: 'UADMIN', displayName: 'admin' });
      const drill = await ensureDrill(
        study,
        CHANNEL,
        { timeOfDay: '09:00', days: ALL_DAYS, timezone: 'UTC' },
        null,
      );
      // Revealed at 18:00, so the next morning's run posts and reveals nothing else.
      await opts.db.updateTable('drills').set({ reveal_time: '18:00' }).where('id', '=', drill.id).execute();
    },
    runDispatcher: () => dispatcher.runOnce(),
    async answerButton() {
      const last = await opts.db
        .selectFrom('deliveries')
        .select('id')
        .orderBy('id', 'desc')
        .executeTakeFirstOrThrow();
      return {
        actionId: slackActionId(ANSWER_ACTION, 0),
        value: answerValue({ kind: 'delivery', id: last.id }, 0),
      };
    },
    flushLiveCounts: () => live.flush(),
    updates: () => updates,
    async close() {
      await live.stop();
      await adapter.stop();
      server.closeAllConnections();
      server.close();
    },
  };
}
