/** The core's entry points for adapters: a command or a click in, a neutral message out. */

import { visibleCohorts } from '../cohorts/commands.ts';
import { teamsOf } from '../cohorts/teams.ts';
import type { Clock } from '../core/clock.ts';
import { COMMAND_NAME } from '../core/commands/define.ts';
import { createCommandRouter } from '../core/commands/router.ts';
import { UserFacingError } from '../core/errors.ts';
import { formArgs } from '../core/forms.ts';
import type {
  ActionInvocation,
  ActionResult,
  CommandInvocation,
  FormInvocation,
  FormOutcome,
} from '../core/invocation.ts';
import type { Log } from '../core/log.ts';
import { type Metrics, noopMetrics } from '../core/metrics.ts';
import type { AcceptedAction, BotPort } from '../core/port.ts';
import { literal } from '../core/render/text.ts';
import { type OutboundMessage, type Platform, plain, type UserRef, withPictureDrawn } from '../core/types.ts';
import { type Services, type StudyDeps, trackOf } from '../db/deps.ts';
import { isManager, managerRefusal } from '../members/managers.ts';
import { createTouch } from '../members/touch.ts';
import { homeView } from '../onboarding/home.ts';
import { parseRunValue, RUN_ACTION, runButton } from '../onboarding/run-button.ts';
import { claimChannelWelcome, releaseChannelWelcome } from '../onboarding/welcome.ts';
import { createChannelNaming, type NameChannel } from '../plans/channel-names.ts';
import { tracksOf } from '../tracks/tracks.ts';
import { actionHandlers } from './actions.ts';
import { commandEntries } from './catalog.ts';

export interface BotDeps {
  study: StudyDeps;
  log: Log;
  clock: Clock;
  metrics?: Metrics;
  /** Who is a manager by platform role, per platform, as the adapters describe it. */
  platformAdmins?: Partial<Record<Platform, string>>;
  /** Called after a click changed a delivery's shared message (its answer count); the live updater coalesces. */
  onDeliveryChanged?: (deliveryId: number) => void;
  /** Called when a command made a post due now; the ticker runs at once instead of at the next minute. */
  onScheduleDue?: () => void;
  /** The application's version (package.json), shown in help beside the content version. */
  appVersion?: string;
}

export type Bot = BotPort;

const GENERIC_ERROR = 'Something went wrong on our side; it has been logged. Please try again in a moment.';

function errorReply(err: unknown, log: Log, requestId: string): OutboundMessage {
  if (err instanceof UserFacingError) {
    return plain(err.usage ? `${err.message}\nUsage: ${err.usage}` : err.message);
  }
  log.error({ err, requestId }, 'unexpected error while handling a request');
  return plain(`${GENERIC_ERROR} (ref ${requestId})`);
}

/** A member's platform name is their own text: it is stored and shown inert, like every other name. */
function withInertName<T extends { user: UserRef }>(inv: T): T {
  const displayName = literal(inv.user.displayName);
  return displayName === inv.user.displayName ? inv : { ...inv, user: { ...inv.user, displayName } };
}

/** Granted managers first (one query); only then, and only if the adapter can, ask the platform about roles. */
async function mayManage(
  deps: StudyDeps,
  inv: Pick<CommandInvocation, 'user' | 'isPlatformAdmin'>,
): Promise<boolean> {
  if (await isManager(deps, inv.user)) return true;
  if (!inv.isPlatformAdmin) return false;
  inv.user.isPlatformAdmin = await inv.isPlatformAdmin();
  return inv.user.isPlatformAdmin;
}

function requestLog(
  log: Log,
  inv: CommandInvocation | ActionInvocation,
  extra: Record<string, unknown> = {},
) {
  return log.child({
    platform: inv.channel.platform,
    workspace: inv.channel.workspaceId,
    channel: inv.channel.channelId,
    requestId: inv.requestId,
    ...extra,
  });
}

/** The services every command handler gets: the study's deps, the router and the bot's own hooks. */
function createServices(deps: BotDeps): Services {
  const study = deps.study;
  const track = trackOf(study);
  const commands = createCommandRouter<Services>({
    commandName: COMMAND_NAME,
    entries: commandEntries(),
    moduleIds: track.modules.map((m) => m.id),
  });
  return {
    deps: study,
    commands,
    events: {
      deliveryChanged: (id: number) => deps.onDeliveryChanged?.(id),
      scheduleDue: () => deps.onScheduleDue?.(),
    },
    platformAdmins: (platform: Platform) => deps.platformAdmins?.[platform] ?? "the platform's admins",
    manages: (inv) => mayManage(study, inv),
    version: { app: deps.appVersion ?? 'unknown', content: track.version },
  };
}

/** What handling a request needs besides the request itself. */
interface Handling {
  deps: BotDeps;
  services: Services;
  metrics: Metrics;
  touch: ReturnType<typeof createTouch>;
  nameChannel: NameChannel;
}

/**
 * Runs a command with its log line and metric: the path first, then who may run it, and only then the
 * options (a member's manager command is refused before any of its options is read). A command with a form,
 * given no options where forms open, returns its form instead; a reply's picture is drawn into it unless the
 * adapter sends it after the text (`picturesAfter`). Never throws: a success goes through `ok`, a failure
 * through `failed`, and either comes back as the reply.
 */
async function execute<T>(
  h: Handling,
  inv: CommandInvocation,
  ok: (reply: OutboundMessage) => T,
  failed: (err: unknown, log: Log, requestId: string) => T,
): Promise<T> {
  const { deps, services, touch, nameChannel } = h;
  const { commands, deps: study } = services;
  const log = requestLog(deps.log, inv);
  const started = Date.now(); // real elapsed time, not the injected clock (which a test or /clock may set)
  let command = 'unknown';
  const done = (outcome: string) => {
    log.info({ command, ms: Date.now() - started, outcome }, 'command handled');
    h.metrics.commandHandled(inv.channel.platform, command, (Date.now() - started) / 1000, outcome);
  };
  try {
    const pending = commands.resolve(inv.input);
    command = pending.path.join(' ');
    await touch(inv.user);
    if (pending.def.access === 'manager' && !(await mayManage(study, inv))) {
      const admins = services.platformAdmins(inv.user.platform);
      throw new UserFacingError('FORBIDDEN', await managerRefusal(study, inv.user, command, admins));
    }
    // Only the dashboard reads it: a name that cannot be stored now is stored with a later command.
    await nameChannel(inv.channel, inv.channelName).catch((err: unknown) =>
      log.warn({ err }, 'channel name not stored'),
    );
    const context = { invocation: inv, services, log: log.child({ command }), clock: deps.clock };
    let reply: OutboundMessage;
    if (pending.empty && pending.def.form && inv.forms) {
      const form = await pending.def.form(context);
      reply = { text: `${form.title}: fill in the form.`, form, visibility: 'ephemeral' as const };
    } else {
      const handled = await pending.def.handler(context, pending.parseArgs());
      const shown = { ...handled, visibility: handled.visibility ?? pending.def.visibility };
      reply = inv.picturesAfter ? shown : await withPictureDrawn(shown);
    }
    done('ok');
    return ok(reply);
  } catch (err) {
    done(err instanceof UserFacingError ? err.code : 'error');
    return failed(err, log, inv.requestId);
  }
}

const asReply = (reply: OutboundMessage) => reply;

/**
 * A submitted form runs the command it names with its values as options, through the same checks as typed
 * text; a reason about one option comes back on that field (or on the form as a whole, keyed '').
 */
function submitForm(h: Handling, form: FormInvocation): Promise<FormOutcome> {
  const def = h.services.commands.find(form.formId.split(' '))?.def;
  const inv: CommandInvocation = {
    ...form,
    input: {
      kind: 'structured',
      path: form.formId.split(' '),
      args: formArgs(def?.options ?? [], form.values),
    },
  };
  return execute<FormOutcome>(
    h,
    inv,
    (reply) => ({ kind: 'done', reply }),
    (err, log) =>
      err instanceof UserFacingError && (err.code === 'BAD_ARGUMENT' || err.code === 'MISSING_ARGUMENT')
        ? {
            kind: 'invalid',
            errors: { [err.field ?? '']: err.message },
            reprompt: formReprompt(form.formId, err.message),
          }
        : { kind: 'done', reply: errorReply(err, log, inv.requestId) },
  );
}

/** A form's reasons where they cannot show on the field: the reason, and a button to open the form again. */
function formReprompt(formId: string, reason: string): OutboundMessage {
  return {
    text: `⚠️ ${reason} Nothing was saved; open the form again to fix it.`,
    card: {
      title: 'Nothing was saved',
      sections: [{ body: `⚠️ ${reason}` }],
      buttons: [runButton('Open the form again', formId, { style: 'primary' })],
      accent: 'attention',
    },
    visibility: 'ephemeral',
  };
}

/** A run button: the command it names, as if typed with no options, in its channel (or the one it names). */
async function runFromButton(h: Handling, inv: ActionInvocation): Promise<AcceptedAction> {
  const run = parseRunValue(inv.value);
  if (!run) throw new UserFacingError('UNKNOWN_ACTION', 'That button is not valid.');
  const channel = run.channelId ? { ...inv.channel, channelId: run.channelId } : inv.channel;
  const reply = await execute(
    h,
    { ...inv, channel, input: { kind: 'structured', path: run.path, args: {} } },
    asReply,
    errorReply,
  );
  const result = { reply };
  return reply.form ? { form: reply.form, finish: async () => result } : { finish: async () => result };
}

export function createBot(deps: BotDeps): Bot {
  const services = createServices(deps);
  const { commands } = services;
  const track = trackOf(deps.study);
  const metrics = deps.metrics ?? noopMetrics;
  const touch = createTouch(deps.study);
  const actions = actionHandlers(services, metrics);
  const handling: Handling = { deps, services, metrics, touch, nameChannel: createChannelNaming(deps.study) };

  async function acceptAction(inv: ActionInvocation): Promise<AcceptedAction> {
    const log = requestLog(deps.log, inv, { action: inv.actionId });
    const failed = (err: unknown): ActionResult => ({ reply: errorReply(err, log, inv.requestId) });
    try {
      if (inv.actionId === RUN_ACTION) return await runFromButton(handling, inv);
      const handler = Object.hasOwn(actions, inv.actionId) ? actions[inv.actionId] : undefined;
      if (!handler) throw new UserFacingError('UNKNOWN_ACTION', 'That button is no longer supported.');
      await touch(inv.user);
      const finish = await handler(inv, log);
      return { finish: () => finish().catch(failed) };
    } catch (err) {
      const result = failed(err);
      return { finish: async () => result };
    }
  }

  return {
    commands,
    modules: track.modules.map((m) => ({ id: m.id, title: m.title })),
    handleCommand: (received) => execute(handling, withInertName(received), asReply, errorReply),
    submitForm: (received) => submitForm(handling, withInertName(received)),
    welcome: (channel, opts) =>
      claimChannelWelcome(deps.study, channel, services.platformAdmins(channel.platform), opts),
    welcomeFailed: (channel) => releaseChannelWelcome(deps.study, channel),
    async suggest({ channel, user, kind }) {
      try {
        if (kind === 'teams') return (await teamsOf(deps.study, channel)).map((t) => t.name);
        if (kind === 'tracks') {
          const { builtIn, own } = await tracksOf(deps.study, channel);
          return [...builtIn, ...own].map((t) => t.id);
        }
        return (await visibleCohorts(deps.study, user, channel)).map((c) => c.name);
      } catch (err) {
        deps.log.warn({ err, kind }, 'suggestions failed');
        return [];
      }
    },
    async home(received, opts) {
      const user = withInertName({ user: received }).user;
      await touch(user);
      return homeView(deps.study, user, await mayManage(deps.study, { user, ...opts }));
    },
    acceptAction: (received) => acceptAction(withInertName(received)),
    async handleAction(received) {
      return (await acceptAction(withInertName(received))).finish();
    },
  };
}
