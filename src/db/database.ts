/** Opens the database: a node-postgres pool when DATABASE_URL is set, embedded PGlite otherwise. */
import { mkdirSync } from 'node:fs';
import { PGlite, types as pgliteTypes } from '@electric-sql/pglite';
import { Kysely, PGliteDialect, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.ts';

export type DatabaseTarget =
  | { kind: 'postgres'; url: string; poolMax?: number; searchPath?: string }
  | {
      kind: 'pglite';
      dataDir?: string;
      /** A dumped data directory to start from (tests load a migrated template instead of migrating each time). */
      loadDataDir?: Blob;
    };

export interface DatabaseHandle {
  db: Kysely<Database>;
  kind: DatabaseTarget['kind'];
  /** Connections in use and idle, for metrics; PGlite has exactly one. */
  poolStats(): { total: number; idle: number; waiting: number };
  close(): Promise<void>;
}

const INT8_OID = 20;
const DATE_OID = 1082;

// Counts and ids fit easily in a double; dates stay 'YYYY-MM-DD' so no time zone sneaks into a local date.
const parseInt8 = (value: string) => Number(value);
const keepDate = (value: string) => value;

export function openDatabase(target: DatabaseTarget): DatabaseHandle {
  if (target.kind === 'postgres') {
    const pool = new pg.Pool({
      connectionString: target.url,
      max: target.poolMax ?? 10,
      ...(target.searchPath ? { options: `-c search_path=${target.searchPath}` } : {}),
      types: {
        getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
          if (oid === INT8_OID) return parseInt8;
          if (oid === DATE_OID) return keepDate;
          return pg.types.getTypeParser(oid, format);
        }) as typeof pg.types.getTypeParser,
      },
    });
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return {
      db,
      kind: 'postgres',
      poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
      close: () => db.destroy(),
    };
  }
  if (target.dataDir) mkdirSync(target.dataDir, { recursive: true });
  const pglite = new PGlite({
    ...(target.dataDir ? { dataDir: target.dataDir } : {}),
    ...(target.loadDataDir ? { loadDataDir: target.loadDataDir } : {}),
    parsers: { [pgliteTypes.INT8]: parseInt8, [pgliteTypes.DATE]: keepDate },
  });
  const db = new Kysely<Database>({ dialect: new PGliteDialect({ pglite }) });
  return {
    db,
    kind: 'pglite',
    poolStats: () => ({ total: 1, idle: 1, waiting: 0 }),
    close: async () => {
      await db.destroy();
      if (!pglite.closed) await pglite.close();
    },
  };
}
