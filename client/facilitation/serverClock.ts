/**
 * The server's clock as this page sees it. The shared timer stores server times; every client
 * shows them against `serverNow()`, its own clock corrected by an offset measured against
 * `GET /api/time` when the workshop connects. Measured once per page and shared by every view.
 */
import { useEffect, useState } from 'react'
import { serverTimeSchema } from '../../shared/api.ts'
import { estimateClockOffset, type ClockSample } from '../../shared/timer.ts'

let offset = 0
let measuring: Promise<number> | null = null

/** Now on the server's clock, in ms since the epoch. */
export function serverNow(): number {
  return Date.now() + offset
}

async function sample(): Promise<ClockSample> {
  const sentAt = Date.now()
  const response = await fetch('/api/time', { cache: 'no-store' })
  const receivedAt = Date.now()
  const { now } = serverTimeSchema.parse(await response.json())
  return { sentAt, serverNow: now, receivedAt }
}

/** Measures the offset (a few round trips; the quickest wins). Safe to call many times. */
export function measureClockOffset(): Promise<number> {
  measuring ??= (async () => {
    const samples: ClockSample[] = []
    for (let i = 0; i < 5; i++) {
      try {
        samples.push(await sample())
      } catch {
        // Offline or refused: keep what was measured; the local clock is the fallback.
      }
    }
    offset = estimateClockOffset(samples)
    if (samples.length === 0) measuring = null
    return offset
  })()
  return measuring
}

/** Re-renders every `intervalMs` while `active`, returning the current server time. */
export function useServerNow(active: boolean, intervalMs = 250): number {
  const [now, setNow] = useState(serverNow)
  useEffect(() => {
    void measureClockOffset().then(() => setNow(serverNow()))
  }, [])
  useEffect(() => {
    if (!active) return
    setNow(serverNow())
    const timer = setInterval(() => setNow(serverNow()), intervalMs)
    return () => clearInterval(timer)
  }, [active, intervalMs])
  return now
}
