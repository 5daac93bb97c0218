/** /roadmap help: generated from the command definitions, so it can never drift from them. */
import { UserFacingError } from '../errors.ts';
import type { CoreServices } from '../services.ts';
import { commandBuilder } from './define.ts';

const { subcommand } = commandBuilder<CoreServices>();

const helpOptions = [
  { name: 'command', type: 'string', maxLength: 60, description: 'A command to explain, e.g. "leaderboard"' },
] as const;

export const help = subcommand({
  name: 'help',
  description: 'Lists the commands, or explains one: /roadmap help leaderboard.',
  options: helpOptions,
  access: 'all',
  visibility: 'ephemeral',
  async handler({ services }, args) {
    const router = services.commands;
    const all = router.all();
    if (args.command) {
      const words = args.command.toLowerCase().split(/\s+/);
      const matches = all.filter(
        (c) =>
          c.path.join(' ') === words.join(' ') ||
          c.path[0] === words[0] ||
          c.def.aliases?.includes(words[0]!),
      );
      const exact = matches.filter((c) => c.path.join(' ') === words.join(' '));
      const shown = exact.length ? exact : matches;
      if (!shown.length) {
        throw new UserFacingError(
          'UNKNOWN_COMMAND',
          `There is no command "${args.command}".`,
          `/${router.commandName} help`,
        );
      }
      const body = shown
        .map(({ path, def }) => {
          const opts = def.options.map(
            (o) => `- \`${o.name}\`${o.required ? '' : ' (optional)'}: ${o.description}`,
          );
          const examples = def.examples?.length
            ? `\nExamples: ${def.examples.map((e) => `\`${e}\``).join(', ')}`
            : '';
          const who = def.access === 'manager' ? ' _(managers)_' : '';
          return `\`${router.usage({ path, def })}\`${who}\n${def.description}${opts.length ? `\n${opts.join('\n')}` : ''}${examples}`;
        })
        .join('\n\n');
      return {
        text: body,
        card: { title: `/${router.commandName} ${shown[0]!.path[0]}`, sections: [{ body }] },
        visibility: 'ephemeral',
      };
    }
    const lines = all.map(
      ({ path, def }) =>
        `\`/${router.commandName} ${path.join(' ')}\`${def.access === 'manager' ? ' _(managers)_' : ''}: ${def.description}`,
    );
    const body = lines.join('\n');
    return {
      text: body,
      card: {
        title: `/${router.commandName}: study the backend roadmap, one card a day`,
        sections: [{ body }],
        footer: `Options go in order or as name:value; quote values with spaces. /${router.commandName} help <command> for details. roadmap-bot ${services.version.app}, content ${services.version.content}.`,
      },
      visibility: 'ephemeral',
    };
  },
});
