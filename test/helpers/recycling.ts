/**
 * Giving a used test database back in the state of a fresh copy of the migrated template, so the next test
 * can have it instead of a new copy: a new copy costs a PGlite start-up (about half a second of CPU) or a
 * CREATE DATABASE on the server, emptying the tables a few tens of milliseconds. A database whose schema a
 * test changed (a trigger added, a migration left reverted) does not match the template's fingerprint and is
 * thrown away instead, so only the rows are ever reset, never the schema.
 */
import { type Kysely, sql } from 'kysely';

/** Schemas that belong to the server, not to the application. */
const SERVER_SCHEMA = `(n.nspname in ('pg_catalog', 'information_schema') or n.nspname like 'pg\\_%')`;

/**
 * One line per object a test could add, drop or alter outside the rows: schemas, relations, columns,
 * defaults, constraints, indexes, triggers, functions, types, sequences' settings, views, policies,
 * extensions and the database's own settings, plus the applied migrations. Two databases with the same fingerprint have the same schema.
 */
const FINGERPRINT = `
  select md5(coalesce(string_agg(line, E'\\n' order by line), '')) as fingerprint from (
    select concat_ws(' ', 'schema', n.nspname) as line from pg_namespace n where not ${SERVER_SCHEMA}
    union all
    select concat_ws(' ', 'relation', n.nspname, c.relname, c.relkind, c.relpersistence)
      from pg_class c join pg_namespace n on n.oid = c.relnamespace where not ${SERVER_SCHEMA}
    union all
    select concat_ws(' ', 'column', a.attrelid::regclass, a.attnum, a.attname, format_type(a.atttypid, a.atttypmod),
        a.attnotnull, pg_get_expr(d.adbin, d.adrelid), a.attidentity, a.attgenerated)
      from pg_attribute a
      join pg_class c on c.oid = a.attrelid
      join pg_namespace n on n.oid = c.relnamespace
      left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
      where a.attnum > 0 and not a.attisdropped and not ${SERVER_SCHEMA}
    union all
    select concat_ws(' ', 'constraint', co.conrelid::regclass, co.conname, pg_get_constraintdef(co.oid))
      from pg_constraint co join pg_namespace n on n.oid = co.connamespace where not ${SERVER_SCHEMA}
    union all
    select concat_ws(' ', 'index', pg_get_indexdef(i.indexrelid))
      from pg_index i join pg_class c on c.oid = i.indexrelid join pg_namespace n on n.oid = c.relnamespace
      where not ${SERVER_SCHEMA}
    union all
    select concat_ws(' ', 'trigger', t.tgrelid::regclass, t.tgname, t.tgenabled) from pg_trigger t where not t.tgisinternal
    union all
    select concat_ws(' ', 'function', p.oid::regprocedure, md5(p.prosrc))
      from pg_proc p join pg_namespace n on n.oid = p.pronamespace where not ${SERVER_SCHEMA}
    union all
    select concat_ws(' ', 'type', n.nspname, t.typname, t.typtype)
      from pg_type t join pg_namespace n on n.oid = t.typnamespace where not ${SERVER_SCHEMA}
    union all
    select concat_ws(' ', 'sequence', s.schemaname, s.sequencename, s.start_value, s.increment_by, s.min_value,
        s.max_value, s.cycle)
      from pg_sequences s
    union all
    select concat_ws(' ', 'view', v.schemaname, v.viewname, md5(v.definition))
      from pg_views v where v.schemaname not in ('pg_catalog', 'information_schema')
    union all
    select concat_ws(' ', 'policy', p.schemaname, p.tablename, p.policyname) from pg_policies p
    union all
    select concat_ws(' ', 'extension', e.extname, e.extversion) from pg_extension e
    union all
    select concat_ws(' ', 'rule', r.rulename, r.ev_class::regclass)
      from pg_rewrite r join pg_class c on c.oid = r.ev_class join pg_namespace n on n.oid = c.relnamespace
      where not ${SERVER_SCHEMA} and r.rulename <> '_RETURN'
    union all
    select concat_ws(' ', 'setting', s.setrole, s.setconfig::text) from pg_db_role_setting s
      where s.setdatabase = (select oid from pg_database where datname = current_database())
    union all
    select concat_ws(' ', 'migration', name) from public.kysely_migration
  ) lines`;

/** The application's tables; the migrator's own bookkeeping stays as it is. */
const TABLES = `
  select format('%I.%I', schemaname, tablename) as name from pg_tables
  where schemaname = 'public' and tablename not in ('kysely_migration', 'kysely_migration_lock')
  order by tablename`;

/** Every sequence back to its start, as in a fresh copy (RESTART IDENTITY covers only the owned ones). */
const RESTART_SEQUENCES = `
  select count(setval(format('%I.%I', schemaname, sequencename), start_value, false)) as restarted
  from pg_sequences where schemaname not in ('pg_catalog', 'information_schema')`;

/** Runs one statement; the two backends' clients both fit this shape. */
export type Run = (text: string) => Promise<Array<Record<string, unknown>>>;

// biome-ignore lint/suspicious/noExplicitAny: any database schema; only raw SQL runs through it.
export function kyselyRun(db: Kysely<any>): Run {
  return async (text) => (await sql.raw<Record<string, unknown>>(text).execute(db)).rows;
}

export async function schemaFingerprint(run: Run): Promise<string> {
  return String((await run(FINGERPRINT))[0]!.fingerprint);
}

/**
 * Empties a database whose schema still matches `reference`; false (and nothing emptied) when it does not.
 * Every row goes, sequences restart, and each table that had rows gets new, empty storage, as in a fresh
 * copy (TRUNCATE, not DELETE, so rows inserted next are stored in order again).
 */
export async function resetToTemplate(run: Run, reference: string): Promise<boolean> {
  if ((await schemaFingerprint(run)) !== reference) return false;
  const tables = (await run(TABLES)).map((r) => String(r.name));
  if (tables.length > 0) {
    const probe = tables
      .map((t, i) => `select ${i} as i where exists (select from ${t})`)
      .join(' union all ');
    const used = (await run(probe)).map((r) => tables[Number(r.i)]!);
    if (used.length > 0) await run(`truncate ${used.join(', ')} restart identity cascade`);
  }
  await run(RESTART_SEQUENCES);
  return true;
}
