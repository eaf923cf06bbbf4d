/**
 * npm run bench:pot-browser: a 2,000-line pot in headless Chromium against the production build.
 * Time from opening the Pot tab to its first page of rows, and input latency in the search field
 * (which re-filters the table) while another client changes an amount ten times a second.
 * Appends to docs/benchmarks.md.
 */
import { addPotLine, DEFAULT_LINE, updatePotLine } from '../../shared/pot.ts'
import { openBrowserBench } from './browserSession.ts'
import { removeBenchDirs } from './targets.ts'
import { publishReport } from './report.ts'

const LINES = 2000
const loader = { userId: 'loader', name: 'Loader', organisation: 'Kent County Council' }

async function main() {
  const bench = await openBrowserBench('Pot benchmark')
  const { doc } = bench
  const ids: string[] = []
  doc.transact(() => {
    for (let i = 0; i < LINES; i++)
      ids.push(
        addPotLine(
          doc,
          { ...DEFAULT_LINE, partner: `Partner ${i % 40}`, stream: `Stream ${i}`, amount: (i + 1) * 100_000 },
          loader,
          i,
        ),
      )
  })
  await new Promise((r) => setTimeout(r, 1500))

  const page = await bench.join()
  await page.waitForTimeout(500)
  const opened = Date.now()
  await page.getByRole('button', { name: 'Pot' }).click()
  await page.locator('tr[data-line-id]').nth(99).waitFor({ state: 'attached', timeout: 60_000 })
  const renderMs = Date.now() - opened

  let n = 0
  const edits = setInterval(
    () => updatePotLine(doc, ids[n++ % LINES]!, { amount: 5_000_000 + n }, loader, Date.now()),
    100,
  )
  await page.getByRole('searchbox', { name: 'Find a contribution' }).click()
  const latencies = await page.evaluate(async () => {
    const input = document.activeElement as HTMLInputElement
    const setValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!
    const out: number[] = []
    for (let i = 0; i < 40; i++) {
      const started = performance.now()
      await new Promise<void>((resolve) => {
        input.addEventListener('input', () => requestAnimationFrame(() => setTimeout(resolve, 0)), { once: true })
        setValue.call(input, i % 10 === 9 ? '' : `${input.value}e`)
        input.dispatchEvent(new Event('input', { bubbles: true }))
      })
      out.push(performance.now() - started)
      await new Promise((r) => setTimeout(r, 50))
    }
    return out.sort((a, b) => a - b)
  })
  clearInterval(edits)
  await bench.close()

  const pick = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]!.toFixed(1)
  const report = `\n## Pot in the browser (${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC)\n\n| ${LINES}-line pot | figure |\n|---|---|\n| Pot tab opened → first 100 rows rendered | ${renderMs} ms |\n| keystroke → next frame in the search field, while another client edits 10×/s | p50 ${pick(0.5)} ms, p95 ${pick(0.95)} ms |\n`
  publishReport(report)
}

main()
  .catch((error: unknown) => {
    console.error(error)
    process.exitCode = 1
  })
  .finally(removeBenchDirs)
