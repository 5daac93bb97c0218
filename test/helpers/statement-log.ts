/** Records the SQL statements sent through a Kysely instance while started: how many a request sends, and what. */
import type { Kysely, KyselyPlugin, QueryId, RootOperationNode } from 'kysely';
import type { Database } from '../../src/db/schema.ts';

export interface StatementLog {
  /** Add to the Kysely instance under test (`db.withPlugin(log.plugin)`). */
  plugin: KyselyPlugin;
  start(): void;
  /** Stops recording and returns the statements as SQL text, compiled by `db`'s dialect. */
  stop(db: Kysely<Database>): string[];
}

export function createStatementLog(): StatementLog {
  const recorded: { node: RootOperationNode; queryId: QueryId }[] = [];
  let on = false;
  return {
    plugin: {
      transformQuery({ node, queryId }) {
        if (on) recorded.push({ node, queryId });
        return node;
      },
      async transformResult({ result }) {
        return result;
      },
    },
    start() {
      recorded.length = 0;
      on = true;
    },
    stop(db) {
      on = false;
      return recorded.map((r) => db.getExecutor().compileQuery(r.node, r.queryId).sql);
    },
  };
}

/** The tables a statement names after FROM or JOIN. */
export function tablesRead(sql: string): string[] {
  return [...sql.matchAll(/\b(?:from|join)\s+"([a-z_]+)"/g)].map((m) => m[1]!);
}
