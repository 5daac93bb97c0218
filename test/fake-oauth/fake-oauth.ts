/**
 * A loopback fake of the two sign-in providers, for the dashboard's tests: Slack's OpenID Connect
 * (`/openid/connect/authorize`, `/api/openid.connect.token`, `/api/openid.connect.userInfo`) and Discord's
 * OAuth2 with PKCE (`/oauth2/authorize`, `/api/oauth2/token`, `/api/users/@me`, `/api/users/@me/guilds`).
 * The authorize pages consent at once for whoever `signInAs` named, and redirect back with a code. Codes work
 * once, the client secret and redirect URI must match, and Discord's token checks the PKCE verifier.
 */
import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export const FAKE_CLIENT = { id: '123456789012345678', secret: 'fake-client-secret' };

interface SlackPerson {
  teamId: string;
  teamName: string;
  userId: string;
  name: string;
}
interface DiscordPerson {
  userId: string;
  name: string;
  guilds: { id: string; name: string; permissions: string; owner?: boolean }[];
}

interface Grant {
  provider: 'slack' | 'discord';
  redirectUri: string;
  challenge: string | undefined;
  person: SlackPerson | DiscordPerson;
}

export interface FakeOAuth {
  url: string;
  signInAs(person: { slack?: SlackPerson; discord?: DiscordPerson }): void;
  /** Requests the fake refused (a wrong secret, redirect URI, verifier or a reused code). */
  refused: string[];
  close(): Promise<void>;
}

async function body(req: http.IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const c of req as AsyncIterable<Buffer>) chunks.push(c);
  return new URLSearchParams(Buffer.concat(chunks).toString());
}

function send(res: http.ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(value));
}

export async function startFakeOAuth(): Promise<FakeOAuth> {
  const people: { slack?: SlackPerson; discord?: DiscordPerson } = {};
  const codes = new Map<string, Grant>();
  const tokens = new Map<string, Grant>();
  const refused: string[] = [];

  function authorize(provider: 'slack' | 'discord', url: URL, res: http.ServerResponse) {
    const person = people[provider];
    const redirectUri = url.searchParams.get('redirect_uri') ?? '';
    if (!person || url.searchParams.get('client_id') !== FAKE_CLIENT.id)
      return send(res, 400, { error: 'invalid' });
    const code = randomBytes(12).toString('hex');
    codes.set(code, {
      provider,
      redirectUri,
      challenge: url.searchParams.get('code_challenge') ?? undefined,
      person,
    });
    const back = new URL(redirectUri);
    back.searchParams.set('code', code);
    back.searchParams.set('state', url.searchParams.get('state') ?? '');
    res.writeHead(302, { location: back.toString() });
    res.end();
  }

  async function token(provider: 'slack' | 'discord', req: http.IncomingMessage, res: http.ServerResponse) {
    const form = await body(req);
    const grant = codes.get(form.get('code') ?? '');
    codes.delete(form.get('code') ?? '');
    const verifier = form.get('code_verifier') ?? '';
    const pkceOk =
      provider === 'slack' || createHash('sha256').update(verifier).digest('base64url') === grant?.challenge;
    if (
      !grant ||
      grant.provider !== provider ||
      form.get('client_secret') !== FAKE_CLIENT.secret ||
      form.get('redirect_uri') !== grant.redirectUri ||
      !pkceOk
    ) {
      refused.push(`${provider} token`);
      return send(res, provider === 'slack' ? 200 : 400, { ok: false, error: 'invalid_grant' });
    }
    const access = randomBytes(12).toString('hex');
    tokens.set(access, grant);
    send(res, 200, { ok: true, access_token: access, token_type: 'Bearer' });
  }

  function bearer(req: http.IncomingMessage): Grant | undefined {
    return tokens.get((req.headers.authorization ?? '').replace(/^Bearer /, ''));
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://fake');
    const path = url.pathname;
    if (path === '/openid/connect/authorize') return authorize('slack', url, res);
    if (path === '/oauth2/authorize') return authorize('discord', url, res);
    if (path === '/api/openid.connect.token') return token('slack', req, res);
    if (path === '/api/oauth2/token') return token('discord', req, res);
    const grant = bearer(req);
    if (!grant) return send(res, 401, { ok: false, error: 'invalid_auth' });
    if (path === '/api/openid.connect.userInfo') {
      const p = grant.person as SlackPerson;
      return send(res, 200, {
        ok: true,
        sub: p.userId,
        name: p.name,
        'https://slack.com/user_id': p.userId,
        'https://slack.com/team_id': p.teamId,
        'https://slack.com/team_name': p.teamName,
      });
    }
    const p = grant.person as DiscordPerson;
    if (path === '/api/users/@me')
      return send(res, 200, { id: p.userId, username: p.name, global_name: p.name });
    if (path === '/api/users/@me/guilds') return send(res, 200, p.guilds);
    send(res, 404, { error: 'not found' });
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch(() => send(res, 500, { error: 'fake failed' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    signInAs(person) {
      Object.assign(people, person);
    },
    refused,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
