/**
 * What a page shows while its code is on its way (the pages other than home load on demand,
 * App.tsx). Each page's own first state says the same words in the same place, so the text does
 * not change or jump when the code arrives and the page takes over.
 */
export function PageLoading({ label, layout }: { label: string; layout: 'centred' | 'plain' }) {
  if (layout === 'centred')
    return (
      <main className="centred-page" aria-busy="true">
        <p className="muted" role="status">
          {label}
        </p>
      </main>
    )
  return (
    <p className="board-loading" role="status">
      {label}
    </p>
  )
}
