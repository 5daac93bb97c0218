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

/** How long, and how many more bytes, a refused body is still read (and dropped) before the connection closes. */
const LINGER_MS = 1000;
const LINGER_BYTES = 1024 * 1024;

/**
 * The 413 for a body `readBody` found too large. A sender still writing must read the 413, not a reset: closing
 * a socket with unread bytes makes the kernel reset the connection, which can drop the answer already sent. So
 * the rest is read and dropped for at most LINGER_MS or LINGER_BYTES (a lingering close), then the connection
 * closes; nothing past that is read, however long the sender goes on.
 */
export function tooLarge(
  req: IncomingMessage,
  res: ServerResponse,
  headers: Record<string, string> = {},
  body = '',
): void {
  res.writeHead(413, { ...headers, 'content-length': Buffer.byteLength(body) });
  res.end(body);
  const socket = req.socket;
  const close = () => socket.destroy();
  const timer = setTimeout(close, LINGER_MS);
  timer.unref();
  socket.once('close', () => clearTimeout(timer));
  let dropped = 0;
  req.on('data', (chunk: Buffer) => {
    dropped += chunk.length;
    if (dropped > LINGER_BYTES) close();
  });
  req.on('end', close);
  req.resume();
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
