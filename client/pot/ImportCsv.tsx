import { useState } from 'react'
import { formatMoney } from '../../shared/money.ts'
import { STATUS_LABELS, type PotLineFields } from '../../shared/pot.ts'
import { MAX_IMPORT_BYTES, parsePotCsv, type ImportResult } from '../../shared/potCsv.ts'
import { FormField } from '../ui/FormField.tsx'

interface Props {
  onImport: (lines: PotLineFields[]) => void
}

/**
 * Import contribution lines from a CSV file: a preview of every row with its problems first, and
 * nothing is imported while any row is wrong.
 */
export function ImportCsv({ onImport }: Props) {
  const [result, setResult] = useState<(ImportResult & { fileName: string }) | null>(null)
  const [done, setDone] = useState<string | null>(null)

  async function read(file: File) {
    setDone(null)
    if (file.size > MAX_IMPORT_BYTES) {
      setResult({
        ok: false,
        fileError: 'The file is larger than 1 MB. Split it and import the parts.',
        fileName: file.name,
      })
      return
    }
    setResult({ ...parsePotCsv(await file.text()), fileName: file.name })
  }

  const problems = result?.ok ? result.rows.filter((r) => r.errors.length > 0).length : 0

  return (
    <div className="import-csv">
      {/* The label is the button people see: a file input cannot be styled. */}
      <FormField as={null} label="Import CSV…" labelClassName="button small">
        {(control) => (
          <input
            {...control}
            className="visually-hidden"
            type="file"
            accept=".csv,text/csv"
            onChange={(e) => {
              const file = e.target.files?.[0]
              e.target.value = ''
              if (file) void read(file)
            }}
          />
        )}
      </FormField>
      {done && (
        <span role="status" className="muted">
          {done}
        </span>
      )}
      {result && (
        <section className="import-preview" aria-label="Import preview">
          <h3>Import from {result.fileName}</h3>
          {!result.ok ? (
            <p className="form-error" role="alert">
              {result.fileError}
            </p>
          ) : (
            <>
              <p role={problems ? 'alert' : 'status'}>
                {problems
                  ? `${problems} of ${result.rows.length} rows have problems. Nothing will be imported until they are fixed in the file.`
                  : `${result.rows.length} rows are ready to import.`}
              </p>
              <div className="table-scroll">
                <table className="pot-table">
                  <thead>
                    <tr>
                      <th scope="col">Line</th>
                      <th scope="col">Partner</th>
                      <th scope="col">Stream</th>
                      <th scope="col">Amount</th>
                      <th scope="col">Status</th>
                      <th scope="col">Problems</th>
                    </tr>
                  </thead>
                  <tbody>
                    {result.rows.map((row) => (
                      <tr key={row.line} className={row.errors.length ? 'import-error' : undefined}>
                        <td>{row.line}</td>
                        <td>{row.fields?.partner ?? ''}</td>
                        <td>{row.fields?.stream ?? ''}</td>
                        <td>{row.fields ? formatMoney(row.fields.amount) : ''}</td>
                        <td>{row.fields ? STATUS_LABELS[row.fields.status] : ''}</td>
                        <td>{row.errors.join('; ')}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </>
          )}
          <div className="import-actions">
            {result.ok && (
              <button
                type="button"
                className="button primary"
                disabled={!result.valid}
                onClick={() => {
                  const lines = result.rows.flatMap((r) => (r.fields ? [r.fields] : []))
                  onImport(lines)
                  setResult(null)
                  setDone(`Imported ${lines.length} ${lines.length === 1 ? 'line' : 'lines'}.`)
                }}
              >
                Import {result.rows.length} {result.rows.length === 1 ? 'line' : 'lines'}
              </button>
            )}
            <button type="button" className="button" onClick={() => setResult(null)}>
              Cancel
            </button>
          </div>
        </section>
      )}
    </div>
  )
}
