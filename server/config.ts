/**
 * Server configuration, read once from the environment at start-up. Every variable is part of
 * the deployment contract documented in README.md.
 */
import type { RefusalBudget } from './sync/writeGuard.ts'
import path from 'node:path'
import { z } from 'zod'
import type { LogLevel } from './log.ts'

const MiB = 1024 * 1024

const intFrom = (fallback: number, min: number, max: number) =>
  z.coerce.number().int().min(min).max(max).default(fallback)

const envSchema = z.object({
  PORT: intFrom(8787, 0, 65535),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z.string().optional(),
  REDIS_URL: z.string().optional(),
  SECRET: z.string().min(16, 'SECRET must be at least 16 characters').optional(),
  SIGNING_KEY: z.string().min(1).optional(),
  // Empty counts as unset, as `METRICS_TOKEN=` in an env file means; a bearer token has no spaces.
  METRICS_TOKEN: z.preprocess(
    (value) => (value === '' ? undefined : value),
    z
      .string()
      .min(16, 'METRICS_TOKEN must be at least 16 characters')
      .regex(/^[\x21-\x7e]+$/, 'METRICS_TOKEN must be printable ASCII without spaces')
      .optional(),
  ),
  PUBLIC_URL: z.url('PUBLIC_URL must be an absolute URL such as https://commonpot.example.org').optional(),
  MAX_MESSAGE_BYTES: intFrom(8 * MiB, 1024, 256 * MiB),
  MAX_BUFFERED_BYTES: intFrom(16 * MiB, 64 * 1024, 1024 * MiB),
  ROOM_GRACE_MS: intFrom(30_000, 0, 24 * 3600_000),
  COMPACT_ROWS: intFrom(1000, 2, 10_000_000),
  COMPACT_BYTES: intFrom(8 * MiB, 1024, 1024 * MiB),
  TOKEN_TTL_DAYS: intFrom(90, 1, 3650),
  SNAPSHOT_INTERVAL_MS: intFrom(30 * 60_000, 100, 7 * 24 * 3600_000),
  SNAPSHOT_QUOTA_BYTES: intFrom(200 * MiB, 1024, Number.MAX_SAFE_INTEGER),
  // SQLite's and PostgreSQL's largest single value: a snapshot is stored as one.
  MAX_DOCUMENT_BYTES: intFrom(64 * MiB, 1024, 1_000_000_000),
  RATE_MESSAGES_PER_SECOND: intFrom(200, 1, 1_000_000),
  RATE_MESSAGE_BURST: intFrom(1000, 1, 10_000_000),
  RATE_BYTES_PER_SECOND: intFrom(2 * MiB, 1024, 1024 * MiB),
  RATE_BYTE_BURST: intFrom(16 * MiB, 1024, 4096 * MiB),
  RATE_REFUSALS_PER_SECOND: intFrom(1, 1, 1_000_000),
  RATE_REFUSAL_BURST: intFrom(30, 1, 10_000_000),
  MAX_CONNECTIONS_PER_IP: intFrom(500, 1, 1_000_000),
  MAX_CONNECTIONS_PER_ROOM: intFrom(500, 1, 1_000_000),
  MAX_AWARENESS_BYTES: intFrom(64 * 1024, 256, 64 * MiB),
  HANDSHAKE_TIMEOUT_MS: intFrom(10_000, 100, 600_000),
  MAX_LOADED_ROOMS: intFrom(1000, 1, 1_000_000),
  TRUST_PROXY: z.enum(['true', 'false', '1', '0']).default('false'),
  ROOM_CREATION: z.enum(['open', 'key'], { error: 'must be open or key' }).default('open'),
  ORGANISER_KEYS: z
    .string()
    .default('')
    .transform((list) =>
      list
        .split(',')
        .map((key) => key.trim())
        .filter((key) => key !== ''),
    )
    // A key can be guessed over the network with no account to lock, so it must be long; and it
    // travels in an HTTP header, which a browser sends only in visible ASCII. (Never quote a key.)
    .superRefine((keys, ctx) => {
      keys.forEach((key, i) => {
        if (key.length < 16)
          ctx.addIssue({
            code: 'custom',
            message: `key ${i + 1} is shorter than 16 characters (make one with: openssl rand -base64 24)`,
          })
        else if (!/^[\x21-\x7e]+$/.test(key))
          ctx.addIssue({
            code: 'custom',
            message: `key ${i + 1} holds a space or a character outside visible ASCII, which a browser cannot send`,
          })
      })
    }),
  ROOMS_PER_HOUR_PER_ADDRESS: intFrom(30, 1, 1_000_000),
  DIST_DIR: z.string().optional(),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
})

export type RoomCreation = 'open' | 'key'

export interface Config {
  port: number
  host: string
  dataDir: string
  databaseUrl: string | undefined
  redisUrl: string | undefined
  secret: string | undefined
  /** The Ed25519 key that signs sign-off receipts (PKCS#8 PEM); generated into DATA_DIR when unset. */
  signingKey: string | undefined
  /**
   * The bearer token GET /metrics requires. Unset, metrics are served to loopback clients only
   * (as on a developer's machine); deployments set it.
   */
  metricsToken: string | undefined
  publicUrl: string | undefined
  maxMessageBytes: number
  maxBufferedBytes: number
  roomGraceMs: number
  compactRows: number
  compactBytes: number
  tokenTtlSeconds: number
  /** A room with this many ms of work and no snapshot as recent gets an automatic one. */
  snapshotIntervalMs: number
  /** The bytes one room's snapshots may take up (each distinct state counted once). */
  snapshotQuotaBytes: number
  /**
   * The largest encoded document the server snapshots (never more than the quota: a bigger one
   * could not be stored anyway). The live document is not capped by it.
   */
  maxDocumentBytes: number
  /** Per-connection token buckets (sync/limits.ts): sustained rate and burst size. */
  rate: { messagesPerSecond: number; messageBurst: number; bytesPerSecond: number; byteBurst: number }
  /** Refused updates a connection may cause (each costs a rebuild of the room's replica): sustained rate and burst. */
  refusals: RefusalBudget
  maxConnectionsPerIp: number
  maxConnectionsPerRoom: number
  /** Largest awareness message relayed; bigger ones are dropped (the connection stays). */
  maxAwarenessBytes: number
  /** How long a client has to send its HTTP headers, and then its first websocket message. */
  handshakeTimeoutMs: number
  /** Rooms kept in memory at once; idle ones are unloaded early, least recently used first. */
  maxLoadedRooms: number
  /** Take the client address from the last X-Forwarded-For hop (set behind a load balancer). */
  trustProxy: boolean
  /** Who may create a workshop: anyone who reaches the server, or only a holder of an organiser key. */
  roomCreation: RoomCreation
  /** The keys `ROOM_CREATION=key` accepts (any one of them); unused in open mode. */
  organiserKeys: string[]
  /** Workshops one client address may create in any hour, whatever the mode. */
  roomsPerHourPerAddress: number
  distDir: string
  logLevel: LogLevel
}

/** Parses the environment; throws one message listing every bad variable. */
export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env)
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')
    throw new Error(`Bad configuration: ${problems}`)
  }
  const e = parsed.data
  if (e.RATE_BYTE_BURST < e.MAX_MESSAGE_BYTES) {
    // A message of the largest allowed size could never pass the byte bucket.
    throw new Error('Bad configuration: RATE_BYTE_BURST must be at least MAX_MESSAGE_BYTES')
  }
  if (e.ROOM_CREATION === 'key' && e.ORGANISER_KEYS.length === 0) {
    // Starting anyway would leave a server on which nobody can create a workshop.
    throw new Error(
      'Bad configuration: ROOM_CREATION=key needs at least one organiser key in ORGANISER_KEYS (comma-separated), or set ROOM_CREATION=open',
    )
  }
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: path.resolve(e.DATA_DIR),
    databaseUrl: e.DATABASE_URL || undefined,
    redisUrl: e.REDIS_URL || undefined,
    secret: e.SECRET,
    signingKey: e.SIGNING_KEY,
    metricsToken: e.METRICS_TOKEN,
    publicUrl: e.PUBLIC_URL?.replace(/\/+$/, ''),
    maxMessageBytes: e.MAX_MESSAGE_BYTES,
    maxBufferedBytes: e.MAX_BUFFERED_BYTES,
    roomGraceMs: e.ROOM_GRACE_MS,
    compactRows: e.COMPACT_ROWS,
    compactBytes: e.COMPACT_BYTES,
    tokenTtlSeconds: e.TOKEN_TTL_DAYS * 24 * 3600,
    snapshotIntervalMs: e.SNAPSHOT_INTERVAL_MS,
    snapshotQuotaBytes: e.SNAPSHOT_QUOTA_BYTES,
    maxDocumentBytes: Math.min(e.MAX_DOCUMENT_BYTES, e.SNAPSHOT_QUOTA_BYTES),
    rate: {
      messagesPerSecond: e.RATE_MESSAGES_PER_SECOND,
      messageBurst: e.RATE_MESSAGE_BURST,
      bytesPerSecond: e.RATE_BYTES_PER_SECOND,
      byteBurst: e.RATE_BYTE_BURST,
    },
    refusals: { perSecond: e.RATE_REFUSALS_PER_SECOND, burst: e.RATE_REFUSAL_BURST },
    maxConnectionsPerIp: e.MAX_CONNECTIONS_PER_IP,
    maxConnectionsPerRoom: e.MAX_CONNECTIONS_PER_ROOM,
    maxAwarenessBytes: e.MAX_AWARENESS_BYTES,
    handshakeTimeoutMs: e.HANDSHAKE_TIMEOUT_MS,
    maxLoadedRooms: e.MAX_LOADED_ROOMS,
    trustProxy: e.TRUST_PROXY === 'true' || e.TRUST_PROXY === '1',
    roomCreation: e.ROOM_CREATION,
    organiserKeys: e.ORGANISER_KEYS,
    roomsPerHourPerAddress: e.ROOMS_PER_HOUR_PER_ADDRESS,
    distDir: path.resolve(e.DIST_DIR ?? 'dist'),
    logLevel: e.LOG_LEVEL,
  }
}
