/**
 * The fault suite's harness: the real service (src/service.ts) as a child process in Slack HTTP mode, a
 * loopback Slack Web API that injects faults (fake-slack.ts), the real PostgreSQL (a fresh schema on
 * TEST_DATABASE_URL, or a throwaway cluster of its own that a test may stop, start and kill), and helpers to
 * click and command like Slack does. A `FaultRun` owns everything it started and tears it down in `close()`,
 * which every test file calls from afterAll/finally so no child or cluster outlives a failed test.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { DateTime } from 'luxon';
import pg from 'pg';
import { silentLog } from '../../src/core/log.ts';
import { openDatabase } from '../../src/db/database.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { clickBody, commandBody, postSigned } from '../adapters/slack/slack-fixtures.ts';
import { FAKE_TEAM_ID, type FakeSlack, type SlackMessage, startFakeSlack } from './fake-slack.ts';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../..');
const SIGNING_SECRET = 'fault-suite-signing-secret-0123';
const BOT_TOKEN = 'xoxb-fault-suite-token';
export const ADMIN_APPLICATION_NAME = 'fault-harness';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls `check` until it returns a value other than undefined/false; throws naming `what` after `timeoutMs`. */
export async function eventually<T>(
  what: string,
  check: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs: number,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(50);
  }
}

// --- PostgreSQL -----------------------------------------------------------------------------------------

/** The newest installed PostgreSQL's bin directory with initdb and pg_ctl, or undefined. */
export function postgresBinaries(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).sort((a, b) => Number(b) - Number(a));
  for (const v of versions) {
    const bin = path.join(root, v, 'bin');
    if (existsSync(path.join(bin, 'initdb')) && existsSync(path.join(bin, 'pg_ctl'))) return bin;
  }
  return undefined;
}

/** A PostgreSQL cluster of the test's own on a loopback port, so it can be stopped without hurting anyone. */
export interface ThrowawayPostgres {
  /** Superuser URL of its `postgres` database. */
  readonly url: string;
  readonly port: number;
  /** `pg_ctl stop -m fast`: every session is ended, as in a restart or failover. */
  stop(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

export async function startThrowawayPostgres(bin: string): Promise<ThrowawayPostgres> {
  const dir = mkdtempSync(path.join(tmpdir(), 'roadmap-faults-pg-'));
  const asRoot = process.getuid?.() === 0;
  // initdb refuses to run as root: the cluster belongs to the postgres user then.
  if (asRoot) chownSync(dir, Number((await run('id', ['-u', 'postgres'])).stdout.trim()), 0);
  const as = (cmd: string, args: string[]) =>
    asRoot ? run('runuser', ['-u', 'postgres', '--', cmd, ...args]) : run(cmd, args);
  const data = path.join(dir, 'data');
  const port = await freePort();
  await as(path.join(bin, 'initdb'), [
    '-D',
    data,
    '-U',
    'postgres',
    '-A',
    'trust',
    '--no-sync',
    '-E',
    'UTF8',
  ]);
  const ctl = (...args: string[]) => as(path.join(bin, 'pg_ctl'), ['-D', data, ...args]);
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=50`;
  let running = false;
  const start = async () => {
    await ctl('-o', options, '-l', path.join(dir, 'log'), '-w', '-t', '30', 'start');
    running = true;
  };
  const stop = async () => {
    running = false;
    await ctl('-m', 'fast', '-w', '-t', '30', 'stop');
  };
  await start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    start,
    stop,
    async close() {
      try {
        if (running) await ctl('-m', 'immediate', '-w', '-t', '30', 'stop');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/** A fresh, migrated schema for one service: the URL carries its search_path, as an operator's could. */
export interface FaultDatabase {
  /** For the service's DATABASE_URL. */
  readonly url: string;
  readonly schema: string;
  /** Admin queries on the same server (a pool, so it rides through a restart too). */
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, params?: unknown[]): Promise<R[]>;
}

let migrations: Promise<void> = Promise.resolve();

async function openFaultDatabase(serverUrl: string, cleanups: Cleanups): Promise<FaultDatabase> {
  const schema = `f_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Pool({
    connectionString: serverUrl,
    max: 3,
    connectionTimeoutMillis: 5000,
    // Named, so a test terminating the service's sessions can leave the harness's alone.
    application_name: ADMIN_APPLICATION_NAME,
  });
  admin.on('error', () => {});
  cleanups.push(async () => {
    await admin.query(`drop schema if exists ${schema} cascade`).catch(() => {});
    await admin.end();
  });
  await admin.query(`create schema ${schema}`);
  // One migration at a time from this process: concurrent runs would only queue on the migrator's lock, and
  // its look at every schema's tables is best not raced by our own schemas being created alongside.
  const migrated = migrations.then(async () => {
    const handle = openDatabase({ kind: 'postgres', url: serverUrl, poolMax: 2, searchPath: schema });
    try {
      await migrateToLatest(handle.db, silentLog);
    } finally {
      await handle.close();
    }
  });
  migrations = migrated.catch(() => {});
  await migrated;
  const url = `${serverUrl}${serverUrl.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
  return {
    url,
    schema,
    async query(text, params = []) {
      const client = await admin.connect();
      try {
        await client.query(`set search_path to ${schema}`);
        return (await client.query(text, params)).rows;
      } finally {
        client.release();
      }
    },
  };
}

/**
 * Drills in the given channels of a workspace (Slack's T1 unless told), due a minute ago (never yesterday:
 * a post is only due on its own local day), so the service's first scheduler run posts them.
 */
export async function seedDueDrills(
  db: FaultDatabase,
  channels: string[],
  where: { platform: 'slack' | 'discord'; workspaceId: string } = {
    platform: 'slack',
    workspaceId: FAKE_TEAM_ID,
  },
): Promise<void> {
  const due = DateTime.max(DateTime.utc().startOf('day'), DateTime.utc().minus({ minutes: 1 }));
  await db.query(`insert into workspaces (platform, workspace_id) values ($1, $2) on conflict do nothing`, [
    where.platform,
    where.workspaceId,
  ]);
  for (const channel of channels)
    await db.query(
      `insert into drills (platform, workspace_id, channel_id, track_id, time_of_day, days, timezone,
        updated_at, schedule_changed_at) values ($1, $2, $3, 'backend', $4, 127, 'UTC', now(), $5)`,
      [where.platform, where.workspaceId, channel, due.toFormat('HH:mm'), due.minus({ hours: 1 }).toJSDate()],
    );
}

// --- The service ------------------------------------------------------------------------------------------

interface LogLine {
  msg: string;
  level: number;
  /** When the harness read the line (epoch ms). */
  receivedAt: number;
  [key: string]: unknown;
}

export interface ServiceChild {
  readonly child: ChildProcess;
  readonly base: string;
  readonly lines: LogLine[];
  readonly stderr: () => string;
  /** Resolves with how the process ended. */
  readonly exited: Promise<{ code: number | null; signal: string | null }>;
  alive(): boolean;
  /** Waits for a log line with this message; throws if the process exits first. */
  logged(msg: string, timeoutMs?: number): Promise<LogLine>;
  readyz(): Promise<{
    status: number;
    body: { status: string; failed?: string[]; checks?: Record<string, string> };
  }>;
  /** SIGKILL, and waits for the exit. */
  kill(): Promise<void>;
}

interface StartServiceOptions {
  database: FaultDatabase;
  slack: FakeSlack;
  env?: Record<string, string>;
}

async function startServiceChild(opts: StartServiceOptions, cleanups: Cleanups): Promise<ServiceChild> {
  const port = await freePort();
  const child = spawn(process.execPath, ['src/service.ts'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      LOG_FORMAT: 'json',
      LOG_LEVEL: 'debug',
      DATABASE_URL: opts.database.url,
      HOST: '127.0.0.1',
      PORT: String(port),
      SHUTDOWN_TIMEOUT_SECONDS: '5',
      // Several services run at once against a server other suites share: keep each one's pool small.
      DATABASE_POOL_MAX: '4',
      // Short enough that a stopped server is noticed within the test, as a real outage would be.
      DATABASE_CONNECT_TIMEOUT_SECONDS: '2',
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: opts.slack.apiUrl,
      ...opts.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  cleanups.push(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
  });
  const lines: LogLine[] = [];
  let stderr = '';
  let buffered = '';
  const waiters = new Set<() => void>();
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    buffered += chunk;
    const parts = buffered.split('\n');
    buffered = parts.pop() ?? '';
    for (const part of parts) {
      if (!part.trim()) continue;
      try {
        lines.push({ ...(JSON.parse(part) as LogLine), receivedAt: Date.now() });
      } catch {
        stderr += `${part}\n`;
      }
    }
    for (const wake of [...waiters]) wake();
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const alive = () => child.exitCode === null && child.signalCode === null;
  const service: ServiceChild = {
    child,
    base: `http://127.0.0.1:${port}`,
    lines,
    stderr: () => stderr,
    exited,
    alive,
    async logged(msg, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const line = lines.find((l) => l.msg === msg);
        if (line) return line;
        if (!alive()) throw new Error(`service exited before logging "${msg}": ${stderr}`);
        if (Date.now() > deadline) throw new Error(`service did not log "${msg}" within ${timeoutMs} ms`);
        await new Promise<void>((resolve) => {
          const wake = () => {
            waiters.delete(wake);
            clearTimeout(timer);
            resolve();
          };
          const timer = setTimeout(wake, 100);
          waiters.add(wake);
        });
      }
    },
    async readyz() {
      const res = await fetch(`${service.base}/readyz`);
      return {
        status: res.status,
        body: (await res.json()) as Awaited<ReturnType<ServiceChild['readyz']>>['body'],
      };
    },
    async kill() {
      if (!alive()) return;
      child.kill('SIGKILL');
      await exited;
    },
  };
  // Generous: on a loaded machine loading the service's modules alone can take many seconds.
  await service.logged('service started', 90_000);
  return service;
}

/**
 * Waits until a scheduler run that started at or after `since` (epoch ms) has finished: whatever that run
 * would re-post, it has. Runs come every minute by default (and at start-up), so allow up to ~70 s.
 */
export async function schedulerRunAfter(
  service: ServiceChild,
  since: number,
  timeoutMs = 75_000,
): Promise<void> {
  await eventually(
    'a scheduler run that started after the fault',
    () => {
      if (!service.alive()) throw new Error(`service exited: ${service.stderr()}`);
      return service.lines.some(
        (l) => l.msg === 'scheduler run' && l.receivedAt - Number(l.ms ?? 0) >= since,
      );
    },
    timeoutMs,
  );
}

// --- Slack traffic ----------------------------------------------------------------------------------------

/** The answer buttons of a posted drill, as the fake recorded its blocks. */
function answerButtons(message: SlackMessage): Array<{ action_id: string; value: string }> {
  const buttons: Array<{ action_id: string; value: string }> = [];
  for (const block of message.blocks as Array<{ type: string; elements?: Array<Record<string, unknown>> }>) {
    if (block.type !== 'actions') continue;
    for (const e of block.elements ?? [])
      if (typeof e.action_id === 'string' && typeof e.value === 'string')
        buttons.push({ action_id: e.action_id, value: e.value });
  }
  return buttons;
}

let actionCounter = 0;

export interface Click {
  user: string;
  channel: string;
  /** The HTTP status Slack got for the request: 200 is an ack. */
  status: number | 'no answer';
  tag: string;
}

/** A member clicks an answer button on a posted drill, signed like Slack; the reply goes to tag `click-<user>`. */
export async function click(
  service: Pick<ServiceChild, 'base'>,
  slack: FakeSlack,
  message: SlackMessage,
  user: string,
  choice = 0,
): Promise<Click> {
  const button = answerButtons(message)[choice];
  if (!button) throw new Error(`the message in ${message.channel} has no answer button ${choice}`);
  const tag = `click-${message.channel}-${user}`;
  const body = clickBody({
    actionId: button.action_id,
    value: button.value,
    actionTs: `${Math.floor(Date.now() / 1000)}.${String(++actionCounter).padStart(6, '0')}`,
    channel: message.channel,
    user,
    messageTs: message.ts,
    responseUrl: slack.responseUrl(tag),
  });
  try {
    const res = await postSigned(`${service.base}/slack/events`, {
      body,
      timestamp: Math.floor(Date.now() / 1000),
      secret: SIGNING_SECRET,
    });
    return { user, channel: message.channel, status: res.status, tag };
  } catch {
    return { user, channel: message.channel, status: 'no answer', tag };
  }
}

/** A member types `/roadmap <text>` in a channel; the reply (in the ack or through response_url) goes to tag `command-<id>`. */
export async function command(
  service: Pick<ServiceChild, 'base'>,
  slack: FakeSlack,
  fields: { text: string; channel: string; user: string },
): Promise<{ status: number | 'no answer'; tag: string }> {
  const tag = `command-${++actionCounter}`;
  try {
    const res = await postSigned(`${service.base}/slack/events`, {
      body: commandBody({ ...fields, team: FAKE_TEAM_ID, responseUrl: slack.responseUrl(tag) }),
      timestamp: Math.floor(Date.now() / 1000),
      secret: SIGNING_SECRET,
    });
    // A reply ready within the budget rides in the ack: recorded with the response_url ones, under the tag.
    const inAck = await res.text();
    if (inAck) slack.ackReply(tag, JSON.parse(inAck) as Record<string, unknown>);
    return { status: res.status, tag };
  } catch {
    return { status: 'no answer', tag };
  }
}

/** Rows of `answers` per member for the delivery posted as `messageTs`. */
export async function answersByUser(db: FaultDatabase, messageTs: string): Promise<Map<string, number>> {
  const rows = await db.query<{ user_id: string; n: number }>(
    `select a.user_id, count(*)::int as n from answers a join deliveries d on d.id = a.delivery_id
      where d.message_id = $1 group by a.user_id`,
    [messageTs],
  );
  return new Map(rows.map((r) => [r.user_id, r.n]));
}

/** The one-line figures a scenario prints, for the closing note of a fault run. */
export function report(scenario: string, figures: Record<string, number | string>): void {
  console.info(
    `fault ${scenario}: ${Object.entries(figures)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
  );
}

// --- The run ----------------------------------------------------------------------------------------------

type Cleanups = Array<() => Promise<void>>;

export interface FaultRun {
  /** A throwaway cluster; undefined (skip the scenario) when no PostgreSQL binaries are installed. */
  postgres(): Promise<ThrowawayPostgres>;
  /** A fresh migrated schema on `serverUrl` (default: TEST_DATABASE_URL). */
  database(serverUrl?: string): Promise<FaultDatabase>;
  slack(): Promise<FakeSlack>;
  service(opts: StartServiceOptions): Promise<ServiceChild>;
  /** Stops every child, fake and cluster this run started, newest first; never throws. */
  close(): Promise<void>;
}

export function faultRun(): FaultRun {
  const cleanups: Cleanups = [];
  return {
    async postgres() {
      const bin = postgresBinaries();
      if (!bin) throw new Error('no PostgreSQL binaries under /usr/lib/postgresql');
      const cluster = await startThrowawayPostgres(bin);
      cleanups.push(() => cluster.close());
      return cluster;
    },
    database(serverUrl = process.env.TEST_DATABASE_URL) {
      if (!serverUrl) throw new Error('TEST_DATABASE_URL is not set');
      return openFaultDatabase(serverUrl, cleanups);
    },
    async slack() {
      const slack = await startFakeSlack();
      cleanups.push(() => slack.close());
      return slack;
    },
    service: (opts) => startServiceChild(opts, cleanups),
    async close() {
      for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => {});
    },
  };
}
