/** Vitest global setup: builds the migrated template databases once, before any test file runs. */
import type { TestProject } from 'vitest/node';
import { migrationsKey, pgliteTemplate, postgresTemplate } from './template-database.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string;
    postgresTemplate: string | null;
  }
}

export default async function setup(project: TestProject): Promise<void> {
  const key = migrationsKey();
  project.provide('pgliteTemplate', await pgliteTemplate(key));
  const url = process.env.TEST_DATABASE_URL;
  project.provide('postgresTemplate', url ? await postgresTemplate(url, key) : null);
}
