/** Runs the bot as a service: HTTP server, platform adapters and ticker up; on a signal, down in order. */
import { sql } from 'kysely';
import type { HttpMount, PlatformAdapter } from '../adapters/adapter.ts';
import type { Config } from '../config/config.ts';
import type { Log } from '../core/log.ts';
import { createHttpServer, type MetricsSource, type ReadinessCheck } from '../server/http-server.ts';
import type { App } from './app.ts';

/** The scheduler as the runtime sees it: `stop()` resolves once a posting run in progress has finished. */
export interface Ticker {
  start(): void;
  stop(): Promise<void>;
}

export interface ServiceDeps {
  config: Pick<Config, 'http' | 'shutdownTimeoutMs'>;
  log: Log;
  app: Pick<App, 'database' | 'close'>;
  adapters: PlatformAdapter[];
  ticker?: Ticker;
  metrics?: MetricsSource;
  /** Writes buffered log lines out; the last step before exit. */
  flushLogs?: () => Promise<void>;
  /** The application's and the content's versions, for /healthz. */
  version?: { app: string; content: string };
  /** The managers' web dashboard (src/dashboard), when it is configured. */
  dashboard?: HttpMount;
}

export interface Service {
  readonly address: { host: string; port: number };
  /**
   * Shuts down once (later calls get the same promise) and resolves with the exit code: 0 when every step
   * finished within config.shutdownTimeoutMs, 1 when one failed or work had to be cut off.
   */
  shutdown(reason: string): Promise<number>;
}

type Outcome = 'done' | 'timeout' | 'failed';

/** Waits for `work` at most until `deadline`; never throws. */
async function until(
  deadline: number,
  work: () => Promise<unknown>,
): Promise<{ outcome: Outcome; err?: unknown }> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      Promise.resolve()
        .then(work)
        .then(
          () => ({ outcome: 'done' as const }),
          (err: unknown) => ({ outcome: 'failed' as const, err }),
        ),
      new Promise<{ outcome: Outcome }>((resolve) => {
        timer = setTimeout(() => resolve({ outcome: 'timeout' }), Math.max(0, deadline - Date.now()));
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** The readiness checks: a `select 1` on the database, then each adapter's own connection state. */
export function readinessChecks(app: Pick<App, 'database'>, adapters: PlatformAdapter[]): ReadinessCheck[] {
  return [
    {
      name: 'database',
      check: async () => {
        await sql`select 1`.execute(app.database.db);
        return true;
      },
    },
    ...adapters.map((a) => ({ name: a.platform, check: () => a.isReady() })),
  ];
}

type HttpServer = ReturnType<typeof createHttpServer>;

/** Starts the adapters in order; when one fails, those started stop and the server closes. */
async function startAdapters(
  adapters: PlatformAdapter[],
  server: HttpServer,
  log: Log,
): Promise<PlatformAdapter[]> {
  const started: PlatformAdapter[] = [];
  try {
    for (const adapter of adapters) {
      await adapter.start();
      started.push(adapter);
      log.info({ platform: adapter.platform }, 'platform adapter started');
    }
  } catch (err) {
    log.error({ err, started: started.map((a) => a.platform) }, 'platform adapter failed to start');
    await Promise.allSettled(started.map((a) => a.stop()));
    await server.close(1000);
    throw err;
  }
  return started;
}

/** Shuts down in order, each step within what is left of the timeout; resolves with the exit code. */
async function shutdownInOrder(
  deps: ServiceDeps,
  server: HttpServer,
  started: readonly PlatformAdapter[],
  reason: string,
): Promise<number> {
  const { config, log } = deps;
  const began = Date.now(); // shutdown deadlines are real time: they pace timers, not study days
  const deadline = began + config.shutdownTimeoutMs;
  let clean = true;
  const step = (name: string, result: { outcome: Outcome; err?: unknown }, extra: object = {}) => {
    const fields = { step: name, outcome: result.outcome, ms: Date.now() - began, ...extra };
    if (result.outcome === 'done') log.info(fields, 'shutdown step finished');
    else {
      clean = false;
      log.warn({ ...fields, ...(result.err ? { err: result.err } : {}) }, 'shutdown step did not finish');
    }
  };
  log.info({ reason, timeoutMs: config.shutdownTimeoutMs }, 'shutdown started');

  // 1. No new posting run starts; the one in progress finishes its posts and records them.
  if (deps.ticker) step('ticker', await until(deadline, () => deps.ticker!.stop()));

  // 2. No new HTTP connections; requests in progress (Slack commands and clicks) finish.
  let drained = true;
  const http = await until(deadline, async () => {
    drained = (await server.close(Math.max(0, deadline - Date.now()))).drained;
  });
  step('http', drained ? http : { outcome: 'timeout' });

  // 3. Disconnect from the platforms: each adapter's stop() first lets its own work outside HTTP (gateway
  // clicks, live updates) finish. They get at least a second even when the deadline has passed, so a
  // gateway session is closed properly rather than left for Discord to time out.
  const adaptersDeadline = Math.max(deadline, Date.now() + 1000);
  for (const adapter of [...started].reverse()) {
    step('adapter', await until(adaptersDeadline, () => adapter.stop()), { platform: adapter.platform });
  }

  // 4. Nothing uses the database any more.
  step('database', await until(Math.max(deadline, Date.now() + 1000), () => deps.app.close()));

  const code = clean ? 0 : 1;
  log.info({ code, ms: Date.now() - began }, 'shutdown complete');
  if (deps.flushLogs) await until(Date.now() + 1000, deps.flushLogs);
  return code;
}

export async function startService(deps: ServiceDeps): Promise<Service> {
  const { config, log, adapters } = deps;
  const server = createHttpServer({
    host: config.http.host,
    port: config.http.port,
    log: log.child({ module: 'http' }),
    readiness: readinessChecks(deps.app, adapters),
    mounts: [
      ...adapters.flatMap((a) => (a.http ? [a.http] : [])),
      ...(deps.dashboard ? [deps.dashboard] : []),
    ],
    ...(deps.metrics ? { metrics: deps.metrics } : {}),
    ...(deps.version ? { version: deps.version } : {}),
  });
  // Listen first: /healthz answers (and /readyz says why not ready) while the platforms connect.
  const address = await server.listen();
  log.info(
    { ...address, mounts: adapters.flatMap((a) => (a.http ? [a.http.prefix] : [])) },
    'http server listening',
  );

  const started = await startAdapters(adapters, server, log);
  deps.ticker?.start();
  if (deps.ticker) log.info({}, 'ticker started');
  log.info({ platforms: adapters.map((a) => a.platform) }, 'service started');

  let shutting: Promise<number> | undefined;
  return {
    address,
    shutdown(reason) {
      shutting ??= shutdownInOrder(deps, server, started, reason);
      return shutting;
    },
  };
}

export interface SignalOptions {
  log: Log;
  /** process.exit, injectable for tests. */
  exit: (code: number) => void;
  /** Upper bound for the whole shutdown; past it the process exits 1 whatever is still running. */
  hardTimeoutMs: number;
  signals?: NodeJS.Signals[];
}

/**
 * SIGTERM (Docker, Fly) and SIGINT (Ctrl-C) start the graceful shutdown; a second signal exits at once
 * with 130, for an operator who does not want to wait. Returns a function removing the handlers.
 */
export function handleSignals(service: Pick<Service, 'shutdown'>, opts: SignalOptions): () => void {
  const signals = opts.signals ?? ['SIGTERM', 'SIGINT'];
  let received: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (received) {
      opts.log.warn({ signal, first: received }, 'second signal: exiting now');
      opts.exit(130);
      return;
    }
    received = signal;
    opts.log.info({ signal }, 'signal received');
    const hard = setTimeout(() => {
      opts.log.error({ timeoutMs: opts.hardTimeoutMs }, 'shutdown took too long: exiting now');
      opts.exit(1);
    }, opts.hardTimeoutMs);
    hard.unref();
    service.shutdown(signal).then(
      (code) => {
        clearTimeout(hard);
        opts.exit(code);
      },
      (err: unknown) => {
        opts.log.error({ err }, 'shutdown failed');
        opts.exit(1);
      },
    );
  };
  for (const s of signals) process.on(s, onSignal);
  return () => {
    for (const s of signals) process.off(s, onSignal);
  };
}
