/**
 * Signed sign-off receipts through the real server (issue #18, point 2), and `npx commonpot verify`
 * on the exports it serves (point 3): a clause agreed through two bound links gets a receipt the
 * server signed with the key it publishes; the facilitator marking the whole protocol agreed gets
 * one listing every clause; nobody else can write receipts or the mark, and the mark cannot stand
 * over a clause that is not agreed; the key survives a restart; and the verifier finds a tampered
 * export, naming what broke.
 */
import { execFile } from 'node:child_process'
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { inviteResponseSchema } from '../../shared/api.ts'
import { readLedger } from '../../shared/ledger.ts'
import {
  addClause,
  participatingOrganisations,
  proposeClause,
  readClauses,
  reopenClause,
  settleClause,
  statePosition,
} from '../../shared/protocol.ts'
import { markProtocolAgreed, PROTOCOL_AGREED_KEY, readProtocolAgreed } from '../../shared/protocolAgreement.ts'
import {
  checkReceiptSignature,
  clauseTextHash,
  type Receipt,
  readReceipts,
  signingKeyResponseSchema,
} from '../../shared/receipts.ts'
import { getReceiptsArray, getSettingsMap, recordMember } from '../../shared/schema.ts'
import { verifyExport } from '../../shared/verifyExport.ts'
import { deniedReasons, settle } from '../helpers/rulesRoom.ts'
import { type ServerProcess, startServer, tempDir } from '../helpers/serverProcess.ts'
import { connect, createRoom, type TestClient, waitFor } from '../helpers/syncClient.ts'

const ROOT = path.resolve(import.meta.dirname, '..', '..')
const swindon = { userId: 's', name: 'Fiona Facilitator', organisation: 'Swindon Borough Council' }
const dwp = { userId: 'd', name: 'Amira Khan', organisation: 'DWP' }

let server: ServerProcess
const clients: TestClient[] = []

beforeAll(async () => {
  server = await startServer()
})
afterAll(async () => {
  for (const client of clients) client.destroy()
  await server.stop()
})

async function boundToken(roomId: string, facilitatorToken: string, role: string, organisation: string) {
  const response = await fetch(`${server.origin}/api/rooms/${roomId}/invites`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${facilitatorToken}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ role, organisation, expiresInHours: 1 }),
  })
  return inviteResponseSchema.parse(await response.json()).token
}

/** A room with Swindon (facilitator) and DWP (participant) on bound links and one clause agreed by both. */
async function agreedRoom() {
  const room = await createRoom(server)
  const a = connect(
    server,
    room.roomId,
    await boundToken(room.roomId, room.tokens.facilitator, 'facilitator', swindon.organisation),
  )
  const b = connect(
    server,
    room.roomId,
    await boundToken(room.roomId, room.tokens.facilitator, 'participant', dwp.organisation),
  )
  clients.push(a, b)
  await Promise.all([a.firstSync, b.firstSync])
  recordMember(a.doc, 's', { name: swindon.name, organisation: swindon.organisation, role: 'facilitator' }, 1)
  recordMember(b.doc, 'd', { name: dwp.name, organisation: dwp.organisation, role: 'participant' }, 1)
  const id = addClause(a.doc, 'Pooling', ['Partners pool £2.4m for 2027/28.'], swindon, 1)
  proposeClause(a.doc, id, swindon, 2)
  await waitFor(() => readClauses(b.doc)[0]?.status === 'proposed', 5000, 'proposal at b')
  await waitFor(() => participatingOrganisations(a.doc).length === 2, 5000, 'members at a')
  statePosition(b.doc, id, dwp.organisation, 'agree', '', dwp, 3, 'link')
  await waitFor(() => readClauses(a.doc)[0]!.positions.size === 1, 5000, 'DWP position at a')
  statePosition(a.doc, id, swindon.organisation, 'agree', '', swindon, 4, 'link')
  settleClause(a.doc, id, participatingOrganisations(a.doc), swindon, 4)
  await waitFor(() => readReceipts(b.doc).length === 1, 5000, 'the clause receipt at b')
  return { room, a, b, id }
}

async function publishedKey() {
  return signingKeyResponseSchema.parse(await (await fetch(`${server.origin}/api/signing-key`)).json())
}

async function jsonExport(roomId: string, token: string): Promise<Record<string, unknown>> {
  const response = await fetch(`${server.origin}/api/rooms/${roomId}/export?format=json`, {
    headers: { Authorization: `Bearer ${token}` },
  })
  return (await response.json()) as Record<string, unknown>
}

describe('sign-off receipts', () => {
  it('signs a receipt when a clause becomes agreed: its wording, each position and how it was stated, the ledger head', async () => {
    const { room, b, id } = await agreedRoom()
    const [receipt] = readReceipts(b.doc) as [Receipt]
    const key = await publishedKey()
    expect(receipt.kind).toBe('clause')
    expect(receipt.roomId).toBe(room.roomId)
    expect(receipt.keyId).toBe(key.keyId)
    expect(receipt.publicKey).toBe(key.publicKey)
    expect(receipt.clauses).toEqual([
      {
        id,
        title: 'Pooling',
        textSha256: clauseTextHash({ title: 'Pooling', text: 'Partners pool £2.4m for 2027/28.' }),
        positions: [
          { organisation: 'DWP', position: 'agree', basis: 'link', by: dwp.name, at: 3 },
          { organisation: 'Swindon Borough Council', position: 'agree', basis: 'link', by: swindon.name, at: 4 },
        ],
      },
    ])
    // The head it quotes is the ledger entry recording the agreement.
    const agreed = readLedger(b.doc).find((e) => e.subject === id && e.field === 'status' && e.to === 'agreed')
    expect(receipt.ledgerHead).toBe(agreed!.hash)
    expect(await checkReceiptSignature(receipt, key.publicKey)).toEqual({ ok: true, keyId: key.keyId })
    // One byte of the signature flipped, and it no longer checks.
    const bytes = Buffer.from(receipt.signature, 'base64url')
    bytes[10]! ^= 1
    const flipped = { ...receipt, signature: bytes.toString('base64url') }
    expect(await checkReceiptSignature(flipped, key.publicKey)).toEqual({
      ok: false,
      problem: 'has a signature that does not match',
    })
  })

  it('signs the whole protocol when the facilitator marks it agreed, and the mark goes when a clause is reopened', async () => {
    const { room, a, b, id } = await agreedRoom()
    markProtocolAgreed(a.doc, swindon, 10)
    await waitFor(() => readReceipts(b.doc).length === 2, 5000, 'the protocol receipt at b')
    const receipt = readReceipts(b.doc)[1]!
    expect(receipt.kind).toBe('protocol')
    expect(receipt.markedBy).toBe(swindon.name)
    expect(receipt.clauses.map((c) => c.id)).toEqual([id])
    expect(readProtocolAgreed(b.doc)?.by.name).toBe(swindon.name)

    // It names the snapshot of the whole workshop as agreed: stored, its bytes hashing to what the
    // receipt says, and kept (neither the facilitator nor the retention may delete it).
    const auth = { Authorization: `Bearer ${room.tokens.facilitator}` }
    const named = receipt.snapshot!
    const listed = (await (
      await fetch(`${server.origin}/api/rooms/${room.roomId}/snapshots`, { headers: auth })
    ).json()) as {
      snapshots: { id: string; name: string; sha256: string }[]
    }
    expect(listed.snapshots.find((s) => s.id === named.id)).toMatchObject({
      name: 'Protocol agreed as a whole',
      sha256: named.sha256,
    })
    const state = new Uint8Array(
      await (
        await fetch(`${server.origin}/api/rooms/${room.roomId}/snapshots/${named.id}?format=ydoc`, { headers: auth })
      ).arrayBuffer(),
    )
    expect(createHash('sha256').update(state).digest('hex')).toBe(named.sha256)
    const refused = await fetch(`${server.origin}/api/rooms/${room.roomId}/snapshots/${named.id}`, {
      method: 'DELETE',
      headers: auth,
    })
    expect(refused.status).toBe(409)
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('snapshot_referenced')

    const exported = await jsonExport(room.roomId, room.tokens.observer)
    const report = await verifyExport(exported, (await publishedKey()).publicKey)
    expect(report.ok).toBe(true)
    expect(report.receipts.map((r) => [r.heading, r.ok])).toEqual([
      ['Clause agreed: “Pooling”', true],
      ['Protocol agreed as a whole (1 clause)', true],
    ])

    reopenClause(a.doc, id, swindon, 11)
    await waitFor(() => readProtocolAgreed(b.doc) === null, 5000, 'the mark withdrawn at b')
    expect(readClauses(b.doc)[0]!.status).toBe('reopened')
    const later = await verifyExport(await jsonExport(room.roomId, room.tokens.observer))
    expect(later.ok).toBe(true)
    expect(later.receipts[0]!.notes).toEqual(['“Pooling” has been reopened since it was signed'])
  })

  it('refuses receipts and the mark from anyone but the server and the facilitator, and a mark over an open clause', async () => {
    const { room, a, b, id } = await agreedRoom()
    const denied = deniedReasons(b)
    getReceiptsArray(b.doc).push([{ ...readReceipts(b.doc)[0]!, id: 'forged' }])
    getSettingsMap(b.doc).set(PROTOCOL_AGREED_KEY, { by: dwp, at: 5 })
    await settle(a, [b], 'after-forgeries')
    expect(denied).toEqual([
      'Sign-off receipts are signed and written by the server alone.',
      'Only the facilitator can change the workshop settings.',
    ])
    const fresh = connect(server, room.roomId, room.tokens.observer)
    clients.push(fresh)
    await fresh.firstSync
    expect(readReceipts(fresh.doc).map((r) => r.id)).not.toContain('forged')
    expect(readProtocolAgreed(fresh.doc)).toBeNull()

    // The facilitator, by hand: a second clause still draft, then the mark written directly.
    const facilitatorDenied = deniedReasons(a)
    addClause(a.doc, 'Governance', ['A joint board.'], swindon, 6)
    getSettingsMap(a.doc).set(PROTOCOL_AGREED_KEY, { by: swindon, at: 7 })
    await settle(a, [b], 'after-early-mark')
    expect(facilitatorDenied).toEqual([
      'The protocol cannot be marked agreed: 1 of 2 clauses are not agreed yet: every clause must be agreed first.',
    ])
    const stored = connect(server, room.roomId, room.tokens.observer)
    clients.push(stored)
    await stored.firstSync
    expect(readProtocolAgreed(stored.doc)).toBeNull()
    expect(readClauses(stored.doc).map((c) => [c.id === id, c.status])).toEqual([
      [true, 'agreed'],
      [false, 'draft'],
    ])
  })

  it('keeps its key across a restart: receipts signed before still check against the published key', async () => {
    const dataDir = tempDir()
    const first = await startServer({ dataDir })
    const before = signingKeyResponseSchema.parse(await (await fetch(`${first.origin}/api/signing-key`)).json())
    await first.stop()
    const second = await startServer({ dataDir })
    try {
      const after = signingKeyResponseSchema.parse(await (await fetch(`${second.origin}/api/signing-key`)).json())
      expect(after).toEqual(before)
      expect(fs.statSync(path.join(dataDir, 'signing-key.pem')).mode & 0o777).toBe(0o600)
    } finally {
      await second.stop()
    }
  })
})

describe('npx commonpot verify', () => {
  /**
   * Runs the command as a user would. Asynchronously: a synchronous spawn stalls this process's
   * event loop, and its HTTP client then reuses keep-alive sockets the server has since closed.
   */
  const verify = (...args: string[]) =>
    new Promise<{ status: number | null; stdout: string }>((resolve, reject) => {
      execFile(
        process.execPath,
        [path.join(ROOT, 'bin', 'commonpot.mjs'), 'verify', ...args],
        { cwd: ROOT, encoding: 'utf8' },
        (error, stdout) => {
          if (error && typeof error.code !== 'number') reject(error)
          else resolve({ status: error ? (error.code as number) : 0, stdout })
        },
      )
    })

  it('says an untouched export holds, and names the entry or receipt that broke in tampered ones', async () => {
    const { room, a } = await agreedRoom()
    markProtocolAgreed(a.doc, swindon, 10)
    await waitFor(() => readReceipts(a.doc).length === 2, 5000, 'both receipts')
    const exported = await jsonExport(room.roomId, room.tokens.observer)
    const key = await publishedKey()
    const dir = tempDir('verify-')
    const write = (name: string, json: unknown) => {
      const file = path.join(dir, name)
      fs.writeFileSync(file, JSON.stringify(json))
      return file
    }

    const good = await verify(write('export.json', exported), '--key', key.publicKey)
    expect(good.status).toBe(0)
    expect(good.stdout).toContain('VERIFIED: everything checked holds.')
    expect(good.stdout).toContain('ok    receipt 1: Clause agreed: “Pooling”')
    expect(good.stdout).toContain('ok    receipt 2: Protocol agreed as a whole (1 clause)')

    // The export says which shape it has (issue #19); one from before it did verifies the same.
    expect(exported.schemaVersion).toBe(1)
    const unversioned = Object.fromEntries(Object.entries(exported).filter(([key]) => key !== 'schemaVersion'))
    const older = await verify(write('unversioned.json', unversioned), '--key', key.publicKey)
    expect(older.status).toBe(0)
    expect(older.stdout).toContain('VERIFIED: everything checked holds.')

    // An entry's recorded value changed after the fact.
    const ledger = structuredClone(exported.ledger) as { to: unknown }[]
    const changedAt = ledger.findIndex((e) => e.to === 'agreed')
    ledger[changedAt]!.to = 'proposed'
    const edited = await verify(write('edited.json', { ...exported, ledger }))
    expect(edited.status).toBe(1)
    expect(edited.stdout).toContain('NOT VERIFIED')
    expect(edited.stdout).toMatch(new RegExp(`entry ${changedAt + 1} \\(\\w+\\) does not match its hash`))

    // The clause's wording changed in the export, the receipt left as it was.
    const protocol = structuredClone(exported.protocol) as { clauses: { text: string }[] }
    protocol.clauses[0]!.text = 'Partners pool £1.2m for 2027/28.'
    const reworded = await verify(write('reworded.json', { ...exported, protocol }))
    expect(reworded.status).toBe(1)
    expect(reworded.stdout).toContain('the agreed text of “Pooling” is not the text that was signed')

    // One byte of a signature flipped.
    const receipts = structuredClone(exported.receipts) as Receipt[]
    const signature = Buffer.from(receipts[1]!.signature, 'base64url')
    signature[0]! ^= 1
    receipts[1]!.signature = signature.toString('base64url')
    const forged = await verify(write('forged.json', { ...exported, receipts }))
    expect(forged.status).toBe(1)
    expect(forged.stdout).toContain('FAIL  receipt 2: Protocol agreed as a whole (1 clause)')
    expect(forged.stdout).toContain('it has a signature that does not match')

    // A key other than the published one.
    const otherKey = Buffer.alloc(32, 7).toString('base64url')
    const wrongKey = await verify(path.join(dir, 'export.json'), '--key', otherKey)
    expect(wrongKey.status).toBe(1)
    expect(wrongKey.stdout).toContain(`was signed with key ${key.keyId}, not the trusted key`)

    // The snapshot the protocol's receipt names, checked against the receipt alone.
    const named = (exported.receipts as Receipt[])[1]!.snapshot!
    const bytes = new Uint8Array(
      await (
        await fetch(`${server.origin}/api/rooms/${room.roomId}/snapshots/${named.id}?format=ydoc`, {
          headers: { Authorization: `Bearer ${room.tokens.observer}` },
        })
      ).arrayBuffer(),
    )
    const ydoc = path.join(dir, 'agreed.ydoc')
    fs.writeFileSync(ydoc, bytes)
    const agreedState = await verify(path.join(dir, 'export.json'), ydoc)
    expect(agreedState.status).toBe(0)
    expect(agreedState.stdout).toContain(
      `SHA-256 ${named.sha256} is the one receipt 2 of ${path.join(dir, 'export.json')} quotes`,
    )

    expect((await verify()).status).toBe(2)
    fs.rmSync(dir, { recursive: true, force: true })
  })

  it('checks a snapshot’s bytes against the SHA-256 its metadata quotes, and the workshop inside them', async () => {
    const { room } = await agreedRoom()
    const auth = { Authorization: `Bearer ${room.tokens.facilitator}` }
    const created = await fetch(`${server.origin}/api/rooms/${room.roomId}/snapshots`, {
      method: 'POST',
      headers: { ...auth, 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'Pooling agreed' }),
    })
    expect(created.status).toBe(201)
    const { id: sid } = (await created.json()) as { id: string }
    const base = `${server.origin}/api/rooms/${room.roomId}/snapshots/${sid}`
    const json = await (await fetch(base, { headers: auth })).json()
    const bytes = new Uint8Array(await (await fetch(`${base}?format=ydoc`, { headers: auth })).arrayBuffer())
    const dir = tempDir('verify-')
    const jsonFile = path.join(dir, 'snapshot.json')
    const ydocFile = path.join(dir, 'snapshot.ydoc')
    fs.writeFileSync(jsonFile, JSON.stringify(json))
    fs.writeFileSync(ydocFile, bytes)

    const good = await verify(jsonFile, ydocFile)
    expect(good.status).toBe(0)
    expect(good.stdout).toMatch(/ok {4}SHA-256 [0-9a-f]{64} is the one .*snapshot\.json quotes/)
    expect(good.stdout).toContain('ok    receipt 1: Clause agreed: “Pooling”')

    // The bytes changed (a byte of the title in the stored state): the hash no longer matches.
    const title = Buffer.from(bytes).indexOf(Buffer.from('Pooling'))
    const tampered = Buffer.from(bytes)
    tampered[title] = 'C'.charCodeAt(0)
    fs.writeFileSync(ydocFile, tampered)
    const bad = await verify(jsonFile, ydocFile)
    expect(bad.status).toBe(1)
    expect(bad.stdout).toContain('is not the one any snapshot given quotes: these bytes were changed')
    fs.rmSync(dir, { recursive: true, force: true })
  })
})
