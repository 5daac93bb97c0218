/** The root pino logger: JSON in production, pretty on a terminal, secrets redacted wherever they appear. */
import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';
import type { Config } from './config.ts';

/** Paths whose values never reach a log line. Wildcards cover one level of nesting. */
export const REDACT_PATHS = [
  'token',
  '*.token',
  'botToken',
  '*.botToken',
  'appToken',
  '*.appToken',
  'signingSecret',
  '*.signingSecret',
  'clientSecret',
  '*.clientSecret',
  'encryptionKey',
  '*.encryptionKey',
  'password',
  '*.password',
  'databaseUrl',
  '*.databaseUrl',
  'url',
  'database.url',
  'config.database.url',
  'headers.authorization',
  '*.headers.authorization',
  'headers["x-slack-signature"]',
  '*.headers["x-slack-signature"]',
];

export interface LoggerOptions {
  /** File descriptor to write to: 1 (stdout) normally, 2 (stderr) when the terminal chat owns stdout. */
  fd?: 1 | 2;
  /** Level when LOG_LEVEL is unset. */
  defaultLevel?: Config['log']['level'];
  /** Write JSON lines here instead of a file descriptor (tests). */
  destination?: NodeJS.WritableStream;
}

export function createLogger(config: Pick<Config, 'log' | 'env'>, opts: LoggerOptions = {}): Logger {
  const fd = opts.fd ?? 1;
  const stream = fd === 1 ? process.stdout : process.stderr;
  const format = config.log.format === 'auto' ? (stream.isTTY ? 'pretty' : 'json') : config.log.format;
  const options: pino.LoggerOptions = {
    level: config.log.level ?? opts.defaultLevel ?? 'info',
    base: { app: 'roadmap-bot' },
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    serializers: { err: pino.stdSerializers.err },
  };
  if (opts.destination) return pino(options, opts.destination);
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
