/**
 * The SQLite store's fsync, off the event loop. better-sqlite3 is synchronous: with
 * `synchronous=FULL` every commit blocks the loop until the disk has the write-ahead log, so one
 * slow fsync (a busy disk: tens to hundreds of milliseconds) stops every room, reading included.
 * The store commits with `synchronous=NORMAL` instead (the commit only writes the log) and then
 * awaits an fdatasync of the log file on libuv's thread pool before it says "stored": what FULL
 * would have done at the commit, done while the loop goes on reading and applying. Checkpoints
 * still sync the log and the database themselves (SQLite does that under NORMAL), so everything
 * committed is durable once its sync resolves: the server relays nothing before.
 */
import fs from 'node:fs/promises'

export type SyncWal = () => Promise<void>

/** A sync of `file`'s write-ahead log (`<file>-wal`), opened on first use and kept open. */
export function walSync(file: string): { sync: SyncWal; close: () => Promise<void> } {
  let handle: Promise<fs.FileHandle> | null = null
  return {
    async sync() {
      // The log exists from the first commit on and, while the store's connection is open, is
      // never deleted (a checkpoint rewinds it in place), so one handle serves every sync.
      handle ??= fs.open(`${file}-wal`, 'r+').catch((error: unknown) => {
        handle = null
        throw error
      })
      await (await handle).datasync()
    },
    async close() {
      const open = handle
      handle = null
      if (open) await (await open.catch(() => null))?.close()
    },
  }
}
