import { describe, expect, it } from 'vitest'
import { ledgerAuthor } from '../../shared/ledger.ts'
import { newUserSecret, USER_SECRET_PATTERN, userIdOfSecret } from '../../shared/userKey.ts'

describe('keyed user ids', () => {
  it('derives the same id from the same secret, and different ids from different secrets', () => {
    const secret = newUserSecret()
    expect(secret).toMatch(USER_SECRET_PATTERN)
    expect(userIdOfSecret(secret)).toBe(userIdOfSecret(secret))
    expect(userIdOfSecret(secret)).not.toBe(userIdOfSecret(newUserSecret()))
  })

  it('is a known SHA-256 digest, short enough for a member key and not the secret itself', () => {
    const secret = 'A'.repeat(43)
    // sha256("commonpot-user:AAAA…") in base64url, first 21 characters, after a 'k'.
    const id = userIdOfSecret(secret)
    expect(id).toBe('kBhizglMbKnoHuHH-uhoOh') // node:crypto's SHA-256 of the same input
    expect(id).toMatch(/^k[A-Za-z0-9_-]{21}$/)
    expect(id).not.toContain(secret.slice(0, 10))
    expect(userIdOfSecret('B'.repeat(43))).not.toBe(id)
  })
})

describe('who the record names', () => {
  const entry = (
    by: { userId: string; name: string; organisation: string },
    link?: {
      role: 'facilitator' | 'participant' | 'observer'
      organisation: string | null
      name: string | null
      linkId: string | null
    },
  ) => ({ by, link })

  it('names the person and their organisation as they gave them', () => {
    expect(ledgerAuthor(entry({ userId: 'u', name: 'Dana Smith', organisation: 'DWP' }))).toEqual({
      name: 'Dana Smith',
      organisation: 'DWP',
    })
  })

  it('falls back to the link’s name, its organisation, then its role, and never shows empty brackets', () => {
    expect(
      ledgerAuthor(
        entry(
          { userId: '', name: '', organisation: '' },
          { role: 'participant', organisation: 'DWP', name: 'Dana', linkId: 'l1' },
        ),
      ),
    ).toEqual({ name: 'Dana', organisation: 'DWP' })
    expect(
      ledgerAuthor(
        entry(
          { userId: '', name: ' ', organisation: '' },
          { role: 'facilitator', organisation: null, name: null, linkId: null },
        ),
      ),
    ).toEqual({ name: 'Facilitator', organisation: null })
    expect(ledgerAuthor(entry({ userId: '', name: '', organisation: '' }))).toEqual({
      name: 'Someone',
      organisation: null,
    })
  })
})
