/**
 * The Word agreement and the Excel workbook as HTTP downloads, for the live workshop and its
 * snapshots alike (server/http/routes/exports.ts, snapshots.ts).
 */
import type { Context } from 'hono'
import type { WorkshopExport } from '../../shared/export.ts'
import type { ReceiptKey } from '../../shared/receipts.ts'
import type { Config } from '../config.ts'
import { download } from '../http/exportFiles.ts'
import { agreementDocx, signingKeyUrl } from './agreementDocx.ts'
import { potWorkbook } from './potWorkbook.ts'
import { type ExportSource, sourceFileName } from './source.ts'

export const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'
export const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'

export type OfficeFormat = 'docx' | 'xlsx'

/** What the Word agreement needs of the server: the key it prints, and where it is published. */
export interface OfficeFileDeps {
  receiptSigner: ReceiptKey
  config: Pick<Config, 'publicUrl'>
}

export interface OfficeFile {
  body: Uint8Array<ArrayBuffer>
  headers: Record<string, string>
}

/** `format`'s file of `data`, named by the workshop's title and the content's London date. */
export async function officeFile(
  c: Context,
  format: OfficeFormat,
  data: WorkshopExport,
  source: ExportSource,
  { receiptSigner, config }: OfficeFileDeps,
): Promise<OfficeFile> {
  const now = Date.now()
  const title = data.meta.title
  if (format === 'docx') {
    // PUBLIC_URL when set: behind a proxy the request's own origin is not the address people open.
    const origin = config.publicUrl ?? new URL(c.req.url).origin
    const key = { keyId: receiptSigner.keyId, publicKey: receiptSigner.publicKey, url: signingKeyUrl(origin) }
    const bytes = await agreementDocx({ data, source, key, now })
    return { body: new Uint8Array(bytes), headers: download(DOCX, sourceFileName(title, 'agreement', source, 'docx')) }
  }
  const bytes = await potWorkbook({ data, source, now })
  return { body: new Uint8Array(bytes), headers: download(XLSX, sourceFileName(title, 'pot', source, 'xlsx')) }
}
