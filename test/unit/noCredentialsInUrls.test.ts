/**
 * The pieces that keep credentials out of URLs (issue #18, point 7): downloads send the token as
 * a bearer and name the file as the server does (client/ui/downloadFile.ts), and the sync
 * connection carries the token and user secret as subprotocols (shared/syncCredentials.ts).
 */
import { describe, expect, it } from 'vitest'
import { DownloadError, downloadFile, filenameFromContentDisposition } from '../../client/ui/downloadFile.ts'
import {
  credentialsFromSubprotocols,
  SUBPROTOCOL_PATTERN,
  selectSubprotocol,
  syncSubprotocols,
} from '../../shared/syncCredentials.ts'
import { newUserSecret } from '../../shared/userKey.ts'

const JWT =
  'eyJhbGciOiJIUzI1NiJ9.eyJyb2xlIjoiZmFjaWxpdGF0b3IiLCJzdWIiOiJyb29tIn0.q9Wl0mZ3Zb0x8B1m2L-QkUrYv_5Xk7e0pTzX3cVb2yA'

function recorder(response: Response | Error) {
  const calls: { url: string; init: RequestInit | undefined }[] = []
  const saved: { name: string; text: Promise<string> }[] = []
  return {
    calls,
    saved,
    deps: {
      fetch: (async (url: string | URL | Request, init?: RequestInit) => {
        calls.push({ url: String(url), init })
        if (response instanceof Error) throw response
        return response
      }) as typeof fetch,
      save: (blob: Blob, name: string) => saved.push({ name, text: blob.text() }),
    },
  }
}

describe('downloadFile', () => {
  it('sends the token as a bearer, not in the address, and saves the file under the server’s name', async () => {
    const r = recorder(
      new Response('Partner,Amount\n', {
        // As the server names it (server/http/exportFiles.ts): an ASCII stand-in, then UTF-8.
        headers: {
          'Content-Disposition':
            'attachment; filename="Cafe Zoe-pot-2026-07-01.csv"; filename*=UTF-8\'\'Caf%C3%A9%20Zo%C3%AB-pot-2026-07-01.csv',
        },
      }),
    )
    await downloadFile({ url: '/api/rooms/abcd/export?format=csv', token: JWT, fallbackName: 'x.csv' }, r.deps)
    expect(r.calls).toHaveLength(1)
    expect(r.calls[0]!.url).toBe('/api/rooms/abcd/export?format=csv')
    expect(r.calls[0]!.url).not.toContain(JWT)
    expect(new Headers(r.calls[0]!.init?.headers).get('authorization')).toBe(`Bearer ${JWT}`)
    expect(r.saved.map((s) => s.name)).toEqual(['Café Zoë-pot-2026-07-01.csv'])
    expect(await r.saved[0]!.text).toBe('Partner,Amount\n')
  })

  it('falls back to its own name when the server gives none', async () => {
    const r = recorder(Response.json({ meta: {} }))
    await downloadFile({ url: '/api/rooms/abcd/export?format=json', token: JWT, fallbackName: 'workshop.json' }, r.deps)
    expect(r.saved.map((s) => s.name)).toEqual(['workshop.json'])
  })

  it('fails with the server’s own words, saving nothing', async () => {
    const r = recorder(
      Response.json(
        { error: { code: 'token_revoked', message: 'This invite link has been revoked.' } },
        { status: 401 },
      ),
    )
    const failure = downloadFile({ url: '/x', token: JWT, fallbackName: 'x.md' }, r.deps)
    await expect(failure).rejects.toThrow(DownloadError)
    await expect(failure).rejects.toThrow('The download failed: This invite link has been revoked.')
    expect(r.saved).toEqual([])
  })

  it('says so when the server cannot be reached or answers without a JSON error', async () => {
    await expect(
      downloadFile({ url: '/x', token: JWT, fallbackName: 'x' }, recorder(new TypeError('fetch failed')).deps),
    ).rejects.toThrow('could not be reached')
    await expect(
      downloadFile({ url: '/x', token: JWT, fallbackName: 'x' }, recorder(new Response('oops', { status: 502 })).deps),
    ).rejects.toThrow('the server answered 502')
  })

  it('reads the file name of a Content-Disposition header, as a name only', () => {
    expect(filenameFromContentDisposition('attachment; filename="a b.md"')).toBe('a b.md')
    expect(filenameFromContentDisposition('attachment; filename=plain.csv')).toBe('plain.csv')
    expect(filenameFromContentDisposition(`attachment; filename="x.md"; filename*=UTF-8''caf%C3%A9.md`)).toBe('café.md')
    expect(filenameFromContentDisposition('attachment; filename="../../etc/passwd"')).toBe('passwd')
    expect(filenameFromContentDisposition('attachment; filename="a\u0007b.csv"')).toBe('ab.csv')
    expect(filenameFromContentDisposition('attachment; filename=".."')).toBeNull()
    expect(filenameFromContentDisposition('attachment')).toBeNull()
    expect(filenameFromContentDisposition(null)).toBeNull()
  })
})

describe('sync credentials as subprotocols', () => {
  it('offers commonpot first, then the token and secret, each a valid subprotocol as it is', () => {
    const secret = newUserSecret()
    const protocols = syncSubprotocols({ token: JWT, user: secret })
    expect(protocols).toEqual(['commonpot', `commonpot.token.${JWT}`, `commonpot.user.${secret}`])
    for (const protocol of protocols) expect(protocol).toMatch(SUBPROTOCOL_PATTERN)
    expect(credentialsFromSubprotocols(protocols.join(', '))).toEqual({ token: JWT, user: secret })
  })

  it('encodes a value that is not an HTTP token, and reads it back', () => {
    const odd = 'a b,c(d)é/"=;'
    const [, token] = syncSubprotocols({ token: odd })
    expect(token).toMatch(SUBPROTOCOL_PATTERN)
    expect(credentialsFromSubprotocols(`commonpot, ${token}`)).toEqual({ token: odd, user: undefined })
  })

  it('reads nothing from a header without them, or with values it cannot decode', () => {
    expect(credentialsFromSubprotocols(undefined)).toEqual({ token: undefined, user: undefined })
    expect(credentialsFromSubprotocols('y-websocket')).toEqual({ token: undefined, user: undefined })
    expect(credentialsFromSubprotocols('commonpot.token.%E0%A4%A, commonpot.token.second')).toEqual({
      token: undefined,
      user: undefined,
    })
    expect(credentialsFromSubprotocols(`commonpot.token.${'a'.repeat(9000)}`).token).toBeUndefined()
  })

  it('selects commonpot, and never echoes a credential', () => {
    expect(selectSubprotocol(new Set(['commonpot', `commonpot.token.${JWT}`]))).toBe('commonpot')
    expect(selectSubprotocol(new Set([`commonpot.token.${JWT}`, 'commonpot']))).toBe('commonpot')
    expect(selectSubprotocol(new Set([`commonpot.token.${JWT}`]))).toBe(false)
    expect(selectSubprotocol(new Set([`commonpot.token.${JWT}`, 'y-websocket']))).toBe('y-websocket')
    expect(selectSubprotocol(new Set())).toBe(false)
  })
})
