import path from 'node:path'
import type { Config } from '../config.ts'
import { PostgresStore } from './postgres.ts'
import { SqliteStore } from './sqlite.ts'
import type { Store } from './store.ts'

/** Chooses the store from configuration, once, at start-up: PostgreSQL when DATABASE_URL is set. */
export async function openStore(config: Config): Promise<Store> {
  if (config.databaseUrl) return PostgresStore.open(config.databaseUrl)
  return new SqliteStore(path.join(config.dataDir, 'commonpot.sqlite'))
}
