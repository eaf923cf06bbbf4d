/**
 * npm run bench:protocol-browser: a 50-clause protocol in headless Chromium against the production
 * build: time from opening the Protocol tab until every clause's editor shows its text, and
 * keystroke-to-visible latency in a second browser while a client types. Appends to docs/benchmarks.md.
 */
import fs from 'node:fs'
import path from 'node:path'
import * as Y from 'yjs'
import { addClause, clauseBody, readClauses } from '../../shared/protocol.ts'
import { PROTOCOL_TEMPLATE } from '../../shared/protocolTemplate.ts'
import { openBrowserBench } from './browserSession.ts'
import { removeBenchDirs } from './targets.ts'

const CLAUSES = 50
const writer = { userId: 'writer', name: 'Writer', organisation: 'Kent County Council' }

async function main() {
  const bench = await openBrowserBench('Protocol benchmark')
  const { doc } = bench
  doc.transact(() => {
    for (let i = 0; i < CLAUSES; i++) {
      const template = PROTOCOL_TEMPLATE[i % PROTOCOL_TEMPLATE.length]!
      addClause(doc, `${template.title} ${i + 1}`, template.paragraphs, writer, i)
    }
  })
  await new Promise((r) => setTimeout(r, 1000))

  const page = await bench.join()
  const opened = Date.now()
  await page.getByRole('button', { name: 'Protocol' }).click()
  await page.waitForFunction((n) => document.querySelectorAll('.clause-editor__content p').length >= n, CLAUSES, { timeout: 60_000 })
  const loadMs = Date.now() - opened

  // Latency: the writer appends a marker to the first clause; time until the reader's DOM shows it.
  const firstId = readClauses(doc)[0]!.id
  const paragraph = clauseBody(doc, firstId)!.get(0) as Y.XmlElement
  const text = paragraph.get(0) as Y.XmlText
  const samples: number[] = []
  for (let i = 0; i < 30; i++) {
    const marker = `<${i}>`
    const sent = Date.now()
    text.insert(text.length, marker)
    await page.waitForFunction((m) => (document.querySelector('.clause-editor__content')?.textContent ?? '').includes(m), marker, { timeout: 5000, polling: 'raf' })
    samples.push(Date.now() - sent)
    await new Promise((r) => setTimeout(r, 60))
  }
  samples.sort((a, b) => a - b)
  await bench.close()

  const report = `\n## Protocol in the browser (${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC)\n\n| ${CLAUSES}-clause protocol | figure |\n|---|---|\n| Protocol tab opened → every clause's text shown | ${loadMs} ms |\n| keystroke by another client → visible in this browser (30 samples) | p50 ${samples[15]} ms, max ${samples[29]} ms |\n`
  process.stdout.write(report)
  if (!process.argv.includes('--no-append')) fs.appendFileSync(path.resolve(import.meta.dirname, '..', '..', 'docs', 'benchmarks.md'), report)
}

main()
  .catch((error: unknown) => {
    console.error(error)
    process.exitCode = 1
  })
  .finally(removeBenchDirs)
