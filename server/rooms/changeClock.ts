/**
 * A room's changes since its last snapshot, which decide its automatic snapshots
 * (server/snapshots.ts `intervalSnapshotDue`; a changed room also gets one when it unloads).
 */
import type { SnapshotClock } from '../snapshots.ts'

export class ChangeClock implements SnapshotClock {
  private first: number | null = null
  private last: number | null = null

  constructor(private snapshot: number | null) {}

  get firstChangeAt(): number | null {
    return this.first
  }

  get lastChangeAt(): number | null {
    return this.last
  }

  get lastSnapshotAt(): number | null {
    return this.snapshot
  }

  get changedSinceSnapshot(): boolean {
    return this.last !== null
  }

  /** Counts a change made at `now` (ms since 1970). */
  changed(now: number): void {
    this.first ??= now
    this.last = now
  }

  /**
   * Records that a snapshot of the document as it is now was taken at `at`. Returns the undo for
   * a snapshot the store then failed to keep: its changes count towards the next one again.
   */
  snapshotTaken(at: number): () => void {
    const before = { first: this.first, last: this.last, snapshot: this.snapshot }
    this.first = null
    this.last = null
    this.snapshot = Math.max(this.snapshot ?? at, at)
    return () => {
      this.first = before.first ?? this.first
      this.last = this.last ?? before.last
      this.snapshot = before.snapshot
    }
  }
}
