/**
 * Signing in and out: starting a provider's sign-in (a single-use `state` bound to this browser by a signed
 * cookie, with a PKCE verifier kept server-side), finishing it on the callback, and the terminal's one-time
 * login link. A state or link is taken (deleted) when used, so a replay finds nothing.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DashboardConfig } from '../config/dashboard.ts';
import type { Log } from '../core/log.ts';
import type { WorkspaceRef } from '../core/types.ts';
import type { StudyDeps } from '../db/deps.ts';
import { knownWorkspaceIds } from '../members/members.repository.ts';
import type { PlatformRoles } from './access.ts';
import { h, layout, NO_REFERRER, redirect, sendHtml } from './html.ts';
import { pendingSignIns, putLogin, takeLogin } from './logins.repository.ts';
import {
  clearCookie,
  cookie,
  newId,
  readCookies,
  type Session,
  STATE_COOKIE,
  sessionCookie,
  sign,
  unsign,
} from './session.ts';
import {
  authorizeUrl,
  discordIdentity,
  type Identity,
  type ProviderName,
  pkce,
  slackIdentity,
} from './sign-in.ts';

export interface DashboardDeps {
  study: StudyDeps;
  config: DashboardConfig;
  /** The platforms' own answer to "is this person an admin there now", where the process can ask. */
  roles?: PlatformRoles;
  log: Log;
  /** A drill resumed: the scheduler looks again at once (as `schedule resume` does). */
  onScheduleDue?: () => void;
  /** The terminal's dashboard (on 127.0.0.1 only) signs in by one-time link; a public one never does. */
  loginLinks?: boolean;
  /** Sign-ins in progress at once (default 10,000): anyone may start one, and each is a row for 10 minutes. */
  maxPendingSignIns?: number;
}

const STATE_MS = 10 * 60_000;
const LINK_MS = 15 * 60_000;
const MAX_PENDING = 10_000;
const AUTH_PATH = '/dashboard/auth';

const TITLES: Record<number, string> = {
  404: 'Not found',
  409: 'Could not do that',
  500: 'Something went wrong',
  503: 'Busy',
};

export function refuse(
  res: ServerResponse,
  status: number,
  message: string,
  headers: Record<string, string> = {},
): void {
  sendHtml(
    res,
    status,
    layout({
      title: TITLES[status] ?? 'Not allowed',
      body: h`<p class="notice error" role="alert">${message}</p><p><a href="/dashboard">Back to the dashboard</a></p>`,
    }),
    headers,
  );
}

async function startSignIn(deps: DashboardDeps, provider: ProviderName, res: ServerResponse): Promise<void> {
  if (!deps.config[provider])
    return refuse(res, 404, `Sign-in with ${provider} is not set up here.`, NO_REFERRER);
  const now = deps.study.clock.now();
  if ((await pendingSignIns(deps.study.db, now)) >= (deps.maxPendingSignIns ?? MAX_PENDING))
    return refuse(res, 503, 'Too many sign-ins are under way. Try again in a few minutes.', NO_REFERRER);
  const state = newId();
  const { verifier, challenge } = pkce();
  await putLogin(
    deps.study.db,
    state,
    { kind: provider, verifier, expiresAt: new Date(now.getTime() + STATE_MS) },
    now,
  );
  redirect(res, authorizeUrl(deps.config, provider, state, challenge), {
    ...NO_REFERRER,
    'set-cookie': cookie(STATE_COOKIE, sign(deps.config.sessionSecret, STATE_COOKIE, state), {
      path: AUTH_PATH,
      maxAgeSeconds: STATE_MS / 1000,
    }),
  });
}

function signedIn(deps: DashboardDeps, res: ServerResponse, who: Omit<Session, 'sid' | 'exp'>): void {
  const now = deps.study.clock.now();
  const session: Session = { sid: newId(), ...who, exp: now.getTime() + deps.config.sessionMs };
  deps.study.log.info({ platform: who.platform, userId: who.userId }, 'dashboard sign-in');
  redirect(res, '/dashboard', {
    ...NO_REFERRER,
    'set-cookie': [
      sessionCookie(deps.config.sessionSecret, session, now),
      clearCookie(STATE_COOKIE, AUTH_PATH),
    ],
  });
}

async function finishSignIn(
  deps: DashboardDeps,
  provider: ProviderName,
  req: IncomingMessage,
  url: URL,
  res: ServerResponse,
): Promise<void> {
  if (!deps.config[provider])
    return refuse(res, 404, `Sign-in with ${provider} is not set up here.`, NO_REFERRER);
  const state = url.searchParams.get('state');
  const code = url.searchParams.get('code');
  const bound = unsign(deps.config.sessionSecret, STATE_COOKIE, readCookies(req).get(STATE_COOKIE));
  if (url.searchParams.has('error')) {
    // The person said no at the provider (or it refused): the state is spent all the same, by its own
    // browser only (another cannot cancel a sign-in whose state it saw). The provider's text is not shown.
    if (state && bound === state) await takeLogin(deps.study.db, state, provider, deps.study.clock.now());
    return refuse(res, 403, 'Sign-in was cancelled. Sign in again when you are ready.', NO_REFERRER);
  }
  if (!state || !code || bound !== state)
    return refuse(
      res,
      403,
      'This sign-in did not start in this browser, or it expired. Sign in again.',
      NO_REFERRER,
    );
  const row = await takeLogin(deps.study.db, state, provider, deps.study.clock.now());
  if (!row)
    return refuse(res, 403, 'This sign-in was already used or has expired. Sign in again.', NO_REFERRER);
  let identity: Identity;
  try {
    identity =
      provider === 'slack'
        ? await slackIdentity(deps.config, code)
        : await discordIdentity(deps.config, code, row.verifier ?? '', (ids) =>
            knownWorkspaceIds(deps.study.db, 'discord', ids),
          );
  } catch (err) {
    deps.log.warn({ err, provider }, 'dashboard sign-in failed');
    return refuse(
      res,
      403,
      `Sign-in with ${provider === 'slack' ? 'Slack' : 'Discord'} failed. Try again.`,
      NO_REFERRER,
    );
  }
  signedIn(deps, res, identity);
}

async function linkSignIn(deps: DashboardDeps, url: URL, res: ServerResponse): Promise<void> {
  if (!deps.loginLinks) return refuse(res, 404, 'There is no such page.', NO_REFERRER);
  const token = url.searchParams.get('token');
  const row = token ? await takeLogin(deps.study.db, token, 'link', deps.study.clock.now()) : undefined;
  if (!row?.workspace_id || !row.user_id)
    return refuse(
      res,
      403,
      'This login link was already used or has expired. Ask the terminal for a new one.',
      NO_REFERRER,
    );
  signedIn(deps, res, {
    platform: 'console',
    userId: row.user_id,
    name: row.user_id,
    // Whether this member is the terminal's owner (its admin) is asked on each request, as for the others.
    workspaces: [{ id: row.workspace_id, name: 'Terminal chat', admin: false }],
  });
}

/** A one-time link that signs the terminal's owner in (15 minutes, once). */
export async function createLoginLink(
  deps: DashboardDeps,
  who: WorkspaceRef & { userId: string },
): Promise<string> {
  if (!deps.loginLinks) throw new Error('login links are for the terminal dashboard only');
  const now = deps.study.clock.now();
  const token = newId();
  await putLogin(
    deps.study.db,
    token,
    {
      kind: 'link',
      workspaceId: who.workspaceId,
      userId: who.userId,
      expiresAt: new Date(now.getTime() + LINK_MS),
    },
    now,
  );
  return `${deps.config.publicUrl}${AUTH_PATH}/link?token=${token}`;
}

/** GET /dashboard/auth/{slack,discord}[/callback] and /dashboard/auth/link. */
export async function authRoute(deps: DashboardDeps, req: IncomingMessage, url: URL, res: ServerResponse) {
  const m = /^\/dashboard\/auth\/(slack|discord|link)(\/callback)?$/.exec(url.pathname);
  if (!m || req.method !== 'GET') return refuse(res, 404, 'There is no such page.', NO_REFERRER);
  if (m[1] === 'link')
    return m[2] ? refuse(res, 404, 'There is no such page.', NO_REFERRER) : linkSignIn(deps, url, res);
  const provider = m[1] as ProviderName;
  return m[2] ? finishSignIn(deps, provider, req, url, res) : startSignIn(deps, provider, res);
}
