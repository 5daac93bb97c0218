/** What both platforms' signed HTTP requests need: the raw body (size-capped) and a timestamp inside the window. */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Slack and Discord both refuse a signed timestamp more than five minutes off, either way (replays). */
export const MAX_CLOCK_SKEW_SECONDS = 300;

/** Platforms' payloads are kilobytes; anything near this is not from them. */
const BODY_LIMIT_BYTES = 1024 * 1024;

export type VerifyResult = { ok: true } | { ok: false; reason: string };

/**
 * The request's raw bytes (a signature covers them exactly), or 'too_large' as soon as it is over `limit`
 * (declared or streamed): nothing past the limit is waited for. The caller answers that with `tooLarge`.
 */
export function readBody(req: IncomingMessage, limit = BODY_LIMIT_BYTES): Promise<Buffer | 'too_large'> {
  return new Promise((resolve, reject) => {
    if (Number(req.headers['content-length']) > limit) return resolve('too_large');
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      req.off('data', onData);
      req.pause();
      resolve('too_large');
    };
    req.on('data', onData);
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** The 413 for a body `readBody` found too large; the connection closes, so the rest is never read. */
export function tooLarge(res: ServerResponse, headers: Record<string, string> = {}, body = ''): void {
  res.writeHead(413, { ...headers, connection: 'close', 'content-length': Buffer.byteLength(body) });
  res.end(body);
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
