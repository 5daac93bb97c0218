/** The core's entry points for adapters: a command or a click in, a neutral message out. */

import { joinReply } from '../cohorts/commands.ts';
import { COHORT_JOIN_ACTION, parseJoinValue } from '../cohorts/messages.ts';
import type { Clock } from '../core/clock.ts';
import { createCommandRouter } from '../core/commands/router.ts';
import { UserFacingError } from '../core/errors.ts';
import type { ActionInvocation, ActionResult, CommandInvocation } from '../core/invocation.ts';
import type { Log } from '../core/log.ts';
import { type Metrics, noopMetrics } from '../core/metrics.ts';
import { literal } from '../core/render/text.ts';
import type { OutboundMessage, Platform, UserRef } from '../core/types.ts';
import { ANSWER_ACTION, answerResultMessage, parseAnswerValue, plain } from '../deliveries/messages.ts';
import { COMMAND_NAME, commandEntries } from './catalog.ts';
import type { CoreServices } from './services.ts';
import type { StudyService } from './study-service.ts';

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
  /** The application's version (package.json), shown in help beside the content version. */
  appVersion?: string;
}

/** A click whose durable part is done (the answer is stored); `finish` makes the reply and the rest. */
export interface AcceptedAction {
  /** Never rejects: failures come back as the reply to show. */
  finish(): Promise<ActionResult>;
}

export interface Bot {
  handleCommand(inv: CommandInvocation): Promise<OutboundMessage>;
  /**
   * Does what a click must not lose (records the answer) and returns the follow-up; adapters call it before
   * acknowledging the click and `finish` after.
   */
  acceptAction(inv: ActionInvocation): Promise<AcceptedAction>;
  /** `acceptAction` then `finish`, for callers with nothing to do in between. */
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
  const version = { app: deps.appVersion ?? 'unknown', content: deps.study.track().version };
  const services: CoreServices = { study: deps.study, commands, events, platformAdmins, version };
  const metrics = deps.metrics ?? noopMetrics;

  /**
   * Button handlers by action id; each button's value carries what it needs, so clicks work on any instance.
   * A handler does what must be durable (the answer, the join) and returns the rest to run after the ack.
   */
  const actions: Record<string, (inv: ActionInvocation, log: Log) => Promise<() => Promise<ActionResult>>> = {
    async [ANSWER_ACTION](inv, log) {
      const parsed = parseAnswerValue(inv.value);
      if (!parsed) throw new UserFacingError('UNKNOWN_ACTION', 'That button is not valid.');
      const { target } = parsed;
      if (target.kind === 'delivery') {
        const recorded = await deps.study.recordDeliveryAnswer(
          inv.user,
          target.id,
          parsed.choice,
          inv.channel,
        );
        metrics.answer(inv.channel.platform, target.kind);
        return async () => {
          const outcome = await deps.study.completeAnswer(recorded);
          log.info({ target: target.kind, correct: outcome.correct }, 'action handled');
          deps.onDeliveryChanged?.(target.id);
          return { reply: answerResultMessage(outcome), changedDelivery: target.id };
        };
      }
      const outcome = await deps.study.answerPractice(inv.user, target.id, parsed.choice);
      metrics.answer(inv.channel.platform, target.kind);
      log.info({ target: target.kind, correct: outcome.correct }, 'action handled');
      return async () => ({ reply: answerResultMessage(outcome) });
    },
    async [COHORT_JOIN_ACTION](inv, log) {
      const cohortId = parseJoinValue(inv.value);
      if (cohortId === undefined) throw new UserFacingError('UNKNOWN_ACTION', 'That button is not valid.');
      const reply = await joinReply(services, inv.user, inv.channel, cohortId);
      log.info({ cohortId }, 'action handled');
      return async () => ({ reply });
    },
  };

  async function acceptAction(inv: ActionInvocation): Promise<AcceptedAction> {
    const log = deps.log.child({
      platform: inv.channel.platform,
      workspace: inv.channel.workspaceId,
      channel: inv.channel.channelId,
      requestId: inv.requestId,
      action: inv.actionId,
    });
    const failed = (err: unknown): ActionResult => ({ reply: errorReply(err, log, inv.requestId) });
    try {
      const handler = Object.hasOwn(actions, inv.actionId) ? actions[inv.actionId] : undefined;
      if (!handler) throw new UserFacingError('UNKNOWN_ACTION', 'That button is no longer supported.');
      await deps.study.touch(inv.user);
      const finish = await handler(inv, log);
      return { finish: () => finish().catch(failed) };
    } catch (err) {
      const result = failed(err);
      return { finish: async () => result };
    }
  }

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
    acceptAction(received) {
      return acceptAction(withInertName(received));
    },
    async handleAction(received) {
      return (await acceptAction(withInertName(received))).finish();
    },
  };
}
