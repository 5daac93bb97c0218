/** One Web API client per workspace token, each reporting rate limiting to metrics; single-workspace or OAuth. */
import { type Logger, LogLevel, retryPolicies, WebClient, WebClientEvent } from '@slack/web-api';
import type { Log } from '../../core/log.ts';
import type { Metrics } from '../../core/metrics.ts';
import type { SlackInstallationStore } from './installation-store.ts';
import { notInstalledError } from './slack-errors.ts';

/**
 * The WebClient has no request timeout by default (platform-facts §1.4); a hung call would hold a drill
 * post forever. 429s are still retried by the client after Retry-After, within this retry policy.
 */
const REQUEST_TIMEOUT_MS = 15_000;
/**
 * No retries at all: the caller owns them. A drill post is retried by the dispatcher under its lease (after
 * looking for the earlier attempt's message), and a lookup made before an ack cannot wait out a Retry-After.
 */
const NO_RETRIES = { retries: 0 };
const MAX_CLIENTS = 1_000;

export interface SlackClients {
  /** The client for a workspace; throws PublishError(not_installed) when the app has no token there. */
  forTeam(teamId: string): Promise<WebClient>;
  /**
   * A client that makes each call exactly once: no retries, a 429 comes back at once as an error, each call
   * gives up after `timeoutMs` and when `signal` aborts. It shares nothing (no request queue a Retry-After
   * pauses) with the workspace's other calls. Throws PublishError(not_installed) like `forTeam`.
   */
  oneShot(teamId: string, opts?: OneShotOptions): Promise<WebClient>;
  /** Drops a cached client after its token was revoked or the app uninstalled. */
  forget(teamId: string): void;
}

interface OneShotOptions {
  signal?: AbortSignal;
  /** Per call; the default is the shared clients' request timeout. */
  timeoutMs?: number;
}

/** Bolt and the Web API log through this, so their lines land in our pino logger as objects. */
export function boltLogger(log: Log): Logger {
  let level = LogLevel.INFO;
  const line =
    (fn: 'debug' | 'info' | 'warn' | 'error') =>
    (...msg: unknown[]) =>
      log[fn]({ slack: msg.map((m) => (m instanceof Error ? m.message : String(m))).join(' ') }, 'slack sdk');
  return {
    debug: line('debug'),
    info: line('info'),
    warn: line('warn'),
    error: line('error'),
    setLevel: (l) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => {},
  };
}

interface SlackClientsDeps {
  auth: { kind: 'single'; botToken: string } | { kind: 'oauth'; store: SlackInstallationStore };
  apiUrl: string | undefined;
  log: Log;
  metrics: Metrics;
}

/** Makes the two kinds of client for a token: shared (retries after Retry-After) and one-shot. */
function clientMakers(deps: SlackClientsDeps) {
  const logger = boltLogger(deps.log);
  const countRateLimits = (client: WebClient, waits: boolean) =>
    client.on(WebClientEvent.RATE_LIMITED, (retryAfter: number, { url }: { url: string }) => {
      deps.metrics.rateLimited('slack');
      deps.log.warn(
        { retryAfter, method: url },
        waits
          ? 'slack rate limited the bot; the client waits and retries'
          : 'slack rate limited the bot; the caller retries later',
      );
    });
  const make = (token: string) => {
    const client = new WebClient(token, {
      ...(deps.apiUrl ? { slackApiUrl: deps.apiUrl } : {}),
      logger,
      timeout: REQUEST_TIMEOUT_MS,
      retryConfig: retryPolicies.fiveRetriesInFiveMinutes,
    });
    countRateLimits(client, true);
    return client;
  };
  const makeOneShot = (token: string, opts: OneShotOptions = {}) => {
    const { signal } = opts;
    const client = new WebClient(token, {
      ...(deps.apiUrl ? { slackApiUrl: deps.apiUrl } : {}),
      logger,
      timeout: opts.timeoutMs ?? REQUEST_TIMEOUT_MS,
      retryConfig: NO_RETRIES,
      rejectRateLimitedCalls: true,
      // The WebClient takes no per-call signal, so the caller's rides on every request this client makes.
      ...(signal
        ? {
            fetch: (url: string | URL, init: RequestInit = {}) =>
              globalThis.fetch(url, {
                ...init,
                signal: init.signal ? AbortSignal.any([init.signal, signal]) : signal,
              }),
          }
        : {}),
    });
    countRateLimits(client, false);
    return client;
  };
  return { make, makeOneShot };
}

export function createSlackClients(deps: SlackClientsDeps): SlackClients {
  const { make, makeOneShot } = clientMakers(deps);

  if (deps.auth.kind === 'single') {
    const { botToken } = deps.auth;
    const client = make(botToken);
    return {
      forTeam: async () => client,
      oneShot: async (_teamId, opts) => makeOneShot(botToken, opts),
      forget: () => {},
    };
  }

  const { store } = deps.auth;
  const clients = new Map<string, { token: string; client: WebClient }>();
  const tokenFor = async (teamId: string) => {
    const installation = await store.findByTeam(teamId);
    const token = installation?.bot?.token;
    if (!token) throw notInstalledError(teamId);
    return token;
  };
  return {
    oneShot: async (teamId, opts) => makeOneShot(await tokenFor(teamId), opts),
    async forTeam(teamId) {
      const token = await tokenFor(teamId);
      const cached = clients.get(teamId);
      if (cached && cached.token === token) return cached.client;
      if (clients.size >= MAX_CLIENTS) clients.delete(clients.keys().next().value!);
      const client = make(token);
      clients.set(teamId, { token, client });
      return client;
    },
    forget: (teamId) => {
      clients.delete(teamId);
    },
  };
}
