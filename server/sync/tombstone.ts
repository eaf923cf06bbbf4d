/**
 * Tombstones of refused updates. Yjs integrates a client's structs only in clock order, so dropping
 * a refused update outright would leave the server and every peer waiting for the missing clocks,
 * silently losing everything the sender did next. Instead the room applies, stores and relays the
 * refused update's tombstone: the same clocks as garbage-collected structs with no content and no
 * deletions. Nothing of the refused change reaches the document or anyone else.
 */
import * as Y from 'yjs'
import * as encoding from 'lib0/encoding'

/**
 * The tombstone of a refused update: its structs' clocks as garbage-collected structs (content
 * dropped, gaps kept as skips), and no deletions; null when the update has no structs. Only the
 * structs of clients `include` accepts: the sender's own, never clocks under another's id. Encoded in
 * the v1 update format by hand: a GC struct is info byte 0 and a length, a skip info byte 10.
 */
export function tombstoneUpdate(
  update: Uint8Array,
  include: (client: number) => boolean = () => true,
): Uint8Array | null {
  const { structs } = Y.decodeUpdate(update)
  const byClient = new Map<number, { clock: number; len: number; skip: boolean }[]>()
  for (const struct of structs) {
    if (!include(struct.id.client)) continue
    const run = { clock: struct.id.clock, len: struct.length, skip: struct instanceof Y.Skip }
    const list = byClient.get(struct.id.client)
    if (list) list.push(run)
    else byClient.set(struct.id.client, [run])
  }
  if (byClient.size === 0) return null
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, byClient.size)
  for (const [client, runs] of [...byClient].sort((a, b) => b[0] - a[0])) {
    runs.sort((a, b) => a.clock - b.clock)
    // Merge neighbouring runs; a gap between two becomes a skip.
    const merged: { len: number; skip: boolean }[] = []
    let clock = runs[0]!.clock
    for (const run of runs) {
      if (run.clock + run.len <= clock) continue // overlaps what is written already
      const start = Math.max(run.clock, clock)
      if (start > clock) pushRun(merged, start - clock, true)
      pushRun(merged, run.clock + run.len - start, run.skip)
      clock = run.clock + run.len
    }
    encoding.writeVarUint(encoder, merged.length)
    encoding.writeVarUint(encoder, client)
    encoding.writeVarUint(encoder, runs[0]!.clock)
    for (const run of merged) {
      encoding.writeUint8(encoder, run.skip ? 10 : 0)
      encoding.writeVarUint(encoder, run.len)
    }
  }
  encoding.writeVarUint(encoder, 0) // an empty delete set
  return encoding.toUint8Array(encoder)
}

function pushRun(runs: { len: number; skip: boolean }[], len: number, skip: boolean): void {
  const last = runs[runs.length - 1]
  if (last && last.skip === skip) last.len += len
  else runs.push({ len, skip })
}
