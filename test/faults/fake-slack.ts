/**
 * A loopback Slack Web API for fault tests: the methods the bot calls (auth.test, chat.postMessage,
 * chat.update, conversations.history, conversations.open, users.info, files) plus the response_url endpoint
 * replies go to. It keeps each channel's messages like Slack (with their `metadata`, so a lookup before a
 * re-post can find them), counts every successful post, and injects faults per method: 429 with
 * Retry-After, 5xx, hangs and slow responses.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export const FAKE_TEAM_ID = 'T1';
const FAKE_BOT_USER_ID = 'UBOT';

export type SlackFault =
  /** HTTP 429 with this Retry-After; Slack has not processed the call. */
  | { kind: 'rate-limited'; retryAfterSeconds: number }
  /** An HTTP 5xx; Slack has not processed the call. */
  | { kind: 'server-error'; status?: number }
  /**
   * No response until the fake closes. `lands: true` processes the call first (the post is in the channel,
   * the bot never learns its ts), as when a response is lost on the way back.
   */
  | { kind: 'hang'; lands?: boolean }
  /** Processed at once (the post is in the channel), answered after `ms`. */
  | { kind: 'slow'; ms: number };

export interface FaultRule {
  method: string;
  fault: SlackFault;
  /** Only calls whose parameters match (e.g. one channel). */
  when?: (params: Record<string, unknown>) => boolean;
  /** How many calls it hits; unlimited when unset. */
  times?: number;
  /** Hits calls arriving before this time (epoch ms) only. */
  until?: number;
  /** Hits calls for this long from the first one it hits: a run of failures lasting a while. */
  lastsMs?: number;
  /** When it first hit a call (epoch ms). */
  firstHitAt?: number;
  /** Calls it hit so far. */
  hits: number;
}

interface SlackCall {
  method: string;
  params: Record<string, unknown>;
  /** 'ok' when Slack processed it and answered; otherwise the fault that hit it. */
  outcome: 'ok' | SlackFault['kind'];
  at: number;
}

export interface SlackMessage {
  ts: string;
  channel: string;
  text: string;
  blocks: unknown[];
  /** Secondary attachments (a card's colour bar), as posted; an update without them keeps them, as on Slack. */
  attachments: unknown[];
  metadata?: { event_type: string; event_payload: Record<string, unknown> };
  bot_id: string;
  user: string;
  edits: number;
}

interface SlackReply {
  /** The last path segment of the response_url, naming who the test expects it for. */
  tag: string;
  body: Record<string, unknown>;
  at: number;
  /** Where the member saw it: the command's ack (its HTTP response) or a POST to its response_url. */
  via: 'ack' | 'response_url';
}

export interface FakeSlack {
  /** For SLACK_API_URL. */
  readonly apiUrl: string;
  /** A response_url whose replies are recorded under `tag`. */
  responseUrl(tag: string): string;
  /** Records the reply a command's ack carried, under the tag of its response_url, beside those POSTed there. */
  ackReply(tag: string, body: Record<string, unknown>): void;
  readonly calls: SlackCall[];
  readonly replies: SlackReply[];
  /** Messages in a channel, oldest first (edits applied). */
  messages(channel: string): SlackMessage[];
  /** chat.postMessage calls that put a message in the channel, whether or not the bot heard back. */
  postsIn(channel: string): SlackMessage[];
  /** Fails matching calls from now on; returns the rule, whose `hits` counts the calls it failed. */
  inject(
    method: string,
    fault: SlackFault,
    opts?: Pick<FaultRule, 'when' | 'times' | 'until' | 'lastsMs'>,
  ): FaultRule;
  clearFaults(): void;
  /** Calls that were injected a fault, all methods. */
  faultsInjected(): number;
  /** Resolves when `predicate` holds, checking on every call and reply; rejects after `timeoutMs`. */
  waitFor(what: string, predicate: () => boolean, timeoutMs: number): Promise<void>;
  close(): Promise<void>;
}

/** The Web API client sends form fields; blocks and metadata arrive JSON-encoded inside them. */
function parseParams(raw: string, contentType: string | undefined): Record<string, unknown> {
  if (!raw) return {};
  if (contentType?.startsWith('application/json')) return JSON.parse(raw) as Record<string, unknown>;
  const params: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    if ((key === 'blocks' || key === 'metadata' || key === 'attachments') && value.startsWith('['))
      params[key] = JSON.parse(value);
    else if ((key === 'metadata' || key === 'blocks') && value.startsWith('{'))
      params[key] = JSON.parse(value);
    else params[key] = value;
  }
  return params;
}

export async function startFakeSlack(): Promise<FakeSlack> {
  const calls: SlackCall[] = [];
  const replies: SlackReply[] = [];
  const channels = new Map<string, SlackMessage[]>();
  const posted = new Map<string, SlackMessage[]>();
  const rules: FaultRule[] = [];
  const hanging = new Set<http.ServerResponse>();
  const waiters = new Set<() => void>();
  let clock = 1_700_000_000_000;
  const nextTs = () => {
    clock = Math.max(clock + 1, Date.now() * 1000);
    return `${Math.floor(clock / 1_000_000)}.${String(clock % 1_000_000).padStart(6, '0')}`;
  };
  const wake = () => {
    for (const w of [...waiters]) w();
  };
  const listIn = (lists: Map<string, SlackMessage[]>, id: string) => {
    const list = lists.get(id) ?? [];
    lists.set(id, list);
    return list;
  };
  const channelOf = (id: string) => listIn(channels, id);

  /** Does what Slack would do for a call that is not failed; returns the JSON answer. */
  function process(method: string, p: Record<string, unknown>): Record<string, unknown> {
    switch (method) {
      case 'auth.test':
        return { ok: true, team_id: FAKE_TEAM_ID, user_id: FAKE_BOT_USER_ID, bot_id: 'B1', team: 'Acme' };
      case 'chat.postMessage': {
        const channel = String(p.channel ?? '');
        const message: SlackMessage = {
          ts: nextTs(),
          channel,
          text: String(p.text ?? ''),
          blocks: (p.blocks as unknown[]) ?? [],
          attachments: (p.attachments as unknown[]) ?? [],
          ...(p.metadata ? { metadata: p.metadata as SlackMessage['metadata'] } : {}),
          bot_id: 'B1',
          user: FAKE_BOT_USER_ID,
          edits: 0,
        };
        channelOf(channel).push(message);
        listIn(posted, channel).push(message);
        return { ok: true, channel, ts: message.ts, message };
      }
      case 'chat.update': {
        const message = channelOf(String(p.channel)).find((m) => m.ts === p.ts);
        if (!message) return { ok: false, error: 'message_not_found' };
        message.text = String(p.text ?? message.text);
        if (p.blocks) message.blocks = p.blocks as unknown[];
        if (p.attachments) message.attachments = p.attachments as unknown[];
        message.edits++;
        return { ok: true, channel: p.channel, ts: p.ts };
      }
      case 'conversations.history': {
        const oldest = Number(p.oldest ?? 0);
        const latest = p.latest === undefined ? Number.POSITIVE_INFINITY : Number(p.latest);
        const limit = Number(p.limit ?? 100);
        const includeMetadata = p.include_all_metadata === true || p.include_all_metadata === 'true';
        const found = channelOf(String(p.channel))
          .filter((m) => Number(m.ts) > oldest && Number(m.ts) < latest)
          .reverse()
          .slice(0, limit)
          .map(({ edits: _edits, channel: _channel, metadata, ...m }) => ({
            type: 'message',
            ...m,
            ...(includeMetadata && metadata ? { metadata } : {}),
          }));
        return { ok: true, messages: found, has_more: false };
      }
      case 'conversations.open':
        return { ok: true, channel: { id: `D${String(p.users ?? 'X')}` } };
      case 'users.info':
        return {
          ok: true,
          user: {
            id: p.user,
            name: String(p.user).toLowerCase(),
            is_admin: false,
            is_owner: false,
            profile: { display_name: String(p.user).toLowerCase(), real_name: String(p.user) },
          },
        };
      default:
        return { ok: true };
    }
  }

  const server = http.createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => {
      raw += c;
    });
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (url.pathname.startsWith('/respond/')) {
        replies.push({
          tag: url.pathname.slice('/respond/'.length),
          body: raw ? (JSON.parse(raw) as Record<string, unknown>) : {},
          at: Date.now(),
          via: 'response_url',
        });
        res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
        wake();
        return;
      }
      const method = url.pathname.replace(/^\/api\//, '');
      const params = {
        ...Object.fromEntries(url.searchParams),
        ...parseParams(raw, req.headers['content-type']),
      };
      const rule = rules.find(
        (r) =>
          r.method === method &&
          (r.times === undefined || r.hits < r.times) &&
          (r.until === undefined || Date.now() < r.until) &&
          (!r.when || r.when(params)),
      );
      const answer = (body: Record<string, unknown>) => {
        if (res.destroyed) return;
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      };
      if (rule) {
        rule.hits++;
        if (rule.firstHitAt === undefined) {
          rule.firstHitAt = Date.now();
          if (rule.lastsMs !== undefined) rule.until = rule.firstHitAt + rule.lastsMs;
        }
      }
      const fault = rule?.fault;
      calls.push({ method, params, outcome: fault ? fault.kind : 'ok', at: Date.now() });
      if (!fault) answer(process(method, params));
      else if (fault.kind === 'rate-limited') {
        res
          .writeHead(429, {
            'retry-after': String(fault.retryAfterSeconds),
            'content-type': 'application/json',
          })
          .end(JSON.stringify({ ok: false, error: 'ratelimited' }));
      } else if (fault.kind === 'server-error') {
        res.writeHead(fault.status ?? 500, { 'content-type': 'text/plain' }).end('internal error');
      } else if (fault.kind === 'hang') {
        if (fault.lands) process(method, params);
        hanging.add(res);
        res.on('close', () => hanging.delete(res));
      } else {
        const body = process(method, params);
        hanging.add(res);
        res.on('close', () => hanging.delete(res));
        setTimeout(() => {
          hanging.delete(res);
          answer(body);
        }, fault.ms).unref();
      }
      wake();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    apiUrl: `${base}/api/`,
    responseUrl: (tag) => `${base}/respond/${tag}`,
    ackReply(tag, body) {
      replies.push({ tag, body, at: Date.now(), via: 'ack' });
      wake();
    },
    calls,
    replies,
    messages: (channel) => [...(channels.get(channel) ?? [])],
    postsIn: (channel) => [...(posted.get(channel) ?? [])],
    inject(method, fault, opts = {}) {
      const rule: FaultRule = { method, fault, hits: 0, ...opts };
      rules.unshift(rule);
      return rule;
    },
    clearFaults() {
      rules.length = 0;
    },
    faultsInjected: () => calls.filter((c) => c.outcome !== 'ok').length,
    async waitFor(what, predicate, timeoutMs) {
      if (predicate()) return;
      await new Promise<void>((resolve, reject) => {
        const check = () => {
          if (!predicate()) return;
          cleanup();
          resolve();
        };
        // Also poll: some predicates read state that changes without a call (the clock, the database).
        const poll = setInterval(check, 50);
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
        }, timeoutMs);
        const cleanup = () => {
          clearInterval(poll);
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
      });
    },
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
