/** The logging surface the core needs; pino's Logger satisfies it, and the core never imports pino. */

type LogFn = (obj: object, msg?: string) => void;

export interface Log {
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
  child(bindings: Record<string, unknown>): Log;
}

/** A logger that drops everything, for tools and tests that do not care. */
export const silentLog: Log = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  child: () => silentLog,
};
