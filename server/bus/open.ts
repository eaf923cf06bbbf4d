import type { Config } from '../config.ts'
import { LocalBus, type Bus } from './bus.ts'
import { RedisBus } from './redis.ts'

/** Chooses the bus from configuration, once, at start-up: Redis when REDIS_URL is set. */
export async function openBus(config: Config): Promise<Bus> {
  if (config.redisUrl) {
    // Instances must share one store: each keeping its own SQLite file would silently diverge.
    if (!config.databaseUrl)
      throw new Error('REDIS_URL is set but DATABASE_URL is not: several instances need one shared PostgreSQL store.')
    // A secret generated per instance would make each instance refuse the others' invite links.
    if (!config.secret)
      throw new Error(
        'REDIS_URL is set but SECRET is not: every instance must sign and check links with the same SECRET.',
      )
    return RedisBus.open(config.redisUrl)
  }
  return new LocalBus()
}
