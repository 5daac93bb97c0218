import { Agent, request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import type { HttpMount, PlatformAdapter } from '../../src/adapters/adapter.ts';
import { ALL_DAYS } from '../../src/core/commands/options.ts';
import { silentLog } from '../../src/core/log.ts';
import type { Publisher } from '../../src/core/outbound.ts';
import type { Platform } from '../../src/core/types.ts';
import { readinessChecks } from '../../src/runtime/service.ts';
import { createHttpServer, type HttpServer } from '../../src/server/http-server.ts';
import { createPrometheusMetrics } from '../../src/server/prometheus.ts';
import { backends } from '../helpers/databases.ts';
import { button, createHarness, member } from '../helpers/harness.ts';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function get(port: number, path: string, opts: { method?: string; agent?: Agent } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: opts.method ?? 'GET',
        ...(opts.agent ? { agent: opts.agent } : {}),
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => {
          body += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** An adapter with the real shape whose connection state the test sets. */
function adapter(platform: Platform, ready: { value: boolean }, http?: HttpMount): PlatformAdapter {
  return {
    platform,
    publisher: {} as Publisher,
    ...(http ? { http } : {}),
    start: async () => {},
    isReady: () => ready.value,
    stop: async () => {},
  };
}

const servers: HttpServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close(1000)));
});

async function serve(deps: Omit<Parameters<typeof createHttpServer>[0], 'host' | 'port' | 'log'>) {
  const server = createHttpServer({ host: '127.0.0.1', port: 0, log: silentLog, ...deps });
  servers.push(server);
  const { port } = await server.listen();
  return { server, port };
}

describe.each(backends)('http server on $name', (backend) => {
  it('says alive, and ready only while the database answers and every platform is connected', async () => {
    const h = await createHarness(backend);
    const slackReady = { value: true };
    try {
      const { port } = await serve({
        readiness: readinessChecks({ database: h.db.handle }, [adapter('slack', slackReady)]),
      });
      const health = await get(port, '/healthz');
      expect(health.status).toBe(200);
      expect(health.headers['content-type']).toMatch(/application\/json/);
      expect(JSON.parse(health.body)).toMatchObject({ status: 'ok' });

      const ready = await get(port, '/readyz');
      expect(ready.status).toBe(200);
      expect(JSON.parse(ready.body)).toEqual({
        status: 'ready',
        failed: [],
        checks: { database: 'ok', slack: 'ok' },
      });

      slackReady.value = false;
      const slackDown = await get(port, '/readyz');
      expect(slackDown.status).toBe(503);
      expect(JSON.parse(slackDown.body)).toMatchObject({ failed: ['slack'], checks: { slack: 'not ready' } });

      slackReady.value = true;
      await h.db.handle.close();
      const dbDown = await get(port, '/readyz');
      expect(dbDown.status).toBe(503);
      const body = JSON.parse(dbDown.body);
      expect(body.failed).toEqual(['database']);
      expect(body.checks.database).toMatch(/^failed: /);
      // The process itself is still alive: restarting it would not bring the database back.
      expect((await get(port, '/healthz')).status).toBe(200);
    } finally {
      await h.close();
    }
  });

  it('exposes command, answer and pool metrics in Prometheus text after real commands', async () => {
    let handle: { poolStats(): { total: number; idle: number; waiting: number } } | undefined;
    const metrics = createPrometheusMetrics({ poolStats: () => handle?.poolStats() });
    const h = await createHarness(backend, undefined, { metrics });
    handle = h.db.handle;
    try {
      const { port } = await serve({ readiness: [], metrics });
      await h.drill({ timeOfDay: '09:00', days: ALL_DAYS, timezone: 'UTC' });
      const drill = await h.say(member('Ana'), 'today');
      await h.click(member('Ana'), button(drill, 'A'));
      await h.say(member('Ana'), 'me');
      await h.say(member('Ana'), 'nonsense');
      const res = await get(port, '/metrics');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
      const text = res.body;
      expect(text).toMatch(/^roadmap_command_duration_seconds_count\{platform="slack",command="today"\} 1$/m);
      expect(text).toMatch(/^roadmap_commands_total\{platform="slack",command="me",outcome="ok"\} 1$/m);
      expect(text).toMatch(
        /^roadmap_commands_total\{platform="slack",command="unknown",outcome="UNKNOWN_COMMAND"\} 1$/m,
      );
      expect(text).toMatch(/^roadmap_answers_total\{platform="slack",kind="delivery"\} 1$/m);
      expect(text).toMatch(/^roadmap_deliveries_total\{platform="discord",outcome="late"\} 0$/m);
      expect(text).toMatch(/^roadmap_db_pool_connections \d+$/m);
      expect(text).toMatch(/^roadmap_db_pool_waiting_requests 0$/m);
      expect(text).toMatch(/^process_resident_memory_bytes \d+/m);
    } finally {
      await h.close();
    }
  });
});

describe('http server routing and shutdown', () => {
  it('routes prefixes to their mounts, answers 404 elsewhere and 405 for writes to probes', async () => {
    const seen: string[] = [];
    const slack: HttpMount = {
      prefix: '/slack/',
      listener(req, res) {
        seen.push(`${req.method} ${req.url}`);
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end('slack');
      },
    };
    const { port } = await serve({ readiness: [], mounts: [slack] });
    expect((await get(port, '/slack/events', { method: 'POST' })).body).toBe('slack');
    expect((await get(port, '/slack/install?x=1')).body).toBe('slack');
    expect(seen).toEqual(['POST /slack/events', 'GET /slack/install?x=1']);
    expect((await get(port, '/slack')).status).toBe(404);
    expect((await get(port, '/metrics')).status).toBe(404);
    expect((await get(port, '/healthz', { method: 'POST' })).status).toBe(405);
    expect((await get(port, '/healthz', { method: 'HEAD' })).status).toBe(200);
  });

  it('a mount that throws answers 500 and the server keeps serving', async () => {
    const { port } = await serve({
      readiness: [],
      mounts: [
        {
          prefix: '/boom/',
          listener() {
            throw new Error('listener bug');
          },
        },
      ],
    });
    expect((await get(port, '/boom/x')).status).toBe(500);
    expect((await get(port, '/healthz')).status).toBe(200);
  });

  it('a readiness check that hangs fails the probe instead of hanging it', async () => {
    const { port } = await serve({
      checkTimeoutMs: 50,
      readiness: [{ name: 'database', check: () => new Promise<boolean>(() => {}) }],
    });
    const res = await get(port, '/readyz');
    expect(res.status).toBe(503);
    expect(JSON.parse(res.body).checks.database).toBe('timed out after 50 ms');
  });

  it('close() lets an in-flight request finish, refuses new connections and ends keep-alive sockets', async () => {
    let release: () => void = () => {};
    let arrived: () => void = () => {};
    const arrival = new Promise<void>((resolve) => {
      arrived = resolve;
    });
    const slow: HttpMount = {
      prefix: '/slow/',
      listener(_req, res) {
        arrived();
        release = () => res.end('finished');
      },
    };
    const server = createHttpServer({
      host: '127.0.0.1',
      port: 0,
      log: silentLog,
      readiness: [],
      mounts: [slow],
    });
    const { port } = await server.listen();
    const agent = new Agent({ keepAlive: true, maxSockets: 4 });
    try {
      // An idle keep-alive connection left over from an earlier request.
      expect((await get(port, '/healthz', { agent })).status).toBe(200);
      const inFlight = get(port, '/slow/work', { agent });
      await arrival;
      expect(server.inFlight()).toBe(1);

      const closing = server.close(10_000);
      await expect(get(port, '/healthz')).rejects.toThrow(/ECONNREFUSED/);
      release();
      const reply = await inFlight;
      expect(reply.body).toBe('finished');
      expect(reply.headers.connection).toBe('close');
      expect(await closing).toEqual({ drained: true });
    } finally {
      agent.destroy();
    }
  });

  it('close() drops requests still running at the deadline and says so', async () => {
    const server = createHttpServer({
      host: '127.0.0.1',
      port: 0,
      log: silentLog,
      readiness: [],
      mounts: [{ prefix: '/stuck/', listener() {} }],
    });
    const { port } = await server.listen();
    const stuck = get(port, '/stuck/forever');
    while (server.inFlight() === 0) await new Promise((r) => setTimeout(r, 5));
    expect(await server.close(50)).toEqual({ drained: false });
    await expect(stuck).rejects.toThrow(/socket hang up|ECONNRESET/);
  });
});
