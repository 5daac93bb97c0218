/** `npm run migrate` applies pending migrations; `npm run migrate -- down` (or `down all`) reverts. */
import { assertServiceDatabase, ConfigError, describeDatabase, loadConfig } from '../config/config.ts';
import { createLogger } from '../config/logger.ts';
import { openDatabase } from '../db/database.ts';
import { migrateDown, migrateToLatest } from '../db/migrate.ts';

async function run(): Promise<void> {
  const config = loadConfig(process.env);
  // Fly's release command runs this first: a production deploy on the embedded database stops here, with why.
  assertServiceDatabase(config);
  const log = createLogger(config);
  const [direction, scope] = process.argv.slice(2);
  if (direction && direction !== 'up' && direction !== 'down') {
    console.error('Usage: npm run migrate [-- up | down [all]]');
    process.exitCode = 2;
    return;
  }
  const database = openDatabase(config.database, log);
  try {
    const names =
      direction === 'down'
        ? await migrateDown(database.db, log, scope === 'all')
        : await migrateToLatest(database.db, log);
    console.log(
      `${describeDatabase(config)}: ${names.length ? `${direction === 'down' ? 'reverted' : 'applied'} ${names.join(', ')}` : 'nothing to do'}`,
    );
  } finally {
    await database.close();
  }
}

run().catch((err) => {
  console.error(err instanceof ConfigError ? err.message : `migration failed: ${(err as Error).message}`);
  process.exitCode = 1;
});
