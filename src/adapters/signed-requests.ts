/** What both platforms' signed HTTP requests need: the raw body (size-capped) and a timestamp inside the window. */
import type { IncomingMessage } from 'node:http';

/** Slack and Discord both refuse a signed timestamp more than five minutes off, either way (replays). */
export const MAX_CLOCK_SKEW_SECONDS = 300;

/** Platforms' payloads are kilobytes; anything near this is not from them. */
const BODY_LIMIT_BYTES = 1024 * 1024;

export type VerifyResult = { ok: true } | { ok: false; reason: string };

/** The request's raw bytes (a signature covers them exactly), or 'too_large' past `limit`. */
export function readBody(req: IncomingMessage, limit = BODY_LIMIT_BYTES): Promise<Buffer | 'too_large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) over = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(over ? 'too_large' : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** A header's single value. */
export function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return typeof v === 'string' ? v : undefined;
}

/** Why a signed timestamp (Unix seconds, as text) is refused by our clock, or undefined when it is fresh. */
export function timestampProblem(timestamp: string | undefined, now: Date): string | undefined {
  if (!timestamp || !/^\d{1,12}$/.test(timestamp)) return 'missing or malformed signature headers';
  const ts = Number(timestamp);
  const nowSec = Math.floor(now.getTime() / 1000);
  if (ts > nowSec + MAX_CLOCK_SKEW_SECONDS) return 'timestamp in the future';
  if (ts < nowSec - MAX_CLOCK_SKEW_SECONDS) return 'timestamp too old';
  return undefined;
}
