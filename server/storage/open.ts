import path from 'node:path'
import type { Config } from '../config.ts'
import { SqliteStore } from './sqlite.ts'
import type { Store } from './store.ts'

/** Chooses the store from configuration, once, at start-up. */
export function openStore(config: Config): Store {
  if (config.databaseUrl) {
    throw new Error('DATABASE_URL is set, but PostgreSQL storage is not part of this release yet; unset it to use the embedded SQLite store.')
  }
  return new SqliteStore(path.join(config.dataDir, 'commonpot.sqlite'))
}
