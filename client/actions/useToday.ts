/** Today's date in the viewer's own time zone (`YYYY-MM-DD`), turning over at local midnight. */
import { useEffect, useState } from 'react'
import { localIsoDate } from '../../shared/dates.ts'

export function useToday(): string {
  const [today, setToday] = useState(() => localIsoDate(new Date()))
  useEffect(() => {
    // Checked once a minute: a workshop left open overnight sees yesterday's actions fall overdue.
    const timer = setInterval(() => setToday(localIsoDate(new Date())), 60_000)
    return () => clearInterval(timer)
  }, [])
  return today
}
