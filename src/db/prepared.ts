/**
 * Statements PostgreSQL keeps planned on each connection. A statement whose text starts with `PREPARED` is sent
 * as a named prepared statement (named after its text) when the database is PostgreSQL and
 * DATABASE_PREPARED_STATEMENTS is on: each connection parses it once, and after five runs PostgreSQL keeps one
 * generic plan for it when that plan costs no more than planning afresh. For a hot statement with many
 * subqueries, planning is half its time.
 *
 * Only statements with a fixed text belong here: every distinct text is one more prepared statement on every
 * connection. And a generic plan is planned without the parameters' values, so a value the plan depends on
 * (a LIMIT, a boolean filter) must be written into the text, not passed as a parameter.
 */
import { createHash } from 'node:crypto';
import { sql } from 'kysely';

const MARK = '/* prepared */';

/** Put first in a statement's text to have it prepared. */
export const PREPARED = sql.raw(`${MARK} `);

/** The statement's name on a connection, or undefined for a statement sent unnamed. */
export function preparedName(text: string): string | undefined {
  if (!text.trimStart().startsWith(MARK)) return undefined;
  return `rb_${createHash('sha1').update(text).digest('hex').slice(0, 24)}`;
}
