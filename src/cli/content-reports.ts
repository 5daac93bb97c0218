/**
 * `npm run content:reports -- --database <url>`: every open question report across workspaces as a Markdown
 * table, for a content pull request. Without --database it reads DATABASE_URL, or the embedded database in
 * DATA_DIR, as `npm run migrate` does. It only reads.
 */
import { ConfigError, loadConfig } from '../config/config.ts';
import { loadTrack } from '../content/load.ts';
import { openDatabase } from '../db/database.ts';
import { openReportsMarkdown } from '../feedback/export.ts';

const USAGE = 'Usage: npm run content:reports [-- --database postgres://user:password@host:5432/db]';

/** The database URL given on the command line; undefined when none is; an error line when the arguments are bad. */
function databaseArgument(args: readonly string[]): { url?: string } | { error: string } {
  if (args.length === 0) return {};
  const [flag, value, ...rest] = args;
  const inline = /^--database=(.+)$/.exec(flag ?? '');
  if (inline && !value) return { url: inline[1]! };
  if (flag === '--database' && value && rest.length === 0) return { url: value };
  return { error: USAGE };
}

async function run(): Promise<void> {
  const arg = databaseArgument(process.argv.slice(2));
  if ('error' in arg) {
    console.error(arg.error);
    process.exitCode = 2;
    return;
  }
  const config = loadConfig(arg.url ? { ...process.env, DATABASE_URL: arg.url } : process.env);
  const track = loadTrack(config.contentDir, config.defaultTrack);
  const database = openDatabase(config.database);
  try {
    console.log(await openReportsMarkdown(database.db, [track]));
  } finally {
    await database.close();
  }
}

run().catch((err: unknown) => {
  const code = (err as { code?: unknown }).code;
  if (err instanceof ConfigError) console.error(err.message);
  // undefined_table: a database the migrations have not reached yet.
  else if (code === '42P01')
    console.error('This database has no question reports table yet: run `npm run migrate` against it first.');
  else console.error(`content:reports failed: ${(err as Error).message}`);
  process.exitCode = 1;
});
