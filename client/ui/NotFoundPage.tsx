export function NotFoundPage() {
  return (
    <main className="centred-page">
      <div className="card">
        <h1>Page not found</h1>
        <p>This address is not a Commonpot page.</p>
        <a className="button primary" href="/">
          Create a workshop
        </a>
      </div>
    </main>
  )
}
