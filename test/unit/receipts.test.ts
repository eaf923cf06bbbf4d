import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { appendLedger, ledgerEntry, readLedger } from '../../shared/ledger.ts'
import { restoreSnapshot } from '../../shared/restore.ts'
import { addClause, proposeClause, readClauses, reopenClause } from '../../shared/protocol.ts'
import {
  markProtocolAgreed,
  protocolAgreementBlocker,
  readProtocolAgreed,
  withdrawProtocolAgreed,
} from '../../shared/protocolAgreement.ts'
import {
  checkReceiptSignature,
  clauseTextHash,
  fromBase64url,
  type Receipt,
  receiptContentFor,
  receiptSigningBytes,
  signingKeyId,
  toBase64url,
} from '../../shared/receipts.ts'
import { receiptsMarkdown } from '../../shared/receiptsExport.ts'
import { getProtocolMap, getReceiptsArray } from '../../shared/schema.ts'
import { verifyExport, verificationText } from '../../shared/verifyExport.ts'
import { buildExport, exportToMarkdown } from '../../shared/export.ts'
import { loadSigningKey } from '../../server/auth/signingKey.ts'

const fiona = { userId: 'f', name: 'Fiona', organisation: 'Swindon Borough Council' }
const tmp = () => fs.mkdtempSync(path.join(process.env.COMMONPOT_TEST_TMP ?? os.tmpdir(), 'key-'))

/** A document with one agreed clause, its ledger entry and a signed receipt for it. */
function signedDoc() {
  const signer = loadSigningKey(undefined, tmp())
  const doc = new Y.Doc()
  const id = addClause(doc, 'Pooling', ['Partners pool £2.4m.'], fiona, 1)
  getProtocolMap(doc).get(id)!.set('status', 'agreed')
  const positions = getProtocolMap(doc).get(id)!.get('positions') as Y.Map<unknown>
  positions.set('DWP', { position: 'agree', reason: '', by: fiona, at: 2, basis: 'on-behalf' })
  const [entry] = appendLedger(doc, [
    ledgerEntry('protocol', fiona, 3, id, 'Pooling', 'changed', 'status', 'proposed', 'agreed'),
  ])
  const content = receiptContentFor(
    doc,
    {
      id: 'r1',
      kind: 'clause',
      clauseIds: [id],
      roomId: 'room',
      issuedAt: 3,
      ledgerHead: entry!.hash!,
      markedBy: null,
    },
    signer,
  )!
  const receipt: Receipt = { ...content, signature: signer.sign(receiptSigningBytes(content)) }
  getReceiptsArray(doc).push([receipt])
  return { doc, id, signer, receipt }
}

describe('receipts', () => {
  it('hash a clause’s wording by title and text, so any change to either shows', () => {
    const hash = clauseTextHash({ title: 'Pooling', text: 'Partners pool £2.4m.' })
    expect(hash).toMatch(/^[0-9a-f]{64}$/)
    expect(clauseTextHash({ title: 'Pooling', text: 'Partners pool £2.5m.' })).not.toBe(hash)
    expect(clauseTextHash({ title: 'Pooling.', text: 'Partners pool £2.4m.' })).not.toBe(hash)
  })

  it('carry what the server signed, and check only with the key they were signed with', async () => {
    const { receipt, signer, id } = signedDoc()
    expect(receipt.clauses[0]).toMatchObject({
      id,
      title: 'Pooling',
      positions: [{ organisation: 'DWP', position: 'agree', basis: 'on-behalf', by: 'Fiona', at: 2 }],
    })
    expect(receipt.keyId).toBe(signingKeyId(fromBase64url(signer.publicKey)))
    expect(await checkReceiptSignature(receipt)).toEqual({ ok: true, keyId: signer.keyId })
    expect(await checkReceiptSignature(receipt, signer.publicKey)).toEqual({ ok: true, keyId: signer.keyId })
    const other = loadSigningKey(undefined, tmp())
    expect((await checkReceiptSignature(receipt, other.publicKey)).ok).toBe(false)
    // Anything signed changed: the issue time, a position, the text hash.
    for (const changed of [
      { ...receipt, issuedAt: 4 },
      { ...receipt, clauses: [{ ...receipt.clauses[0]!, positions: [] }] },
      { ...receipt, clauses: [{ ...receipt.clauses[0]!, textSha256: '0'.repeat(64) }] },
    ])
      expect(await checkReceiptSignature(changed)).toEqual({
        ok: false,
        problem: 'has a signature that does not match',
      })
    // Another key swapped in with its own id: it checks only against itself, never the trusted key.
    const swapped = { ...receipt, publicKey: other.publicKey, keyId: other.keyId }
    expect((await checkReceiptSignature(swapped)).ok).toBe(false)
    expect(await checkReceiptSignature({ nonsense: true })).toEqual({
      ok: false,
      problem: 'is not a well-formed receipt',
    })
  })

  it('round-trip base64url', () => {
    const bytes = Uint8Array.from({ length: 33 }, (_, i) => i * 7)
    expect(fromBase64url(toBase64url(bytes))).toEqual(bytes)
    expect(toBase64url(bytes)).not.toMatch(/[+/=]/)
  })

  it('load a SIGNING_KEY given as PEM, with its newlines escaped as an env var often has them', () => {
    const dir = tmp()
    const first = loadSigningKey(undefined, dir)
    const text = fs.readFileSync(path.join(dir, 'signing-key.pem'), 'utf8')
    expect(loadSigningKey(text.replace(/\n/g, '\\n'), tmp()).keyId).toBe(first.keyId)
    expect(loadSigningKey(undefined, dir).keyId).toBe(first.keyId)
    expect(loadSigningKey(undefined, tmp()).keyId).not.toBe(first.keyId)
    expect(() => loadSigningKey('not a key', tmp())).toThrow(/SIGNING_KEY is not a private key in PEM form/)
  })
})

describe('the protocol marked agreed as a whole', () => {
  it('needs every clause agreed, and is withdrawn by reopening one', () => {
    const doc = new Y.Doc()
    expect(protocolAgreementBlocker(readClauses(doc))).toBe('The protocol has no clauses yet.')
    const a = addClause(doc, 'One', ['a'], fiona, 1)
    const b = addClause(doc, 'Two', ['b'], fiona, 1)
    proposeClause(doc, a, fiona, 2)
    getProtocolMap(doc).get(a)!.set('status', 'agreed')
    expect(() => markProtocolAgreed(doc, fiona, 3)).toThrow(
      '1 of 2 clauses are not agreed yet: every clause must be agreed first.',
    )
    getProtocolMap(doc).get(b)!.set('status', 'agreed')
    markProtocolAgreed(doc, fiona, 3)
    expect(readProtocolAgreed(doc)).toEqual({ by: fiona, at: 3 })
    expect(() => addClause(doc, 'Three', [], fiona, 4)).toThrow(/marked agreed/)
    reopenClause(doc, a, fiona, 5)
    expect(readProtocolAgreed(doc)).toBeNull()
    getProtocolMap(doc).get(a)!.set('status', 'agreed')
    markProtocolAgreed(doc, fiona, 6)
    withdrawProtocolAgreed(doc)
    expect(readProtocolAgreed(doc)).toBeNull()
  })
})

describe('restoring a snapshot over a protocol marked agreed', () => {
  it('withdraws the mark (and records it) when the restored protocol is not wholly agreed; keeps receipts', () => {
    const { doc: live, id } = signedDoc()
    const earlier = new Y.Doc()
    Y.applyUpdate(earlier, Y.encodeStateAsUpdate(live))
    getProtocolMap(earlier).get(id)!.set('status', 'proposed')
    markProtocolAgreed(live, fiona, 10)
    restoreSnapshot(live, earlier, 'Before lunch', fiona, 11)
    expect(readClauses(live)[0]!.status).toBe('proposed')
    expect(readProtocolAgreed(live)).toBeNull()
    expect(
      readLedger(live)
        .map((e) => [e.area, e.action, e.field, e.to])
        .slice(-2),
    ).toEqual([
      ['workshop', 'restored', 'snapshot', 'Before lunch'],
      ['protocol', 'changed', 'status', 'open'],
    ])
    expect(getReceiptsArray(live).length).toBe(1)

    // Restoring a state where everything is still agreed leaves the mark standing.
    const agreedCopy = new Y.Doc()
    Y.applyUpdate(agreedCopy, Y.encodeStateAsUpdate(live))
    getProtocolMap(live).get(id)!.set('status', 'agreed')
    getProtocolMap(agreedCopy).get(id)!.set('status', 'agreed')
    markProtocolAgreed(live, fiona, 12)
    restoreSnapshot(live, agreedCopy, 'Agreed', fiona, 13)
    expect(readProtocolAgreed(live)).toEqual({ by: fiona, at: 12 })
  })
})

describe('verifying an export offline', () => {
  it('holds for an untouched export and the Markdown lists each receipt with what a reader checks', async () => {
    const { doc, receipt } = signedDoc()
    const exported = buildExport(doc)
    const report = await verifyExport(JSON.parse(JSON.stringify(exported)))
    expect(report.ok).toBe(true)
    expect(verificationText(report)[0]).toBe('VERIFIED: everything checked holds.')
    const markdown = exportToMarkdown(exported)
    expect(markdown).toContain('## Sign-off receipts')
    expect(markdown).toContain('### Clause agreed: “Pooling”')
    expect(markdown).toContain(`- Signed: 1 Jan 1970, 01:00 (Europe/London)`)
    expect(markdown).toContain('- Positions: DWP: Agree (on behalf, Fiona)')
    expect(markdown).toContain(`signature \`${receipt.signature}\``)
    expect(receiptsMarkdown([])).toEqual([])
  })

  it('fails a receipt whose ledger head was cut from the ledger', async () => {
    const { doc } = signedDoc()
    const exported = JSON.parse(JSON.stringify(buildExport(doc)))
    exported.ledger = []
    const report = await verifyExport(exported)
    expect(report.ok).toBe(false)
    expect(report.receipts[0]!.problems).toEqual([
      'it quotes a ledger head that is not in this ledger: the ledger was cut or rewritten',
    ])
  })

  it('refuses what is not an export', async () => {
    await expect(verifyExport({ hello: 1 })).rejects.toThrow('This is not a Commonpot export: it has no ledger.')
  })
})
