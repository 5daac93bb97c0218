import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { DateTime } from 'luxon';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandBody, postSigned } from './adapters/slack/slack-fixtures.ts';
import { FAKE_CHANNEL_ID, FAKE_GUILD_ID, FAKE_TOKEN, startFakeDiscord } from './fake-discord/fake-discord.ts';
import { LATEST_MIGRATION, MIGRATION_NAMES } from './helpers/migrations.ts';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '..');
const url = process.env.TEST_DATABASE_URL;

/** A port nobody listens on right now. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

interface LogLine {
  msg: string;
  level: number;
  [key: string]: unknown;
}

describe.skipIf(!url)('the compiled service as a child process on PostgreSQL', () => {
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  // The schema rides in the URL, as an operator could put it, so this run sees only its own tables.
  const databaseUrl = `${url}${url?.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    // The project's build script, without its type check: `npm test` type-checks the same files just before,
    // and the emitted JavaScript is the same either way.
    await run('npm', ['run', '-s', 'build', '--', '--noCheck'], { cwd: ROOT });
    await admin.connect();
    await admin.query(`create schema ${schema}`);
    env = {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      LOG_FORMAT: 'json',
      DATABASE_URL: databaseUrl,
      HOST: '127.0.0.1',
      SHUTDOWN_TIMEOUT_SECONDS: '5',
    };
  }, 120_000);

  afterAll(async () => {
    await admin.query(`drop schema if exists ${schema} cascade`);
    await admin.end();
  });

  /** Starts the compiled service with extra environment; reads its JSON log lines as they come. */
  function startChild(extra: NodeJS.ProcessEnv) {
    const child: ChildProcess = spawn(process.execPath, ['dist/src/service.js'], {
      cwd: ROOT,
      env: { ...env, ...extra },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines: LogLine[] = [];
    const out = { stderr: '' };
    let buffered = '';
    const waiters: Array<() => void> = [];
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      buffered += chunk;
      const parts = buffered.split('\n');
      buffered = parts.pop() ?? '';
      for (const part of parts) if (part.trim()) lines.push(JSON.parse(part) as LogLine);
      for (const wake of waiters.splice(0)) wake();
    });
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      out.stderr += chunk;
    });
    const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal })),
    );
    const logged = async (msg: string) => {
      while (!lines.some((l) => l.msg === msg)) {
        if (child.exitCode !== null) throw new Error(`service exited early: ${out.stderr}`);
        await new Promise<void>((resolve) => waiters.push(resolve));
      }
    };
    return { child, lines, out, exited, logged };
  }

  it('answers /healthz, /readyz and /metrics, and exits 0 on SIGTERM after each shutdown step', async () => {
    const port = await freePort();
    const { child, lines, out, exited, logged } = startChild({ PORT: String(port) });

    try {
      await logged('service started');
      const base = `http://127.0.0.1:${port}`;

      const health = await fetch(`${base}/healthz`);
      expect(health.status).toBe(200);
      // The compiled service finds package.json from dist/src/ and reports the loaded content's version.
      expect(await health.json()).toMatchObject({
        status: 'ok',
        version: JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version,
        contentVersion: expect.stringMatching(/^[0-9a-f]{12}$/),
      });

      const ready = await fetch(`${base}/readyz`);
      expect(await ready.json()).toEqual({ status: 'ready', failed: [], checks: { database: 'ok' } });
      expect(ready.status).toBe(200);

      const metrics = await (await fetch(`${base}/metrics`)).text();
      expect(metrics).toMatch(/^roadmap_deliveries_total\{platform="slack",outcome="posted"\} 0$/m);
      expect(metrics).toMatch(/^roadmap_db_pool_connections [1-9]\d*$/m);
      expect(metrics).toMatch(/^nodejs_heap_size_used_bytes \d+/m);
      expect((await fetch(`${base}/nope`)).status).toBe(404);

      // The migrations it applied at start-up were the compiled ones under dist/.
      const applied = await admin.query(`select name from ${schema}.kysely_migration order by name`);
      expect(applied.rows.map((r) => r.name)).toEqual(MIGRATION_NAMES);

      child.kill('SIGTERM');
      expect(await exited).toEqual({ code: 0, signal: null });
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }

    const msgs = lines.map((l) => l.msg);
    expect(msgs).toContain('signal received');
    expect(msgs).toContain('shutdown complete');
    const steps = lines.filter((l) => l.msg === 'shutdown step finished').map((l) => l.step);
    expect(steps).toEqual(['ticker', 'http', 'database']);
    expect(lines.find((l) => l.msg === 'shutdown complete')).toMatchObject({ code: 0 });
    // Production logs are JSON lines on stdout; nothing but crashes goes to stderr.
    expect(out.stderr).toBe('');
    expect(JSON.stringify(lines)).not.toContain('roadmap_test:roadmap_test');
  });

  it('serves the dashboard when DASHBOARD_URL is set: the sign-in page, and Discord sign-in with PKCE', async () => {
    const port = await freePort();
    const { child, exited, logged } = startChild({
      PORT: String(port),
      DASHBOARD_URL: `http://127.0.0.1:${port}`,
      DASHBOARD_SESSION_SECRET: randomBytes(24).toString('hex'),
      DASHBOARD_DISCORD_CLIENT_ID: '123456789012345678',
      DASHBOARD_DISCORD_CLIENT_SECRET: 'discord-secret',
      DASHBOARD_DISCORD_BASE_URL: 'http://127.0.0.1:9',
    });
    try {
      await logged('service started');
      const base = `http://127.0.0.1:${port}`;
      const signIn = await fetch(`${base}/dashboard/signin`);
      expect(signIn.status).toBe(200);
      expect(await signIn.text()).toContain('Sign in with Discord');
      const start = await fetch(`${base}/dashboard/auth/discord`, { redirect: 'manual' });
      expect(start.status).toBe(303);
      const to = new URL(start.headers.get('location')!);
      expect(`${to.origin}${to.pathname}`).toBe('http://127.0.0.1:9/oauth2/authorize');
      expect(to.searchParams.get('redirect_uri')).toBe(`${base}/dashboard/auth/discord/callback`);
      expect(to.searchParams.get('code_challenge_method')).toBe('S256');
      expect((await fetch(`${base}/dashboard/w/1`, { redirect: 'manual' })).headers.get('location')).toBe(
        '/dashboard/signin',
      );
      child.kill('SIGTERM');
      expect(await exited).toEqual({ code: 0, signal: null });
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });

  it('lets a posting run finish when SIGTERM arrives in the middle of it, then exits 0', async () => {
    // A Discord channel whose drill was due a minute ago, and a Discord that makes the post wait 2 s (a 429).
    const discord = await startFakeDiscord();
    // A minute ago, but never yesterday: a post is only due on its own local day.
    const due = DateTime.max(DateTime.utc().startOf('day'), DateTime.utc().minus({ minutes: 1 }));
    await admin.query(
      `insert into ${schema}.workspaces (platform, workspace_id) values ('discord', $1)
      on conflict do nothing`,
      [FAKE_GUILD_ID],
    );
    await admin.query(
      `insert into ${schema}.drills (platform, workspace_id, channel_id, track_id, time_of_day, days, timezone,
        updated_at, schedule_changed_at) values ('discord', $1, $2, 'backend', $3, 127, 'UTC', now(), $4)`,
      [FAKE_GUILD_ID, FAKE_CHANNEL_ID, due.toFormat('HH:mm'), due.minus({ hours: 1 }).toJSDate()],
    );
    discord.rateLimit('POST', /^\/channels\/\d+\/messages$/, 2);
    const port = await freePort();
    const { child, lines, out, exited, logged } = startChild({
      PORT: String(port),
      DISCORD_TOKEN: FAKE_TOKEN,
      DISCORD_API_URL: discord.apiUrl,
    });
    try {
      await logged('service started');
      const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
      expect(await ready.json()).toMatchObject({
        status: 'ready',
        checks: { database: 'ok', discord: 'ok' },
      });
      // The scheduler's first run is posting (and waiting out the 429) when the signal comes.
      await discord.waitForRequest((r) => r.method === 'POST' && /\/messages$/.test(r.path));
      child.kill('SIGTERM');
      expect(await exited).toEqual({ code: 0, signal: null });
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      await discord.close();
    }
    const msgs = lines.map((l) => l.msg);
    expect(msgs.indexOf('drill posted')).toBeGreaterThan(msgs.indexOf('signal received'));
    expect(msgs.indexOf('drill posted')).toBeLessThan(msgs.indexOf('shutdown complete'));
    expect(discord.channelMessages(FAKE_CHANNEL_ID)).toHaveLength(1);
    const { rows } = await admin.query(`select post_status, message_id from ${schema}.deliveries`);
    expect(rows).toEqual([
      { post_status: 'posted', message_id: discord.channelMessages(FAKE_CHANNEL_ID)[0]!.id },
    ]);
    expect(out.stderr).toBe('');
    expect(JSON.stringify(lines)).not.toContain(FAKE_TOKEN);
  }, 60_000);

  it('serves a signed Slack command against a fake Slack API, and /metrics counts it', async () => {
    // A loopback Slack Web API: the token check at start-up, and the response_url the reply goes to.
    const replies: unknown[] = [];
    const slack = createHttpServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => {
        body += c.toString('utf8');
      });
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'application/json' });
        if (req.url === '/respond') replies.push(JSON.parse(body));
        if (req.url?.startsWith('/api/auth.test'))
          res.end(JSON.stringify({ ok: true, team_id: 'T1', user_id: 'UBOT', bot_id: 'B1', team: 'Acme' }));
        else res.end(JSON.stringify({ ok: true }));
      });
    });
    await new Promise<void>((resolve) => slack.listen(0, '127.0.0.1', resolve));
    const slackUrl = `http://127.0.0.1:${(slack.address() as { port: number }).port}`;
    const port = await freePort();
    const secrets = {
      SLACK_BOT_TOKEN: 'xoxb-child-process-token',
      SLACK_SIGNING_SECRET: 'child-signing-secret-0123',
    };
    const { child, lines, out, exited, logged } = startChild({
      PORT: String(port),
      ...secrets,
      SLACK_API_URL: `${slackUrl}/api/`,
      SCHEDULER: 'off',
    });
    let inAck = '';
    try {
      await logged('service started');
      const base = `http://127.0.0.1:${port}`;
      expect(await (await fetch(`${base}/readyz`)).json()).toMatchObject({
        checks: { database: 'ok', slack: 'ok' },
      });
      const body = commandBody({ text: 'help', responseUrl: `${slackUrl}/respond` });
      const timestamp = Math.floor(Date.now() / 1000);
      const ack = await postSigned(`${base}/slack/events`, {
        body,
        timestamp,
        secret: secrets.SLACK_SIGNING_SECRET,
      });
      expect(ack.status).toBe(200);
      // The reply rides in the ack when it is ready within the budget, else it comes through response_url.
      inAck = await ack.text();
      await logged('command handled');
      const metrics = await (await fetch(`${base}/metrics`)).text();
      expect(metrics).toMatch(/^roadmap_commands_total\{platform="slack",command="help",outcome="ok"\} 1$/m);
      expect(metrics).toMatch(
        /^roadmap_command_duration_seconds_count\{platform="slack",command="help"\} 1$/m,
      );
      // A request signed with another secret is refused.
      const forged = await postSigned(`${base}/slack/events`, {
        body,
        timestamp,
        secret: 'not-the-secret-0000000',
      });
      expect(forged.status).toBe(401);
      child.kill('SIGTERM');
      expect(await exited).toEqual({ code: 0, signal: null });
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      slack.closeAllConnections();
      await new Promise((resolve) => slack.close(resolve));
    }
    // One reply reached the member, in one of the two places.
    expect(replies.length + (inAck ? 1 : 0)).toBe(1);
    expect(out.stderr).toBe('');
    for (const secret of Object.values(secrets)) expect(JSON.stringify(lines)).not.toContain(secret);
  }, 60_000);

  it('migrate:down from the compiled migrator reverts the newest migration, and migrate re-applies it', async () => {
    const down = await run(process.execPath, ['dist/src/cli/migrate.js', 'down'], { cwd: ROOT, env });
    expect(down.stdout).toContain(`reverted ${LATEST_MIGRATION}`);
    const up = await run(process.execPath, ['dist/src/cli/migrate.js'], { cwd: ROOT, env });
    expect(up.stdout).toContain(`applied ${LATEST_MIGRATION}`);
  });
});
