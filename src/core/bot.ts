/** The core's entry points for adapters: a command or a click in, a neutral message out. */

import type { StudyService } from '../study/study-service.ts';
import type { Clock } from './clock.ts';
import { COMMAND_NAME, commandEntries } from './commands/catalog.ts';
import { joinReply } from './commands/cohort-commands.ts';
import { createCommandRouter } from './commands/router.ts';
import { UserFacingError } from './errors.ts';
import type { ActionInvocation, ActionResult, CommandInvocation } from './invocation.ts';
import type { Log } from './log.ts';
import { type Metrics, noopMetrics } from './metrics.ts';
import { COHORT_JOIN_ACTION, parseJoinValue } from './render/cohort-messages.ts';
import { ANSWER_ACTION, answerResultMessage, parseAnswerValue, plain } from './render/study-messages.ts';
import { literal } from './render/text.ts';
import type { CoreServices } from './services.ts';
import type { OutboundMessage, Platform, UserRef } from './types.ts';

export interface BotDeps {
  study: StudyService;
  log: Log;
  clock: Clock;
  metrics?: Metrics;
  /** Who is a manager by platform role, per platform, as the adapters describe it. */
  platformAdmins?: Partial<Record<Platform, string>>;
  /** Called after a click changed a delivery's shared message (its answer count); the live updater coalesces. */
  onDeliveryChanged?: (deliveryId: number) => void;
  /** Called when a command made a post due now; the ticker runs at once instead of at the next minute. */
  onScheduleDue?: () => void;
}

export interface Bot {
  handleCommand(inv: CommandInvocation): Promise<OutboundMessage>;
  handleAction(inv: ActionInvocation): Promise<ActionResult>;
  services: CoreServices;
}

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

export function createBot(deps: BotDeps): Bot {
  const moduleIds = deps.study.track().modules.map((m) => m.id);
  const commands = createCommandRouter<CoreServices>({
    commandName: COMMAND_NAME,
    entries: commandEntries(),
    moduleIds,
  });
  const events = {
    deliveryChanged: (id: number) => deps.onDeliveryChanged?.(id),
    scheduleDue: () => deps.onScheduleDue?.(),
  };
  const platformAdmins = (platform: Platform) => deps.platformAdmins?.[platform] ?? "the platform's admins";
  const services: CoreServices = { study: deps.study, commands, events, platformAdmins };
  const metrics = deps.metrics ?? noopMetrics;

  /** Button handlers by action id; each button's value carries what it needs, so clicks work on any instance. */
  const actions: Record<string, (inv: ActionInvocation, log: Log) => Promise<ActionResult>> = {
    async [ANSWER_ACTION](inv, log) {
      const parsed = parseAnswerValue(inv.value);
      if (!parsed) throw new UserFacingError('UNKNOWN_ACTION', 'That button is not valid.');
      const outcome =
        parsed.target.kind === 'delivery'
          ? await deps.study.answerDelivery(inv.user, parsed.target.id, parsed.choice, inv.channel)
          : await deps.study.answerPractice(inv.user, parsed.target.id, parsed.choice);
      log.info({ target: parsed.target.kind, correct: outcome.correct }, 'action handled');
      metrics.answer(inv.channel.platform, parsed.target.kind);
      if (parsed.target.kind === 'delivery') deps.onDeliveryChanged?.(parsed.target.id);
      return {
        reply: answerResultMessage(outcome),
        ...(parsed.target.kind === 'delivery' ? { changedDelivery: parsed.target.id } : {}),
      };
    },
    async [COHORT_JOIN_ACTION](inv, log) {
      const cohortId = parseJoinValue(inv.value);
      if (cohortId === undefined) throw new UserFacingError('UNKNOWN_ACTION', 'That button is not valid.');
      const reply = await joinReply(services, inv.user, inv.channel, cohortId);
      log.info({ cohortId }, 'action handled');
      return { reply };
    },
  };

  return {
    services,
    async handleCommand(received) {
      const inv = withInertName(received);
      const log = deps.log.child({
        platform: inv.channel.platform,
        workspace: inv.channel.workspaceId,
        channel: inv.channel.channelId,
        requestId: inv.requestId,
      });
      const started = Date.now();
      let command = 'unknown';
      try {
        // The path first, then who may run it, and only then the options: a member's manager command is
        // refused before any of its options is read.
        const pending = commands.resolve(inv.input);
        command = pending.path.join(' ');
        await deps.study.touch(inv.user);
        if (pending.def.access === 'manager' && !(await deps.study.isManager(inv.user))) {
          throw new UserFacingError(
            'FORBIDDEN',
            await deps.study.programmes.managers.refusal(
              inv.user,
              command,
              services.platformAdmins(inv.user.platform),
            ),
          );
        }
        const args = pending.parseArgs();
        const reply = await pending.def.handler(
          { invocation: inv, services, log: log.child({ command }), clock: deps.clock },
          args,
        );
        log.info({ command, ms: Date.now() - started, outcome: 'ok' }, 'command handled');
        metrics.commandHandled(inv.channel.platform, command, (Date.now() - started) / 1000, 'ok');
        return { ...reply, visibility: reply.visibility ?? pending.def.visibility };
      } catch (err) {
        const outcome = err instanceof UserFacingError ? err.code : 'error';
        log.info({ command, ms: Date.now() - started, outcome }, 'command handled');
        metrics.commandHandled(inv.channel.platform, command, (Date.now() - started) / 1000, outcome);
        return errorReply(err, log, inv.requestId);
      }
    },
    async handleAction(received) {
      const inv = withInertName(received);
      const log = deps.log.child({
        platform: inv.channel.platform,
        workspace: inv.channel.workspaceId,
        channel: inv.channel.channelId,
        requestId: inv.requestId,
        action: inv.actionId,
      });
      try {
        const handler = Object.hasOwn(actions, inv.actionId) ? actions[inv.actionId] : undefined;
        if (!handler) throw new UserFacingError('UNKNOWN_ACTION', 'That button is no longer supported.');
        await deps.study.touch(inv.user);
        return await handler(inv, log);
      } catch (err) {
        return { reply: errorReply(err, log, inv.requestId) };
      }
    },
  };
}
