/**
 * How an interaction is answered. The flows (discord-interactions.ts) speak Discord's own sequence: a
 * deferral then an edit of the original, a reply, a modal, choices, follow-ups. Over the gateway each step
 * is a REST call on the interaction's token; over the Interactions Endpoint the first answer rides in the
 * HTTP response while Discord's 3 s last (a deferral and its edit become one message), and only what comes
 * later goes over REST (receiving-and-responding.mdx: responding, followup messages).
 */
import type { ServerResponse } from 'node:http';
import {
  type APIInteractionResponse,
  InteractionResponseType,
  InteractionType,
  MessageFlags,
  type REST,
  Routes,
} from 'discord.js';
import { type DiscordMessage, messageFiles, messageJson } from './discord-render.ts';

/** A modal or autocomplete choices: answers that only the first response can carry. */
type FirstOnlyResponse = Extract<
  APIInteractionResponse,
  { type: InteractionResponseType.Modal | InteractionResponseType.ApplicationCommandAutocompleteResult }
>;

export interface Responder {
  /** What to acknowledge with if the answer is not ready by Discord's deadline (the Interactions Endpoint). */
  lateAck(ephemeral: boolean): void;
  /** Acknowledges (type 5); the answer follows as an edit of the original. */
  defer(ephemeral: boolean): Promise<void>;
  /** Answers with a message (type 4). */
  reply(message: DiscordMessage, ephemeral: boolean): Promise<void>;
  /** Answers with a modal (type 9) or autocomplete choices (type 8). */
  respond(response: FirstOnlyResponse): Promise<void>;
  editOriginal(message: DiscordMessage): Promise<void>;
  deleteOriginal(): Promise<void>;
  followUp(message: DiscordMessage, ephemeral: boolean): Promise<void>;
  /** Tells the member something failed, where the interaction still lets us (answered nothing, or deferred). */
  fail(text: string): Promise<void>;
}

/** The interaction's identity, which is all its token calls need. */
export interface InteractionToken {
  id: string;
  token: string;
  application_id: string;
}

const flagsFor = (ephemeral: boolean) => (ephemeral ? MessageFlags.Ephemeral : 0);

const textMessage = (content: string): DiscordMessage => ({
  content,
  embeds: [],
  components: [],
  allowed_mentions: { parse: [] },
});

/** The REST calls on an interaction's token; none needs the bot token (`auth: false`). */
function tokenCalls(rest: REST, i: InteractionToken) {
  const original = Routes.webhookMessage(i.application_id, i.token, '@original');
  return {
    callback: (body: APIInteractionResponse, message?: DiscordMessage) =>
      rest.post(Routes.interactionCallback(i.id, i.token), {
        body,
        ...(message?.file ? { files: messageFiles(message) } : {}),
        auth: false,
      }),
    edit: (m: DiscordMessage) =>
      rest.patch(original, { body: messageJson(m), files: messageFiles(m), auth: false }),
    remove: () => rest.delete(original, { auth: false }),
    followUp: (m: DiscordMessage, ephemeral: boolean) =>
      rest.post(Routes.webhook(i.application_id, i.token), {
        body: { ...messageJson(m), flags: flagsFor(ephemeral) },
        files: messageFiles(m),
        auth: false,
      }),
  };
}

const messageResponse = (m: DiscordMessage, flags: number): APIInteractionResponse => ({
  type: InteractionResponseType.ChannelMessageWithSource,
  data: { ...messageJson(m), flags },
});

const deferral = (flags: number): APIInteractionResponse => ({
  type: InteractionResponseType.DeferredChannelMessageWithSource,
  data: { flags },
});

/** The gateway path: every step is a REST call, in the order the flow makes them. */
export function restResponder(rest: REST, i: InteractionToken): Responder {
  const calls = tokenCalls(rest, i);
  let deferred = false;
  let edited = false;
  return {
    lateAck: () => undefined,
    async defer(ephemeral) {
      await calls.callback(deferral(flagsFor(ephemeral)));
      deferred = true;
    },
    reply: async (m, ephemeral) => void (await calls.callback(messageResponse(m, flagsFor(ephemeral)), m)),
    respond: async (response) => void (await calls.callback(response)),
    async editOriginal(m) {
      await calls.edit(m);
      edited = true;
    },
    deleteOriginal: async () => void (await calls.remove()),
    followUp: async (m, ephemeral) => void (await calls.followUp(m, ephemeral)),
    async fail(text) {
      if (deferred && !edited) await calls.edit(textMessage(text));
    },
  };
}

/** What the endpoint does with the HTTP response once the flow is done. */
export interface HttpResponder extends Responder {
  /** Ends the HTTP response if the flow answered nothing (an interaction the bot does not act on). */
  finish(): void;
}

/** Calls on the token wait until the response is out: Discord takes them only once it is acknowledged. */
function callsAfterResponse(res: ServerResponse, direct: ReturnType<typeof tokenCalls>): typeof direct {
  const written = new Promise<void>((resolve) => res.once('close', resolve).once('finish', resolve));
  return {
    callback: direct.callback,
    edit: async (m) => written.then(() => direct.edit(m)),
    remove: async () => written.then(() => direct.remove()),
    followUp: async (m, ephemeral) => written.then(() => direct.followUp(m, ephemeral)),
  };
}

/** A JSON response with its length, as the endpoint answers everything. */
export function writeJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

const NO_CHOICES: APIInteractionResponse = {
  type: InteractionResponseType.ApplicationCommandAutocompleteResult,
  data: { choices: [] },
};

const TOO_SLOW = 'That took too long to prepare; please run it again.';

/** What went out as the HTTP response, and the answer the deadline sends when nothing has by then. */
function firstAnswer(
  res: ServerResponse,
  calls: ReturnType<typeof tokenCalls>,
  i: InteractionToken & { type: InteractionType },
  ackWithinMs: number,
) {
  const state = {
    sent: false,
    deferred: false,
    edited: false,
    dropped: false,
    /** The flow's deferral, held: the edit that follows becomes the response if it comes in time. */
    held: undefined as number | undefined,
    /** The visibility of the deadline's deferral when the flow has not deferred yet (`lateAck`). */
    late: MessageFlags.Ephemeral as number,
    /** The visibility of the deferral that was sent. */
    deferredFlags: undefined as number | undefined,
  };
  const send = (body: APIInteractionResponse | { error: string }, status = 200) => {
    clearTimeout(timer);
    state.sent = true;
    writeJson(res, status, body);
  };
  const ackDeferred = (flags: number) => {
    send(deferral(flags));
    state.deferred = true;
    state.deferredFlags = flags;
  };
  const timer = setTimeout(() => {
    if (state.sent) return;
    // Choices cannot be deferred: none is the answer Discord takes, and the member types on.
    if (i.type === InteractionType.ApplicationCommandAutocomplete) send(NO_CHOICES);
    else ackDeferred(state.held ?? state.late);
  }, ackWithinMs);
  const edit = async (m: DiscordMessage) => {
    await calls.edit(m);
    state.edited = true;
  };
  return { state, send, ackDeferred, edit, stop: () => clearTimeout(timer) };
}

/**
 * The Interactions Endpoint: the first answer is the HTTP response if it is ready within `ackWithinMs` of
 * receipt; otherwise the deferral goes then (with `lateAck`'s visibility) and the answer edits it over REST
 * (autocomplete, which cannot be deferred, gets no choices). A file always goes over REST: the response is JSON.
 */
export function httpResponder(
  res: ServerResponse,
  rest: REST,
  i: InteractionToken & { type: InteractionType },
  ackWithinMs: number,
): HttpResponder {
  const calls = callsAfterResponse(res, tokenCalls(rest, i));
  const { state, send, ackDeferred, edit, stop } = firstAnswer(res, calls, i, ackWithinMs);

  return {
    lateAck(ephemeral) {
      state.late = flagsFor(ephemeral);
    },
    async defer(ephemeral) {
      if (!state.sent) state.held = flagsFor(ephemeral);
      state.deferred = true;
    },
    async reply(m, ephemeral) {
      const flags = flagsFor(ephemeral);
      if (!state.sent && !m.file) return send(messageResponse(m, flags));
      if (!state.sent) ackDeferred(flags);
      if (state.deferredFlags === undefined || state.deferredFlags === flags) return edit(m);
      // The deadline deferred it with the other visibility, which an edit cannot change: a follow-up
      // answers, and the placeholder goes.
      await calls.followUp(m, ephemeral);
      state.edited = true;
      await calls.remove();
    },
    async respond(response) {
      if (!state.sent) return send(response);
      // Deferred already: a modal cannot follow, and choices are no longer wanted.
      if (response.type === InteractionResponseType.Modal) await edit(textMessage(TOO_SLOW));
    },
    async editOriginal(m) {
      if (!state.sent && !m.file && !state.dropped) {
        send(messageResponse(m, state.held ?? 0));
        state.edited = true;
        return;
      }
      if (!state.sent) ackDeferred(state.held ?? 0);
      await edit(m);
    },
    async deleteOriginal() {
      // Nothing was shown yet: there is nothing to delete, and the follow-up becomes the response.
      if (!state.sent) state.dropped = true;
      else await calls.remove();
    },
    async followUp(m, ephemeral) {
      if (!state.sent && state.dropped && !m.file) {
        // The follow-up is the response now, the original: a later follow-up (the welcome) must keep it.
        state.dropped = false;
        return send(messageResponse(m, flagsFor(ephemeral)));
      }
      if (!state.sent) ackDeferred(state.held ?? flagsFor(ephemeral));
      await calls.followUp(m, ephemeral);
      // Deferred (by the deadline) after the flow dropped its placeholder: the follow-up replaces it.
      if (state.dropped && !state.edited) {
        state.dropped = false;
        await calls.remove();
      }
    },
    async fail(text) {
      if (!state.sent) send(messageResponse(textMessage(text), MessageFlags.Ephemeral));
      else if (state.deferred && !state.edited) await edit(textMessage(text));
    },
    finish() {
      stop();
      if (!state.sent) send({ error: 'interaction not handled' }, 400);
    },
  };
}
