import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import cron from 'node-cron';
import { describe, expect, it } from 'vitest';
import { ConfigError, describeDatabase, loadConfig, serviceDatabaseProblem } from '../src/config/config.ts';
import { everySeconds } from '../src/scheduler/ticker.ts';

const ROOT = path.resolve(import.meta.dirname, '..');

describe('config', () => {
  it('runs with no environment at all: terminal chat on embedded PGlite', () => {
    const c = loadConfig({});
    expect(c.database).toEqual({ kind: 'pglite', dataDir: path.resolve('data') });
    expect(c.contentDir).toBe(path.resolve('content'));
    expect(c.defaultTrack).toBe('backend');
    expect(c.log).toEqual({ level: undefined, format: 'auto' });
    expect(c.defaultTimezone).toBeTruthy();
  });

  it('uses PostgreSQL when DATABASE_URL is set, and never prints its password', () => {
    const c = loadConfig({
      DATABASE_URL: 'postgres://bot:s3cret@db.internal:5432/roadmap',
      DATABASE_POOL_MAX: '4',
    });
    expect(c.database).toEqual({
      kind: 'postgres',
      url: 'postgres://bot:s3cret@db.internal:5432/roadmap',
      poolMax: 4,
      connectTimeoutMs: 5000,
      statementTimeoutMs: 30000,
      idleInTransactionTimeoutMs: 60000,
      preparedStatements: true,
    });
    expect(describeDatabase(c)).toBe('PostgreSQL at db.internal:5432/roadmap');
  });

  it('turns prepared statements off for a pooler that drops them, and names the choices otherwise', () => {
    const url = 'postgres://bot:s3cret@db.internal:5432/roadmap';
    const off = loadConfig({ DATABASE_URL: url, DATABASE_PREPARED_STATEMENTS: 'off' }).database;
    expect(off).toMatchObject({ kind: 'postgres', preparedStatements: false });
    expect(() => loadConfig({ DATABASE_URL: url, DATABASE_PREPARED_STATEMENTS: 'no' })).toThrow(
      /DATABASE_PREPARED_STATEMENTS[\s\S]*PgBouncer before 1\.21, or max_prepared_statements = 0/,
    );
  });

  it('treats empty values as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', LOG_LEVEL: ' ' }).database.kind).toBe('pglite');
  });

  it('names every problem and its fix in one error', () => {
    let error: ConfigError | undefined;
    try {
      loadConfig({
        DATABASE_URL: 'mysql://x',
        LOG_LEVEL: 'loud',
        DATABASE_POOL_MAX: '0',
        DEFAULT_TIMEZONE: 'Mars/Olympus',
      });
    } catch (err) {
      error = err as ConfigError;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect(error!.problems).toHaveLength(4);
    expect(error!.message).toContain(
      'DATABASE_URL: must be a postgres:// URL (e.g. postgres://user:password@localhost:5432/roadmap',
    );
    expect(error!.message).toContain('LOG_LEVEL:');
    expect(error!.message).toContain('DATABASE_POOL_MAX:');
    expect(error!.message).toContain(
      'DEFAULT_TIMEZONE: must be an IANA time zone (an IANA name such as Europe/Berlin',
    );
    expect(error!.message).toContain('See .env.example');
  });

  it('runs the scheduler every minute unless SCHEDULER_INTERVAL_SECONDS divides a minute more finely', () => {
    expect(loadConfig({}).scheduler.intervalSeconds).toBe(60);
    expect(everySeconds(60)).toBe('5 * * * * *');
    const fast = loadConfig({ SCHEDULER_INTERVAL_SECONDS: '2' }).scheduler.intervalSeconds;
    expect(fast).toBe(2);
    expect(everySeconds(fast)).toBe('1-59/2 * * * * *');
    expect(everySeconds(15)).toBe('5-59/15 * * * * *');
    for (const seconds of [1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30, 60]) {
      expect(loadConfig({ SCHEDULER_INTERVAL_SECONDS: String(seconds) }).scheduler.intervalSeconds).toBe(
        seconds,
      );
      expect(cron.validate(everySeconds(seconds))).toBe(true);
    }
    for (const bad of ['7', '0', '90', 'soon'])
      expect(() => loadConfig({ SCHEDULER_INTERVAL_SECONDS: bad })).toThrow(/SCHEDULER_INTERVAL_SECONDS/);
  });

  it('selects Discord over HTTP when DISCORD_PUBLIC_KEY is set, and the gateway otherwise', () => {
    const token = `${Buffer.from('111111111111111111').toString('base64')}.x.y-token-for-config`;
    expect(loadConfig({ DISCORD_TOKEN: token }).discord?.publicKey).toBeUndefined();
    const key = 'AB'.repeat(32);
    expect(loadConfig({ DISCORD_TOKEN: token, DISCORD_PUBLIC_KEY: key }).discord).toMatchObject({
      publicKey: key.toLowerCase(),
      applicationId: '111111111111111111',
    });
    expect(() => loadConfig({ DISCORD_TOKEN: token, DISCORD_PUBLIC_KEY: 'abc' })).toThrow(
      /DISCORD_PUBLIC_KEY: must be 64 hex characters \(the Public Key from the Developer Portal/,
    );
    // REST (drills, deferred answers) needs the bot token in HTTP mode too.
    expect(() => loadConfig({ DISCORD_PUBLIC_KEY: key })).toThrow(/DISCORD_TOKEN: required to use Discord/);
  });

  it('.env.example lists every variable the schema reads', async () => {
    const { readFileSync } = await import('node:fs');
    const example = readFileSync(path.resolve(import.meta.dirname, '../.env.example'), 'utf8');
    const readme = readFileSync(path.resolve(import.meta.dirname, '../README.md'), 'utf8');
    const source = ['config.ts', 'dashboard.ts']
      .map((f) => readFileSync(path.resolve(import.meta.dirname, '../src/config', f), 'utf8'))
      .join('\n');
    const names = [...source.matchAll(/^ {2}([A-Z][A-Z0-9_]+): z/gm)].map((m) => m[1]!);
    expect(names.length).toBeGreaterThan(5);
    for (const name of names) {
      expect(example, `.env.example lacks ${name}`).toMatch(new RegExp(`^#? ?${name}=`, 'm'));
      expect(readme, `README's configuration table lacks ${name}`).toMatch(
        new RegExp(`^\\| \`${name}\` +\\|`, 'm'),
      );
    }
  });

  describe('the dashboard', () => {
    const base = {
      DASHBOARD_URL: 'https://roadmap.example.com/',
      DASHBOARD_SESSION_SECRET: 's'.repeat(32),
      DASHBOARD_DISCORD_CLIENT_ID: '123456789012345678',
      DASHBOARD_DISCORD_CLIENT_SECRET: 'discord-secret',
    };

    it('is off without DASHBOARD_URL, and on with a secret and one provider, at the providers by default', () => {
      expect(loadConfig({}).dashboard).toBeUndefined();
      const d = loadConfig(base).dashboard!;
      expect(d.publicUrl).toBe('https://roadmap.example.com');
      expect(d.sessionMs).toBe(8 * 3_600_000);
      expect(d.discord).toEqual({
        clientId: '123456789012345678',
        clientSecret: 'discord-secret',
        baseUrl: 'https://discord.com',
      });
      expect(d.slack).toBeUndefined();
    });

    it('takes Sign in with Slack from the Slack app credentials unless its own are set, and a base URL for tests', () => {
      const d = loadConfig({
        ...base,
        SLACK_CLIENT_ID: 'cid',
        SLACK_CLIENT_SECRET: 'csecret',
        SLACK_STATE_SECRET: 'x'.repeat(16),
        SLACK_SIGNING_SECRET: 'signing-secret',
        TOKEN_ENCRYPTION_KEY: 'a'.repeat(64),
        DASHBOARD_SLACK_BASE_URL: 'http://127.0.0.1:9002/',
      }).dashboard!;
      expect(d.slack).toEqual({ clientId: 'cid', clientSecret: 'csecret', baseUrl: 'http://127.0.0.1:9002' });
    });

    it('refuses a URL with a path, a short or missing secret, and no provider, naming each', () => {
      expect(() => loadConfig({ ...base, DASHBOARD_URL: 'https://x.example/dash' })).toThrow(
        /DASHBOARD_URL: must be an origin/,
      );
      expect(() => loadConfig({ ...base, DASHBOARD_SESSION_SECRET: 'short' })).toThrow(
        /DASHBOARD_SESSION_SECRET/,
      );
      expect(() => loadConfig({ ...base, DASHBOARD_URL: 'http://roadmap.example.com' })).toThrow(
        /DASHBOARD_URL: must be https:\/\//,
      );
      expect(loadConfig({ ...base, DASHBOARD_URL: 'http://127.0.0.1:3000' }).dashboard?.publicUrl).toBe(
        'http://127.0.0.1:3000',
      );
      expect(() => loadConfig({ DASHBOARD_URL: 'https://x.example' })).toThrow(
        /DASHBOARD_SESSION_SECRET: required with DASHBOARD_URL[\s\S]*DASHBOARD_URL: the dashboard needs a sign-in/,
      );
    });
  });

  describe('the embedded database in production', () => {
    it('is refused for the service, with the reason and the fix, unless the operator opts in', () => {
      const problem = serviceDatabaseProblem(loadConfig({ NODE_ENV: 'production' }));
      expect(problem).toMatch(/^DATABASE_URL: required when NODE_ENV=production: /);
      expect(problem).not.toContain('\n');
      expect(problem).toContain('several machines would each post every drill');
      expect(problem).toContain('fly postgres attach');
      expect(problem).toContain('ALLOW_EMBEDDED_DATABASE=1');
      const postgres = { NODE_ENV: 'production', DATABASE_URL: 'postgres://bot:pw@db:5432/roadmap' };
      expect(serviceDatabaseProblem(loadConfig(postgres))).toBeUndefined();
      const optedIn = { NODE_ENV: 'production', ALLOW_EMBEDDED_DATABASE: '1', DATA_DIR: '/data' };
      expect(serviceDatabaseProblem(loadConfig(optedIn))).toBeUndefined();
      expect(loadConfig(optedIn).dataDir).toBe('/data');
      // Development and the terminal chat keep the zero-setup default.
      expect(serviceDatabaseProblem(loadConfig({}))).toBeUndefined();
      expect(() => loadConfig({ ALLOW_EMBEDDED_DATABASE: 'yes' })).toThrow(/ALLOW_EMBEDDED_DATABASE/);
    });

    it.each([
      ['the service', 'src/service.ts'],
      ["Fly's release command (the migrator)", 'src/cli/migrate.ts'],
    ])('stops %s before it opens a database, saying why on standard error', async (_, entry) => {
      const env = {
        PATH: process.env.PATH,
        NODE_ENV: 'production',
        DATA_DIR: path.join(ROOT, 'no-such-dir'),
      };
      const failure = await promisify(execFile)('node', [entry], { cwd: ROOT, env, timeout: 20_000 }).then(
        () => undefined,
        (err: { code: number; stderr: string }) => err,
      );
      expect(failure?.code).toBe(1);
      expect(failure?.stderr).toContain('  - DATABASE_URL: required when NODE_ENV=production: ');
      expect(failure?.stderr).toContain('ALLOW_EMBEDDED_DATABASE=1');
    });
  });
});
