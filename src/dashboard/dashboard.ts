/**
 * The web dashboard for managers, mounted on the process's HTTP server under /dashboard: sign-in, then each
 * workspace's overview, cohorts and reported questions. Every request is checked: a signed session, the
 * manager rule for the workspace in the URL, and on every POST the CSRF token and the origin.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { UserFacingError } from '../core/errors.ts';
import { managedWorkspaces, managerIn } from './access.ts';
import { authRoute, createLoginLink, type DashboardDeps, refuse } from './auth-routes.ts';
import { decoded, NO_REFERRER, redirect, securityHeaders, sendHtml } from './html.ts';
import { endSession, sessionEnded } from './logins.repository.ts';
import { signInPage, workspacesPage } from './pages.ts';
import { clearCookie, csrfToken, readSession, SESSION_COOKIE, type Session, validCsrf } from './session.ts';
import { STYLESHEET } from './style.ts';
import { workspaceRoute } from './workspace-routes.ts';

export type { DashboardDeps } from './auth-routes.ts';

const MAX_FORM_BYTES = 16 * 1024;

async function readForm(req: IncomingMessage): Promise<URLSearchParams | undefined> {
  const type = req.headers['content-type'] ?? '';
  if (!type.startsWith('application/x-www-form-urlencoded')) return undefined;
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_FORM_BYTES) return undefined;
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

/**
 * A browser's POST names its origin; one from another site is refused whatever it carries. A browser that
 * sends no Origin still says where the request came from in Sec-Fetch-Site, which must then be this origin.
 */
function sameOrigin(req: IncomingMessage, publicUrl: string): boolean {
  const origin = req.headers.origin;
  if (origin !== undefined) return origin === new URL(publicUrl).origin;
  const site = req.headers['sec-fetch-site'];
  return site === undefined || site === 'same-origin';
}

function sendStylesheet(res: ServerResponse): void {
  res.writeHead(200, {
    ...securityHeaders({ 'cache-control': 'public, max-age=3600' }),
    'content-type': 'text/css; charset=utf-8',
  });
  res.end(STYLESHEET);
}

async function signedInRoute(
  deps: DashboardDeps,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  session: Session,
) {
  const secret = deps.config.sessionSecret;
  let form: URLSearchParams | undefined;
  if (req.method === 'POST') {
    form = await readForm(req);
    if (
      !form ||
      !sameOrigin(req, deps.config.publicUrl) ||
      !validCsrf(secret, session, form.get('csrf') ?? undefined)
    )
      return refuse(
        res,
        403,
        'This form is missing its security token or came from another site. Reload the page and try again.',
      );
  } else if (req.method !== 'GET' && req.method !== 'HEAD')
    return refuse(res, 405, 'That method is not allowed here.');
  const who = { name: session.name, csrf: csrfToken(secret, session) };
  const path = url.pathname.replace(/\/$/, '');
  if (path === '/dashboard' && !form)
    return sendHtml(res, 200, workspacesPage(await managedWorkspaces(deps.study, deps.roles, session), who));
  if (path === '/dashboard/signout' && form) {
    await endSession(deps.study.db, session.sid, session.exp, deps.study.clock.now());
    return redirect(res, '/dashboard/signin', { 'set-cookie': clearCookie(SESSION_COOKIE, '/dashboard') });
  }
  const m = /^\/dashboard\/w\/([^/]+)(\/.*)?$/.exec(path);
  if (!m) return refuse(res, 404, 'There is no such page.');
  const workspaceId = decoded(m[1]!);
  if (!workspaceId) return refuse(res, 404, 'There is no such page.');
  const managed = await managerIn(deps.study, deps.roles, session, workspaceId);
  if (!managed) return refuse(res, 403, 'You are not a manager of this workspace.');
  return workspaceRoute(deps, { res, url, form, who, managed, rest: m[2] ?? '' });
}

async function route(deps: DashboardDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://dashboard.invalid');
  const path = url.pathname;
  if (path !== '/dashboard' && !path.startsWith('/dashboard/'))
    return refuse(res, 404, 'There is no such page.');
  if (path === '/dashboard/assets/dashboard.css') return sendStylesheet(res);
  if (path.startsWith('/dashboard/auth/')) return authRoute(deps, req, url, res);
  if (path === '/dashboard/signin') return sendHtml(res, 200, signInPage(deps.config), NO_REFERRER);
  const signed = readSession(deps.config.sessionSecret, req, deps.study.clock.now());
  const session = signed && !(await sessionEnded(deps.study.db, signed.sid)) ? signed : undefined;
  if (!session) {
    if (req.method === 'GET' || req.method === 'HEAD') return redirect(res, '/dashboard/signin');
    return refuse(res, 403, 'Sign in first.');
  }
  return signedInRoute(deps, req, res, url, session);
}

export interface Dashboard {
  prefix: string;
  listener(req: IncomingMessage, res: ServerResponse): void;
  /** A one-time link signing the terminal's owner in (the terminal prints it). */
  loginLink(who: { platform: 'console'; workspaceId: string; userId: string }): Promise<string>;
}

export function createDashboard(deps: DashboardDeps): Dashboard {
  return {
    prefix: '/dashboard',
    listener(req, res) {
      route(deps, req, res).catch((err: unknown) => {
        if (err instanceof UserFacingError) return refuse(res, 409, err.message);
        deps.log.error({ err, path: req.url?.split('?')[0], method: req.method }, 'dashboard request failed');
        if (!res.headersSent) refuse(res, 500, 'Something went wrong on our side. Try again in a moment.');
        else res.destroy();
      });
    },
    loginLink: (who) => createLoginLink(deps, who),
  };
}
