/** The one place that reads the environment: a zod schema, defaults, and one error naming every problem. */
import path from 'node:path';
import { IANAZone } from 'luxon';
import { z } from 'zod';
import { DASHBOARD_FIXES, type DashboardConfig, dashboardConfig, dashboardEnv } from './dashboard.ts';
import { type DiscordConfig, discordConfig } from './discord.ts';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

function systemTimezone(): string {
  const tz = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return tz && IANAZone.isValidZone(tz) ? tz : 'UTC';
}

/** Each variable with its schema and the fix we suggest when it is wrong. Keep README's table in step. */
const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  LOG_LEVEL: z.enum(LOG_LEVELS).optional(),
  LOG_FORMAT: z.enum(['auto', 'json', 'pretty']).default('auto'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\/\S+$/, 'must be a postgres:// URL')
    .optional(),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(100).default(10),
  DATABASE_CONNECT_TIMEOUT_SECONDS: z.coerce.number().min(0.1).max(120).default(5),
  DATABASE_STATEMENT_TIMEOUT_SECONDS: z.coerce.number().min(0.1).max(3600).default(30),
  DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_SECONDS: z.coerce.number().min(0.1).max(3600).default(60),
  DATABASE_PREPARED_STATEMENTS: z.enum(['on', 'off']).default('on'),
  DATA_DIR: z.string().min(1).default('./data'),
  CONTENT_DIR: z.string().min(1).default('./content'),
  DEFAULT_TRACK: z
    .string()
    .regex(/^[a-z0-9-]+$/)
    .default('backend'),
  DEFAULT_TIMEZONE: z
    .string()
    .refine((tz) => IANAZone.isValidZone(tz), 'must be an IANA time zone')
    .optional(),
  TERMINAL_USER: z.string().trim().min(1).max(40).optional(),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  SCHEDULER: z.enum(['on', 'off']).default('on'),
  SCHEDULER_INTERVAL_SECONDS: z.coerce
    .number()
    .int()
    .min(1)
    .max(60)
    .refine((n) => 60 % n === 0, 'must divide a minute evenly')
    .default(60),
  CATCHUP_HOURS: z.coerce.number().min(0).max(23).default(6),
  SHUTDOWN_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(300).default(20),
  REPORT_WITHHOLD_THRESHOLD: z.coerce.number().int().min(1).max(1000).default(3),
  SLACK_BOT_TOKEN: z
    .string()
    .regex(/^xoxb-\S+$/, 'must be a bot token starting with xoxb-')
    .optional(),
  SLACK_SIGNING_SECRET: z.string().min(8).optional(),
  SLACK_APP_TOKEN: z
    .string()
    .regex(/^xapp-\S+$/, 'must be an app-level token starting with xapp-')
    .optional(),
  SLACK_CLIENT_ID: z.string().min(1).optional(),
  SLACK_CLIENT_SECRET: z.string().min(1).optional(),
  SLACK_STATE_SECRET: z.string().min(16).optional(),
  SLACK_API_URL: z.url().optional(),
  SLACK_REPLY_IN_ACK_MS: z.coerce.number().int().min(0).max(2500).default(250),
  TOKEN_ENCRYPTION_KEY: z
    .string()
    .refine((k) => decodeKey(k) !== undefined, 'must be 32 bytes as 64 hex characters or base64')
    .optional(),
  DISCORD_TOKEN: z.string().min(20).optional(),
  DISCORD_APPLICATION_ID: z
    .string()
    .regex(/^\d{15,22}$/, 'must be a numeric application id')
    .optional(),
  DISCORD_GUILD_ID: z
    .string()
    .regex(/^\d{15,22}$/, 'must be a numeric server id')
    .optional(),
  DISCORD_MANAGER_ROLE: z.string().trim().min(1).max(100).optional(),
  DISCORD_API_URL: z.url().optional(),
  DISCORD_PUBLIC_KEY: z
    .string()
    .regex(/^[0-9a-fA-F]{64}$/, 'must be 64 hex characters')
    .optional(),
  ALLOW_EMBEDDED_DATABASE: z.enum(['0', '1']).default('0'),
  ...dashboardEnv,
});

/** A 32-byte key from 64 hex characters or base64; undefined when it is neither. */
function decodeKey(text: string): Buffer | undefined {
  const key = /^[0-9a-fA-F]{64}$/.test(text) ? Buffer.from(text, 'hex') : Buffer.from(text, 'base64');
  return key.length === 32 ? key : undefined;
}

const FIXES: Record<string, string> = {
  NODE_ENV: 'use development, production or test',
  LOG_LEVEL: `use one of ${LOG_LEVELS.join(', ')}`,
  LOG_FORMAT: 'use auto (pretty on a terminal, JSON otherwise), json or pretty',
  DATABASE_URL:
    'e.g. postgres://user:password@localhost:5432/roadmap, or unset it to use the embedded database in DATA_DIR',
  DATABASE_POOL_MAX: 'a whole number from 1 to 100',
  DATABASE_CONNECT_TIMEOUT_SECONDS: 'seconds to wait for a new database connection, 0.1 to 120',
  DATABASE_STATEMENT_TIMEOUT_SECONDS: 'seconds after which the server cancels a query, 0.1 to 3600',
  DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_SECONDS:
    'seconds after which the server ends a session idle in an open transaction, 0.1 to 3600',
  DATABASE_PREPARED_STATEMENTS:
    'on, or off behind a pooler in transaction mode that does not keep prepared statements (PgBouncer before 1.21, or max_prepared_statements = 0)',
  DATA_DIR: 'a directory for the embedded database, e.g. ./data',
  CONTENT_DIR: 'the directory holding the tracks, e.g. ./content',
  DEFAULT_TRACK: 'the id of a track folder under CONTENT_DIR, e.g. backend',
  DEFAULT_TIMEZONE: 'an IANA name such as Europe/Berlin or America/New_York',
  TERMINAL_USER: 'a display name of 1 to 40 characters',
  PORT: 'the HTTP port for health, metrics and Slack, e.g. 3000',
  HOST: 'the address to listen on, e.g. 0.0.0.0 or 127.0.0.1',
  SCHEDULER: 'on (post scheduled drills from this process) or off',
  SCHEDULER_INTERVAL_SECONDS:
    'seconds between scheduler runs: 60 (the default), or 1, 2, 3, 4, 5, 6, 10, 12, 15, 20 or 30',
  CATCHUP_HOURS: 'hours after the scheduled time a missed drill still posts, 0 to 23',
  SHUTDOWN_TIMEOUT_SECONDS: 'seconds to let in-flight work finish on shutdown, 1 to 300',
  REPORT_WITHHOLD_THRESHOLD:
    'how many members reporting a question withhold it in their workspace, 1 to 1000',
  SLACK_BOT_TOKEN: 'the Bot User OAuth Token from OAuth & Permissions, xoxb-…',
  SLACK_SIGNING_SECRET: 'the Signing Secret from Basic Information',
  SLACK_APP_TOKEN: 'an app-level token with connections:write, xapp-…, for Socket Mode',
  SLACK_CLIENT_ID: 'the Client ID from Basic Information, for OAuth installs',
  SLACK_CLIENT_SECRET: 'the Client Secret from Basic Information, for OAuth installs',
  SLACK_STATE_SECRET: 'a random string of at least 16 characters, e.g. `openssl rand -hex 16`',
  SLACK_API_URL: 'leave unset in production; a URL such as http://127.0.0.1:9000/api/ for tests',
  SLACK_REPLY_IN_ACK_MS: 'milliseconds a command may take to reply in its ack, 0 (always after) to 2500',
  TOKEN_ENCRYPTION_KEY: 'generate one with `openssl rand -hex 32`',
  DISCORD_TOKEN: 'the bot token from the Developer Portal, Bot page',
  DISCORD_APPLICATION_ID: 'the Application ID from the Developer Portal, General Information',
  DISCORD_GUILD_ID: 'the numeric id of a server (Developer Mode, right-click, Copy Server ID)',
  DISCORD_MANAGER_ROLE: 'the name of a server role whose members may manage, e.g. Study Lead',
  DISCORD_API_URL: 'leave unset in production; a URL such as http://127.0.0.1:9001/api for tests',
  DISCORD_PUBLIC_KEY:
    'the Public Key from the Developer Portal, General Information; set it to receive interactions over HTTP',
  ALLOW_EMBEDDED_DATABASE:
    '1 lets the production service run on the embedded database: one machine, DATA_DIR on a volume',
  ...DASHBOARD_FIXES,
};

export interface Config {
  env: 'development' | 'production' | 'test';
  log: { level: (typeof LOG_LEVELS)[number] | undefined; format: 'auto' | 'json' | 'pretty' };
  database:
    | {
        kind: 'postgres';
        url: string;
        poolMax: number;
        connectTimeoutMs: number;
        statementTimeoutMs: number;
        idleInTransactionTimeoutMs: number;
      }
    | { kind: 'pglite'; dataDir: string };
  contentDir: string;
  defaultTrack: string;
  defaultTimezone: string;
  terminalUser: string | undefined;
  http: { port: number; host: string };
  /** `intervalSeconds` divides a minute: runs come at second 5 of each minute and every interval after. */
  scheduler: { enabled: boolean; catchupHours: number; intervalSeconds: number };
  shutdownTimeoutMs: number;
  /** Members whose open reports withhold a question from their workspace's drills and practice. */
  reportWithholdThreshold: number;
  slack: SlackConfig | undefined;
  discord: DiscordConfig | undefined;
  dashboard: DashboardConfig | undefined;
  /** DATA_DIR resolved: the embedded database (when used) and the terminal chat's log file. */
  dataDir: string;
  /** The operator accepts the embedded database in production (one machine, DATA_DIR on a volume). */
  allowEmbeddedDatabase: boolean;
}

export interface SlackConfig {
  /** Socket Mode when an app token is set; the HTTP receiver on PORT otherwise. */
  mode: 'socket' | 'http';
  signingSecret: string | undefined;
  appToken: string | undefined;
  /** One workspace with a fixed bot token, or many through OAuth installs stored in the database. */
  auth:
    | { kind: 'single'; botToken: string }
    | { kind: 'oauth'; clientId: string; clientSecret: string; stateSecret: string; encryptionKey: Buffer };
  apiUrl: string | undefined;
  /** A command answered within this many ms replies in its ack; a slower one acks then and replies after. */
  replyInAckMs: number;
}

export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(
      `roadmap-bot cannot start: the configuration is invalid.\n${problems.map((p) => `  - ${p}`).join('\n')}\nSee .env.example and the configuration table in README.md.`,
    );
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/** Parses the environment once. Empty strings count as unset, as most deploy tools write them. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const cleaned = Object.fromEntries(
    Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ''),
  );
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0]);
      return `${name}: ${issue.message}${FIXES[name] ? ` (${FIXES[name]})` : ''}`;
    });
    throw new ConfigError(problems);
  }
  const e = parsed.data;
  const problems: string[] = [];
  const slack = slackConfig(e, problems);
  const discord = discordConfig(e, problems, FIXES);
  const dashboard = dashboardConfig(e, discord?.applicationId, problems);
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze({
    env: e.NODE_ENV,
    log: { level: e.LOG_LEVEL, format: e.LOG_FORMAT },
    database: e.DATABASE_URL
      ? {
          kind: 'postgres' as const,
          url: e.DATABASE_URL,
          poolMax: e.DATABASE_POOL_MAX,
          connectTimeoutMs: Math.round(e.DATABASE_CONNECT_TIMEOUT_SECONDS * 1000),
          statementTimeoutMs: Math.round(e.DATABASE_STATEMENT_TIMEOUT_SECONDS * 1000),
          idleInTransactionTimeoutMs: Math.round(e.DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_SECONDS * 1000),
          preparedStatements: e.DATABASE_PREPARED_STATEMENTS === 'on',
        }
      : { kind: 'pglite' as const, dataDir: path.resolve(e.DATA_DIR) },
    contentDir: path.resolve(e.CONTENT_DIR),
    defaultTrack: e.DEFAULT_TRACK,
    defaultTimezone: e.DEFAULT_TIMEZONE ?? systemTimezone(),
    terminalUser: e.TERMINAL_USER,
    http: { port: e.PORT, host: e.HOST },
    scheduler: {
      enabled: e.SCHEDULER === 'on',
      catchupHours: e.CATCHUP_HOURS,
      intervalSeconds: e.SCHEDULER_INTERVAL_SECONDS,
    },
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_SECONDS * 1000,
    reportWithholdThreshold: e.REPORT_WITHHOLD_THRESHOLD,
    slack,
    discord,
    dashboard,
    dataDir: path.resolve(e.DATA_DIR),
    allowEmbeddedDatabase: e.ALLOW_EMBEDDED_DATABASE === '1',
  });
}

type Env = z.infer<typeof envSchema>;
function slackConfig(e: Env, problems: string[]): SlackConfig | undefined {
  const oauthVars = [e.SLACK_CLIENT_ID, e.SLACK_CLIENT_SECRET, e.SLACK_STATE_SECRET];
  const wantsOauth = oauthVars.some((v) => v !== undefined);
  if (!e.SLACK_BOT_TOKEN && !wantsOauth && !e.SLACK_SIGNING_SECRET && !e.SLACK_APP_TOKEN) return undefined;
  const mode = e.SLACK_APP_TOKEN ? 'socket' : 'http';
  if (mode === 'http' && !e.SLACK_SIGNING_SECRET)
    problems.push(`SLACK_SIGNING_SECRET: required for Slack in HTTP mode (${FIXES.SLACK_SIGNING_SECRET})`);
  if (e.SLACK_BOT_TOKEN && wantsOauth)
    problems.push(
      'SLACK_BOT_TOKEN: set either it (one workspace) or SLACK_CLIENT_ID/SECRET (OAuth), not both',
    );
  let auth: SlackConfig['auth'] | undefined;
  if (e.SLACK_BOT_TOKEN) auth = { kind: 'single', botToken: e.SLACK_BOT_TOKEN };
  else if (wantsOauth) {
    if (mode === 'socket')
      problems.push('SLACK_APP_TOKEN: Socket Mode serves one workspace; use SLACK_BOT_TOKEN');
    const missing = (
      [
        ['SLACK_CLIENT_ID', e.SLACK_CLIENT_ID],
        ['SLACK_CLIENT_SECRET', e.SLACK_CLIENT_SECRET],
        ['SLACK_STATE_SECRET', e.SLACK_STATE_SECRET],
        ['TOKEN_ENCRYPTION_KEY', e.TOKEN_ENCRYPTION_KEY],
      ] as const
    ).filter(([, v]) => v === undefined);
    for (const [name] of missing)
      problems.push(`${name}: required for Slack OAuth installs (${FIXES[name]})`);
    if (missing.length === 0)
      auth = {
        kind: 'oauth',
        clientId: e.SLACK_CLIENT_ID!,
        clientSecret: e.SLACK_CLIENT_SECRET!,
        stateSecret: e.SLACK_STATE_SECRET!,
        encryptionKey: decodeKey(e.TOKEN_ENCRYPTION_KEY!)!,
      };
  } else problems.push(`SLACK_BOT_TOKEN: required to use Slack (${FIXES.SLACK_BOT_TOKEN}), or set up OAuth`);
  if (!auth) return undefined;
  return {
    mode,
    signingSecret: e.SLACK_SIGNING_SECRET,
    appToken: e.SLACK_APP_TOKEN,
    auth,
    apiUrl: e.SLACK_API_URL,
    replyInAckMs: e.SLACK_REPLY_IN_ACK_MS,
  };
}

/** The database target without credentials, for logs. */
export function describeDatabase(config: Config): string {
  if (config.database.kind === 'pglite') return `embedded PGlite in ${config.database.dataDir}`;
  const url = new URL(config.database.url);
  return `PostgreSQL at ${url.hostname}${url.port ? `:${url.port}` : ''}${url.pathname}`;
}

/**
 * Why the service must not start on this database, or undefined when it may. Embedded PGlite is one process
 * on one disk: in production (Fly starts two machines, and an image's disk is replaced at every deploy) each
 * machine would run its own database and post every drill, and the data would go at the next deploy.
 * The terminal chat and the other CLIs do not ask: they are one process by nature.
 */
export function serviceDatabaseProblem(config: Config): string | undefined {
  if (config.env !== 'production' || config.database.kind !== 'pglite' || config.allowEmbeddedDatabase)
    return undefined;
  return (
    'DATABASE_URL: required when NODE_ENV=production: the embedded database is one process on one disk, so ' +
    'several machines would each post every drill and a deploy without a volume loses the data (set ' +
    'DATABASE_URL to a PostgreSQL database, e.g. `fly postgres attach`; or, for one machine with DATA_DIR on ' +
    'a mounted volume, set ALLOW_EMBEDDED_DATABASE=1)'
  );
}

/** Throws the ConfigError the service entry points stop with when serviceDatabaseProblem() has a reason. */
export function assertServiceDatabase(config: Config): void {
  const problem = serviceDatabaseProblem(config);
  if (problem) throw new ConfigError([problem]);
}
