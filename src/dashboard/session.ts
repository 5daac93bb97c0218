/**
 * Sessions in signed cookies: the payload in base64url, then an HMAC-SHA256 of it with the configured secret.
 * Cookies are HttpOnly, Secure and SameSite=Lax, and the payload carries its own expiry, so a copied cookie
 * stops working then whatever the browser does. The CSRF token is an HMAC of the session's id: it needs no
 * storage and changes with every sign-in.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Platform } from '../core/types.ts';

export const SESSION_COOKIE = 'rb_session';
export const STATE_COOKIE = 'rb_state';

/** A workspace the person belongs to, as the provider said at sign-in. */
export interface SessionWorkspace {
  id: string;
  name: string;
  /** A platform admin there by the provider's word (Discord: owner, Administrator or Manage Server). */
  admin: boolean;
}

export interface Session {
  /** Random per sign-in: the CSRF token is derived from it. */
  sid: string;
  platform: Platform;
  userId: string;
  name: string;
  workspaces: SessionWorkspace[];
  /** Expiry, ms since the epoch. */
  exp: number;
}

export const newId = () => randomBytes(24).toString('base64url');

const mac = (secret: string, data: string) => createHmac('sha256', secret).update(data).digest('base64url');

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** `value.signature`, the signature bound to the cookie's name so one cookie cannot stand for another. */
export function sign(secret: string, name: string, value: string): string {
  const data = Buffer.from(value).toString('base64url');
  return `${data}.${mac(secret, `${name}.${data}`)}`;
}

export function unsign(secret: string, name: string, signed: string | undefined): string | undefined {
  if (!signed) return undefined;
  const dot = signed.lastIndexOf('.');
  if (dot <= 0) return undefined;
  const data = signed.slice(0, dot);
  if (!sameText(signed.slice(dot + 1), mac(secret, `${name}.${data}`))) return undefined;
  return Buffer.from(data, 'base64url').toString();
}

export function readCookies(req: IncomingMessage): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) out.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  return out;
}

export function cookie(name: string, value: string, opts: { path: string; maxAgeSeconds: number }): string {
  return `${name}=${value}; Path=${opts.path}; Max-Age=${Math.max(0, Math.floor(opts.maxAgeSeconds))}; HttpOnly; Secure; SameSite=Lax`;
}

export const clearCookie = (name: string, path: string) => cookie(name, '', { path, maxAgeSeconds: 0 });

/** Browsers drop a cookie over 4096 bytes without a word; this leaves room for its name and attributes. */
const MAX_COOKIE_VALUE = 3800;

/**
 * The session's cookie. A person in many servers with long names would overflow it, and the browser would
 * drop it (no sign-in at all): the workspaces past the limit are left out, those they administer kept first.
 */
export function sessionCookie(secret: string, session: Session, now: Date): string {
  const workspaces = [...session.workspaces].sort((a, b) => Number(b.admin) - Number(a.admin));
  let value = sign(secret, SESSION_COOKIE, JSON.stringify({ ...session, workspaces }));
  while (value.length > MAX_COOKIE_VALUE && workspaces.length > 0) {
    workspaces.pop();
    value = sign(secret, SESSION_COOKIE, JSON.stringify({ ...session, workspaces }));
  }
  return cookie(SESSION_COOKIE, value, {
    path: '/dashboard',
    maxAgeSeconds: (session.exp - now.getTime()) / 1000,
  });
}

/** The request's session when its cookie is signed with the secret and has not expired. */
export function readSession(secret: string, req: IncomingMessage, now: Date): Session | undefined {
  const json = unsign(secret, SESSION_COOKIE, readCookies(req).get(SESSION_COOKIE));
  if (!json) return undefined;
  try {
    const s = JSON.parse(json) as Session;
    return typeof s.exp === 'number' && s.exp > now.getTime() && Array.isArray(s.workspaces) ? s : undefined;
  } catch {
    return undefined;
  }
}

export const csrfToken = (secret: string, session: Session) => mac(secret, `csrf.${session.sid}`);

export function validCsrf(secret: string, session: Session, token: string | undefined): boolean {
  return token !== undefined && sameText(token, csrfToken(secret, session));
}
