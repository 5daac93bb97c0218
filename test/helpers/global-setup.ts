/**
 * Vitest global setup: builds the migrated template databases once, before any test file runs, and at the end
 * drops the run's databases on the server (databases.ts keeps emptied ones for reuse until then).
 */
import type { TestProject } from 'vitest/node';
import {
  dropRunDatabases,
  dropStaleRunDatabases,
  migrationsKey,
  newRunName,
  pgliteTemplate,
  postgresReference,
  postgresTemplate,
} from './template-database.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string;
    postgresTemplate: string | null;
    /** Names this run's databases on the server (`t_<run>_…`), so the end of the run can drop them all. */
    databaseRun: string;
    /** The schema fingerprint of a fresh copy of the PostgreSQL template (see recycling.ts). */
    postgresFingerprint: string | null;
  }
}

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const key = migrationsKey();
  const run = newRunName();
  project.provide('databaseRun', run);
  project.provide('pgliteTemplate', await pgliteTemplate(key));
  const url = process.env.TEST_DATABASE_URL;
  if (!url) {
    project.provide('postgresTemplate', null);
    project.provide('postgresFingerprint', null);
    return undefined;
  }
  await dropStaleRunDatabases(url);
  const template = await postgresTemplate(url, key);
  project.provide('postgresTemplate', template);
  project.provide('postgresFingerprint', await postgresReference(url, template, run));
  return () => dropRunDatabases(url, run);
}
