/** The one place that reads the environment: a zod schema, defaults, and one error naming every problem. */
import path from 'node:path';
import { IANAZone } from 'luxon';
import { z } from 'zod';

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
});

const FIXES: Record<string, string> = {
  NODE_ENV: 'use development, production or test',
  LOG_LEVEL: `use one of ${LOG_LEVELS.join(', ')}`,
  LOG_FORMAT: 'use auto (pretty on a terminal, JSON otherwise), json or pretty',
  DATABASE_URL:
    'e.g. postgres://user:password@localhost:5432/roadmap, or unset it to use the embedded database in DATA_DIR',
  DATABASE_POOL_MAX: 'a whole number from 1 to 100',
  DATA_DIR: 'a directory for the embedded database, e.g. ./data',
  CONTENT_DIR: 'the directory holding the tracks, e.g. ./content',
  DEFAULT_TRACK: 'the id of a track folder under CONTENT_DIR, e.g. backend',
  DEFAULT_TIMEZONE: 'an IANA name such as Europe/Berlin or America/New_York',
  TERMINAL_USER: 'a display name of 1 to 40 characters',
};

export interface Config {
  env: 'development' | 'production' | 'test';
  log: { level: (typeof LOG_LEVELS)[number] | undefined; format: 'auto' | 'json' | 'pretty' };
  database: { kind: 'postgres'; url: string; poolMax: number } | { kind: 'pglite'; dataDir: string };
  contentDir: string;
  defaultTrack: string;
  defaultTimezone: string;
  terminalUser: string | undefined;
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
  return Object.freeze({
    env: e.NODE_ENV,
    log: { level: e.LOG_LEVEL, format: e.LOG_FORMAT },
    database: e.DATABASE_URL
      ? { kind: 'postgres' as const, url: e.DATABASE_URL, poolMax: e.DATABASE_POOL_MAX }
      : { kind: 'pglite' as const, dataDir: path.resolve(e.DATA_DIR) },
    contentDir: path.resolve(e.CONTENT_DIR),
    defaultTrack: e.DEFAULT_TRACK,
    defaultTimezone: e.DEFAULT_TIMEZONE ?? systemTimezone(),
    terminalUser: e.TERMINAL_USER,
  });
}

/** The database target without credentials, for logs. */
export function describeDatabase(config: Config): string {
  if (config.database.kind === 'pglite') return `embedded PGlite in ${config.database.dataDir}`;
  const url = new URL(config.database.url);
  return `PostgreSQL at ${url.hostname}${url.port ? `:${url.port}` : ''}${url.pathname}`;
}
