/**
 * Records the SQL statements sent through a Kysely instance while switched on: their text, the tables they
 * read, and the rows they return. A row is named table#id (the statement's main table: the first FROM of
 * a SELECT, the target of an INSERT or UPDATE). It is *loaded* when the statement returns the whole row
 * (`select *`, `select "table".*`, `returning *`), and *returned* when it comes back with its id and at
 * least one other column.
 */
import type {
  Kysely,
  KyselyPlugin,
  PluginTransformQueryArgs,
  PluginTransformResultArgs,
  QueryResult,
  RootOperationNode,
  UnknownRow,
} from 'kysely';
import type { Database } from '../src/db/schema.ts';

export interface Statement {
  sql: string;
  kind: string;
  /** Tables named after FROM or JOIN (a DELETE's own table excluded). */
  reads: string[];
  rowCount: number;
  /** `table#id` of every whole row of the statement's main table it returned. */
  rowsLoaded: string[];
  /** `table#id` of every row of the main table it returned with its id and more (whole rows included). */
  rowsReturned: string[];
}

const READ = /\b(?:from|join)\s+"?([a-z_][a-z0-9_]*)"?/gi;
const TARGET = /^\s*(?:insert\s+into|update|delete\s+from)\s+"?([a-z_][a-z0-9_]*)"?/i;

type Described = Omit<Statement, 'rowCount' | 'rowsLoaded' | 'rowsReturned'> & {
  main?: string;
  whole: boolean;
};

function describe(sql: string): Described {
  const kind = (/^\s*(\w+)/.exec(sql)?.[1] ?? '?').toLowerCase();
  const target = TARGET.exec(sql)?.[1];
  const reads = [...sql.matchAll(READ)].map((m) => m[1]!);
  // "delete from x" names its target, not a read.
  if (kind === 'delete' && reads[0] === target) reads.shift();
  const main = kind === 'select' ? reads[0] : target;
  const whole =
    main !== undefined &&
    (/^\s*select\s+(distinct\s+)?\*/i.test(sql) ||
      sql.includes(`"${main}".*`) ||
      /\breturning\s+\*/i.test(sql));
  return { sql, kind, reads: [...new Set(reads)], main, whole };
}

export function createStatementRecorder(onStatement?: (sql: string) => void) {
  let on = false;
  let statements: Statement[] = [];
  let compiler: Kysely<Database> | undefined;
  const pending = new WeakMap<object, { statement: Statement; main?: string; whole: boolean }>();
  const plugin: KyselyPlugin = {
    transformQuery({ node, queryId }: PluginTransformQueryArgs): RootOperationNode {
      if (on && compiler) {
        const { sql } = compiler.getExecutor().compileQuery(node, queryId);
        onStatement?.(sql);
        const { main, whole, ...rest } = describe(sql);
        const statement: Statement = { ...rest, rowCount: 0, rowsLoaded: [], rowsReturned: [] };
        statements.push(statement);
        pending.set(queryId, { statement, whole, ...(main ? { main } : {}) });
      }
      return node;
    },
    async transformResult({ result, queryId }: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
      const seen = pending.get(queryId);
      if (seen) {
        seen.statement.rowCount = result.rows.length;
        for (const row of result.rows) {
          if (!seen.main || !('id' in row) || Object.keys(row).length < 2) continue;
          const key = `${seen.main}#${String(row.id)}`;
          seen.statement.rowsReturned.push(key);
          if (seen.whole) seen.statement.rowsLoaded.push(key);
        }
      }
      return result;
    },
  };
  return {
    plugin,
    /** The unwrapped instance, to compile what the plugin sees into SQL text. */
    compileWith(db: Kysely<Database>) {
      compiler = db;
    },
    start() {
      statements = [];
      on = true;
    },
    stop(): Statement[] {
      on = false;
      return statements;
    },
  };
}
