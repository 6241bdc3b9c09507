import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';

/**
 * The embedded store: one SQLite file, `<dataDir>/parapet.db`, through Node's built-in driver (no
 * native build). Each module creates its own tables with `CREATE TABLE IF NOT EXISTS`.
 */
export function openDatabase(dataDir: string): DatabaseSync {
  mkdirSync(dataDir, { recursive: true });
  return openDatabaseFile(join(dataDir, 'parapet.db'));
}

/** `:memory:` for tests. */
export function openDatabaseFile(file: string): DatabaseSync {
  const db = new DatabaseSync(file);
  // WAL lets a CLI or a second replica read while the gateway writes; the busy timeout covers the
  // short write locks instead of failing.
  db.exec('PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 5000; PRAGMA synchronous = NORMAL;');
  return db;
}
