/**
 * Idle memory of the service beside a bare baseline, both as child processes in the same run:
 *
 * - **bare**: a Bolt `HTTPReceiver` + `App` acking `/roadmap` and a discord.js client logged in (Guilds intent),
 *   plain JavaScript, no database;
 * - **service**: the compiled service (`node dist/src/service.js` with the image's NODE_OPTIONS, read from the
 *   Dockerfile, as the Docker image runs it) with Slack (HTTP mode, one bot token) and Discord enabled, on
 *   PostgreSQL (`DATABASE_URL`), its scheduler on;
 * - **service from TypeScript** (with `--ts`): the same from the sources (`node src/service.ts`, `npm run
 *   serve`), which adds Node's type stripping.
 *
 * Both talk to loopback fakes: a Slack Web API answering `auth.test`, and the fake Discord of the tests (REST
 * and gateway), so discord.js logs in and receives its guild. Each child is started, left idle, and its resident
 * set size read from /proc (Linux) once a second; the figure is the median of the last reads. Needs `npm run
 * build` first, and BENCH_DATABASE_URL or TEST_DATABASE_URL.
 *
 *   npm run build && TEST_DATABASE_URL=postgres://… npm run bench -- memory [--rounds 3] [--idle 15] [--ts]
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { FAKE_TOKEN, startFakeDiscord } from '../test/fake-discord/fake-discord.ts';
import { openBenchDatabase } from './bench-database.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const SECRET = 'bench-signing-secret-0123456789';
const SLACK_TOKEN = 'xoxb-memory-bench';
/** The NODE_OPTIONS the Docker image sets for the service (empty when it sets none). */
function imageNodeOptions(): string {
  const m = /NODE_OPTIONS=(\S+)/.exec(readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8'));
  return m?.[1] ?? '';
}

/** Reads of RSS at the end of the idle time, one a second; the figure is their median. */
const READS = 5;

/** The bare baseline: what any Bolt + discord.js bot holds before it does anything of its own. */
const BARE = `
import { App, HTTPReceiver, LogLevel } from '@slack/bolt';
import { Client, GatewayIntentBits } from 'discord.js';
const env = process.env;
const receiver = new HTTPReceiver({ signingSecret: env.SLACK_SIGNING_SECRET, endpoints: '/slack/events', logLevel: LogLevel.ERROR });
const app = new App({ receiver, token: env.SLACK_BOT_TOKEN, logLevel: LogLevel.ERROR,
  clientOptions: { slackApiUrl: env.SLACK_API_URL }, deferInitialization: true });
app.command(/.*/, async ({ ack }) => { await ack({ response_type: 'ephemeral', text: 'ok' }); });
await app.init();
await receiver.start(Number(env.PORT));
const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: env.DISCORD_API_URL } });
client.once('clientReady', () => process.stdout.write('bare ready\\n'));
await client.login(env.DISCORD_TOKEN);
`;

interface Reading {
  /** Median RSS of the last reads, MB. */
  rssMb: number;
  /** The kernel's high-water mark of RSS over the child's life, MB. */
  peakMb: number;
  startMs: number;
}

function statusKb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const text = readFileSync(`/proc/${pid}/status`, 'utf8');
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text);
  if (!m) throw new Error(`no ${field} for ${pid}`);
  return Number(m[1]);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as AddressInfo;
  await new Promise((resolve) => s.close(resolve));
  return port;
}

/** Starts a child, waits for `readyText` on its stdout, leaves it idle, reads its RSS, and stops it. */
async function measure(args: string[], env: NodeJS.ProcessEnv, readyText: string, idleS: number) {
  const started = performance.now();
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (c: string) => {
    out += c;
  });
  child.stderr!.setEncoding('utf8').on('data', (c: string) => {
    err += c;
  });
  try {
    while (!out.includes(readyText)) {
      if (child.exitCode !== null) throw new Error(`${args.join(' ')} exited: ${err || out.slice(-2000)}`);
      if (performance.now() - started > 60_000)
        throw new Error(`${args.join(' ')} not ready: ${out.slice(-2000)}`);
      await sleep(50);
    }
    const startMs = performance.now() - started;
    await sleep(Math.max(0, idleS - READS) * 1000);
    const reads: number[] = [];
    for (let i = 0; i < READS; i++) {
      reads.push(statusKb(child.pid!, 'VmRSS'));
      await sleep(1000);
    }
    reads.sort((a, b) => a - b);
    const reading: Reading = {
      rssMb: reads[Math.floor(READS / 2)]! / 1024,
      peakMb: statusKb(child.pid!, 'VmHWM') / 1024,
      startMs,
    };
    return reading;
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    if (child.exitCode === null) child.kill('SIGTERM');
    await Promise.race([exited, sleep(10_000)]);
    if (child.exitCode === null) child.kill('SIGKILL');
  }
}

/** A loopback Slack Web API: the token check the adapter makes at start-up, and `ok` for anything else. */
async function fakeSlack(): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: true, user_id: 'UBOT', bot_id: 'BBOT', team_id: 'T1', team: 'Bench' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`, server };
}

export default async function memoryBench(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      rounds: { type: 'string', default: '3' },
      idle: { type: 'string', default: '15' },
      ts: { type: 'boolean', default: false },
    },
  });
  const rounds = Number(values.rounds);
  const idleS = Math.max(READS, Number(values.idle));
  if (!existsSync(path.join(ROOT, 'dist/src/service.js'))) throw new Error('run `npm run build` first');
  const database = await openBenchDatabase();
  const url = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL!;
  const databaseUrl = `${url}${url.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${database.schema}`)}`;
  const discord = await startFakeDiscord();
  const slack = await fakeSlack();
  const common = {
    PATH: process.env.PATH,
    NODE_ENV: 'production',
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_BOT_TOKEN: SLACK_TOKEN,
    SLACK_API_URL: slack.url,
    DISCORD_TOKEN: FAKE_TOKEN,
    DISCORD_API_URL: discord.apiUrl,
  };
  const serviceEnv = async () => ({
    ...common,
    PORT: String(await freePort()),
    HOST: '127.0.0.1',
    LOG_FORMAT: 'json',
    DATABASE_URL: databaseUrl,
    NODE_OPTIONS: imageNodeOptions(),
  });
  const rows: string[] = [];
  const mb = (n: number) => n.toFixed(1);
  try {
    for (let round = 1; round <= rounds; round++) {
      const bare = await measure(
        ['--input-type=module', '-e', BARE],
        { ...common, PORT: String(await freePort()) },
        'bare ready',
        idleS,
      );
      const service = await measure(['dist/src/service.js'], await serviceEnv(), '"service started"', idleS);
      // For comparison: the bare process with the service's NODE_OPTIONS too, like for like.
      const bareAlike = await measure(
        ['--input-type=module', '-e', BARE],
        { ...common, PORT: String(await freePort()), NODE_OPTIONS: imageNodeOptions() },
        'bare ready',
        idleS,
      );
      process.stdout.write(
        `round ${round}: bare ${mb(bare.rssMb)} MB, service ${mb(service.rssMb)} MB, bare with the image's NODE_OPTIONS ${mb(bareAlike.rssMb)} MB\n`,
      );
      rows.push(
        `| ${round} | bare Bolt app + discord.js client | ${mb(bare.rssMb)} | ${mb(bare.peakMb)} | ${bare.startMs.toFixed(0)} | 1.00 |`,
        `| ${round} | service, compiled (dist/src/service.js) | ${mb(service.rssMb)} | ${mb(service.peakMb)} | ${service.startMs.toFixed(0)} | **${(service.rssMb / bare.rssMb).toFixed(2)}** |`,
        `| ${round} | bare, with the image's NODE_OPTIONS (service / this: ${(service.rssMb / bareAlike.rssMb).toFixed(2)}) | ${mb(bareAlike.rssMb)} | ${mb(bareAlike.peakMb)} | ${bareAlike.startMs.toFixed(0)} | ${(bareAlike.rssMb / bare.rssMb).toFixed(2)} |`,
      );
      if (values.ts) {
        const fromTs = await measure(['src/service.ts'], await serviceEnv(), '"service started"', idleS);
        rows.push(
          `| ${round} | service from TypeScript (src/service.ts) | ${mb(fromTs.rssMb)} | ${mb(fromTs.peakMb)} | ${fromTs.startMs.toFixed(0)} | ${(fromTs.rssMb / bare.rssMb).toFixed(2)} |`,
        );
      }
    }
  } finally {
    slack.server.closeAllConnections();
    slack.server.close();
    await discord.close();
    await database.drop();
  }
  const cpu = os.cpus();
  process.stdout.write(
    [
      '',
      `Idle memory · ${new Date().toISOString().slice(0, 10)} · ${cpu.length} × ${cpu[0]?.model ?? 'cpu'} · ` +
        `${Math.round(os.totalmem() / 2 ** 30)} GiB · Node ${process.version} · PostgreSQL ${database.serverVersion} · ` +
        `load ${os
          .loadavg()
          .map((l) => l.toFixed(1))
          .join(' / ')}`,
      `service NODE_OPTIONS (from the Dockerfile): ${imageNodeOptions() || 'none'}`,
      `RSS: median of ${READS} reads of /proc/<pid>/status VmRSS after ${idleS} s idle; peak: VmHWM; ready: spawn to ready`,
      '',
      '| round | process | RSS MB | peak MB | ready ms | RSS ratio to bare |',
      '|---|---|---|---|---|---|',
      ...rows,
      '',
    ].join('\n'),
  );
}
