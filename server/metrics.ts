/**
 * Process-wide counters and gauges, exposed as Prometheus text on GET /metrics. Plain fields
 * rather than a metrics library: the hot path only does `metrics.x++`.
 */
import type { DeniedCode } from '../shared/rules/types.ts'
export const metrics = {
  connectionsOpened: 0,
  connectionsClosed: 0,
  framesIn: 0,
  bytesIn: 0,
  framesOut: 0,
  badFrames: 0,
  oversizedFrames: 0,
  slowConsumersClosed: 0,
  authFailures: 0,
  observerWritesDenied: 0,
  updatesAppended: 0,
  flushes: 0,
  flushFailures: 0,
  /**
   * Where flushes spend their time, summed (µs): storing the batch on the event loop (the
   * transaction's commit), waiting for it to be durable off the loop (the log's fsync, or
   * PostgreSQL's answer), sending it (framing and one socket write per peer), how long the oldest
   * update of each flushed room had waited in its outbox when its flush began (the batching
   * window), and compacting.
   */
  flushAppendMicroseconds: 0,
  flushDurableWaitMicroseconds: 0,
  flushDeliverMicroseconds: 0,
  flushHeldMicroseconds: 0,
  compactMicroseconds: 0,
  compactions: 0,
  /** Whole-document encodes (Room.encodedState): once per change at most, none for a compacted room loaded cold. */
  stateEncodes: 0,
  roomsLoaded: 0,
  roomsUnloaded: 0,
}

export type MetricName = keyof typeof metrics

/**
 * Updates refused by the server's rules (sync/writeGuard.ts, shared/rules/), by reason (the
 * codes of shared/rules/types.ts `DeniedCode`, described in docs/operations.md). Rendered as
 * `commonpot_writes_denied_total{reason="…"}`.
 */
export const writesDenied: Record<DeniedCode, number> = {
  observer: 0,
  facilitator_only: 0,
  locked: 0,
  agreed: 0,
  not_yours: 0,
  invalid: 0,
  ledger: 0,
  unknown_part: 0,
  forged_client: 0,
  unresolvable: 0,
}

/**
 * Limits that triggered (sync/limits.ts), by limit: `frame_size` (closed 1009), `message_rate` and
 * `byte_rate` (the connection's token bucket ran dry: its socket is paused until it refills),
 * `inbound_overflow` (a paused socket kept sending: closed 1013), `connections_per_ip` and
 * `connections_per_room` (refused 1013), `awareness_size` (dropped), `send_buffer` (slow consumer
 * closed), `first_message_timeout` (silent socket closed 1013), `loaded_rooms` (an idle room
 * unloaded early, or a load refused 1013), `write_refusals` (closed 1013),
 * `rooms_per_address` (a workshop refused with 429 to an address that created
 * ROOMS_PER_HOUR_PER_ADDRESS in the last hour).
 * Rendered as `commonpot_limits_triggered_total{limit="…"}`.
 */
export const limitsTriggered = {
  frame_size: 0,
  message_rate: 0,
  byte_rate: 0,
  inbound_overflow: 0,
  connections_per_ip: 0,
  connections_per_room: 0,
  awareness_size: 0,
  send_buffer: 0,
  first_message_timeout: 0,
  loaded_rooms: 0,
  write_refusals: 0,
  rooms_per_address: 0,
}

/**
 * Multi-instance bus (server/bus/): messages `published` to other instances, `received` from them,
 * `dropped_own` (our own, echoed back by Redis), `malformed` (could not be decoded, dropped),
 * `errors` (publish/subscribe failures and connection errors), `reconnects` (after which loaded
 * rooms catch up from the store). Rendered as `commonpot_bus_messages_total{event="…"}`.
 */
export const busMetrics = {
  published: 0,
  received: 0,
  dropped_own: 0,
  malformed: 0,
  errors: 0,
  reconnects: 0,
}

/**
 * Snapshots (issue #18), by what happened: `taken` (stored), `skipped_unchanged` (an automatic one
 * whose content equals the room's newest snapshot: not stored), `skipped_over_quota` and
 * `skipped_too_large` (an automatic one not stored: the room's SNAPSHOT_QUOTA_BYTES, or the
 * document over MAX_DOCUMENT_BYTES), `refused_over_quota` and `refused_too_large` (a facilitator's,
 * answered 507 and 413), `failed` (the store failed), `pruned` (automatic ones the retention let go),
 * `deleted` (by a facilitator). Rendered as `commonpot_snapshots_total{event="…"}`.
 */
export const snapshotEvents = {
  taken: 0,
  skipped_unchanged: 0,
  skipped_over_quota: 0,
  skipped_too_large: 0,
  refused_over_quota: 0,
  refused_too_large: 0,
  failed: 0,
  pruned: 0,
  deleted: 0,
}

export function renderMetrics(gauges: Record<string, number>): string {
  const lines: string[] = []
  for (const [name, value] of Object.entries(metrics)) {
    const metric = `commonpot_${name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}_total`
    lines.push(`# TYPE ${metric} counter`, `${metric} ${value}`)
  }
  lines.push('# TYPE commonpot_writes_denied_total counter')
  for (const [reason, value] of Object.entries(writesDenied))
    lines.push(`commonpot_writes_denied_total{reason="${reason}"} ${value}`)
  lines.push('# TYPE commonpot_limits_triggered_total counter')
  for (const [limit, value] of Object.entries(limitsTriggered))
    lines.push(`commonpot_limits_triggered_total{limit="${limit}"} ${value}`)
  lines.push('# TYPE commonpot_bus_messages_total counter')
  for (const [event, value] of Object.entries(busMetrics))
    lines.push(`commonpot_bus_messages_total{event="${event}"} ${value}`)
  lines.push('# TYPE commonpot_snapshots_total counter')
  for (const [event, value] of Object.entries(snapshotEvents))
    lines.push(`commonpot_snapshots_total{event="${event}"} ${value}`)
  for (const [name, value] of Object.entries(gauges)) {
    const metric = `commonpot_${name}`
    lines.push(`# TYPE ${metric} gauge`, `${metric} ${value}`)
  }
  return `${lines.join('\n')}\n`
}
