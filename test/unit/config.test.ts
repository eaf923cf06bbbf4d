import { describe, expect, it } from 'vitest'
import { readConfig } from '../../server/config.ts'

describe('configuration', () => {
  it('uses the documented defaults', () => {
    const config = readConfig({})
    expect(config).toMatchObject({
      port: 8787,
      host: '127.0.0.1',
      maxMessageBytes: 8 * 1024 * 1024,
      publicUrl: undefined,
    })
    expect(config.dataDir.endsWith('/data')).toBe(true)
  })

  it('lists every bad variable in one message', () => {
    expect(() => readConfig({ PORT: 'eighty', PUBLIC_URL: 'not a url', SECRET: 'short' })).toThrow(
      /PORT.*PUBLIC_URL.*SECRET|PORT.*SECRET.*PUBLIC_URL/,
    )
  })

  it('strips a trailing slash from PUBLIC_URL', () => {
    expect(readConfig({ PUBLIC_URL: 'https://pot.example.org/' }).publicUrl).toBe('https://pot.example.org')
  })

  it('bounds snapshots: 200 MB a room and 64 MB a document by default, the document never over the quota', () => {
    expect(readConfig({})).toMatchObject({ snapshotQuotaBytes: 200 * 1024 * 1024, maxDocumentBytes: 64 * 1024 * 1024 })
    expect(readConfig({ SNAPSHOT_QUOTA_BYTES: '10485760' })).toMatchObject({
      snapshotQuotaBytes: 10 * 1024 * 1024,
      maxDocumentBytes: 10 * 1024 * 1024,
    })
    expect(() => readConfig({ SNAPSHOT_QUOTA_BYTES: '100' })).toThrow(/SNAPSHOT_QUOTA_BYTES/)
    expect(() => readConfig({ MAX_DOCUMENT_BYTES: '2000000000' })).toThrow(/MAX_DOCUMENT_BYTES/)
  })

  it('reads METRICS_TOKEN: unset or empty is none, and a short or spaced one is refused', () => {
    expect(readConfig({}).metricsToken).toBeUndefined()
    expect(readConfig({ METRICS_TOKEN: '' }).metricsToken).toBeUndefined()
    expect(readConfig({ METRICS_TOKEN: 'scrape-0123456789abcdef' }).metricsToken).toBe('scrape-0123456789abcdef')
    expect(() => readConfig({ METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN must be at least 16/)
    expect(() => readConfig({ METRICS_TOKEN: 'with a space in the middle' })).toThrow(/without spaces/)
  })
})
