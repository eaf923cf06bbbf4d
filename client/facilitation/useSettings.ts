/** Facilitator settings as React state, re-read when they change. */
import type * as Y from 'yjs'
import { readAgenda, type Agenda } from '../../shared/agenda.ts'
import { readSummon, type Summon } from '../../shared/follow.ts'
import { readHands, type RaisedHand } from '../../shared/hands.ts'
import type { LockableSection } from '../../shared/permissions.ts'
import { getHandsMap, getMetaMap, getSettingsMap, readMeta } from '../../shared/schema.ts'
import { readTimer, type TimerState } from '../../shared/timer.ts'
import { readLocks, readTakingPart, type Lock, type TakingPart } from '../../shared/workshopSettings.ts'
import { useDocValue } from '../sync/useDocValue.ts'

export interface WorkshopSettings {
  title: string
  agenda: Agenda
  timer: TimerState
  locks: Map<LockableSection, Lock>
  takingPart: TakingPart[]
  summon: Summon | null
  hands: RaisedHand[]
}

const watch = (doc: Y.Doc) => [getSettingsMap(doc), getHandsMap(doc), getMetaMap(doc)]
const read = (doc: Y.Doc): WorkshopSettings => ({
  title: readMeta(doc).title,
  agenda: readAgenda(doc),
  timer: readTimer(doc),
  locks: readLocks(doc),
  takingPart: readTakingPart(doc),
  summon: readSummon(doc),
  hands: readHands(doc),
})

export function useWorkshopSettings(doc: Y.Doc): WorkshopSettings {
  return useDocValue(doc, watch, read)
}
