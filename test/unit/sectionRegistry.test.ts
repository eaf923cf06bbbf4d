/**
 * The section registry holds every section whatever module a program happens to load first: the
 * sections' rules import modules that import the registry back, so a registry built while a
 * section was still loading would hold a hole (it once did, when a test imported a section's
 * exports before anything else).
 */
import { readdirSync } from 'node:fs'
import { describe, expect, it, vi } from 'vitest'

const SECTION_FOLDERS = readdirSync(new URL('../../shared/sections/', import.meta.url), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort()

describe('the section registry', () => {
  it.each(SECTION_FOLDERS.flatMap((name) => ['index', 'rules', 'exports'].map((file) => [name, file] as const)))(
    'is whole when shared/sections/%s/%s.ts is the first module loaded',
    async (name, file) => {
      vi.resetModules()
      await import(`../../shared/sections/${name}/${file}.ts`)
      const { sections, sectionOfKey } = await import('../../shared/sections/registry.ts')
      const keys = sections().map((section) => section?.key)
      expect([...keys].sort()).toEqual(SECTION_FOLDERS)
      for (const key of keys) expect(sectionOfKey(key!)?.key).toBe(key)
    },
  )

  it('names every section once, and every exported table once', async () => {
    const { sections } = await import('../../shared/sections/registry.ts')
    const keys = sections().map((section) => section.key)
    expect(new Set(keys).size).toBe(keys.length)
    const parts = sections().flatMap((section) => section.export.tables.map((table) => table.part))
    expect(new Set(parts).size).toBe(parts.length)
    expect(parts).toEqual(['pot', 'protocol', 'barriers', 'actions', 'outcomes'])
  })
})
