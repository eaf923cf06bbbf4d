/**
 * Imported first by main.tsx, so that it runs before any module that parses at load time.
 *
 * The CSP allows no eval, so zod's compiled parsers are out of reach anyway; without `jitless`,
 * zod tries `new Function` at its first parse, which the browser reports as a CSP violation: noise
 * among the violations that would show an injected script.
 */
import { z } from 'zod'

z.config({ jitless: true })
