/**
 * axe-core in a real page: injects the library from node_modules (no CDN) and runs it against the
 * whole document, returning the serious and critical violations with the nodes they hit. WCAG 2.2
 * A and AA rules, as UK public bodies must meet, plus axe's best practices.
 */
import fs from 'node:fs'
import { createRequire } from 'node:module'
import type { Page } from 'playwright-core'

const require = createRequire(import.meta.url)
const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8')

export interface AxeFinding {
  id: string
  impact: string
  help: string
  nodes: { target: string; summary: string }[]
}

export async function seriousAxeFindings(page: Page): Promise<AxeFinding[]> {
  // Evaluated rather than added as a script tag: the app's CSP (script-src 'self') rightly refuses inline scripts.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE)
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<AxeResults> } }).axe
    interface AxeResults {
      violations: {
        id: string
        impact: string | null
        help: string
        nodes: { target: unknown[]; failureSummary?: string }[]
      }[]
    }
    const results = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
      resultTypes: ['violations'],
    })
    return results.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({
        id: v.id,
        impact: v.impact ?? '',
        help: v.help,
        nodes: v.nodes.map((n) => ({ target: n.target.join(' '), summary: n.failureSummary ?? '' })),
      }))
  })
}

/** One line per finding, for a failure message a person can act on. */
export const describeFindings = (findings: AxeFinding[]): string =>
  findings
    .map((f) => `${f.id} (${f.impact}, ${f.nodes.length}): ${f.help}\n  ${f.nodes.map((n) => n.target).join('\n  ')}`)
    .join('\n')
