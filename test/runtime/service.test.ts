import { request } from 'node:http';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { HttpMount, PlatformAdapter } from '../../src/adapters/adapter.ts';
import type { Log } from '../../src/core/log.ts';
import type { Publisher } from '../../src/core/outbound.ts';
import { handleSignals, startService, type Ticker } from '../../src/runtime/service.ts';
import { backends } from '../helpers/databases.ts';

interface Line {
  level: string;
  msg: string;
  fields: Record<string, unknown>;
}

function recordingLog(lines: Line[], bindings: Record<string, unknown> = {}): Log {
  const at =
    (level: string) =>
    (obj: object, msg = '') =>
      lines.push({ level, msg, fields: { ...bindings, ...obj } });
  return {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: (more) => recordingLog(lines, { ...bindings, ...more }),
  };
}

/** A promise with its resolver, to hold work open until the test lets it go. */
function gate<T = void>() {
  let open: (value: T) => void = () => {};
  const promise = new Promise<T>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 10));
async function waitFor(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setImmediate(resolve));
}

function post(port: number, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'POST' }, (res) => {
      let body = '';
      res.on('data', (c) => {
        body += c;
      });
      res.on('end', () => resolve(body));
    });
    req.on('error', reject);
    req.end();
  });
}

/**
 * A platform adapter with a real HTTP route whose requests wait for `release`, and work of its own outside
 * HTTP (a gateway click being recorded) that stop() waits for, as the real adapters do.
 */
function slowAdapter(
  events: string[],
  release: Promise<void>,
  arrived: () => void,
  work: () => Promise<unknown> = async () => {},
): PlatformAdapter {
  const http: HttpMount = {
    prefix: '/slack/',
    listener(_req, res) {
      events.push('request arrived');
      arrived();
      release.then(() => {
        events.push('request answered');
        res.end('acked');
      });
    },
  };
  let ready = false;
  return {
    platform: 'slack',
    publisher: {} as Publisher,
    http,
    async start() {
      ready = true;
      events.push('adapter started');
    },
    isReady: () => ready,
    async stop() {
      ready = false;
      await work();
      events.push('adapter stopped');
    },
  };
}

/** A ticker whose posting run is in progress until the test finishes it; stop() waits for the run. */
function postingTicker(events: string[], runDone: Promise<void>): Ticker {
  let run: Promise<void> | undefined;
  return {
    start() {
      events.push('ticker started');
      run = runDone.then(() => {
        events.push('posting run finished');
      });
    },
    async stop() {
      events.push('ticker stopping');
      await run;
    },
  };
}

describe.each(backends)('service runtime on $name', (backend) => {
  it('shuts down in order: ticker, HTTP, adapters (after their own work), database; exit code 0', async () => {
    const { handle, drop } = await backend.open();
    const events: string[] = [];
    const lines: Line[] = [];
    const release = gate();
    const arrival = gate();
    const posting = gate();
    const click = gate();
    const clickRecorded = click.promise.then(() => events.push('click recorded'));
    try {
      const service = await startService({
        config: { http: { host: '127.0.0.1', port: 0 }, shutdownTimeoutMs: 30_000 },
        log: recordingLog(lines),
        app: {
          database: handle,
          close: async () => {
            events.push('database closed');
            await handle.close();
          },
        },
        adapters: [slowAdapter(events, release.promise, arrival.open, () => clickRecorded)],
        ticker: postingTicker(events, posting.promise),
        flushLogs: async () => {
          events.push('logs flushed');
        },
      });
      const reply = post(service.address.port, '/slack/events');
      await arrival.promise;

      const exit = service.shutdown('SIGTERM');
      expect(service.shutdown('SIGINT')).toBe(exit);
      const stepDone = (step: string) =>
        lines.some((l) => l.msg === 'shutdown step finished' && l.fields.step === step);
      // Each piece of running work holds the shutdown until the test lets it finish.
      await settle();
      expect(events.at(-1)).toBe('ticker stopping');
      posting.open();
      await waitFor(() => stepDone('ticker'));
      expect(events).not.toContain('adapter stopped');
      release.open();
      expect(await reply).toBe('acked');
      await waitFor(() => stepDone('http'));
      await settle();
      expect(events).not.toContain('adapter stopped');
      click.open();
      expect(await exit).toBe(0);

      expect(events).toEqual([
        'adapter started',
        'ticker started',
        'request arrived',
        'ticker stopping',
        'posting run finished',
        'request answered',
        'click recorded',
        'adapter stopped',
        'database closed',
        'logs flushed',
      ]);
      const steps = lines.filter((l) => l.msg === 'shutdown step finished').map((l) => l.fields.step);
      expect(steps).toEqual(['ticker', 'http', 'adapter', 'database']);
      expect(lines.map((l) => l.msg)).toContain('shutdown complete');
      await expect(sql`select 1`.execute(handle.db)).rejects.toThrow();
    } finally {
      await drop().catch(() => {});
    }
  });
});

describe('service runtime limits', () => {
  const database = () => {
    const closed = { value: false };
    return {
      closed,
      app: {
        database: {
          db: {} as never,
          kind: 'pglite' as const,
          poolStats: () => ({ total: 1, idle: 1, waiting: 0 }),
        },
        close: async () => {
          closed.value = true;
        },
        // biome-ignore lint/suspicious/noExplicitAny: the runtime only calls close() in these tests
      } as any,
    };
  };

  it('a posting run that outlasts the timeout is cut off: the rest still shuts down and the code is 1', async () => {
    const lines: Line[] = [];
    const stopped: string[] = [];
    const { app, closed } = database();
    const service = await startService({
      config: { http: { host: '127.0.0.1', port: 0 }, shutdownTimeoutMs: 50 },
      log: recordingLog(lines),
      app,
      adapters: [
        {
          platform: 'discord',
          publisher: {} as Publisher,
          start: async () => {},
          isReady: () => true,
          stop: async () => {
            stopped.push('discord');
          },
        },
      ],
      ticker: { start() {}, stop: () => new Promise<void>(() => {}) },
    });
    expect(await service.shutdown('SIGTERM')).toBe(1);
    expect(stopped).toEqual(['discord']);
    expect(closed.value).toBe(true);
    expect(lines.find((l) => l.msg === 'shutdown step did not finish')?.fields).toMatchObject({
      step: 'ticker',
      outcome: 'timeout',
    });
  });

  it('an adapter that cannot start stops the ones already started and frees the port', async () => {
    const stopped: string[] = [];
    const { app } = database();
    const ok: PlatformAdapter = {
      platform: 'slack',
      publisher: {} as Publisher,
      start: async () => {},
      isReady: () => true,
      stop: async () => {
        stopped.push('slack');
      },
    };
    const broken: PlatformAdapter = {
      ...ok,
      platform: 'discord',
      start: () => Promise.reject(new Error('4004')),
    };
    await expect(
      startService({
        config: { http: { host: '127.0.0.1', port: 0 }, shutdownTimeoutMs: 1000 },
        log: recordingLog([]),
        app,
        adapters: [ok, broken],
      }),
    ).rejects.toThrow('4004');
    expect(stopped).toEqual(['slack']);
  });

  it('the first signal starts the shutdown and exits with its code; a second one exits at once with 130', async () => {
    const lines: Line[] = [];
    const codes: number[] = [];
    const finish = gate<number>();
    let reasons: string[] = [];
    const remove = handleSignals(
      {
        shutdown: (reason) => {
          reasons = [...reasons, reason];
          return finish.promise;
        },
      },
      {
        log: recordingLog(lines),
        exit: (code) => codes.push(code),
        hardTimeoutMs: 60_000,
        signals: ['SIGUSR2'],
      },
    );
    try {
      const delivered = () => new Promise((resolve) => setImmediate(resolve));
      process.kill(process.pid, 'SIGUSR2');
      await delivered();
      while (reasons.length === 0) await delivered();
      expect(reasons).toEqual(['SIGUSR2']);
      expect(codes).toEqual([]);
      process.kill(process.pid, 'SIGUSR2');
      while (codes.length === 0) await delivered();
      expect(codes).toEqual([130]);
      finish.open(0);
      while (codes.length === 1) await delivered();
      expect(codes).toEqual([130, 0]);
      expect(lines.map((l) => l.msg)).toEqual(['signal received', 'second signal: exiting now']);
    } finally {
      remove();
    }
  });
});
