/**
 * Which fields of a line someone else has just changed, and who: the row highlights them for a
 * few seconds, so that a person whose value was overwritten (last writer wins) sees by whom.
 * Detected from what changed between renders, so it needs no agreement between clocks.
 */
import { useEffect, useRef, useState } from 'react'
import { potLineFieldsSchema, type PotField, type PotLine } from '../../shared/pot.ts'

const FIELDS = Object.keys(potLineFieldsSchema.shape) as PotField[]
const HIGHLIGHT_MS = 8000

export function useRemoteChanges(line: PotLine, myUserId: string): Partial<Record<PotField, string>> {
  const previous = useRef(line)
  const timers = useRef(new Map<PotField, ReturnType<typeof setTimeout>>())
  const [changed, setChanged] = useState<Partial<Record<PotField, string>>>({})

  useEffect(() => {
    const before = previous.current
    previous.current = line
    for (const field of FIELDS) {
      const edit = line.lastEdits[field]
      if (before[field] === line[field] || !edit || edit.userId === myUserId) continue
      setChanged((current) => ({ ...current, [field]: edit.name }))
      clearTimeout(timers.current.get(field))
      timers.current.set(
        field,
        setTimeout(() => {
          timers.current.delete(field)
          setChanged(({ [field]: _gone, ...rest }) => rest)
        }, HIGHLIGHT_MS),
      )
    }
  }, [line, myUserId])

  useEffect(() => {
    const pending = timers.current
    return () => pending.forEach((timer) => clearTimeout(timer))
  }, [])

  return changed
}
