/**
 * Hops per request: which of our functions (src/) one request runs, how often, how many SQL statements it
 * sends and which rows it loads. Three flows, each measured once after a warm-up run of the same flow:
 *
 * - today: a signed `/roadmap today` into the real Slack adapter (HTTP receiver) until its response_url reply
 *   lands on a loopback sink;
 * - click: a signed block_actions click on the drill's answer button through the same adapter until its reply;
 * - live count: the update of the posted drill's answer count that the click scheduled (a job of its own: it
 *   runs once per drill per coalescing window, however many members answered; flushed here at once);
 * - post: one dispatcher run (as src/runtime/app.ts wires it) that opens and posts a due drill through a
 *   recording Publisher.
 *
 * A hop is a distinct function in src/ that ran (V8 precise coverage, call count > 0) during the request;
 * calls is the sum of those functions' call counts. Rows loaded and returned: see hops-statements.ts.
 * PGlite in memory by default; `--postgres` uses
 * BENCH_DATABASE_URL or TEST_DATABASE_URL (a schema of its own, dropped afterwards).
 */
import { createHmac } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import { Session } from 'node:inspector/promises';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Kysely } from 'kysely';
import { silentLog } from '../src/core/log.ts';
import { openDatabase } from '../src/db/database.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import type { Database } from '../src/db/schema.ts';
import { openBenchDatabase } from './bench-database.ts';
import { type Chain, createChainRecorder } from './hops-chain.ts';
import { createStatementRecorder, type Statement } from './hops-statements.ts';
import { type Wired, wire } from './hops-wiring.ts';

const SECRET = 'bench-signing-secret-0123456789';
const SRC = `${pathToFileURL(path.resolve(import.meta.dirname, '../src')).href}/`;
/** The router's text parsing: how often a request parses its command. */
const PARSERS = [
  { file: 'core/commands/router.ts', name: 'resolve' },
  { file: 'core/commands/tokenize.ts', name: 'tokenize' },
];

interface Hop {
  file: string;
  line: number;
  name: string;
  calls: number;
}

export interface FlowFigures {
  flow: string;
  hops: number;
  calls: number;
  parses: Record<string, number>;
  statements: number;
  byKind: Record<string, number>;
  tablesRead: Record<string, number>;
  doubleLoads: string[];
  /** Rows returned (whole or in part) by more than one statement. */
  doubleReturns: string[];
  hopList: Hop[];
  statementList: { sql: string; rows: number }[];
  /** The deepest chain of src/ calls from the request's entry to a statement or an outgoing request. */
  chain: Chain;
}

/** The functions in src/ that ran since the last call, with their call counts. */
async function takeHops(session: Session): Promise<Hop[]> {
  const { result } = await session.post('Profiler.takePreciseCoverage');
  const hops: Hop[] = [];
  for (const script of result) {
    if (!script.url.startsWith(SRC)) continue;
    const file = script.url.slice(SRC.length);
    let source: string | undefined;
    for (const fn of script.functions) {
      const range = fn.ranges[0];
      if (!range || range.count === 0) continue;
      // The module body (the whole file) does not run during a request; skip it should it show up.
      if (range.startOffset === 0 && fn.functionName === '') continue;
      source ??= readFileSync(fileURLToPath(script.url), 'utf8');
      const line = source.slice(0, range.startOffset).split('\n').length;
      hops.push({ file, line, name: fn.functionName || '(anonymous)', calls: range.count });
    }
  }
  return hops.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
}

/** Loopback stand-in for Slack: answers the Web API (auth.test) and receives response_url replies. */
async function startSink() {
  const waiting = new Map<string, (body: string) => void>();
  const server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.url?.startsWith('/api/')) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ ok: true, user_id: 'UBOT', bot_id: 'BBOT', team_id: 'T1' }));
        return;
      }
      const id = req.url?.split('/').pop() ?? '';
      res.writeHead(200).end('ok');
      waiting.get(id)?.(Buffer.concat(chunks).toString('utf8'));
      waiting.delete(id);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let seq = 0;
  return {
    url,
    /** A fresh response_url and the promise of the reply posted to it. */
    replyUrl() {
      const id = `r${++seq}`;
      const reply = new Promise<string>((resolve) => waiting.set(id, resolve));
      return { responseUrl: `${url}/reply/${id}`, reply };
    },
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}

async function postSigned(url: string, body: string, now: Date): Promise<number> {
  const ts = Math.floor(now.getTime() / 1000);
  const signature = `v0=${createHmac('sha256', SECRET).update(`v0:${ts}:${body}`).digest('hex')}`;
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': String(ts),
      'x-slack-signature': signature,
    },
    body,
  });
  await res.arrayBuffer();
  return res.status;
}

function commandBody(user: string, responseUrl: string): string {
  return new URLSearchParams({
    team_id: 'T1',
    team_domain: 'bench',
    channel_id: 'C1',
    channel_name: 'backend-study',
    user_id: user,
    user_name: user.toLowerCase(),
    command: '/roadmap',
    text: 'today',
    response_url: responseUrl,
    trigger_id: '1.2.3',
    api_app_id: 'A1',
  }).toString();
}

function clickBody(user: string, actionId: string, value: string, responseUrl: string): string {
  const payload = {
    type: 'block_actions',
    team: { id: 'T1', domain: 'bench' },
    user: { id: user, username: user.toLowerCase(), name: user.toLowerCase(), team_id: 'T1' },
    api_app_id: 'A1',
    container: { type: 'message', message_ts: '1700000000.000100', channel_id: 'C1', is_ephemeral: false },
    trigger_id: '1.2.3',
    channel: { id: 'C1', name: 'backend-study' },
    response_url: responseUrl,
    actions: [
      {
        type: 'button',
        block_id: 'actions0',
        action_id: actionId,
        value,
        text: { type: 'plain_text', text: 'A' },
        action_ts: `${Date.now() / 1000}`,
      },
    ],
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

/** Lets continuations after the reply (the work queue's bookkeeping) finish inside the measurement. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

function figures(flow: string, hops: Hop[], statements: Statement[], chain: Chain): FlowFigures {
  const parses: Record<string, number> = {};
  for (const p of PARSERS)
    parses[p.name] = hops
      .filter((h) => h.file === p.file && h.name === p.name)
      .reduce((n, h) => n + h.calls, 0);
  const byKind: Record<string, number> = {};
  const tablesRead: Record<string, number> = {};
  const loads = new Map<string, number>();
  const returns = new Map<string, number>();
  for (const s of statements) {
    byKind[s.kind] = (byKind[s.kind] ?? 0) + 1;
    for (const t of s.reads) tablesRead[t] = (tablesRead[t] ?? 0) + 1;
    for (const key of s.rowsLoaded) loads.set(key, (loads.get(key) ?? 0) + 1);
    for (const key of new Set(s.rowsReturned)) returns.set(key, (returns.get(key) ?? 0) + 1);
  }
  const twice = (m: Map<string, number>) => [...m].filter(([, n]) => n > 1).map(([key, n]) => `${key} ×${n}`);
  return {
    flow,
    hops: hops.length,
    calls: hops.reduce((n, h) => n + h.calls, 0),
    parses,
    statements: statements.length,
    byKind,
    tablesRead,
    doubleLoads: twice(loads),
    doubleReturns: twice(returns),
    hopList: hops,
    statementList: statements.map((s) => ({ sql: s.sql, rows: s.rowCount })),
    chain,
  };
}

async function openBackend(postgres: boolean) {
  if (postgres) {
    const bench = await openBenchDatabase();
    return {
      db: bench.handle.db,
      writes: bench.handle.writes,
      label: `PostgreSQL ${bench.serverVersion}`,
      close: bench.drop,
    };
  }
  const handle = openDatabase({ kind: 'pglite' });
  await migrateToLatest(handle.db, silentLog);
  return { db: handle.db, writes: handle.writes, label: 'PGlite (in memory)', close: () => handle.close() };
}

function printFlow(f: FlowFigures): string {
  const kinds = Object.entries(f.byKind)
    .map(([k, n]) => `${n} ${k}`)
    .join(', ');
  const tables = Object.entries(f.tablesRead)
    .map(([t, n]) => `${t} ×${n}`)
    .join(', ');
  const lines = [
    `### ${f.flow}`,
    '',
    `chain ${f.chain.frames.length} · hops ${f.hops} · calls ${f.calls} · parses resolve ×${f.parses.resolve} tokenize ×${f.parses.tokenize} · ` +
      `statements ${f.statements} (${kinds}) · reads ${tables || 'none'} · ` +
      `rows loaded twice: ${f.doubleLoads.join(', ') || 'none'} · ` +
      `rows returned by two statements or more: ${f.doubleReturns.join(', ') || 'none'}`,
    '',
    'hops by file (line name ×calls):',
  ];
  let file = '';
  for (const h of f.hopList) {
    if (h.file !== file) {
      file = h.file;
      lines.push(`  ${file}`);
    }
    lines.push(`    ${h.line} ${h.name} ×${h.calls}`);
  }
  lines.push(`deepest chain (entry first), at: ${f.chain.at}`);
  for (const frame of f.chain.frames) lines.push(`    ${frame}`);
  lines.push('statements:');
  for (const s of f.statementList) lines.push(`    [${s.rows} rows] ${s.sql.replace(/\s+/g, ' ')}`);
  return `${lines.join('\n')}\n`;
}

export default async function hopsBench(args: string[]): Promise<void> {
  const postgres = args.includes('--postgres');
  const jsonAt = args.indexOf('--json');
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.startPreciseCoverage', { callCount: true, detailed: true });
  const backend = await openBackend(postgres);
  const chains = createChainRecorder(SRC);
  const recorder = createStatementRecorder((sql) => chains.statement(sql));
  const db: Kysely<Database> = backend.db.withPlugin(recorder.plugin);
  recorder.compileWith(backend.db);
  const sink = await startSink();
  let wired: Wired | undefined;
  try {
    wired = await wire({
      db,
      ...(backend.writes && { writes: backend.writes }),
      apiUrl: `${sink.url}/api/`,
      signingSecret: SECRET,
      onPost: () => chains.statement('post (Publisher.post)'),
    });
    const app = wired;
    const results: FlowFigures[] = [];
    const measure = async (flow: string, run: () => Promise<void>) => {
      await takeHops(session); // resets the counts
      recorder.start();
      chains.start();
      await run();
      await settle();
      const chain = chains.stop();
      const hops = await takeHops(session);
      results.push(figures(flow, hops, recorder.stop(), chain));
    };

    // One channel with a daily 09:00 UTC drill revealed at 18:00; day 1 posts as the warm-up, day 2 is measured.
    await app.setUp();
    const post = async () => {
      const report = await app.runDispatcher();
      if (report.posted !== 1) throw new Error(`expected one post, got ${JSON.stringify(report)}`);
    };
    app.clock.set('2026-12-01T09:01:00Z');
    await post();
    app.clock.set('2026-12-01T18:01:00Z');
    await app.runDispatcher(); // day 1's reveal
    app.clock.set('2026-12-02T09:01:00Z');
    await measure('post: a scheduled drill, opened and posted by the dispatcher', post);

    const today = async (user: string) => {
      const { responseUrl, reply } = sink.replyUrl();
      const status = await postSigned(app.eventsUrl, commandBody(user, responseUrl), app.clock.now());
      if (status !== 200) throw new Error(`today answered ${status}`);
      const text = await reply;
      if (!text.includes('actions')) throw new Error(`today did not show the drill: ${text.slice(0, 200)}`);
    };
    await today('U1');
    await measure('today: Slack `/roadmap today` to its response_url reply', () => today('U2'));

    const button = await app.answerButton();
    const click = async (user: string) => {
      const { responseUrl, reply } = sink.replyUrl();
      const body = clickBody(user, button.actionId, button.value, responseUrl);
      const status = await postSigned(app.eventsUrl, body, app.clock.now());
      if (status !== 200) throw new Error(`click answered ${status}`);
      const text = await reply;
      if (/already|not valid|went wrong/.test(text)) throw new Error(`click failed: ${text.slice(0, 200)}`);
    };
    const updatesBefore = app.updates();
    await click('U3');
    await app.flushLiveCounts();
    await measure('click: Slack answer button to its reply', () => click('U4'));
    await measure('live count: the answer count update the click scheduled', () => app.flushLiveCounts());
    if (app.updates() - updatesBefore !== 2) throw new Error('expected one live count update per click');

    const cpu = os.cpus();
    const header = [
      `Hops benchmark · ${new Date().toISOString().slice(0, 10)} · ${cpu.length} × ${cpu[0]?.model ?? 'cpu'} · ` +
        `Node ${process.version} · ${backend.label}`,
      'A hop is a distinct function in src/ that ran during the request (V8 precise coverage, call count > 0);',
      'calls is the sum of their call counts. Parses are the calls of the router’s resolve and tokenize.',
      'Statements are the SQL statements Kysely sent (BEGIN/COMMIT not counted). A row (table#id) is loaded',
      'when a statement returns all its columns; "loaded twice" counts whole-row loads of the same row, and',
      '"returned twice" any two statements returning it with its id and another column.',
      '',
      'The chain is the deepest run of src/ frames on the V8 stack (async frames included) at any statement or',
      'outgoing request: the calls from the request’s entry to the work.',
      '',
      '| flow | chain | hops | calls | parses (resolve/tokenize) | statements | rows loaded twice | rows returned twice |',
      '|---|---|---|---|---|---|---|---|',
      ...results.map(
        (f) =>
          `| ${f.flow.split(':')[0]} | ${f.chain.frames.length} | ${f.hops} | ${f.calls} | ${f.parses.resolve}/${f.parses.tokenize} | ` +
          `${f.statements} | ${f.doubleLoads.join(', ') || 'none'} | ${f.doubleReturns.join(', ') || 'none'} |`,
      ),
      '',
    ];
    process.stdout.write(`${[...header, ...results.map(printFlow)].join('\n')}\n`);
    if (jsonAt >= 0 && args[jsonAt + 1]) writeFileSync(args[jsonAt + 1]!, JSON.stringify(results, null, 2));
  } finally {
    await wired?.close();
    sink.close();
    await backend.close();
    await session.post('Profiler.stopPreciseCoverage');
    session.disconnect();
  }
}
