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
const MAX_CLIENTS = 1_000;

export interface SlackClients {
  /** The client for a workspace; throws PublishError(not_installed) when the app has no token there. */
  forTeam(teamId: string): Promise<WebClient>;
  /** Drops a cached client after its token was revoked or the app uninstalled. */
  forget(teamId: string): void;
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

export function createSlackClients(deps: {
  auth: { kind: 'single'; botToken: string } | { kind: 'oauth'; store: SlackInstallationStore };
  apiUrl: string | undefined;
  log: Log;
  metrics: Metrics;
}): SlackClients {
  const logger = boltLogger(deps.log);
  const make = (token: string) => {
    const client = new WebClient(token, {
      ...(deps.apiUrl ? { slackApiUrl: deps.apiUrl } : {}),
      logger,
      timeout: REQUEST_TIMEOUT_MS,
      retryConfig: retryPolicies.fiveRetriesInFiveMinutes,
    });
    client.on(WebClientEvent.RATE_LIMITED, (retryAfter: number, { url }: { url: string }) => {
      deps.metrics.rateLimited('slack');
      deps.log.warn({ retryAfter, method: url }, 'slack rate limited the bot; the client waits and retries');
    });
    return client;
  };

  if (deps.auth.kind === 'single') {
    const client = make(deps.auth.botToken);
    return { forTeam: async () => client, forget: () => {} };
  }

  const { store } = deps.auth;
  const clients = new Map<string, { token: string; client: WebClient }>();
  return {
    async forTeam(teamId) {
      const installation = await store.findByTeam(teamId);
      const token = installation?.bot?.token;
      if (!token) throw notInstalledError(teamId);
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
