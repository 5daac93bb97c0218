/** The root pino logger: JSON in production, pretty on a terminal, secrets redacted wherever they appear. */
import { createRequire } from 'node:module';
import pino, { type Logger } from 'pino';
import type PinoPretty from 'pino-pretty';
import type { Config } from './config.ts';

/** Keys whose values never reach a log line, wherever they sit (up to three objects deep). */
const SECRET_KEYS = [
  'token',
  'botToken',
  'appToken',
  'signingSecret',
  'clientSecret',
  'stateSecret',
  'encryptionKey',
  'password',
  'databaseUrl',
];

/** pino redact paths: each secret key at the top level and under one, two or three objects. */
const REDACT_PATHS = [
  ...SECRET_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`, `*.*.*.${key}`]),
  // A database URL carries its password; request URLs elsewhere are logged under `path`.
  'url',
  'database.url',
  '*.database.url',
  'headers.authorization',
  '*.headers.authorization',
  'headers["x-slack-signature"]',
  '*.headers["x-slack-signature"]',
];

/**
 * Discord's token routes (`/webhooks/{id}/{token}`, `/interactions/{id}/{token}/callback`): an error from a call
 * on an interaction token carries its URL, and the token lets anyone answer as the app while it lasts.
 */
const TOKEN_ROUTE = /(\/(?:webhooks|interactions)\/\d+\/)[\w.-]+/g;

/** A JSON log line with the config's secret values and Discord's route tokens replaced. */
function scrubbed(line: string, secrets: readonly string[]): string {
  const out = secrets.reduce((text, secret) => text.replaceAll(secret, '[redacted]'), line);
  return out.replace(TOKEN_ROUTE, '$1[redacted]');
}

// Shorter values are left to the key paths: replacing a 4-letter password everywhere would garble lines.
const MIN_SCRUBBED_LENGTH = 8;

/**
 * Every secret value in the config, as it could appear in a JSON log line: a second line of defence for
 * secrets that end up inside a message or an error (an SDK echoing a token, a driver echoing its URL).
 */
export function secretValues(config: Partial<Pick<Config, 'slack' | 'discord' | 'database'>>): string[] {
  const values: string[] = [];
  const slack = config.slack;
  if (slack) {
    values.push(slack.signingSecret ?? '', slack.appToken ?? '');
    if (slack.auth.kind === 'single') values.push(slack.auth.botToken);
    else
      values.push(
        slack.auth.clientSecret,
        slack.auth.stateSecret,
        slack.auth.encryptionKey.toString('hex'),
        slack.auth.encryptionKey.toString('base64'),
      );
  }
  if (config.discord) values.push(config.discord.token);
  if (config.database?.kind === 'postgres') {
    values.push(config.database.url);
    try {
      const password = new URL(config.database.url).password;
      values.push(password, decodeURIComponent(password));
    } catch {
      // The schema accepted it as a postgres:// URL; an unparsable one has no password we could find.
    }
  }
  const escaped = values.map((v) => JSON.stringify(v).slice(1, -1));
  return [...new Set([...values, ...escaped])]
    .filter((v) => v.length >= MIN_SCRUBBED_LENGTH)
    .sort((a, b) => b.length - a.length);
}

/** pino-pretty, loaded only when a pretty log is asked for: production writes JSON and never loads it. */
const pretty = (options: PinoPretty.PrettyOptions) =>
  (createRequire(import.meta.url)('pino-pretty') as typeof PinoPretty)(options);

export interface LoggerOptions {
  /** File descriptor to write to: 1 (stdout) normally, 2 (stderr) when the terminal chat owns stdout. */
  fd?: 1 | 2;
  /** Level when LOG_LEVEL is unset. */
  defaultLevel?: Config['log']['level'];
  /** Write JSON lines here instead of a file descriptor (tests). */
  destination?: NodeJS.WritableStream;
  /** Append to this file (created with its directory) instead: the terminal chat keeps logs off its screen. */
  file?: string;
}

export function createLogger(
  config: Pick<Config, 'log' | 'env'> & Partial<Pick<Config, 'slack' | 'discord' | 'database'>>,
  opts: LoggerOptions = {},
): Logger {
  const fd = opts.fd ?? 1;
  const stream = fd === 1 ? process.stdout : process.stderr;
  const format =
    config.log.format === 'auto' ? (stream.isTTY && !opts.file ? 'pretty' : 'json') : config.log.format;
  const options: pino.LoggerOptions = {
    level: config.log.level ?? opts.defaultLevel ?? 'info',
    base: { app: 'roadmap-bot' },
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    serializers: { err: pino.stdSerializers.err },
  };
  const secrets = secretValues(config);
  options.hooks = { streamWrite: (line) => scrubbed(line, secrets) };
  if (opts.destination) return pino(options, opts.destination);
  if (opts.file) {
    // Written synchronously: a file is fast, and the last lines are there however the chat ends.
    const to = { destination: opts.file, mkdir: true, sync: true };
    return format === 'pretty'
      ? pino(options, pretty({ ...to, colorize: false, translateTime: 'SYS:HH:MM:ss' }))
      : pino(options, pino.destination({ dest: opts.file, mkdir: true, sync: true }));
  }
  if (format === 'pretty') {
    return pino(
      options,
      pretty({
        destination: fd,
        colorize: stream.isTTY === true,
        ignore: 'pid,hostname,app',
        translateTime: 'SYS:HH:MM:ss',
      }),
    );
  }
  return pino(options, pino.destination({ fd, sync: false }));
}
