/**
 * The two providers' sign-in: Sign in with Slack (OpenID Connect: authorize, `openid.connect.token`,
 * `openid.connect.userInfo`) and Discord (OAuth2 authorization code with PKCE, scopes `identify guilds`, the
 * member's permissions per server from /users/@me/guilds). Base URLs come from the configuration, so tests
 * point them at loopback fakes. Tokens are used once here and never stored or logged.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { DashboardConfig } from '../config/dashboard.ts';
import { UserFacingError } from '../core/errors.ts';
import type { SessionWorkspace } from './session.ts';

export type ProviderName = 'slack' | 'discord';
type Provider = NonNullable<DashboardConfig['slack']>;

export interface Identity {
  platform: ProviderName;
  userId: string;
  name: string;
  workspaces: SessionWorkspace[];
}

/** Discord permission bits (https://discord.com/developers/docs/topics/permissions). */
const ADMINISTRATOR = 1n << 3n;
const MANAGE_GUILD = 1n << 5n;
/** At most this many servers ride in the session cookie. */
const MAX_WORKSPACES = 40;

export function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

const callbackUrl = (config: DashboardConfig, provider: ProviderName) =>
  `${config.publicUrl}/dashboard/auth/${provider}/callback`;

export function authorizeUrl(
  config: DashboardConfig,
  provider: ProviderName,
  state: string,
  challenge: string,
): string {
  const p = config[provider]!;
  const params = new URLSearchParams({
    response_type: 'code',
    client_id: p.clientId,
    redirect_uri: callbackUrl(config, provider),
    state,
  });
  if (provider === 'slack') {
    params.set('scope', 'openid profile');
    return `${p.baseUrl}/openid/connect/authorize?${params}`;
  }
  params.set('scope', 'identify guilds');
  params.set('code_challenge', challenge);
  params.set('code_challenge_method', 'S256');
  return `${p.baseUrl}/oauth2/authorize?${params}`;
}

const refused = (why: string) => new UserFacingError('FORBIDDEN', `Sign-in failed: ${why}. Try again.`);

async function json(res: Response, what: string): Promise<Record<string, unknown>> {
  if (!res.ok) throw refused(`${what} answered ${res.status}`);
  const body = (await res.json()) as Record<string, unknown>;
  if (body.ok === false) throw refused(`${what} said ${String(body.error ?? 'no')}`);
  return body;
}

const form = (fields: Record<string, string>) => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(fields).toString(),
});

const str = (v: unknown) => (typeof v === 'string' && v.length > 0 ? v : undefined);

export async function slackIdentity(config: DashboardConfig, code: string): Promise<Identity> {
  const p: Provider = config.slack!;
  const token = await json(
    await fetch(
      `${p.baseUrl}/api/openid.connect.token`,
      form({
        grant_type: 'authorization_code',
        code,
        client_id: p.clientId,
        client_secret: p.clientSecret,
        redirect_uri: callbackUrl(config, 'slack'),
      }),
    ),
    'Slack',
  );
  const accessToken = str(token.access_token);
  if (!accessToken) throw refused('Slack gave no access token');
  const info = await json(
    await fetch(`${p.baseUrl}/api/openid.connect.userInfo`, {
      method: 'POST',
      headers: { authorization: `Bearer ${accessToken}` },
    }),
    'Slack',
  );
  const userId = str(info['https://slack.com/user_id']);
  const teamId = str(info['https://slack.com/team_id']);
  if (!userId || !teamId) throw refused('Slack did not say who you are');
  const teamName = str(info['https://slack.com/team_name']) ?? teamId;
  // Slack says nothing of roles here: whether this person is an owner or admin is asked of the workspace
  // (the bot's own lookup) on each request, as the chat commands do.
  return {
    platform: 'slack',
    userId,
    name: str(info.name) ?? str(info.given_name) ?? userId,
    workspaces: [{ id: teamId, name: teamName, admin: false }],
  };
}

interface DiscordGuild {
  id: string;
  name: string;
  owner?: boolean;
  permissions?: string;
}

function guildAdmin(g: DiscordGuild): boolean {
  let bits = 0n;
  try {
    bits = BigInt(g.permissions ?? '0');
  } catch {
    bits = 0n;
  }
  return g.owner === true || (bits & ADMINISTRATOR) !== 0n || (bits & MANAGE_GUILD) !== 0n;
}

export async function discordIdentity(
  config: DashboardConfig,
  code: string,
  verifier: string,
  /** Which of these servers the bot is in: only those are kept. */
  known: (ids: string[]) => Promise<Set<string>>,
): Promise<Identity> {
  const p: Provider = config.discord!;
  const token = await json(
    await fetch(
      `${p.baseUrl}/api/oauth2/token`,
      form({
        grant_type: 'authorization_code',
        code,
        code_verifier: verifier,
        client_id: p.clientId,
        client_secret: p.clientSecret,
        redirect_uri: callbackUrl(config, 'discord'),
      }),
    ),
    'Discord',
  );
  const accessToken = str(token.access_token);
  if (!accessToken) throw refused('Discord gave no access token');
  const auth = { headers: { authorization: `Bearer ${accessToken}` } };
  const me = await json(await fetch(`${p.baseUrl}/api/users/@me`, auth), 'Discord');
  const guilds = (await (await fetch(`${p.baseUrl}/api/users/@me/guilds`, auth)).json()) as unknown;
  const userId = str(me.id);
  if (!userId || !Array.isArray(guilds)) throw refused('Discord did not say who you are');
  const list = (guilds as DiscordGuild[]).filter((g) => typeof g?.id === 'string');
  const ours = await known(list.map((g) => g.id));
  return {
    platform: 'discord',
    userId,
    name: str(me.global_name) ?? str(me.username) ?? userId,
    workspaces: list
      .filter((g) => ours.has(g.id))
      .slice(0, MAX_WORKSPACES)
      .map((g) => ({ id: g.id, name: String(g.name ?? g.id), admin: guildAdmin(g) })),
  };
}
