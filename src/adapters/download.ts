/** Files members attach, fetched or read no further than the limit the command asks for (plus one byte). */
import { open } from 'node:fs/promises';
import path from 'node:path';
import { UserFacingError } from '../core/errors.ts';
import type { Attachment } from '../core/invocation.ts';

/** Reads a response body up to `maxBytes + 1` bytes, then stops the download. */
async function capped(body: ReadableStream<Uint8Array>, maxBytes: number): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = body.getReader();
  while (size <= maxBytes) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
  }
  if (size > maxBytes) await reader.cancel();
  return Buffer.concat(chunks).subarray(0, maxBytes + 1);
}

/**
 * A file from the platform's file store. `token` (the bot's, where the platform needs it) goes only to its
 * `host` over https, and never along a redirect: a file anywhere else is refused before any request.
 */
export async function downloadAttachment(
  file: { name: string; url: string },
  maxBytes: number,
  token?: { host: string; authorization: string },
): Promise<Attachment> {
  const url = new URL(file.url);
  if (token && (url.protocol !== 'https:' || url.hostname !== token.host))
    throw new UserFacingError('FORBIDDEN', `That file is not on ${token.host}, so it was not downloaded.`);
  const res = await fetch(url, {
    headers: token ? { authorization: token.authorization } : {},
    redirect: token ? 'manual' : 'follow',
    signal: AbortSignal.timeout(15_000),
  });
  if (token && res.status >= 300 && res.status < 400)
    throw new UserFacingError(
      'FORBIDDEN',
      `That file redirects away from ${token.host}, so it was not downloaded.`,
    );
  if (!res.ok || !res.body) throw new Error(`downloading ${file.name} failed: HTTP ${res.status}`);
  return { name: file.name, data: await capped(res.body, maxBytes) };
}

/** A file on this machine, for the terminal: the path the member typed. */
export async function readLocalAttachment(hint: string, maxBytes: number): Promise<Attachment> {
  const handle = await open(path.resolve(hint), 'r');
  try {
    const buffer = Buffer.alloc(maxBytes + 1);
    const { bytesRead } = await handle.read(buffer, 0, maxBytes + 1, 0);
    return { name: path.basename(hint), data: buffer.subarray(0, bytesRead) };
  } finally {
    await handle.close();
  }
}
