import { describe, expect, it } from 'vitest'
import { createRoomRequestSchema } from '../../shared/api.ts'
import { identitySchema, presenceUserSchema } from '../../shared/presence.ts'
import { canEdit } from '../../shared/roles.ts'

describe('request and presence contracts', () => {
  it('trims titles and refuses empty or overlong ones', () => {
    expect(createRoomRequestSchema.parse({ title: '  Barnet  ' })).toEqual({ title: 'Barnet' })
    expect(createRoomRequestSchema.safeParse({ title: '   ' }).success).toBe(false)
    expect(createRoomRequestSchema.safeParse({ title: 'x'.repeat(121) }).success).toBe(false)
  })

  it('asks for a name and an organisation with messages a person understands', () => {
    const result = identitySchema.safeParse({ name: ' ', organisation: '' })
    expect(result.success).toBe(false)
    expect(result.error?.issues.map((i) => i.message)).toEqual(['Enter your name', 'Choose or type your organisation'])
  })

  it('rejects a peer presence that is not well formed', () => {
    const good = { id: 'abc123', name: 'Sam', organisation: 'DWP', colour: '#1d4ed8', role: 'participant' }
    expect(presenceUserSchema.safeParse(good).success).toBe(true)
    expect(presenceUserSchema.safeParse({ ...good, colour: 'red; background: url(x)' }).success).toBe(false)
    expect(presenceUserSchema.safeParse({ ...good, role: 'admin' }).success).toBe(false)
  })

  it('lets everyone but observers edit', () => {
    expect(canEdit('facilitator')).toBe(true)
    expect(canEdit('participant')).toBe(true)
    expect(canEdit('observer')).toBe(false)
  })
})
