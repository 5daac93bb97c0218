/**
 * Button handlers by action id; each button's value carries what it needs, so clicks work on any instance.
 * A handler does what must be durable (the answer, the join) and returns the rest to run after the ack.
 */

import { completeAnswer, recordDeliveryAnswer } from '../answers/answering.ts';
import { answerResultMessage } from '../answers/messages.ts';
import { myAnswer } from '../answers/my-answer.ts';
import { joinReply } from '../cohorts/commands.ts';
import { COHORT_JOIN_ACTION, parseJoinValue } from '../cohorts/messages.ts';
import { UserFacingError } from '../core/errors.ts';
import type { ActionInvocation, ActionResult } from '../core/invocation.ts';
import type { Log } from '../core/log.ts';
import type { Metrics } from '../core/metrics.ts';
import type { Services } from '../db/deps.ts';
import { readCard } from '../deliveries/member-delivery.ts';
import {
  ANSWER_ACTION,
  parseAnswerValue,
  parseReadCardValue,
  READ_CARD_ACTION,
} from '../deliveries/messages.ts';
import { REPORT_ACTION, withReportButton } from '../deliveries/report-button.ts';
import { MY_ANSWER_ACTION, parseMyAnswerValue } from '../deliveries/results-message.ts';
import { reportChoices, reportFromButton } from '../feedback/commands.ts';
import { REPORT_REASON_ACTION } from '../feedback/messages.ts';
import { answerPractice } from '../practice/answering.ts';

export type ActionHandler = (inv: ActionInvocation, log: Log) => Promise<() => Promise<ActionResult>>;

const invalid = () => new UserFacingError('UNKNOWN_ACTION', 'That button is not valid.');

export function actionHandlers(services: Services, metrics: Metrics): Record<string, ActionHandler> {
  const { deps } = services;
  return {
    async [ANSWER_ACTION](inv, log) {
      const parsed = parseAnswerValue(inv.value);
      if (!parsed) throw invalid();
      const { target } = parsed;
      if (target.kind === 'delivery') {
        const recorded = await recordDeliveryAnswer(deps, inv.user, target.id, parsed.choice, inv.channel);
        metrics.answer(inv.channel.platform, target.kind);
        return async () => {
          const outcome = await completeAnswer(deps, recorded);
          log.info({ target: target.kind, correct: outcome.correct }, 'action handled');
          services.events.deliveryChanged(target.id);
          return {
            reply: withReportButton(answerResultMessage(outcome), 'drill', outcome.question.id),
            memberChanged: true,
          };
        };
      }
      const outcome = await answerPractice(deps, inv.user, target.id, parsed.choice);
      metrics.answer(inv.channel.platform, target.kind);
      log.info({ target: target.kind, correct: outcome.correct }, 'action handled');
      return async () => ({
        reply: withReportButton(answerResultMessage(outcome), 'practice', outcome.question.id),
        memberChanged: true,
      });
    },
    async [READ_CARD_ACTION](inv, log) {
      const target = parseReadCardValue(inv.value);
      if (!target) throw invalid();
      const reply = await readCard(deps, inv.user, target);
      log.info({ value: inv.value }, 'action handled');
      return async () => ({ reply });
    },
    async [MY_ANSWER_ACTION](inv, log) {
      const deliveryId = parseMyAnswerValue(inv.value);
      if (deliveryId === undefined) throw invalid();
      const reply = await myAnswer(deps, inv.user, deliveryId);
      log.info({ deliveryId }, 'action handled');
      return async () => ({ reply });
    },
    async [REPORT_ACTION](inv, log) {
      const reply = await reportChoices(deps, inv);
      log.info({ value: inv.value }, 'action handled');
      return async () => ({ reply });
    },
    async [REPORT_REASON_ACTION](inv, log) {
      const reply = await reportFromButton(deps, inv);
      log.info({ value: inv.value }, 'action handled');
      return async () => ({ reply });
    },
    async [COHORT_JOIN_ACTION](inv, log) {
      const cohortId = parseJoinValue(inv.value);
      if (cohortId === undefined) throw invalid();
      const reply = await joinReply(services, inv.user, inv.channel, cohortId);
      log.info({ cohortId }, 'action handled');
      return async () => ({ reply });
    },
  };
}
