/**
 * The protocol through the real server: positions from two clients converge and agree a clause;
 * comments made at the same moment both survive, and a resolve reaches the other side.
 */
import { describe, expect, it } from 'vitest'
import {
  addClause,
  checkAgreement,
  participatingOrganisations,
  proposeClause,
  readClauses,
  settleClause,
  statePosition,
} from '../../shared/protocol.ts'
import { addComment, openCommentCount, readComments, resolveComment } from '../../shared/protocolComments.ts'
import { recordMember } from '../../shared/schema.ts'
import { inviteResponseSchema } from '../../shared/api.ts'
import { connect, createRoom, waitFor } from '../helpers/syncClient.ts'
import { useTestServer } from '../helpers/testServer.ts'

const harness = useTestServer()
const { clients } = harness

const swindon = { userId: 's', name: 'Fiona', organisation: 'Swindon Borough Council' }
const dwp = { userId: 'd', name: 'Amira', organisation: 'DWP' }

describe('protocol over the wire', () => {
  it('converges positions stated at the same moment and agrees the clause on both sides', async () => {
    const room = await createRoom(harness.server)
    // Positions count toward agreement only through links bound to their organisations.
    const bound = async (role: string, organisation: string) => {
      const response = await fetch(`${harness.server.origin}/api/rooms/${room.roomId}/invites`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${room.tokens.facilitator}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ role, organisation, expiresInHours: 1 }),
      })
      return inviteResponseSchema.parse(await response.json()).token
    }
    const a = connect(harness.server, room.roomId, await bound('facilitator', swindon.organisation))
    const b = connect(harness.server, room.roomId, await bound('participant', dwp.organisation))
    clients.push(a, b)
    await Promise.all([a.firstSync, b.firstSync])
    recordMember(a.doc, 's', { name: 'Fiona', organisation: swindon.organisation, role: 'facilitator' }, 1)
    recordMember(b.doc, 'd', { name: 'Amira', organisation: dwp.organisation, role: 'participant' }, 1)
    const id = addClause(a.doc, 'Decision making', ['Decisions by consensus.'], swindon, 1)
    proposeClause(a.doc, id, swindon, 2)
    await waitFor(
      () => readClauses(b.doc)[0]?.status === 'proposed' && participatingOrganisations(b.doc).length === 2,
      5000,
      'proposal at b',
    )
    await waitFor(() => participatingOrganisations(a.doc).length === 2, 5000, 'members at a')

    statePosition(a.doc, id, swindon.organisation, 'agree', '', swindon, 3, 'link')
    statePosition(b.doc, id, dwp.organisation, 'agree', '', dwp, 3, 'link')

    // Each side saw only its own position when it stated it, so neither agreed the clause; once the
    // positions meet, the merged clause passes and whichever side settles it, both see it agreed.
    await waitFor(
      () => readClauses(a.doc)[0]!.positions.size === 2 && readClauses(b.doc)[0]!.positions.size === 2,
      5000,
      'positions',
    )
    const merged = readClauses(a.doc)[0]!
    expect(checkAgreement(merged, participatingOrganisations(a.doc)).passes).toBe(true)
    expect([...merged.positions.keys()].sort()).toEqual([dwp.organisation, swindon.organisation])
    expect(readClauses(b.doc)[0]!.positions.get(swindon.organisation)?.position).toBe('agree')

    // The facilitator's client settles clauses that pass after a merge (the Protocol view does it).
    expect(settleClause(a.doc, id, participatingOrganisations(a.doc), swindon, 4)).toBe(true)
    await waitFor(() => readClauses(b.doc)[0]!.status === 'agreed', 5000, 'agreed at b')
  })

  it('keeps comments two clients make on one clause at the same moment, and carries a resolve across', async () => {
    const room = await createRoom(harness.server)
    const a = connect(harness.server, room.roomId, room.tokens.facilitator)
    const b = connect(harness.server, room.roomId, room.tokens.participant)
    clients.push(a, b)
    await Promise.all([a.firstSync, b.firstSync])
    const id = addClause(a.doc, 'Governance', ['A joint board agrees the pot.'], swindon, 1)
    await waitFor(() => readClauses(b.doc).length === 1, 5000, 'clause at b')

    // Neither has seen the other's comment when it writes its own.
    const fromA = addComment(a.doc, id, 'Who chairs the board?', swindon, 10)
    const fromB = addComment(b.doc, id, 'DWP wants a seat on the board.', dwp, 10)
    const both = (doc: typeof a.doc) => readComments(doc, id).length === 2
    await waitFor(() => both(a.doc) && both(b.doc), 5000, 'both comments on both sides')
    expect(readComments(a.doc, id)).toEqual(readComments(b.doc, id))
    expect(
      readComments(a.doc, id)
        .map((c) => c.id)
        .sort(),
    ).toEqual([fromA, fromB].sort())

    // DWP resolves the facilitator's question; the facilitator sees who resolved it.
    resolveComment(b.doc, id, fromA, dwp, 20)
    await waitFor(() => readComments(a.doc, id).find((c) => c.id === fromA)?.resolved !== null, 5000, 'resolve at a')
    const seen = readComments(a.doc, id)
    expect(seen.find((c) => c.id === fromA)!.resolved).toEqual({ by: dwp, at: 20 })
    expect(openCommentCount(seen)).toBe(1)
  })
})
