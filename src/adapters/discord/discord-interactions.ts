/**
 * Discord interactions: slash commands, button clicks, modals and autocomplete, read from Discord's payload
 * (the gateway's INTERACTION_CREATE and the Interactions Endpoint's body are the same JSON) and answered
 * through a Responder. Whatever must not be lost is stored before the acknowledgement (Discord never resends
 * an acknowledged interaction), then the core's answer follows. Over HTTP, storing slower than the deadline
 * lets the deferral go first: the member sees it working, and only a crash before the store loses the click.
 */
import {
  type APIApplicationCommandAutocompleteInteraction,
  type APIChatInputApplicationCommandInteraction,
  type APIInteraction,
  type APIMessageComponentButtonInteraction,
  type APIModalSubmitInteraction,
  ApplicationCommandType,
  ComponentType,
  DiscordAPIError,
  InteractionResponseType,
  InteractionType,
  type REST,
} from 'discord.js';
import type { DiscordConfig } from '../../config/discord.ts';
import type { Clock } from '../../core/clock.ts';
import type { Log } from '../../core/log.ts';
import type { BotPort as Bot } from '../../core/port.ts';
import { type UserRef, withPictureDrawn } from '../../core/types.ts';
import { autocompleteChoices } from './discord-commands.ts';
import { FORM_PREFIX, readModal, renderModal } from './discord-forms.ts';
import {
  argsFrom,
  attachmentOf,
  canManageGuild,
  channelOf,
  commandPath,
  focusedOption,
  type GuildInteraction,
  inGuild,
  memberName,
} from './discord-payload.ts';
import { parseCustomId, renderMessage } from './discord-render.ts';
import type { Responder } from './discord-responders.ts';
import { type GuildFacts, holdsManagerRole } from './discord-roles.ts';

export interface InteractionDeps {
  rest: REST;
  config: Pick<DiscordConfig, 'managerRole'>;
  bot: Bot;
  clock: Clock;
  log: Log;
  /** Channels known welcomed (or studying already): a command there does not ask the database again. */
  welcomed: Set<string>;
  /** A server's owner and roles (discord-roles.ts), for the manager role by name. */
  guildFacts: (guildId: string) => Promise<GuildFacts>;
}

/** Bounded like the other per-process sets; forgetting a channel only costs one query. */
const WELCOMED_MAX = 10_000;

/** topics/opcodes-and-status-codes.mdx: the token expired (we missed the 3 s) / someone already answered. */
const UNKNOWN_INTERACTION = 10062;
const ALREADY_ACKNOWLEDGED = 40060;

const GENERIC_FAILURE = 'Something went wrong on our side; it has been logged. Please try again in a moment.';

type InGuild<T> = T & GuildInteraction;

async function hasManagerRole(deps: InteractionDeps, i: GuildInteraction): Promise<boolean> {
  if (!deps.config.managerRole?.trim() || i.member.roles.length === 0) return false;
  const { roles } = await deps.guildFacts(i.guild_id);
  return holdsManagerRole(deps.config.managerRole, i.member.roles, (id) => roles.get(id)?.name);
}

async function userRef(deps: InteractionDeps, i: GuildInteraction): Promise<UserRef> {
  // Managers on Discord: Manage Server, or the configured role; members granted with
  // `/roadmap-manage managers add` are recognised by the core.
  const isPlatformAdmin = canManageGuild(i.member) || (await hasManagerRole(deps, i));
  return {
    platform: 'discord',
    workspaceId: i.guild_id,
    userId: i.member.user.id,
    displayName: memberName(i.member),
    isPlatformAdmin,
  };
}

async function onChatInput(
  deps: InteractionDeps,
  i: APIChatInputApplicationCommandInteraction,
  r: Responder,
): Promise<void> {
  const { bot, clock } = deps;
  if (!inGuild(i)) {
    await r.reply(
      renderMessage({ text: 'roadmap-bot works inside a server: use /roadmap in a channel.' }),
      false,
    );
    return;
  }
  const path = commandPath(i);
  const resolved = bot.commands.find(path);
  const ephemeral = (resolved?.def.visibility ?? 'ephemeral') === 'ephemeral';
  r.lateAck(ephemeral);
  // Discord never resends an acknowledged interaction: the command's effect is stored before the defer,
  // well inside Discord's 3 s, and only the reply follows it.
  const reply = await bot.handleCommand({
    channel: channelOf(i),
    ...(i.channel?.name ? { channelName: i.channel.name } : {}),
    user: await userRef(deps, i),
    input: { kind: 'structured', path, args: argsFrom(i, resolved) },
    attachment: attachmentOf(i),
    requestId: i.id,
    receivedAt: clock.now(),
    forms: true,
    picturesAfter: true,
  });
  // A command given no options opens its form: the modal is the interaction's response.
  if (reply.form) {
    await r.respond({ type: InteractionResponseType.Modal, data: renderModal(reply.form) });
    return;
  }
  await r.defer(ephemeral);
  if (!ephemeral && (reply.visibility ?? 'ephemeral') === 'ephemeral') {
    // A public command answered privately (an error, a refusal): a deferred reply cannot change its
    // visibility, so the public placeholder goes and an ephemeral follow-up takes its place.
    await r.deleteOriginal();
    await r.followUp(renderMessage(await withPictureDrawn(reply)), true);
  } else {
    // The text first (over the Interactions Endpoint, in the HTTP response itself); its picture, drawn after,
    // joins it by an edit. The text carries the picture's figures, so one that cannot be drawn is left out.
    const { picture, ...text } = reply;
    await r.editOriginal(renderMessage(text));
    const file = await picture?.();
    if (file) await r.editOriginal(renderMessage({ ...text, attachment: file }));
  }
  await welcomeOnFirstUse(deps, i, r);
}

/**
 * The first command in a channel without a drill brings the welcome (once per channel, ever), as a public
 * follow-up: a server that added the bot before it posted welcomes still meets it.
 */
async function welcomeOnFirstUse(deps: InteractionDeps, i: GuildInteraction, r: Responder) {
  const channel = channelOf(i);
  const key = `${channel.workspaceId}:${channel.channelId}`;
  if (deps.welcomed.has(key)) return;
  const welcome = await deps.bot.welcome(channel, { onlyWithoutDrill: true });
  if (deps.welcomed.size >= WELCOMED_MAX) deps.welcomed.delete(deps.welcomed.values().next().value!);
  deps.welcomed.add(key);
  if (!welcome) return;
  try {
    await r.followUp(renderMessage(welcome), false);
  } catch (err) {
    // Unclaimed again: the next command in this channel brings the welcome.
    deps.welcomed.delete(key);
    await deps.bot.welcomeFailed(channel);
    throw err;
  }
}

/** A submitted modal runs its command; a reason comes back privately with a button to open the form again. */
async function onModalSubmit(deps: InteractionDeps, i: InGuild<APIModalSubmitInteraction>, r: Responder) {
  if (!i.data.custom_id.startsWith(FORM_PREFIX)) return;
  const outcome = await deps.bot.submitForm({
    channel: channelOf(i),
    user: await userRef(deps, i),
    formId: i.data.custom_id.slice(FORM_PREFIX.length),
    values: readModal(i.data.components),
    requestId: i.id,
    receivedAt: deps.clock.now(),
  });
  const reply = outcome.kind === 'invalid' ? outcome.reprompt : outcome.reply;
  await r.reply(renderMessage(reply), (reply.visibility ?? 'ephemeral') === 'ephemeral');
}

async function onButton(
  deps: InteractionDeps,
  i: InGuild<APIMessageComponentButtonInteraction>,
  r: Responder,
): Promise<void> {
  const action = parseCustomId(i.data.custom_id) ?? { actionId: i.data.custom_id, value: '' };
  // The answer is stored before the defer (Discord never resends an acknowledged click); the streak and
  // the reply follow it.
  const accepted = await deps.bot.acceptAction({
    channel: channelOf(i),
    user: await userRef(deps, i),
    actionId: action.actionId,
    value: action.value,
    messageId: i.message.id,
    requestId: i.id,
    receivedAt: deps.clock.now(),
    forms: true,
  });
  if (accepted.form) {
    await r.respond({ type: InteractionResponseType.Modal, data: renderModal(accepted.form) });
    return;
  }
  // A new private message, not DEFERRED_UPDATE_MESSAGE (6): that would make the answer an edit of the drill.
  await r.defer(true);
  const result = await accepted.finish();
  await r.editOriginal(renderMessage(result.reply));
}

async function onAutocomplete(
  deps: InteractionDeps,
  i: APIApplicationCommandAutocompleteInteraction,
  r: Responder,
): Promise<void> {
  const { bot } = deps;
  const resolved = bot.commands.find(commandPath(i));
  const focused = focusedOption(i);
  const option = focused && resolved?.def.options.find((o) => o.name === focused.name);
  // Names from data (teams, cohorts) are this workspace's and this member's to see, asked for each time.
  const suggested =
    option?.type === 'string' && option.suggest && inGuild(i)
      ? await bot.suggest({ channel: channelOf(i), user: await userRef(deps, i), kind: option.suggest })
      : [];
  const choices = option ? autocompleteChoices(option, focused.value, bot.modules, suggested) : [];
  await r.respond({ type: InteractionResponseType.ApplicationCommandAutocompleteResult, data: { choices } });
}

/** Routes one interaction by its type to its flow; kinds the bot does not use are left unanswered. */
async function route(deps: InteractionDeps, i: APIInteraction, r: Responder): Promise<void> {
  if (i.type === InteractionType.ApplicationCommand && i.data.type === ApplicationCommandType.ChatInput)
    await onChatInput(deps, i as APIChatInputApplicationCommandInteraction, r);
  else if (i.type === InteractionType.ApplicationCommandAutocomplete) await onAutocomplete(deps, i, r);
  else if (!inGuild(i)) return;
  else if (i.type === InteractionType.MessageComponent && i.data.component_type === ComponentType.Button)
    await onButton(deps, i as InGuild<APIMessageComponentButtonInteraction>, r);
  else if (i.type === InteractionType.ModalSubmit) await onModalSubmit(deps, i, r);
}

/** Handles one interaction; an expired or already answered one is logged, any other failure is told. */
export async function handleInteraction(deps: InteractionDeps, i: APIInteraction, r: Responder) {
  const { log } = deps;
  try {
    await route(deps, i, r);
  } catch (err) {
    const code = err instanceof DiscordAPIError ? err.code : undefined;
    if (code === UNKNOWN_INTERACTION) {
      log.warn({ requestId: i.id }, 'discord interaction expired before it was acknowledged');
      return;
    }
    if (code === ALREADY_ACKNOWLEDGED) {
      // Another process on the same token answered first; nothing is wrong.
      log.debug({ requestId: i.id }, 'discord interaction already acknowledged');
      return;
    }
    log.error({ err, requestId: i.id }, 'discord interaction failed');
    await r.fail(`${GENERIC_FAILURE} (ref ${i.id})`).catch(() => undefined);
  }
}
