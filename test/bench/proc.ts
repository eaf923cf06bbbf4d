/** CPU seconds and memory of a process, read from /proc (Linux), for benchmark reports. */
import fs from 'node:fs'

const CLOCK_TICKS = 100

export interface ProcessUsage {
  cpuSeconds: number
  rssBytes: number
  peakRssBytes: number
}

export function readUsage(pid: number): ProcessUsage {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8')
  // Fields after the parenthesised command name; utime and stime are the 12th and 13th of those.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  const cpuSeconds = (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8')
  const kb = (name: string) => Number(status.match(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm'))?.[1] ?? 0) * 1024
  return { cpuSeconds, rssBytes: kb('VmRSS'), peakRssBytes: kb('VmHWM') }
}

/** Resets the peak RSS counter (VmHWM) so that a scenario measures its own peak. */
export function resetPeak(pid: number): void {
  try {
    fs.writeFileSync(`/proc/${pid}/clear_refs`, '5')
  } catch {
    // Not permitted on every kernel; the peak then covers the process's whole life.
  }
}

export function selfCpuSeconds(): number {
  const usage = process.cpuUsage()
  return (usage.user + usage.system) / 1e6
}
