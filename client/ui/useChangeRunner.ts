import { useCallback, useState } from 'react'

/**
 * Runs a change to the document and keeps the message of the last one that was refused (shared
 * validation throws with a message meant for people), cleared by the next that succeeds.
 */
export function useChangeRunner(): [problem: string | null, run: (change: () => void) => void] {
  const [problem, setProblem] = useState<string | null>(null)
  const run = useCallback((change: () => void) => {
    try {
      change()
      setProblem(null)
    } catch (error) {
      setProblem(error instanceof Error ? error.message : String(error))
    }
  }, [])
  return [problem, run]
}
