/** Signed Slack requests and a loopback server for the adapter's HTTP mount, shared by the Slack tests. */
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HttpMount } from '../../../src/adapters/adapter.ts';

export const SIGNING_SECRET = 'test-signing-secret-0123456789';

function sign(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

/** Serves a mount on an ephemeral loopback port, as the shared server would under its prefix. */
export async function serveMount(mount: HttpMount): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    if (req.url?.startsWith(mount.prefix)) mount.listener(req, res);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface SignedPost {
  body: string;
  timestamp: number;
  secret?: string;
  contentType?: string;
  headers?: Record<string, string>;
  /** Signs this body but sends `body`, to prove a changed byte is refused. */
  signedBody?: string;
}

export async function postSigned(url: string, p: SignedPost): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: {
      'content-type': p.contentType ?? 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': String(p.timestamp),
      'x-slack-signature': sign(p.secret ?? SIGNING_SECRET, p.timestamp, p.signedBody ?? p.body),
      ...p.headers,
    },
    body: p.body,
  });
}

/**
 * A command's reply, wherever it went: the ack's body when the reply was ready within the adapter's budget,
 * otherwise what the adapter POSTs to the command's response_url (`viaUrl`). Either way it is the one reply;
 * `unused` is called when the ack carried it, to drop the response_url's interceptor that must not be used.
 */
export async function commandReply<T>(ack: Response, viaUrl: Promise<T>, unused?: () => void): Promise<T> {
  const body = await ack.text();
  if (!body) return viaUrl;
  unused?.();
  return JSON.parse(body) as T;
}

export function commandBody(fields: {
  text: string;
  team?: string;
  channel?: string;
  user?: string;
  userName?: string;
  responseUrl: string;
}): string {
  return new URLSearchParams({
    token: 'legacy-verification-token',
    team_id: fields.team ?? 'T1',
    team_domain: 'acme',
    channel_id: fields.channel ?? 'C1',
    channel_name: 'backend-study',
    user_id: fields.user ?? 'UANA',
    user_name: fields.userName ?? 'ana',
    command: '/roadmap',
    text: fields.text,
    response_url: fields.responseUrl,
    trigger_id: '1.2.3',
    api_app_id: 'A1',
  }).toString();
}

export function clickBody(fields: {
  actionId: string;
  value: string;
  actionTs: string;
  team?: string;
  channel?: string;
  user?: string;
  responseUrl: string;
  messageTs?: string;
}): string {
  const payload = {
    type: 'block_actions',
    team: { id: fields.team ?? 'T1', domain: 'acme' },
    user: { id: fields.user ?? 'UANA', username: 'ana', name: 'ana', team_id: fields.team ?? 'T1' },
    api_app_id: 'A1',
    token: 'legacy-verification-token',
    container: {
      type: 'message',
      message_ts: fields.messageTs ?? '1700000000.000100',
      channel_id: fields.channel ?? 'C1',
      is_ephemeral: false,
    },
    trigger_id: '1.2.3',
    channel: { id: fields.channel ?? 'C1', name: 'backend-study' },
    response_url: fields.responseUrl,
    actions: [
      {
        type: 'button',
        block_id: 'actions0',
        action_id: fields.actionId,
        value: fields.value,
        text: { type: 'plain_text', text: 'A' },
        action_ts: fields.actionTs,
      },
    ],
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}
