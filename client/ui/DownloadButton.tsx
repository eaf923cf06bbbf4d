/**
 * A button that downloads a file through `download` (client/ui/downloadFile.ts), and says so when
 * the download fails: a failure would otherwise look like a button that does nothing.
 */
import { useState, type ReactNode } from 'react'

interface Props {
  download: () => Promise<void>
  children: ReactNode
  className?: string
}

export function DownloadButton({ download, children, className = 'button small' }: Props) {
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)

  async function run() {
    if (busy) return
    setBusy(true)
    setError(null)
    try {
      await download()
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : 'The download failed. Try again.')
    } finally {
      setBusy(false)
    }
  }

  return (
    <>
      {/* Not disabled while busy: a disabled button drops the keyboard user's focus. */}
      <button type="button" className={className} aria-busy={busy} onClick={() => void run()}>
        {children}
      </button>
      {error && (
        <span className="form-error download-error" role="alert">
          {error}
        </span>
      )}
    </>
  )
}
