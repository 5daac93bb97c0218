import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { silentLog } from '../../src/core/log.ts';
import { openDatabase } from '../../src/db/database.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { MIGRATION_NAMES } from '../helpers/migrations.ts';

const url = process.env.TEST_DATABASE_URL;

// `npm run migrate` runs as Fly's release command and at every start-up, so several machines can run it at
// once. Kysely's Postgres adapter takes an advisory lock around the run; PGlite has one connection and
// nothing to race, so this is proven on the server only.
describe.skipIf(!url)('migrations from several machines at once, on PostgreSQL', () => {
  it('apply exactly once when four migrators start together on one empty database', async () => {
    const schema = `t_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`create schema ${schema}`);
    // Separate pools are separate sessions, as separate machines would be.
    const machines = Array.from({ length: 4 }, () =>
      openDatabase({ kind: 'postgres', url: url!, poolMax: 2, searchPath: schema }),
    );
    try {
      const results = await Promise.all(machines.map((m) => migrateToLatest(m.db, silentLog)));
      expect(results.flat()).toEqual(MIGRATION_NAMES);
      expect(results.filter((r) => r.length === 0)).toHaveLength(3);
      const rows = await admin.query(`select name from ${schema}.kysely_migration order by name`);
      expect(rows.rows.map((r) => r.name)).toEqual(MIGRATION_NAMES);
    } finally {
      await Promise.all(machines.map((m) => m.close()));
      await admin.query(`drop schema ${schema} cascade`);
      await admin.end();
    }
  });

  it("are not fooled by another schema's bookkeeping tables in the same database", async () => {
    const [decoy, ours] = [`t_${randomBytes(6).toString('hex')}`, `t_${randomBytes(6).toString('hex')}`];
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    // Another Kysely app (or a test run that died half-way) left its tables in its own schema.
    await admin.query(`create schema ${decoy}; create schema ${ours};
      create table ${decoy}.kysely_migration (name varchar(255) primary key, timestamp varchar(255) not null);
      create table ${decoy}.kysely_migration_lock (id varchar(255) primary key, is_locked integer not null default 0)`);
    const db = openDatabase({ kind: 'postgres', url: url!, poolMax: 2, searchPath: ours });
    try {
      expect(await migrateToLatest(db.db, silentLog)).toEqual(MIGRATION_NAMES);
      const rows = await admin.query(`select name from ${ours}.kysely_migration order by name`);
      expect(rows.rows.map((r) => r.name)).toEqual(MIGRATION_NAMES);
    } finally {
      await db.close();
      await admin.query(`drop schema ${decoy} cascade; drop schema ${ours} cascade`);
      await admin.end();
    }
  });

  it('are not stopped by schemas another client creates and drops meanwhile', async () => {
    const admin = new pg.Client({ connectionString: url });
    const churner = new pg.Client({ connectionString: url });
    await Promise.all([admin.connect(), churner.connect()]);
    // Another tenant of the database (or a parallel test) creating and dropping schemas the whole time.
    let churning = true;
    const churn = (async () => {
      while (churning) {
        const other = `t_${randomBytes(6).toString('hex')}`;
        await churner.query(`create schema ${other}; create table ${other}.t (id serial primary key, a int)`);
        await churner.query(`drop schema ${other} cascade`);
      }
    })();
    const failures: string[] = [];
    try {
      for (let i = 0; i < 5; i++) {
        const ours = `t_${randomBytes(6).toString('hex')}`;
        await admin.query(`create schema ${ours}`);
        const db = openDatabase({ kind: 'postgres', url: url!, poolMax: 2, searchPath: ours });
        try {
          expect(await migrateToLatest(db.db, silentLog)).toEqual(MIGRATION_NAMES);
        } catch (err) {
          failures.push(String(err));
        } finally {
          await db.close();
          await admin.query(`drop schema ${ours} cascade`);
        }
      }
    } finally {
      churning = false;
      await churn;
      await Promise.all([admin.end(), churner.end()]);
    }
    expect(failures).toEqual([]);
  });
});
