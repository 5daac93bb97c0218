/**
 * Discord interactions: slash commands, button clicks and autocomplete, each acknowledged after what must
 * not be lost is stored (Discord never resends an acknowledged interaction), then answered by the core.
 */
import {
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type Client,
  type CommandInteractionOption,
  DiscordAPIError,
  GuildMember,
  type Interaction,
  MessageFlags,
  type ModalSubmitInteraction,
  PermissionFlagsBits,
  Routes,
} from 'discord.js';
import type { DiscordConfig } from '../../config/config.ts';
import type { Clock } from '../../core/clock.ts';
import type { ResolvedCommand } from '../../core/commands/define.ts';
import type { MemberMention, RawArgs, RawValue } from '../../core/commands/options.ts';
import type { AttachmentReader } from '../../core/invocation.ts';
import type { Log } from '../../core/log.ts';
import type { BotPort as Bot } from '../../core/port.ts';
import type { ChannelRef, OutboundMessage, UserRef } from '../../core/types.ts';
import { downloadAttachment } from '../download.ts';
import { autocompleteChoices } from './discord-commands.ts';
import { FORM_PREFIX, readModal, renderModal } from './discord-forms.ts';
import { parseCustomId, renderMessage } from './discord-render.ts';

export interface InteractionDeps {
  client: Client;
  config: DiscordConfig;
  bot: Bot;
  clock: Clock;
  log: Log;
  /** Channels known welcomed (or studying already): a command there does not ask the database again. */
  welcomed: Set<string>;
}

/** Bounded like the other per-process sets; forgetting a channel only costs one query. */
const WELCOMED_MAX = 10_000;

/** topics/opcodes-and-status-codes.mdx: the token expired (we missed the 3 s) / someone already answered. */
const UNKNOWN_INTERACTION = 10062;
const ALREADY_ACKNOWLEDGED = 40060;

const GENERIC_FAILURE = 'Something went wrong on our side; it has been logged. Please try again in a moment.';

function apiCode(err: unknown): number | string | undefined {
  return err instanceof DiscordAPIError ? err.code : undefined;
}

/** The leaf options of a chat input interaction, below its subcommand group and subcommand. */
function leafOptions(data: readonly CommandInteractionOption[]): readonly CommandInteractionOption[] {
  const first = data[0];
  return first && (first.type === 1 || first.type === 2) ? leafOptions(first.options ?? []) : data;
}

function commandPath(i: ChatInputCommandInteraction | AutocompleteInteraction): string[] {
  return [i.options.getSubcommandGroup(false), i.options.getSubcommand(false)].filter(
    (p): p is string => !!p,
  );
}

/** Mentions typed into a string option arrive as `<@123>` / `<@!123>`. */
function mentionsIn(text: string): MemberMention[] {
  return [...text.matchAll(/<@!?(\d{15,22})>/g)].map((m) => ({ userId: m[1]! }));
}

function memberName(member: CommandInteractionOption['member'] | Interaction['member']): string | undefined {
  if (!member) return undefined;
  if (member instanceof GuildMember) return member.displayName;
  const user = 'user' in member ? member.user : undefined;
  return member.nick ?? user?.global_name ?? user?.username ?? undefined;
}

/** Discord's typed option values to the core's raw arguments; the router validates them like typed text. */
function argsFrom(i: ChatInputCommandInteraction, resolved: ResolvedCommand | undefined): RawArgs {
  const args: RawArgs = {};
  for (const o of leafOptions(i.options.data)) {
    const def = resolved?.def.options.find((d) => d.name === o.name);
    let value: RawValue | undefined = o.value ?? undefined;
    if (def?.type === 'user' && typeof o.value === 'string') {
      const name = memberName(o.member) ?? o.user?.globalName ?? o.user?.username;
      value = { userId: o.value, ...(name ? { displayName: name } : {}) };
    } else if (def?.type === 'channel' && typeof o.value === 'string') {
      const name = o.channel && 'name' in o.channel ? o.channel.name : undefined;
      value = { channelId: o.value, ...(name ? { name } : {}) };
    } else if (def?.type === 'users' && typeof o.value === 'string') {
      const list = mentionsIn(o.value);
      value = list.length ? list : o.value;
    }
    args[o.name] = value;
  }
  return args;
}

/** The file attached to the command's attachment option, downloaded from Discord's CDN when a command asks. */
function attachmentOf(i: ChatInputCommandInteraction): AttachmentReader {
  return async ({ maxBytes }) => {
    const file = leafOptions(i.options.data).find((o) => o.attachment)?.attachment;
    return file ? downloadAttachment({ name: file.name, url: file.url }, maxBytes) : undefined;
  };
}

/** The body discord.js takes for replies and edits, from the rendered message. */
function replyPayload(message: OutboundMessage) {
  const r = renderMessage(message);
  return {
    content: r.content,
    embeds: r.embeds,
    components: r.components,
    allowedMentions: r.allowed_mentions,
    ...(r.file
      ? {
          files: [
            {
              attachment: r.file.data,
              name: r.file.name,
              ...(r.file.description ? { description: r.file.description } : {}),
            },
          ],
        }
      : {}),
  };
}

async function hasManagerRole({ client, config }: InteractionDeps, i: Interaction): Promise<boolean> {
  const wanted = config.managerRole?.toLowerCase();
  if (!wanted || !i.member || !i.guildId) return false;
  const roleIds = i.member instanceof GuildMember ? [...i.member.roles.cache.keys()] : i.member.roles;
  if (roleIds.length === 0) return false;
  let names: Map<string, string>;
  if (i.guild) names = new Map(i.guild.roles.cache.map((r) => [r.id, r.name]));
  else {
    const roles = (await client.rest.get(Routes.guildRoles(i.guildId))) as { id: string; name: string }[];
    names = new Map(roles.map((r) => [r.id, r.name]));
  }
  return roleIds.some((id) => names.get(id)?.trim().toLowerCase() === wanted);
}

async function userRef(deps: InteractionDeps, i: Interaction & { guildId: string }): Promise<UserRef> {
  // Managers on Discord: Manage Server, or the configured role; members granted with
  // `/roadmap-manage managers add` are recognised by the core.
  const isPlatformAdmin =
    i.memberPermissions?.has(PermissionFlagsBits.ManageGuild) === true || (await hasManagerRole(deps, i));
  return {
    platform: 'discord',
    workspaceId: i.guildId,
    userId: i.user.id,
    displayName: memberName(i.member) ?? i.user.globalName ?? i.user.username,
    isPlatformAdmin,
  };
}

const channelOf = (i: Interaction & { guildId: string }): ChannelRef => ({
  platform: 'discord',
  workspaceId: i.guildId,
  channelId: i.channelId ?? i.guildId,
});

async function onChatInput(deps: InteractionDeps, i: ChatInputCommandInteraction): Promise<void> {
  const { bot, clock } = deps;
  if (!i.inGuild()) {
    await i.reply({ content: 'roadmap-bot works inside a server: use /roadmap in a channel.' });
    return;
  }
  const path = commandPath(i);
  const resolved = bot.commands.find(path);
  const ephemeral = (resolved?.def.visibility ?? 'ephemeral') === 'ephemeral';
  // Discord never resends an acknowledged interaction: the command's effect is stored before the defer,
  // well inside Discord's 3 s, and only the reply follows it.
  const reply = await bot.handleCommand({
    channel: channelOf(i),
    user: await userRef(deps, i),
    input: { kind: 'structured', path, args: argsFrom(i, resolved) },
    attachment: attachmentOf(i),
    requestId: i.id,
    receivedAt: clock.now(),
    forms: true,
  });
  // A command given no options opens its form: the modal is the interaction's response.
  if (reply.form) {
    await i.showModal(renderModal(reply.form));
    return;
  }
  await i.deferReply(ephemeral ? { flags: MessageFlags.Ephemeral } : {});
  const payload = replyPayload(reply);
  if (!ephemeral && (reply.visibility ?? 'ephemeral') === 'ephemeral') {
    // A public command answered privately (an error, a refusal): a deferred reply cannot change its
    // visibility, so the public placeholder goes and an ephemeral follow-up takes its place.
    await i.deleteReply();
    await i.followUp({ ...payload, flags: MessageFlags.Ephemeral });
  } else await i.editReply(payload);
  await welcomeOnFirstUse(deps, i);
}

/**
 * The first command in a channel without a drill brings the welcome (once per channel, ever), as a public
 * follow-up: a server that added the bot before it posted welcomes still meets it.
 */
async function welcomeOnFirstUse(
  deps: InteractionDeps,
  i: ChatInputCommandInteraction & { guildId: string },
) {
  const channel = channelOf(i);
  const key = `${channel.workspaceId}:${channel.channelId}`;
  if (deps.welcomed.has(key)) return;
  const welcome = await deps.bot.welcome(channel, { onlyWithoutDrill: true });
  if (deps.welcomed.size >= WELCOMED_MAX) deps.welcomed.delete(deps.welcomed.values().next().value!);
  deps.welcomed.add(key);
  if (!welcome) return;
  try {
    await i.followUp(replyPayload(welcome));
  } catch (err) {
    // Unclaimed again: the next command in this channel brings the welcome.
    deps.welcomed.delete(key);
    await deps.bot.welcomeFailed(channel);
    throw err;
  }
}

/** A submitted modal runs its command; a reason comes back privately with a button to open the form again. */
async function onModalSubmit(deps: InteractionDeps, i: ModalSubmitInteraction): Promise<void> {
  const { bot, clock } = deps;
  if (!i.inGuild() || !i.customId.startsWith(FORM_PREFIX)) return;
  const outcome = await bot.submitForm({
    channel: channelOf(i),
    user: await userRef(deps, i),
    formId: i.customId.slice(FORM_PREFIX.length),
    values: readModal(i),
    requestId: i.id,
    receivedAt: clock.now(),
  });
  const reply = outcome.kind === 'invalid' ? outcome.reprompt : outcome.reply;
  const ephemeral = (reply.visibility ?? 'ephemeral') === 'ephemeral';
  await i.reply({ ...replyPayload(reply), ...(ephemeral ? { flags: MessageFlags.Ephemeral } : {}) });
}

async function onButton(deps: InteractionDeps, i: ButtonInteraction): Promise<void> {
  const { bot, clock } = deps;
  if (!i.inGuild()) return;
  const action = parseCustomId(i.customId) ?? { actionId: i.customId, value: '' };
  // The answer is stored before the defer (Discord never resends an acknowledged click); the streak and
  // the reply follow it.
  const accepted = await bot.acceptAction({
    channel: channelOf(i),
    user: await userRef(deps, i),
    actionId: action.actionId,
    value: action.value,
    messageId: i.message.id,
    requestId: i.id,
    receivedAt: clock.now(),
    forms: true,
  });
  if (accepted.form) {
    await i.showModal(renderModal(accepted.form));
    return;
  }
  await i.deferReply({ flags: MessageFlags.Ephemeral });
  const result = await accepted.finish();
  await i.editReply(replyPayload(result.reply));
}

async function onAutocomplete(deps: InteractionDeps, i: AutocompleteInteraction): Promise<void> {
  const { bot } = deps;
  const resolved = bot.commands.find(commandPath(i));
  const focused = i.options.getFocused(true);
  const option = resolved?.def.options.find((o) => o.name === focused.name);
  // Names from data (teams, cohorts) are this workspace's and this member's to see, asked for each time.
  const suggested =
    option?.type === 'string' && option.suggest && i.inGuild()
      ? await bot.suggest({ channel: channelOf(i), user: await userRef(deps, i), kind: option.suggest })
      : [];
  await i.respond(option ? autocompleteChoices(option, String(focused.value), bot.modules, suggested) : []);
}

/** Handles one interaction; an expired or already answered one is logged, any other failure is told. */
export async function handleInteraction(deps: InteractionDeps, i: Interaction): Promise<void> {
  const { log } = deps;
  try {
    if (i.isChatInputCommand()) await onChatInput(deps, i);
    else if (i.isButton()) await onButton(deps, i);
    else if (i.isAutocomplete()) await onAutocomplete(deps, i);
    else if (i.isModalSubmit()) await onModalSubmit(deps, i);
  } catch (err) {
    const code = apiCode(err);
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
    if ((i.isChatInputCommand() || i.isButton()) && i.deferred && !i.replied)
      await i.editReply({ content: `${GENERIC_FAILURE} (ref ${i.id})` }).catch(() => undefined);
  }
}
