/**
 * The live workshop as a file: JSON, Markdown minutes, or one table as CSV.
 */
import { Hono } from 'hono'
import { buildExport, exportToMarkdown } from '../../../shared/export.ts'
import type { RoomRegistry } from '../../rooms/registry.ts'
import { noSuchRoom } from '../errors.ts'
import { csvOf } from '../../../shared/exportCsv.ts'
import { CSV, download, exportName, exportQuery, JSON_FILE, MARKDOWN } from '../exportFiles.ts'
import type { RequireRoom } from '../requireRoom.ts'
import { type OfficeFileDeps, officeFile } from '../../exports/officeFiles.ts'

export interface ExportRouteDeps extends OfficeFileDeps {
  registry: RoomRegistry
  requireRoom: RequireRoom
}

/** Mounted at /api/rooms. */
export function exportRoutes({ registry, requireRoom, ...office }: ExportRouteDeps): Hono {
  const routes = new Hono()

  routes.get('/:id/export', requireRoom(), exportQuery(['json', 'md', 'csv', 'docx', 'xlsx']), async (c) => {
    const { roomId } = c.var
    const { format, part, download: asFile } = c.req.valid('query')
    const data = await registry.readDocument(roomId, buildExport)
    if (!data) throw noSuchRoom()
    const title = data.meta.title
    switch (format) {
      case 'json':
        return c.json(data, 200, asFile ? download(JSON_FILE, exportName(title, null, 'json')) : {})
      case 'md':
        return c.body(exportToMarkdown(data), 200, download(MARKDOWN, exportName(title, 'minutes', 'md')))
      case 'csv':
        return c.body(csvOf(data, part), 200, download(CSV, exportName(title, part, 'csv')))
      case 'docx':
      case 'xlsx': {
        const file = await officeFile(c, format, data, { kind: 'live', at: Date.now() }, office)
        return c.body(file.body, 200, file.headers)
      }
    }
  })

  return routes
}
