/** Where a benchmark's figures go: printed, and appended to docs/benchmarks.md unless `--no-append`. */
import fs from 'node:fs'
import path from 'node:path'

export const BENCHMARKS_FILE = path.resolve(import.meta.dirname, '..', '..', 'docs', 'benchmarks.md')

export function publishReport(report: string, argv: readonly string[] = process.argv): void {
  process.stdout.write(report)
  if (!argv.includes('--no-append')) fs.appendFileSync(BENCHMARKS_FILE, report)
}
