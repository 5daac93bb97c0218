/**
 * A loopback fake Discord for tests: the REST routes the bot uses and a gateway WebSocket, so the real
 * discord.js client runs end to end (nock cannot see @discordjs/rest, which calls undici directly).
 * It records what the bot sent, answers 429s and 5xx on demand, and dedupes `enforce_nonce` posts like Discord.
 * With `useEndpoint`, interactions are POSTed to the bot's Interactions Endpoint instead, signed with
 * Ed25519 like Discord, and the HTTP response counts as the interaction's first answer.
 */
import { generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { EventEmitter, once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';

export const FAKE_APP_ID = '111111111111111111';
export const FAKE_GUILD_ID = '222222222222222222';
export const FAKE_CHANNEL_ID = '333333333333333333';
export const FAKE_MANAGER_ROLE_ID = '444444444444444444';
export const FAKE_MANAGER_ROLE_NAME = 'Study Lead';
/** A role granting Manage Server (not the manager role by name). */
export const FAKE_MOD_ROLE_ID = '555555555555555555';
/** The test server's owner (`GET /guilds/:id`'s owner_id). */
export const FAKE_OWNER_ID = '999999999999999999';
/** A bot token whose first segment is the application id in base64, like Discord's. */
export const FAKE_TOKEN = `${Buffer.from(FAKE_APP_ID).toString('base64')}.fake.token-for-tests`;

/** Permission bits (discord-api-types PermissionFlagsBits) used to build members. */
export const PERMISSIONS = {
  /** View Channel | Send Messages | Read Message History | Use Application Commands */
  member: String((1n << 10n) | (1n << 11n) | (1n << 16n) | (1n << 31n)),
  /** … plus Manage Guild */
  manageGuild: String((1n << 10n) | (1n << 11n) | (1n << 16n) | (1n << 31n) | (1n << 5n)),
};

export interface RecordedRequest {
  method: string;
  /** Path after /api/v10, without the query. */
  path: string;
  query: URLSearchParams;
  body: unknown;
  files: { name: string; filename: string; content: string }[];
  authorized: boolean;
  /** The bot's HTTP response to an interaction POSTed to its endpoint (not a REST call). */
  viaEndpoint?: true;
}

/** An Ed25519 key pair like an application's: the public key as the Developer Portal shows it (hex). */
export function applicationKeys(): { publicKeyHex: string; privateKey: KeyObject } {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const jwk = publicKey.export({ format: 'jwk' });
  return { publicKeyHex: Buffer.from(String(jwk.x), 'base64url').toString('hex'), privateKey };
}

/** Discord's signature headers over timestamp + body. */
export function signedHeaders(
  body: string,
  privateKey: KeyObject,
  timestamp = Math.floor(Date.now() / 1000),
) {
  const signature = sign(null, Buffer.from(`${timestamp}${body}`, 'utf8'), privateKey).toString('hex');
  return {
    'content-type': 'application/json',
    'x-signature-ed25519': signature,
    'x-signature-timestamp': String(timestamp),
  };
}

export interface FakeMessage {
  id: string;
  channel_id: string;
  content: string;
  embeds: unknown[];
  components: unknown[];
  attachments: { id: string; filename: string; content: string }[];
  nonce?: string | number;
  flags?: number;
  edits: number;
}

export interface FakeMember {
  id: string;
  name: string;
  permissions?: string;
  roles?: string[];
}

interface Failure {
  method: string;
  path: RegExp;
  status: number;
  body: Record<string, unknown>;
  headers?: Record<string, string>;
  /** Perform the request, then answer with the failure: a response lost after Discord acted on it. */
  afterCommit?: boolean;
  remaining: number;
}

interface InteractionState {
  id: string;
  token: string;
  acknowledged: boolean;
  callbacks: { type: number; data?: Record<string, unknown> }[];
  original?: FakeMessage;
  followUps: FakeMessage[];
  deleted: boolean;
}

/** A channel permission overwrite as Discord sends it (type 0 a role, 1 a member; bits as strings). */
interface FakeOverwrite {
  id: string;
  type: 0 | 1;
  allow: string;
  deny: string;
}

/** A server the bot is in: the test server, or one that adds the bot later (`joinGuild`, `installGuild`). */
interface GuildShape {
  id: string;
  systemChannelId: string | null;
  channels: { id: string; name: string; position: number; type?: number; overwrites?: FakeOverwrite[] }[];
  /** The bot's own member, so discord.js can work out where it may post. */
  botMember: boolean;
}

const TEST_GUILD: GuildShape = {
  id: FAKE_GUILD_ID,
  systemChannelId: null,
  channels: [{ id: FAKE_CHANNEL_ID, name: 'backend-study', position: 0 }],
  botMember: false,
};

const guildPayload = (g: GuildShape = TEST_GUILD) => ({
  id: g.id,
  name: 'Backend Study',
  icon: null,
  splash: null,
  discovery_splash: null,
  owner_id: FAKE_OWNER_ID,
  afk_channel_id: null,
  afk_timeout: 300,
  verification_level: 0,
  default_message_notifications: 0,
  explicit_content_filter: 0,
  mfa_level: 0,
  nsfw_level: 0,
  premium_tier: 0,
  system_channel_id: g.systemChannelId,
  system_channel_flags: 0,
  rules_channel_id: null,
  public_updates_channel_id: null,
  preferred_locale: 'en-US',
  features: [],
  emojis: [],
  stickers: [],
  roles: [
    {
      id: g.id,
      name: '@everyone',
      color: 0,
      hoist: false,
      position: 0,
      permissions: PERMISSIONS.member,
      managed: false,
      mentionable: false,
      flags: 0,
    },
    {
      id: FAKE_MANAGER_ROLE_ID,
      name: FAKE_MANAGER_ROLE_NAME,
      color: 0,
      hoist: false,
      position: 1,
      permissions: PERMISSIONS.member,
      managed: false,
      mentionable: false,
      flags: 0,
    },
    {
      id: FAKE_MOD_ROLE_ID,
      name: 'Moderators',
      color: 0,
      hoist: false,
      position: 2,
      permissions: PERMISSIONS.manageGuild,
      managed: false,
      mentionable: false,
      flags: 0,
    },
  ],
  channels: g.channels.map((c) => ({
    id: c.id,
    type: c.type ?? 0,
    name: c.name,
    guild_id: g.id,
    position: c.position,
    permission_overwrites: c.overwrites ?? [],
    topic: null,
    nsfw: false,
    parent_id: null,
    last_message_id: null,
  })),
  threads: [],
  members: g.botMember
    ? [
        {
          user: {
            id: FAKE_APP_ID,
            username: 'roadmap-bot',
            discriminator: '0',
            global_name: null,
            avatar: null,
            bot: true,
          },
          nick: null,
          roles: [],
          joined_at: '2026-11-20T10:00:00.000Z',
          deaf: false,
          mute: false,
          flags: 0,
        },
      ]
    : [],
  presences: [],
  voice_states: [],
  stage_instances: [],
  guild_scheduled_events: [],
  soundboard_sounds: [],
  joined_at: '2026-01-01T00:00:00.000Z',
  large: false,
  unavailable: false,
  member_count: 3,
  max_video_channel_users: 25,
  premium_progress_bar_enabled: false,
});

export class FakeDiscord extends EventEmitter {
  readonly requests: RecordedRequest[] = [];
  readonly messages: FakeMessage[] = [];
  readonly commands = new Map<string, unknown[]>();
  readonly identifies: { token: string; intents: number }[] = [];
  /** Members `GET /guilds/:id/members/:user` finds (any other is Unknown Member). */
  readonly guildMembers = new Map<string, FakeMember>();
  /** Servers that added the bot with no gateway to tell (`installGuild`), served by `GET /guilds/:id[/channels]`. */
  private readonly installed = new Map<string, GuildShape>();
  private readonly interactions = new Map<string, InteractionState>();
  private readonly failures: Failure[] = [];
  private readonly sockets = new Set<WebSocket>();
  private readonly server = http.createServer((req, res) => void this.handle(req, res));
  private readonly wss = new WebSocketServer({ noServer: true });
  /** Where interactions go instead of the gateway, and the key they are signed with. */
  private endpoint?: { url: string; privateKey: KeyObject; now: () => number };
  /** Interactions POSTed to the endpoint whose response has not come back, by token. */
  private readonly delivering = new Map<string, Promise<unknown>>();
  private readonly payloads = new Map<string, Record<string, unknown>>();
  private nextId = 500000000000000000n;
  private seq = 0;
  port = 0;

  private id(): string {
    this.nextId += 1n;
    return String(this.nextId);
  }

  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api`;
  }

  get gatewayUrl(): string {
    return `ws://127.0.0.1:${this.port}/gateway`;
  }

  async listen(): Promise<void> {
    this.server.on('upgrade', (req, socket, head) => {
      this.wss.handleUpgrade(req, socket, head, (ws) => this.onGateway(ws));
    });
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    this.port = (this.server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    for (const ws of this.sockets) ws.terminate();
    this.wss.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** The next `times` requests matching answer with this failure instead. */
  fail(
    method: string,
    path: RegExp,
    status: number,
    body: Record<string, unknown>,
    opts: { times?: number; afterCommit?: boolean; headers?: Record<string, string> } = {},
  ): void {
    this.failures.push({
      method,
      path,
      status,
      body,
      remaining: opts.times ?? 1,
      ...(opts.afterCommit ? { afterCommit: true } : {}),
      ...(opts.headers ? { headers: opts.headers } : {}),
    });
  }

  private readonly delays: { method: string; path: RegExp; ms: number }[] = [];

  /** Matching requests are answered only after `ms`: a slow Discord (or a slow step before an answer). */
  delay(method: string, path: RegExp, ms: number): void {
    this.delays.push({ method, path, ms });
  }

  /** The next matching request gets a 429 with `retry_after` (seconds) and the bucket headers Discord sends. */
  rateLimit(method: string, path: RegExp, retryAfter: number): void {
    this.fail(
      method,
      path,
      429,
      { message: 'You are being rate limited.', retry_after: retryAfter, global: false },
      {
        headers: {
          'Retry-After': String(retryAfter),
          'X-RateLimit-Limit': '5',
          'X-RateLimit-Remaining': '0',
          'X-RateLimit-Reset-After': String(retryAfter),
          'X-RateLimit-Bucket': 'fake-bucket',
          'X-RateLimit-Scope': 'user',
        },
      },
    );
  }

  /** Resolves with the first recorded request (past or future) that matches. */
  waitForRequest(pred: (r: RecordedRequest) => boolean): Promise<RecordedRequest> {
    const hit = this.requests.find(pred);
    if (hit) return Promise.resolve(hit);
    return new Promise((resolve) => {
      const on = (r: RecordedRequest) => {
        if (!pred(r)) return;
        this.off('request', on);
        resolve(r);
      };
      this.on('request', on);
    });
  }

  requestsTo(method: string, path: RegExp): RecordedRequest[] {
    return this.requests.filter((r) => r.method === method && path.test(r.path));
  }

  channelMessages(channelId = FAKE_CHANNEL_ID): FakeMessage[] {
    return this.messages.filter((m) => m.channel_id === channelId);
  }

  /** What the bot answered an interaction with: callbacks, the edited original and follow-ups. */
  interaction(id: string): InteractionState | undefined {
    return this.interactions.get(id);
  }

  /** Resolves when the interaction's original response has been edited (the deferred answer arrived). */
  async waitForReply(id: string): Promise<FakeMessage> {
    await this.waitForRequest(
      (r) =>
        (r.method === 'PATCH' &&
          r.path.endsWith(`/${this.interactions.get(id)?.token}/messages/@original`)) ||
        (r.method === 'POST' && r.path === `/webhooks/${FAKE_APP_ID}/${this.interactions.get(id)?.token}`) ||
        (r.method === 'POST' &&
          r.path.startsWith(`/interactions/${id}/`) &&
          (r.body as { type?: number }).type !== 5),
    );
    const state = this.interactions.get(id)!;
    if (state.followUps.length) return state.followUps.at(-1)!;
    if (state.original) return state.original;
    const cb = state.callbacks.at(-1)!;
    return this.toMessage('interaction', cb.data ?? {}, []);
  }

  // ---- gateway ---------------------------------------------------------------------------------

  private send(ws: WebSocket, payload: Record<string, unknown>): void {
    ws.send(JSON.stringify(payload));
  }

  private onGateway(ws: WebSocket): void {
    this.sockets.add(ws);
    ws.on('close', () => this.sockets.delete(ws));
    this.send(ws, { op: 10, d: { heartbeat_interval: 41250 }, s: null, t: null });
    ws.on('message', (raw) => {
      const msg = JSON.parse(String(raw)) as { op: number; d: Record<string, unknown> };
      if (msg.op === 1) this.send(ws, { op: 11, d: null, s: null, t: null });
      if (msg.op === 2) {
        this.identifies.push({ token: String(msg.d.token), intents: Number(msg.d.intents) });
        this.send(ws, {
          op: 0,
          t: 'READY',
          s: ++this.seq,
          d: {
            v: 10,
            user: {
              id: FAKE_APP_ID,
              username: 'roadmap-bot',
              discriminator: '0',
              global_name: null,
              avatar: null,
              bot: true,
            },
            guilds: [{ id: FAKE_GUILD_ID, unavailable: true }],
            session_id: 'fake-session',
            resume_gateway_url: this.gatewayUrl,
            shard: [0, 1],
            application: { id: FAKE_APP_ID, flags: 0 },
          },
        });
        this.send(ws, { op: 0, t: 'GUILD_CREATE', s: ++this.seq, d: guildPayload() });
        this.emit('identified');
      }
    });
  }

  /** The bot is added to another server: Discord sends GUILD_CREATE for it. */
  joinGuild(guild: Omit<GuildShape, 'botMember'>): void {
    this.dispatch('GUILD_CREATE', guildPayload({ ...guild, botMember: true }));
  }

  /**
   * The bot is added to another server in HTTP mode: nothing is dispatched (there is no gateway), but REST now
   * knows the server. Returns the guild object an APPLICATION_AUTHORIZED webhook event carries.
   */
  installGuild(guild: Omit<GuildShape, 'botMember'>) {
    this.installed.set(guild.id, { ...guild, botMember: false });
    return guildPayload({ ...guild, botMember: false });
  }

  /** A member submits a modal: each field a Label (type 18) around its component's submitted value. */
  submitModal(
    member: FakeMember,
    customId: string,
    fields: (
      | { type: 4; custom_id: string; value: string }
      | { type: 3 | 22; custom_id: string; values: string[] }
    )[],
  ) {
    return this.baseInteraction(5, member, {
      custom_id: customId,
      components: fields.map((component, i) => ({
        type: 18,
        id: i + 1,
        component: { id: 100 + i, ...component },
      })),
    });
  }

  /** Sends a dispatch event to every connected gateway session. */
  dispatch(t: string, d: Record<string, unknown>): void {
    for (const ws of this.sockets) this.send(ws, { op: 0, t, s: ++this.seq, d });
  }

  private memberPayload(m: FakeMember) {
    return {
      user: {
        id: m.id,
        username: m.name.toLowerCase(),
        global_name: m.name,
        discriminator: '0',
        avatar: null,
      },
      nick: null,
      roles: m.roles ?? [],
      joined_at: '2026-01-01T00:00:00.000Z',
      deaf: false,
      mute: false,
      flags: 0,
      permissions: m.permissions ?? PERMISSIONS.member,
    };
  }

  /** The next interaction's token is refused (10062), as if the bot had missed Discord's 3 seconds. */
  expireNext = false;

  private baseInteraction(
    type: number,
    member: FakeMember,
    data: Record<string, unknown>,
    extra: Record<string, unknown> = {},
  ) {
    const id = this.id();
    const token = `itoken-${id}`;
    if (!this.expireNext)
      this.interactions.set(id, {
        id,
        token,
        acknowledged: false,
        callbacks: [],
        followUps: [],
        deleted: false,
      });
    this.expireNext = false;
    const payload = {
      id,
      application_id: FAKE_APP_ID,
      type,
      data,
      guild_id: FAKE_GUILD_ID,
      channel_id: FAKE_CHANNEL_ID,
      channel: { id: FAKE_CHANNEL_ID, type: 0, name: 'backend-study', guild_id: FAKE_GUILD_ID },
      member: this.memberPayload(member),
      token,
      version: 1,
      app_permissions: PERMISSIONS.member,
      locale: 'en-US',
      guild_locale: 'en-US',
      entitlements: [],
      authorizing_integration_owners: { '0': FAKE_GUILD_ID },
      context: 0,
      attachment_size_limit: 10485760,
      ...extra,
    };
    if (this.endpoint) {
      this.payloads.set(id, payload);
      this.deliver(id);
    } else this.dispatch('INTERACTION_CREATE', payload);
    return { id, token };
  }

  /** A member runs `/roadmap-manage <path…>`: the manager subcommands' own command. */
  manageCommand(
    member: FakeMember,
    path: string[],
    options: { name: string; type: number; value: unknown }[] = [],
  ) {
    return this.slashCommand(member, path, options, undefined, 'roadmap-manage');
  }

  /** From now on interactions are POSTed, signed, to the bot's Interactions Endpoint (no gateway). */
  useEndpoint(url: string, privateKey: KeyObject, now: () => number = Date.now): void {
    this.endpoint = { url, privateKey, now };
  }

  /** POSTs the interaction (again, for a retry) and records the bot's HTTP response as its first answer. */
  deliver(id: string): Promise<{ status: number; body: unknown }> {
    const endpoint = this.endpoint;
    const payload = this.payloads.get(id);
    if (!endpoint || !payload) throw new Error(`no interaction ${id} to deliver over HTTP`);
    const body = JSON.stringify(payload);
    const token = String(payload.token);
    const done = (async () => {
      const res = await fetch(endpoint.url, {
        method: 'POST',
        headers: signedHeaders(body, endpoint.privateKey, Math.floor(endpoint.now() / 1000)),
        body,
      });
      const text = await res.text();
      const json = text ? (JSON.parse(text) as { type?: number; data?: Record<string, unknown> }) : undefined;
      const state = this.interactions.get(id);
      if (res.status === 200 && state && typeof json?.type === 'number') {
        state.acknowledged = true;
        state.callbacks.push({ type: json.type, ...(json.data ? { data: json.data } : {}) });
      }
      const record: RecordedRequest = {
        method: 'POST',
        path: `/interactions/${id}/${token}/endpoint-response`,
        query: new URLSearchParams(),
        body: json,
        files: [],
        authorized: false,
        viaEndpoint: true,
      };
      this.requests.push(record);
      this.emit('request', record);
      return { status: res.status, body: json };
    })();
    this.delivering.set(token, done);
    void done.finally(() => this.delivering.delete(token)).catch(() => undefined);
    return done;
  }

  /** A member runs `/roadmap <path…>` with options (name → value, already typed as Discord sends them). */
  slashCommand(
    member: FakeMember,
    path: string[],
    options: { name: string; type: number; value: unknown }[] = [],
    /** What the options refer to, as Discord resolves it (`attachments` for an attachment option). */
    resolved?: Record<string, unknown>,
    command = 'roadmap',
  ) {
    let leaf: Record<string, unknown>[] = options.map((o) => ({ ...o }));
    const nested = [...path].reverse().reduce<Record<string, unknown>[]>((inner, name, i) => {
      const node = { name, type: i === 0 ? 1 : 2, options: inner };
      return [node];
    }, leaf);
    leaf = nested;
    return this.baseInteraction(2, member, {
      id: '777777777777777777',
      name: command,
      type: 1,
      guild_id: FAKE_GUILD_ID,
      options: leaf,
      ...(resolved ? { resolved } : {}),
    });
  }

  /** A member types into an autocomplete option. */
  autocomplete(
    member: FakeMember,
    path: string[],
    focused: { name: string; value: string },
    others: { name: string; type: number; value: unknown }[] = [],
    command = 'roadmap',
  ) {
    const leaf = [...others, { name: focused.name, type: 3, value: focused.value, focused: true }];
    const nested = [...path]
      .reverse()
      .reduce<Record<string, unknown>[]>(
        (inner, name, i) => [{ name, type: i === 0 ? 1 : 2, options: inner }],
        leaf,
      );
    return this.baseInteraction(4, member, {
      id: '777777777777777777',
      name: command,
      type: 1,
      options: nested,
    });
  }

  /** A member clicks a button on a message the bot posted. */
  clickButton(member: FakeMember, message: FakeMessage, customId: string) {
    return this.baseInteraction(
      3,
      member,
      { custom_id: customId, component_type: 2 },
      {
        message: this.messagePayload(message),
        channel_id: message.channel_id,
        channel: { id: message.channel_id, type: 0, name: 'study', guild_id: FAKE_GUILD_ID },
      },
    );
  }

  // ---- REST --------------------------------------------------------------------------------------

  private messagePayload(m: FakeMessage) {
    return {
      id: m.id,
      channel_id: m.channel_id,
      guild_id: FAKE_GUILD_ID,
      author: {
        id: FAKE_APP_ID,
        username: 'roadmap-bot',
        discriminator: '0',
        global_name: null,
        avatar: null,
        bot: true,
      },
      content: m.content,
      timestamp: '2026-11-20T10:00:00.000Z',
      edited_timestamp: null,
      tts: false,
      mention_everyone: false,
      mentions: [],
      mention_roles: [],
      attachments: m.attachments.map((a) => ({
        id: a.id,
        filename: a.filename,
        size: a.content.length,
        url: `https://cdn.example/${a.id}`,
        proxy_url: `https://cdn.example/${a.id}`,
      })),
      embeds: m.embeds,
      components: m.components,
      pinned: false,
      type: 0,
      flags: m.flags ?? 0,
      ...(m.nonce !== undefined ? { nonce: m.nonce } : {}),
    };
  }

  private toMessage(
    channelId: string,
    body: Record<string, unknown>,
    files: RecordedRequest['files'],
  ): FakeMessage {
    return {
      id: this.id(),
      channel_id: channelId,
      content: String(body.content ?? ''),
      embeds: (body.embeds as unknown[]) ?? [],
      components: (body.components as unknown[]) ?? [],
      attachments: files.map((f) => ({ id: this.id(), filename: f.filename, content: f.content })),
      ...(body.nonce !== undefined ? { nonce: body.nonce as string } : {}),
      ...(typeof body.flags === 'number' ? { flags: body.flags } : {}),
      edits: 0,
    };
  }

  private edit(m: FakeMessage, body: Record<string, unknown>, files: RecordedRequest['files']): FakeMessage {
    if ('content' in body) m.content = String(body.content ?? '');
    if ('embeds' in body) m.embeds = (body.embeds as unknown[]) ?? [];
    if ('components' in body) m.components = (body.components as unknown[]) ?? [];
    if (files.length)
      m.attachments = files.map((f) => ({ id: this.id(), filename: f.filename, content: f.content }));
    m.edits++;
    return m;
  }

  private async readBody(
    req: http.IncomingMessage,
  ): Promise<{ body: unknown; files: RecordedRequest['files'] }> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks);
    const type = req.headers['content-type'] ?? '';
    if (type.startsWith('multipart/form-data')) {
      const form = await new Response(raw, { headers: { 'content-type': type } }).formData();
      const files: RecordedRequest['files'] = [];
      let body: unknown = {};
      for (const [name, value] of form.entries()) {
        if (name === 'payload_json') body = JSON.parse(String(value));
        else if (typeof value !== 'string')
          files.push({ name, filename: value.name, content: await value.text() });
      }
      return { body, files };
    }
    return { body: raw.length ? JSON.parse(raw.toString('utf8')) : undefined, files: [] };
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = req.method ?? 'GET';
    const path = decodeURIComponent(url.pathname).replace(/^\/api\/v10/, '');
    const { body, files } = await this.readBody(req);
    // Discord has the endpoint's response before it takes calls on the token; so does the fake.
    const onToken = /^\/(?:webhooks\/\d+|interactions\/\d+)\/([^/]+)/.exec(path)?.[1];
    if (onToken) await this.delivering.get(onToken)?.catch(() => undefined);
    const slow = this.delays.find((d) => d.method === method && d.path.test(path));
    if (slow) await new Promise((resolve) => setTimeout(resolve, slow.ms));
    const record: RecordedRequest = {
      method,
      path,
      query: url.searchParams,
      body,
      files,
      authorized:
        typeof req.headers.authorization === 'string' && req.headers.authorization.startsWith('Bot '),
    };
    this.requests.push(record);
    const reply = (status: number, payload?: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, {
        ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      });
      res.end(payload === undefined ? undefined : JSON.stringify(payload));
      this.emit('request', record);
    };
    const failure = this.failures.find((f) => f.remaining > 0 && f.method === method && f.path.test(path));
    if (failure) failure.remaining--;
    if (failure && !failure.afterCommit) return reply(failure.status, failure.body, failure.headers);
    const result = this.route(method, path, url.searchParams, (body ?? {}) as Record<string, unknown>, files);
    if (failure) return reply(failure.status, failure.body, failure.headers);
    reply(result.status, result.body);
  }

  private route(
    method: string,
    path: string,
    query: URLSearchParams,
    body: Record<string, unknown>,
    files: RecordedRequest['files'],
  ): { status: number; body?: unknown } {
    const notFound = (code: number, message: string) => ({ status: 404, body: { code, message } });
    if (method === 'GET' && path === '/gateway/bot')
      return {
        status: 200,
        body: {
          url: this.gatewayUrl,
          shards: 1,
          session_start_limit: { total: 1000, remaining: 999, reset_after: 0, max_concurrency: 1 },
        },
      };
    if (method === 'GET' && path === '/gateway') return { status: 200, body: { url: this.gatewayUrl } };
    const commands = /^\/applications\/(\d+)(?:\/guilds\/(\d+))?\/commands$/.exec(path);
    if (commands && method === 'PUT') {
      const m = commands;
      const list = (body as unknown as unknown[]).map((c) => ({
        id: this.id(),
        application_id: m[1],
        version: '1',
        ...(c as object),
      }));
      this.commands.set(m[2] ?? 'global', list);
      return { status: 200, body: list };
    }
    const member = /^\/guilds\/\d+\/members\/(\d+)$/.exec(path);
    if (member && method === 'GET') {
      const m = this.guildMembers.get(member[1]!);
      return m ? { status: 200, body: this.memberPayload(m) } : notFound(10007, 'Unknown Member');
    }
    if (/^\/guilds\/(\d+)\/roles$/.test(path) && method === 'GET')
      return { status: 200, body: guildPayload().roles };
    if (path === `/guilds/${FAKE_GUILD_ID}` && method === 'GET') return { status: 200, body: guildPayload() };
    const guild = /^\/guilds\/(\d+)(\/channels)?$/.exec(path);
    const known = guild?.[1] === FAKE_GUILD_ID ? TEST_GUILD : this.installed.get(guild?.[1] ?? '');
    if (guild && known && method === 'GET') {
      const payload = guildPayload(known);
      return { status: 200, body: guild[2] ? payload.channels : payload };
    }
    if (method === 'POST' && path === '/users/@me/channels') {
      const userId = String(body.recipient_id);
      return {
        status: 200,
        body: {
          id: `9${userId.slice(1)}`,
          type: 1,
          last_message_id: null,
          recipients: [
            { id: userId, username: `u${userId}`, discriminator: '0', global_name: null, avatar: null },
          ],
        },
      };
    }
    const create = /^\/channels\/(\d+)\/messages$/.exec(path);
    if (create && method === 'POST') {
      const m = create;
      const channelId = m[1]!;
      // resources/message.mdx, enforce_nonce: a second message with the same nonce by the same author returns the first.
      if (body.enforce_nonce === true && body.nonce !== undefined) {
        const dup = this.messages.find((x) => x.channel_id === channelId && x.nonce === body.nonce);
        if (dup) return { status: 200, body: this.messagePayload(dup) };
      }
      const msg = this.toMessage(channelId, body, files);
      this.messages.push(msg);
      return { status: 200, body: this.messagePayload(msg) };
    }
    const edit = /^\/channels\/(\d+)\/messages\/(\d+)$/.exec(path);
    if (edit && method === 'PATCH') {
      const m = edit;
      const msg = this.messages.find((x) => x.channel_id === m[1] && x.id === m[2]);
      if (!msg) return notFound(10008, 'Unknown Message');
      return { status: 200, body: this.messagePayload(this.edit(msg, body, files)) };
    }
    const callback = /^\/interactions\/(\d+)\/([^/]+)\/callback$/.exec(path);
    if (callback && method === 'POST') {
      const m = callback;
      const state = this.interactions.get(m[1]!);
      if (!state || state.token !== m[2]) return notFound(10062, 'Unknown interaction');
      if (state.acknowledged)
        return { status: 400, body: { code: 40060, message: 'Interaction has already been acknowledged.' } };
      state.acknowledged = true;
      state.callbacks.push({
        type: Number(body.type),
        ...(body.data ? { data: body.data as Record<string, unknown> } : {}),
      });
      if (query.get('with_response') === 'true')
        return {
          status: 200,
          body: { interaction: { id: state.id, type: 2 }, resource: { type: body.type } },
        };
      return { status: 204 };
    }
    const webhook = /^\/webhooks\/(\d+)\/([^/]+)(?:\/messages\/(@original|\d+))?$/.exec(path);
    if (webhook) {
      const m = webhook;
      const state = [...this.interactions.values()].find((s) => s.token === m[2]);
      if (!state?.acknowledged) return notFound(10015, 'Unknown Webhook');
      if (method === 'POST' && !m[3]) {
        const msg = this.toMessage(FAKE_CHANNEL_ID, body, files);
        state.followUps.push(msg);
        return { status: 200, body: this.messagePayload(msg) };
      }
      if (m[3] === '@original') {
        if (method === 'DELETE') {
          state.deleted = true;
          return { status: 204 };
        }
        if (method === 'PATCH') {
          const flags = state.callbacks[0]?.data?.flags;
          state.original ??= this.toMessage(FAKE_CHANNEL_ID, { flags }, []);
          return { status: 200, body: this.messagePayload(this.edit(state.original, body, files)) };
        }
        if (method === 'GET' && state.original)
          return { status: 200, body: this.messagePayload(state.original) };
      }
      return notFound(10008, 'Unknown Message');
    }
    return notFound(0, '404: Not Found');
  }
}

export async function startFakeDiscord(): Promise<FakeDiscord> {
  const fake = new FakeDiscord();
  await fake.listen();
  return fake;
}
