/**
 * `report` (members: what is wrong with the question they met last here) and `content reports|resolve`
 * (managers: the workspace's open reports, and closing them), plus the report buttons' clicks.
 */

import { commandBuilder } from '../core/commands/define.ts';
import { UserFacingError } from '../core/errors.ts';
import type { ActionInvocation } from '../core/invocation.ts';
import { type OutboundMessage, plain } from '../core/types.ts';
import type { Services, StudyDeps } from '../db/deps.ts';
import { parseReportValue } from '../deliveries/report-button.ts';
import { workspaceTracks } from '../tracks/tracks.ts';
import {
  parseReasonValue,
  reasonChoiceMessage,
  reportsListMessage,
  resolvedMessage,
  thanksMessage,
} from './messages.ts';
import {
  lastSeenQuestion,
  MAX_NOTE,
  REPORT_REASONS,
  RESOLUTIONS,
  reportQuestion,
  requireQuestion,
  resolveReports,
  workspaceReports,
} from './reports.ts';

const { subcommand, group } = commandBuilder<Services>();

export const report = subcommand({
  name: 'report',
  description:
    'Report a problem with the question you saw last here: wrong key, unclear, outdated, typo or other.',
  options: [
    {
      name: 'reason',
      type: 'choice',
      choices: REPORT_REASONS,
      required: true,
      description: 'What is wrong: wrong-key, unclear, outdated, typo or other',
    },
    { name: 'note', type: 'string', maxLength: MAX_NOTE, description: 'What exactly, in your words' },
  ] as const,
  access: 'all',
  visibility: 'ephemeral',
  examples: ['report wrong-key', 'report other "option C is also right since HTTP/2"'],
  async handler({ invocation, services }, args) {
    const { deps } = services;
    const questionId = await lastSeenQuestion(deps, invocation.channel, invocation.user.userId);
    if (!questionId)
      throw new UserFacingError(
        'NOTHING_OPEN',
        'You have not met a question here yet; /roadmap report is about the last one you saw in this channel.',
        '/roadmap today or /roadmap quiz shows one; "Report a problem" under a result or a reveal works too',
      );
    const reported = await reportQuestion(deps, invocation.user, invocation.channel, {
      questionId,
      source: 'command',
      reason: args.reason,
      note: args.note,
    });
    return plain(thanksMessage(reported));
  },
});

const reports = subcommand({
  name: 'reports',
  description: "This workspace's open question reports, the most reported first.",
  options: [],
  access: 'manager',
  visibility: 'ephemeral',
  async handler({ invocation, services }) {
    const { groups, threshold } = await workspaceReports(services.deps, invocation.user);
    return reportsListMessage(groups, await workspaceTracks(services.deps, invocation.user), threshold);
  },
});

const resolve = subcommand({
  name: 'resolve',
  description: 'Close the open reports on a question: fixed, kept (it stays asked here) or dismissed.',
  options: [
    {
      name: 'report',
      type: 'string',
      required: true,
      maxLength: 80,
      description: 'The report number from content reports (e.g. 12) or the question id',
    },
    {
      name: 'resolution',
      type: 'choice',
      choices: RESOLUTIONS,
      required: true,
      description: 'fixed, kept or dismissed',
    },
  ] as const,
  access: 'manager',
  visibility: 'ephemeral',
  examples: ['content resolve 12 kept', 'content resolve http.methods.q2 fixed'],
  async handler({ invocation, services }, args) {
    return resolvedMessage(
      await resolveReports(services.deps, invocation.user, args.report, args.resolution),
    );
  },
});

export const content = group({
  name: 'content',
  description: 'Managers: the questions members reported, and resolving them.',
  subcommands: [reports, resolve],
});

const invalid = () => new UserFacingError('UNKNOWN_ACTION', 'That button is not valid.');

/** "Report a problem" clicked: which reason? Nothing is stored yet. */
export async function reportChoices(deps: StudyDeps, inv: ActionInvocation): Promise<OutboundMessage> {
  const parsed = parseReportValue(inv.value);
  if (!parsed) throw invalid();
  const { card, question } = await requireQuestion(deps, inv.channel, parsed.questionId);
  return reasonChoiceMessage(card, question, parsed.source);
}

/** A reason clicked: the report is stored (before the platform is acknowledged) and the thanks returned. */
export async function reportFromButton(deps: StudyDeps, inv: ActionInvocation): Promise<OutboundMessage> {
  const parsed = parseReasonValue(inv.value);
  if (!parsed) throw invalid();
  const reported = await reportQuestion(deps, inv.user, inv.channel, parsed);
  return plain(thanksMessage(reported));
}
