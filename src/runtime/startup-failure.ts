/** What stderr gets when start-up fails, before any logger exists (`npm start` and the service alike). */
import { ConfigError } from '../config/config.ts';
import { ContentError } from '../content/load.ts';

/** Configuration and content errors explain themselves; anything else is a crash, with its stack. */
export function startupFailure(err: unknown): string {
  if (err instanceof ConfigError || err instanceof ContentError) return `${err.message}\n`;
  return `roadmap-bot failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`;
}
