/** `track import|list|remove`: a manager's own tracks for this workspace. */
import { commandBuilder } from '../core/commands/define.ts';
import { UserFacingError } from '../core/errors.ts';
import type { CommandInvocation } from '../core/invocation.ts';
import { echo, managerCommand } from '../core/render/text.ts';
import { type OutboundMessage, plain } from '../core/types.ts';
import type { Services } from '../db/deps.ts';
import { type ImportOutcome, importTrack, removeTrack, TRACK_LIMITS, tracksOf } from './tracks.ts';

const { subcommand, group } = commandBuilder<Services>();

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

const IMPORT_USAGE = `${managerCommand('track import')} [file]`;

const HOW_TO_ATTACH: Record<string, string> = {
  discord: `attach the YAML file to the \`file\` option of ${managerCommand('track import')}`,
  slack: `share the YAML file in this channel (or this DM), then run ${managerCommand('track import')}`,
  console: `give its path: ${managerCommand('track import')} ./my-track.yaml`,
};

async function readAttachment(inv: CommandInvocation, hint: string | undefined) {
  const file = await inv.attachment?.({ maxBytes: TRACK_LIMITS.bytes, ...(hint ? { hint } : {}) });
  if (!file)
    throw new UserFacingError(
      'MISSING_ARGUMENT',
      `No track file found: ${HOW_TO_ATTACH[inv.channel.platform] ?? HOW_TO_ATTACH.console}. The format is in content/README.md.`,
      IMPORT_USAGE,
    );
  return file;
}

function importMessage(outcome: ImportOutcome): OutboundMessage {
  if (!outcome.ok) {
    const n = outcome.problems.length;
    // A code block: what a problem quotes from the file shows as written and never as markup.
    const lines = outcome.problems.map((p) => p.replace(/```/g, "'''"));
    return plain(
      `❌ ${outcome.file}: ${n} problem${n === 1 ? '' : 's'}, nothing imported.\n\`\`\`\n${lines.join('\n')}\n\`\`\``,
    );
  }
  const { track, key, created, moved } = outcome;
  const questions = track.cards.reduce((n, c) => n + c.questions.length, 0);
  const what = `${plural(track.modules.length, 'module')}, ${plural(track.cards.length, 'card')}, ${plural(questions, 'question')}`;
  const lines = [
    `✅ ${created ? 'Imported' : 'Already imported'} **${track.title}** (\`${track.id}\`, version ${outcome.versions}, \`${key}\`): ${what}.`,
  ];
  if (moved.length > 0)
    lines.push(
      `${moved.length} channel${moved.length === 1 ? '' : 's'} move${moved.length === 1 ? 's' : ''} to this version from the next drill; past days keep the version they were shown with.`,
    );
  lines.push(`Study it in a channel with ${managerCommand('schedule set')} 09:00 track:${track.id}.`);
  return plain(lines.join('\n'));
}

const importCommand = subcommand({
  name: 'import',
  description: 'Import a track file (YAML) for this workspace, or a new version of one.',
  options: [
    {
      name: 'file',
      type: 'attachment',
      description: 'The track file (YAML); in the terminal, its path',
    },
  ] as const,
  access: 'manager',
  visibility: 'ephemeral',
  examples: ['track import ./my-track.yaml'],
  async handler({ invocation, services }, args) {
    const file = await readAttachment(invocation, args.file);
    return importMessage(await importTrack(services.deps, invocation.user, file));
  },
});

const list = subcommand({
  name: 'list',
  description: 'The tracks this workspace can study: the built-in ones and its own.',
  options: [],
  access: 'manager',
  visibility: 'ephemeral',
  async handler({ invocation, services }) {
    const { builtIn, own } = await tracksOf(services.deps, invocation.user);
    const lines = [
      '**Built in**',
      ...builtIn.map((t) => `- \`${t.id}\` ${t.title} · ${plural(t.cards.length, 'card')}`),
      '**This workspace**',
      ...(own.length
        ? own.map(
            (t) =>
              `- \`${t.id}\` ${t.title} · ${plural(t.cards, 'card')}, ${plural(t.questions, 'question')} · version \`${t.key}\``,
          )
        : [`- none yet: ${managerCommand('track import')} adds one`]),
    ];
    return plain(lines.join('\n'));
  },
});

const remove = subcommand({
  name: 'remove',
  description: "Remove one of this workspace's tracks (history made with it stays).",
  options: [
    { name: 'track', type: 'string', required: true, maxLength: 40, description: 'The track id' },
  ] as const,
  access: 'manager',
  visibility: 'ephemeral',
  examples: ['track remove team-deploys'],
  async handler({ invocation, services }, args) {
    await removeTrack(services.deps, invocation.user, args.track);
    return plain(`🗑️ Removed the track ${echo(args.track)} from this workspace.`);
  },
});

export const track = group({
  name: 'track',
  description: "Managers: this workspace's own tracks: import a file, list, remove.",
  subcommands: [importCommand, list, remove],
});
