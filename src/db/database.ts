/** Opens the database: a node-postgres pool when DATABASE_URL is set, embedded PGlite otherwise. */
import { mkdirSync } from 'node:fs';
import type { PGlite } from '@electric-sql/pglite';
import { Kysely, PGliteDialect, PostgresDialect, type PostgresPool, type PostgresPoolClient } from 'kysely';
import pg from 'pg';
import { type Log, silentLog } from '../core/log.ts';
import { preparedName } from './prepared.ts';
import { WriteWatch } from './read-cache.ts';
import type { Database } from './schema.ts';

export type DatabaseTarget =
  | {
      kind: 'postgres';
      url: string;
      poolMax?: number;
      searchPath?: string;
      /** A new connection that takes longer fails instead of queueing work behind an unreachable server. */
      connectTimeoutMs?: number;
      /** The server cancels a statement running longer, so a stuck query frees its connection. */
      statementTimeoutMs?: number;
      /** The server ends a session idle inside an open transaction for longer, releasing its locks. */
      idleInTransactionTimeoutMs?: number;
      /** How long a query waits for a server refusing connections (default RECONNECT_WAIT_MS). */
      reconnectWaitMs?: number;
      /** Statements marked `PREPARED` go as named prepared statements (default on; see prepared.ts). */
      preparedStatements?: boolean;
    }
  | {
      kind: 'pglite';
      dataDir?: string;
      /** A dumped data directory to start from (tests load a migrated template instead of migrating each time). */
      loadDataDir?: Blob;
    };

/** The defaults config.ts documents; tests and tools that open a database directly get the same. */
const DATABASE_TIMEOUT_DEFAULTS = {
  connectTimeoutMs: 5_000,
  statementTimeoutMs: 30_000,
  idleInTransactionTimeoutMs: 60_000,
} as const;

export interface DatabaseHandle {
  db: Kysely<Database>;
  kind: DatabaseTarget['kind'];
  /** Connections in use and idle, for metrics; PGlite has exactly one. */
  poolStats(): { total: number; idle: number; waiting: number };
  close(): Promise<void>;
  /** This process's writes to the tables a `ReadCache` keeps reads of. */
  writes?: WriteWatch;
}

const INT8_OID = 20;
const DATE_OID = 1082;

// Counts and ids fit easily in a double; dates stay 'YYYY-MM-DD' so no time zone sneaks into a local date.
const parseInt8 = (value: string) => Number(value);
const keepDate = (value: string) => value;

/** SQLSTATE classes meaning the session is gone: connection exceptions (08) and operator intervention (57P0x). */
const SESSION_LOST = /^(08|57P0)/;

function sessionLost(err: unknown): boolean {
  const e = err as { code?: unknown; severity?: unknown; message?: unknown } | null;
  if (!e || typeof e !== 'object') return false;
  if (e.severity === 'FATAL' || e.severity === 'PANIC') return true;
  if (typeof e.code === 'string' && SESSION_LOST.test(e.code)) return true;
  return typeof e.message === 'string' && /^Connection terminated/.test(e.message);
}

/**
 * How long a query waits for a server that refuses connections (restarting, failing over) before it fails.
 * A PostgreSQL restart takes a second or two; waiting that long still lets a click be recorded before
 * Slack's and Discord's 3-second acknowledgement deadline, where failing at once would lose it.
 */
const RECONNECT_WAIT_MS = 2_000;
const RECONNECT_PAUSE_MS = 100;

/**
 * A named statement the server refuses to run as kept: its result type changed under it ("cached plan must
 * not change result type", 0A000) or the session no longer has it (26000). Both are raised before it runs.
 */
function staleStatement(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === '0A000' || code === '26000';
}

/** A new connection that failed because the server is not accepting any right now; nothing was sent. */
function serverUnavailable(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown } | null;
  if (!e || typeof e !== 'object') return false;
  if (e.code === 'ECONNREFUSED' || e.code === 'ECONNRESET' || e.code === '57P03') return true;
  return sessionLost(err);
}

/** A connection from the pool, retried while the server is briefly unavailable (no statement was sent yet). */
async function connectRiding(pool: pg.Pool, waitMs: number): Promise<pg.PoolClient> {
  const deadline = Date.now() + waitMs; // real time: it paces the retry timer
  for (;;) {
    try {
      return await pool.connect();
    } catch (err) {
      if (pool.ending || !serverUnavailable(err) || Date.now() + RECONNECT_PAUSE_MS > deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, RECONNECT_PAUSE_MS));
    }
  }
}

/**
 * The pool as Kysely sees it, except that a new connection rides out a brief outage (RECONNECT_WAIT_MS), a
 * client whose query failed because the server ended its session is destroyed on release, and a statement
 * marked `PREPARED` goes as a named prepared statement when `prepare` is on. Without the discard the pool
 * would take a lost client back before its socket has closed and hand it to the next query, which would fail
 * too.
 */
function discardingLostClients(pool: pg.Pool, reconnectWaitMs: number, prepare: boolean): PostgresPool {
  return {
    options: pool.options,
    end: () => pool.end(),
    async connect() {
      const client = await connectRiding(pool, reconnectWaitMs);
      let lost = false;
      const lease = {
        get processID() {
          return (client as pg.PoolClient & { processID?: number }).processID;
        },
        async query(text: string, parameters: readonly unknown[]) {
          const values = parameters as unknown[];
          const name = prepare ? preparedName(text) : undefined;
          try {
            if (!name) return await client.query(text, values);
            try {
              // pg parses a named statement on its first use on this connection and reuses it afterwards.
              return await client.query({ name, text, values });
            } catch (err) {
              if (!staleStatement(err)) throw err;
              // The statement this connection kept cannot run any more, and nothing ran: a migration changed
              // the type of a column it returns (a deploy migrates while older processes still serve), or the
              // server forgot it. pg would keep reusing the name, so the connection goes on release and the
              // next one prepares afresh; this time the statement goes unnamed.
              lost = true;
              return await client.query(text, values);
            }
          } catch (err) {
            if (sessionLost(err)) lost = true;
            throw err;
          }
        },
        release(destroy?: boolean) {
          client.release(destroy || lost);
        },
      };
      return lease as unknown as PostgresPoolClient;
    },
  };
}

/**
 * `log` hears about connections the server ended (restart, failover, pg_terminate_backend): the pool drops
 * such a client and opens a new one on the next query, so the process keeps serving once the server is back.
 */
export function openDatabase(target: DatabaseTarget, log: Log = silentLog): DatabaseHandle {
  if (target.kind === 'postgres') {
    const pool = new pg.Pool({
      connectionString: target.url,
      max: target.poolMax ?? 10,
      connectionTimeoutMillis: target.connectTimeoutMs ?? DATABASE_TIMEOUT_DEFAULTS.connectTimeoutMs,
      statement_timeout: target.statementTimeoutMs ?? DATABASE_TIMEOUT_DEFAULTS.statementTimeoutMs,
      idle_in_transaction_session_timeout:
        target.idleInTransactionTimeoutMs ?? DATABASE_TIMEOUT_DEFAULTS.idleInTransactionTimeoutMs,
      // Notices a server that vanished without closing the socket (failover, network partition).
      keepAlive: true,
      ...(target.searchPath ? { options: `-c search_path=${target.searchPath}` } : {}),
      types: {
        getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
          if (oid === INT8_OID) return parseInt8;
          if (oid === DATE_OID) return keepDate;
          return pg.types.getTypeParser(oid, format);
        }) as typeof pg.types.getTypeParser,
      },
    });
    // An idle client whose connection the server ended: the pool has already removed it. Without this
    // listener Node would treat the 'error' event as unhandled and exit.
    pool.on('error', (err: Error & { code?: string }) => {
      log.warn(
        { code: err.code, reason: err.message },
        'database connection lost; the next query opens a new one',
      );
    });
    // A checked-out client has no pool listener: its query in progress rejects (the caller sees the error)
    // and the pool discards it on release, but the socket's 'error' event still needs a listener.
    pool.on('connect', (client) => {
      client.on('error', (err: Error & { code?: string }) => {
        log.debug({ code: err.code, reason: err.message }, 'database connection in use was lost');
      });
    });
    const writes = new WriteWatch();
    const db = new Kysely<Database>({
      dialect: writes.dialect(
        new PostgresDialect({
          pool: discardingLostClients(
            pool,
            target.reconnectWaitMs ?? RECONNECT_WAIT_MS,
            target.preparedStatements ?? true,
          ),
        }),
      ),
      plugins: [writes.plugin],
    });
    return {
      db,
      writes,
      kind: 'postgres',
      poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
      close: async () => {
        await db.destroy();
        // Kysely ends the pool only if it ever opened a connection; a handle closed unused must refuse too.
        if (!pool.ending) await pool.end();
      },
    };
  }
  return openPglite(target);
}

/** Embedded PGlite, in `target.dataDir` or in memory. */
function openPglite(target: Extract<DatabaseTarget, { kind: 'pglite' }>): DatabaseHandle {
  if (target.dataDir) mkdirSync(target.dataDir, { recursive: true });
  // Imported on the first query, so a process on PostgreSQL never loads PGlite (its WebAssembly and ~1 MB of JS).
  let pglite: PGlite | undefined;
  const open = async () => {
    const { PGlite } = await import('@electric-sql/pglite');
    pglite = new PGlite({
      ...(target.dataDir ? { dataDir: target.dataDir } : {}),
      ...(target.loadDataDir ? { loadDataDir: target.loadDataDir } : {}),
      parsers: { [INT8_OID]: parseInt8, [DATE_OID]: keepDate },
    });
    return pglite;
  };
  const writes = new WriteWatch();
  const db = new Kysely<Database>({
    dialect: writes.dialect(new PGliteDialect({ pglite: open })),
    plugins: [writes.plugin],
  });
  return {
    db,
    writes,
    kind: 'pglite',
    poolStats: () => ({ total: 1, idle: 1, waiting: 0 }),
    close: async () => {
      await db.destroy();
      if (pglite && !pglite.closed) await pglite.close();
    },
  };
}
