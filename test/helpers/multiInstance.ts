/**
 * PostgreSQL and Redis for multi-instance tests. Both must be running (CI starts them: .ci/run);
 * an unreachable one fails the test rather than skipping it. Every test file gets its own
 * PostgreSQL schema (DATABASE_URL ?schema=…), dropped afterwards, so parallel runs never collide.
 */
import { randomBytes } from 'node:crypto'
import pg from 'pg'

/**
 * pg takes the user name from $USER when the URL has none, and some shells (CI containers) leave
 * it unset: fall back to PGUSER, then to the cluster's own superuser.
 */
function withUser(url: string): string {
  const parsed = new URL(url)
  if (!parsed.username && !process.env.USER) parsed.username = process.env.PGUSER ?? 'postgres'
  return parsed.toString()
}

export const TEST_DATABASE_URL = withUser(
  process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://127.0.0.1:5432/test',
)
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'

export interface TestSchema {
  name: string
  /** DATABASE_URL selecting this schema. */
  url: string
  /** Runs SQL on the schema directly (as an operator or another instance would). */
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, params?: unknown[]): Promise<pg.QueryResult<R>>
  drop(): Promise<void>
}

/** A fresh, empty schema; fails with a clear message when PostgreSQL is unreachable. */
export async function freshSchema(prefix = 't'): Promise<TestSchema> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL })
  try {
    await client.connect()
  } catch (error) {
    throw new Error(
      `PostgreSQL is not reachable at ${TEST_DATABASE_URL} (start it: see .ci/run): ${error instanceof Error ? error.message : String(error)}`,
    )
  }
  await client.query(`CREATE SCHEMA ${name}`)
  await client.query(`SET search_path TO ${name}`)
  const url = new URL(TEST_DATABASE_URL)
  url.searchParams.set('schema', name)
  return {
    name,
    url: url.toString(),
    query: (sql, params) => client.query(sql, params),
    async drop() {
      await client.query(`DROP SCHEMA IF EXISTS ${name} CASCADE`)
      await client.end()
    },
  }
}
