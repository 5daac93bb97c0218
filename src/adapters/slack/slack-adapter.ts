/**
 * The Slack adapter: a Bolt app (HTTP receiver or Socket Mode) with its listeners, its Web API clients and
 * a lifecycle. The app is built in slack-app.ts, HTTP requests arrive through slack-receiver.ts and the
 * listeners (what is done before and after each ack) live in slack-commands.ts and slack-listeners.ts.
 */
import type { App } from '@slack/bolt';
import type { Kysely } from 'kysely';
import type { SlackConfig } from '../../config/config.ts';
import type { Clock } from '../../core/clock.ts';
import type { Log } from '../../core/log.ts';
import type { Metrics } from '../../core/metrics.ts';
import type { BotPort as Bot } from '../../core/port.ts';
import type { Database } from '../../db/schema.ts';
import type { PlatformAdapter } from '../adapter.ts';
import { createKeyedWorkQueue } from '../work-queue.ts';
import { createInstallationStore, type SlackInstallationStore } from './installation-store.ts';
import { createAdminLookup } from './slack-admins.ts';
import { createSlackApp } from './slack-app.ts';
import { boltLogger, createSlackClients, type SlackClients } from './slack-clients.ts';
import { registerSlackListeners } from './slack-listeners.ts';
import { createHomeViewers, memberLookups } from './slack-native.ts';
import { createSlackPublisher } from './slack-publisher.ts';
import { slackHttpMount } from './slack-receiver.ts';
import { createTokenCipher } from './token-cipher.ts';

/**
 * Post-ack work (replies, file uploads, streaks) in flight per workspace, and overall: one workspace's slow
 * calls or bursts hold at most its own slots, and the overall bound keeps the database pool busy, not flooded.
 */
const WORK_PER_WORKSPACE = 4;
const WORK_TOTAL = 32;

export interface SlackAdapterDeps {
  config: SlackConfig;
  bot: Bot;
  /** Holds the OAuth installations (unused with a single bot token). */
  db: Kysely<Database>;
  log: Log;
  metrics: Metrics;
  clock: Clock;
}

export interface SlackAdapter extends PlatformAdapter {
  /** The Bolt app, for tests and for the shared server's diagnostics. */
  readonly app: App;
  readonly installations: SlackInstallationStore | undefined;
}

/** The Web API clients: one bot token, or each workspace's installation (stored encrypted). */
function connectClients(deps: SlackAdapterDeps, log: Log) {
  const { config, clock, metrics } = deps;
  const installations =
    config.auth.kind === 'oauth'
      ? createInstallationStore({
          db: deps.db,
          cipher: createTokenCipher(config.auth.encryptionKey),
          clock,
          log,
        })
      : undefined;
  const clients: SlackClients = createSlackClients({
    auth:
      config.auth.kind === 'single'
        ? { kind: 'single', botToken: config.auth.botToken }
        : { kind: 'oauth', store: installations! },
    apiUrl: config.apiUrl,
    log,
    metrics,
  });
  return { installations, clients };
}

export function createSlackAdapter(deps: SlackAdapterDeps): SlackAdapter {
  const { config, bot, clock } = deps;
  const log = deps.log.child({ platform: 'slack' });
  const { installations, clients } = connectClients(deps, log);
  const admins = createAdminLookup({ clock, log });
  const publisher = createSlackPublisher({ clients, log });
  const { app, receiver } = createSlackApp(config, installations, boltLogger(log.child({ module: 'bolt' })));

  let ready = false;
  let stopping = false;
  const isReady = () => ready && !stopping;
  const inFlight = new Set<Promise<unknown>>();
  const work = createKeyedWorkQueue(WORK_PER_WORKSPACE, WORK_TOTAL);
  const track = <T>(p: Promise<T>): Promise<T> => {
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p)).catch(() => {});
    return p;
  };
  registerSlackListeners(app, {
    bot,
    clients,
    admins,
    installations,
    publisher,
    homes: createHomeViewers(),
    clock,
    log,
    work,
    track,
    replyInAckMs: config.replyInAckMs,
  });
  const http = receiver
    ? slackHttpMount({ receiver, signingSecret: config.signingSecret!, clock, log, isReady })
    : undefined;

  return {
    platform: 'slack',
    publisher,
    app,
    installations,
    ...(http ? { http } : {}),
    isPlatformAdmin: (teamId, userId) =>
      memberLookups({ clients, admins, log }, teamId, userId).isPlatformAdmin(),
    async start() {
      // Single workspace: auth.test checks the token now, so a wrong one fails start-up, not the first command.
      await app.init();
      if (config.mode === 'socket') await app.start();
      ready = true;
      log.info({ mode: config.mode, auth: config.auth.kind }, 'slack adapter started');
    },
    isReady,
    async stop() {
      stopping = true;
      if (config.mode === 'socket' && ready) await app.stop();
      await Promise.allSettled([...inFlight]);
      ready = false;
      log.info({}, 'slack adapter stopped');
    },
  };
}
