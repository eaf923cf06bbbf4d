/**
 * The order files start in, two at a time (vitest.config.ts). Browser tests keep a core busy
 * (Chromium renders in software) while integration tests mostly wait on sockets, disks and timers;
 * two browser files side by side each take about twice as long, so the queue alternates a browser
 * file with any other, longest first within each kind (vitest's own order: its recorded durations,
 * else file size).
 */
import { BaseSequencer, type TestSpecification } from 'vitest/node'

const isBrowserTest = (file: TestSpecification): boolean => /[\\/]test[\\/]e2e[\\/]/.test(file.moduleId)

export class InterleavingSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files)
    const browser = sorted.filter(isBrowserTest)
    const other = sorted.filter((file) => !isBrowserTest(file))
    const order: TestSpecification[] = []
    for (let i = 0; i < Math.max(browser.length, other.length); i++) {
      if (i < browser.length) order.push(browser[i]!)
      if (i < other.length) order.push(other[i]!)
    }
    return order
  }
}
