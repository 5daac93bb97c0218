/** /roadmap help: generated from the command definitions, so it can never drift from them. */

import { UserFacingError } from '../errors.ts';
import { managerCommand } from '../render/text.ts';
import type { CoreServices } from '../services.ts';
import type { OutboundMessage } from '../types.ts';
import { commandBuilder, type ResolvedCommand } from './define.ts';
import { nearest } from './options.ts';

const { subcommand } = commandBuilder<CoreServices>();

/** A listing line is one sentence: a description's first (the rest shows in `help <command>`). */
function firstSentence(text: string): string {
  return text.split(/(?<=[.!?])\s+(?=[A-Z/`])/)[0] ?? text;
}

// Two words, so every path reads naturally: `help schedule set`, `help cohort`, `help today`.
const helpOptions = [
  {
    name: 'command',
    type: 'string',
    maxLength: 60,
    description: 'A command or group to explain, e.g. "leaderboard" or "schedule"',
  },
  {
    name: 'subcommand',
    type: 'string',
    maxLength: 30,
    description: 'A subcommand of that group, e.g. "set" in help schedule set',
  },
] as const;

export const help = subcommand({
  name: 'help',
  description: 'Lists the commands, or explains one: /roadmap help leaderboard, /roadmap help schedule set.',
  options: helpOptions,
  access: 'all',
  visibility: 'ephemeral',
  examples: ['help cohort', 'help schedule set'],
  async handler({ services, invocation }, args) {
    const router = services.commands;
    const all = router.all();
    if (args.command) {
      // "help /roadmap schedule set", "help schedule set" and "help schedule" with "set" all mean one path.
      const words = [args.command, args.subcommand ?? '']
        .join(' ')
        .toLowerCase()
        .split(/\s+/)
        .filter((w) => w && w !== `/${router.commandName}` && w !== router.commandName);
      const [first = '', second] = words;
      const inGroup = all.filter((c) => c.path[0] === first || c.def.aliases?.includes(first));
      // A top-level command's second word is one of its options (`help streak history`): explain the command.
      const shown: ResolvedCommand<CoreServices>[] =
        second === undefined || (inGroup.length === 1 && inGroup[0]!.path.length === 1)
          ? inGroup
          : inGroup.filter((c) => c.path[1] === second);
      if (!shown.length || words.length > 2) {
        const asked = words.join(' ').slice(0, 40);
        const candidates = inGroup.length
          ? inGroup.map((c) => c.path.join(' '))
          : [...new Set(all.map((c) => c.path[0]!))];
        const near = nearest(inGroup.length ? `${first} ${second ?? ''}`.trim() : first, candidates);
        throw new UserFacingError(
          'UNKNOWN_COMMAND',
          `There is no command "${asked}".${near.length ? ` Did you mean ${near.map((n) => `\`help ${n}\``).join(' or ')}?` : ''}`,
          inGroup.length
            ? `/${router.commandName} help ${inGroup[0]!.path[0]}`
            : `/${router.commandName} help`,
        );
      }
      const body = shown
        .map(({ path, def }) => {
          const opts = def.options.map(
            (o) => `- \`${o.name}\`${o.required ? '' : ' (optional)'}: ${o.description}`,
          );
          // Examples are the words after the command; the command before them is named like any other.
          const example = (words: string) =>
            def.access === 'manager' ? managerCommand(words) : `/${router.commandName} ${words}`;
          const examples = def.examples?.length
            ? `\nExamples: ${def.examples.map((e) => `\`${example(e)}\``).join(', ')}`
            : '';
          const who = def.access === 'manager' ? ' _(managers)_' : '';
          return `\`${router.usage({ path, def })}\`${who}\n${def.description}${opts.length ? `\n${opts.join('\n')}` : ''}${examples}`;
        })
        .join('\n\n');
      const group = shown[0]!.path[0]!;
      const title =
        shown.length === 1
          ? router.line(shown[0]!)
          : shown.every((c) => c.def.access === 'manager')
            ? managerCommand(group)
            : `/${router.commandName} ${group}`;
      return {
        text: body,
        card: { title, sections: [{ body }] },
        visibility: 'ephemeral',
      };
    }
    // An admin by platform role the adapter has not looked up yet is asked now: they see Manage on first help.
    return listing(services, await services.manages(invocation));
  },
});

/** Every command in one line each: "Study" for everyone, "Manage" only for someone who manages. */
function listing(services: CoreServices, manages: boolean): OutboundMessage {
  // Members see what they can run; managers see the manager commands as well, in their own group.
  const router = services.commands;
  const all = router.all();
  const line = (c: ResolvedCommand<CoreServices>) =>
    `\`${router.line(c)}\`: ${firstSentence(c.def.description)}`;
  const study = all.filter((c) => c.def.access === 'all').map(line);
  const manage = manages ? all.filter((c) => c.def.access === 'manager').map(line) : [];
  const sections = [
    { heading: 'Study', body: study.join('\n') },
    ...(manage.length ? [{ heading: 'Manage', body: manage.join('\n') }] : []),
  ];
  const more = manages
    ? ''
    : ` Managers also set up drills and cohorts: /${router.commandName} help schedule, /${router.commandName} help cohort.`;
  return {
    text: sections.map((x) => `${x.heading}\n${x.body}`).join('\n\n'),
    card: {
      title: `/${router.commandName}: study the backend roadmap, one card a day`,
      sections,
      footer: `Options go in order or as name:value; quote values with spaces. /${router.commandName} help <command> [subcommand] for details.${more} roadmap-bot ${services.version.app}, content ${services.version.content}.`,
    },
    visibility: 'ephemeral',
  };
}
