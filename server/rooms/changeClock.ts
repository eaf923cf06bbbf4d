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
   * A snapshot of the document as it is now is being considered: the changes so far are its, and
   * only changes from now on count towards the next one. Its outcome, once the store has answered:
   * `taken(at)`; `needless()` (the content is what the newest snapshot holds, or it cannot be
   * stored: it waits for the next change rather than trying again at every check); or `failed()`
   * (the store failed: its changes count towards the next attempt again).
   */
  beginSnapshot(): { taken(at: number): void; needless(): void; failed(): void } {
    const before = { first: this.first, last: this.last }
    this.first = null
    this.last = null
    return {
      taken: (at) => {
        this.snapshot = Math.max(this.snapshot ?? at, at)
      },
      needless: () => {},
      failed: () => {
        this.first = before.first ?? this.first
        this.last = this.last ?? before.last
      },
    }
  }
}
