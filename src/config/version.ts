/**
 * The application's version, read once from package.json: two folders up from src/ in a checkout, three from
 * dist/src/ in the image. The core gets it as data (createBot's appVersion); /healthz and help show it.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

function readVersion(): string {
  for (let dir = import.meta.dirname; ; dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: unknown; version?: unknown };
      if (pkg.name === 'roadmap-bot' && typeof pkg.version === 'string') return pkg.version;
    }
    if (path.dirname(dir) === dir) throw new Error('package.json of roadmap-bot not found above src/version');
  }
}

export const APP_VERSION: string = readVersion();
