/** A Log that keeps every line, with its time, so a test can see what was reported and in which order. */
import type { Log } from '../../src/core/log.ts';

export interface LoggedLine {
  level: 'debug' | 'info' | 'warn' | 'error';
  msg: string;
  obj: Record<string, unknown>;
  at: number;
}

export function recordingLog(): Log & { lines: LoggedLine[] } {
  const lines: LoggedLine[] = [];
  const at =
    (level: LoggedLine['level']) =>
    (obj: object, msg = '') => {
      lines.push({ level, msg, obj: obj as Record<string, unknown>, at: Date.now() });
    };
  const log: Log & { lines: LoggedLine[] } = {
    lines,
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: () => log,
  };
  return log;
}
