/** The process's one HTTP server: health, readiness, Prometheus metrics, and the adapters' routes (Slack, Discord). */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HttpMount } from '../adapters/adapter.ts';
import type { Log } from '../core/log.ts';

/** One thing /readyz asks: the database answers, a platform is connected. */
export interface ReadinessCheck {
  name: string;
  /** True when ready; false or a throw means not ready. */
  check(): boolean | Promise<boolean>;
}

export interface MetricsSource {
  render(): Promise<string>;
  readonly contentType: string;
}

export interface HttpServerDeps {
  host: string;
  port: number;
  log: Log;
  readiness: ReadinessCheck[];
  metrics?: MetricsSource;
  mounts?: HttpMount[];
  /** A check slower than this counts as failed, so a hung database cannot hang the probe (default 2 s). */
  checkTimeoutMs?: number;
  /** The application's and the content's versions, reported by /healthz. */
  version?: { app: string; content: string };
}

export interface HttpServer {
  /** Starts listening; resolves with the bound address (port 0 picks a free one). */
  listen(): Promise<{ host: string; port: number }>;
  /** Requests being handled now. */
  inFlight(): number;
  /**
   * Stops accepting connections, closes idle keep-alive sockets and waits for in-flight requests; at the
   * deadline the remaining connections are dropped. Resolves `drained: false` when it had to drop any.
   */
  close(timeoutMs: number): Promise<{ drained: boolean }>;
}

const CHECK_TIMEOUT_MS = 2000;

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  res.end(text);
}

async function runCheck(check: ReadinessCheck, timeoutMs: number): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`timed out after ${timeoutMs} ms`), timeoutMs);
  });
  try {
    return await Promise.race([
      Promise.resolve()
        .then(() => check.check())
        .then(
          (ok) => (ok ? 'ok' : 'not ready'),
          (err: unknown) => `failed: ${err instanceof Error ? err.message : String(err)}`,
        ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** What the server and its shutdown share: responses open now, and whether it is closing. */
interface ServerState {
  closing: boolean;
  open: Set<ServerResponse>;
  /** Called when the last open response closes during shutdown. */
  onIdle?: () => void;
}

/** /readyz: every check, in parallel and each within the timeout; state changes are logged once. */
async function readyz(
  res: ServerResponse,
  readiness: readonly ReadinessCheck[],
  checkTimeoutMs: number,
  lastState: Map<string, string>,
  log: Log,
): Promise<void> {
  const results = await Promise.all(readiness.map((c) => runCheck(c, checkTimeoutMs)));
  const checks: Record<string, string> = Object.fromEntries(
    readiness.map((c, i) => [c.name, results[i] ?? 'not run']),
  );
  const failed = Object.keys(checks).filter((name) => checks[name] !== 'ok');
  // Log transitions only: probes run every few seconds and a steady state says nothing new.
  for (const [name, state] of Object.entries(checks)) {
    if (lastState.get(name) !== state) {
      if (state === 'ok') log.info({ check: name }, 'readiness check passing');
      else log.warn({ check: name, state }, 'readiness check failing');
      lastState.set(name, state);
    }
  }
  sendJson(res, failed.length ? 503 : 200, {
    status: failed.length ? 'not ready' : 'ready',
    failed,
    checks,
  });
}

async function sendMetrics(res: ServerResponse, source: MetricsSource | undefined): Promise<void> {
  if (!source) {
    sendJson(res, 404, { error: 'metrics are not enabled' });
    return;
  }
  const text = await source.render();
  res.writeHead(200, { 'content-type': source.contentType, 'cache-control': 'no-store' });
  res.end(text);
}

/** Routes a request: an adapter's mount by the longest prefix, else /healthz, /readyz or /metrics. */
function createRoute(deps: HttpServerDeps, state: ServerState) {
  const log = deps.log;
  const checkTimeoutMs = deps.checkTimeoutMs ?? CHECK_TIMEOUT_MS;
  const mounts = [...(deps.mounts ?? [])].sort((a, b) => b.prefix.length - a.prefix.length);
  const lastState = new Map<string, string>();
  return async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
    const mount = mounts.find((m) => pathname.startsWith(m.prefix));
    if (mount) {
      mount.listener(req, res);
      return;
    }
    const builtIn = pathname === '/healthz' || pathname === '/readyz' || pathname === '/metrics';
    if (builtIn && req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      sendJson(res, 405, { error: 'method not allowed' });
      return;
    }
    if (pathname === '/healthz')
      sendJson(res, 200, {
        status: 'ok',
        ...(deps.version ? { version: deps.version.app, contentVersion: deps.version.content } : {}),
        uptimeSeconds: Math.round(process.uptime()),
      });
    else if (pathname === '/readyz') {
      if (state.closing) sendJson(res, 503, { status: 'shutting down', checks: {} });
      else await readyz(res, deps.readiness, checkTimeoutMs, lastState, log);
    } else if (pathname === '/metrics') await sendMetrics(res, deps.metrics);
    else sendJson(res, 404, { error: 'not found' });
  };
}

/** Stops accepting, closes idle sockets, waits for open responses until the timeout, then drops the rest. */
async function closeServer(
  server: Server,
  state: ServerState,
  timeoutMs: number,
): Promise<{ drained: boolean }> {
  const { open } = state;
  state.closing = true;
  for (const res of open) if (!res.headersSent) res.setHeader('connection', 'close');
  const closed = new Promise<void>((resolve) => {
    if (!server.listening) resolve();
    else server.close(() => resolve());
  });
  server.closeIdleConnections();
  let timer: NodeJS.Timeout | undefined;
  const drained = await Promise.race([
    new Promise<boolean>((resolve) => {
      state.onIdle = () => resolve(true);
      if (open.size === 0) resolve(true);
    }),
    new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    }),
  ]);
  clearTimeout(timer);
  server.closeAllConnections();
  await closed;
  return { drained };
}

export function createHttpServer(deps: HttpServerDeps): HttpServer {
  const log = deps.log;
  const state: ServerState = { closing: false, open: new Set() };
  const { open } = state;
  const route = createRoute(deps, state);

  const server: Server = createServer((req, res) => {
    open.add(res);
    // A response finishing while we close frees its socket: close it instead of keeping it alive.
    if (state.closing) res.setHeader('connection', 'close');
    res.on('close', () => {
      open.delete(res);
      if (state.closing) {
        server.closeIdleConnections();
        if (open.size === 0) state.onIdle?.();
      }
    });
    route(req, res).catch((err: unknown) => {
      log.error({ err, path: req.url, method: req.method }, 'http request failed');
      if (!res.headersSent) sendJson(res, 500, { error: 'internal error' });
      else res.destroy();
    });
  });

  return {
    listen: () =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(deps.port, deps.host, () => {
          server.off('error', reject);
          const address = server.address() as AddressInfo;
          resolve({ host: address.address, port: address.port });
        });
      }),
    inFlight: () => open.size,
    close: (timeoutMs) => closeServer(server, state, timeoutMs),
  };
}
