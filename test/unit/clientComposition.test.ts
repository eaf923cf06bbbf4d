/**
 * The client's shared pieces, rendered without a browser: a form field ties its control to its
 * label, hint and error (client/ui/FormField.tsx), and the live workshop's permissions and export
 * downloads are the shell's (client/workshop/useLiveWorkshop.ts).
 */
import { createElement, type ReactNode } from 'react'
import { renderToStaticMarkup } from 'react-dom/server'
import { describe, expect, it } from 'vitest'
import { FormField, type FieldControlProps } from '../../client/ui/FormField.tsx'
import type { DownloadRequest } from '../../client/ui/downloadFile.ts'
import { londonIsoDate } from '../../shared/exportFileName.ts'
import { liveExports, livePermissions } from '../../client/workshop/useLiveWorkshop.ts'

const input = (control: FieldControlProps): ReactNode => createElement('input', control)
const render = (props: Omit<Parameters<typeof FormField>[0], 'children'>): string =>
  renderToStaticMarkup(
    // biome-ignore lint/correctness/noChildrenProp: FormField's children is a render function, given as its prop without JSX here
    createElement(FormField, { ...props, children: input }),
  )

describe('FormField', () => {
  it('labels the control, and describes it by its error, then its hint', () => {
    const html = render({ id: 'name', label: 'Person’s name', hint: 'Filled in for them.', error: 'Too long.' })
    expect(html).toBe(
      '<div class="field"><label for="name">Person’s name</label>' +
        '<input id="name" aria-invalid="true" aria-describedby="name-error name-hint"/>' +
        '<p class="hint" id="name-hint">Filled in for them.</p>' +
        '<p class="field-error" id="name-error" role="alert">Too long.</p></div>',
    )
  })

  it('marks nothing invalid and describes the control by its hint alone while there is no error', () => {
    const html = render({ id: 'name', label: 'Name', hint: 'Optional.', error: null })
    expect(html).toContain('<input id="name" aria-describedby="name-hint"/>')
    expect(html).not.toContain('aria-invalid')
    expect(html).not.toContain('field-error')
  })

  it('leaves announcing to an error summary when asked, and keeps the message at the field', () => {
    const html = render({ id: 'what', label: 'What', error: 'Say what.', announceError: false })
    expect(html).toContain('<p class="field-error" id="what-error">Say what.</p>')
    expect(html).not.toContain('role="alert"')
  })

  it('fits inside a line with spans, or inside its form’s row without a wrapper', () => {
    expect(
      render({ id: 'amount', as: 'span', className: 'money-input', label: 'Amount', error: 'Not an amount.' }),
    ).toBe(
      '<span class="money-input"><label for="amount">Amount</label><input id="amount" aria-invalid="true" aria-describedby="amount-error"/>' +
        '<span class="field-error" id="amount-error" role="alert">Not an amount.</span></span>',
    )
    expect(
      render({ id: 'title', as: null, label: 'Title', labelClassName: 'visually-hidden', describedBy: 'elsewhere' }),
    ).toBe('<label for="title" class="visually-hidden">Title</label><input id="title" aria-describedby="elsewhere"/>')
  })

  it('makes an id when none is given', () => {
    const html = render({ label: 'Name' })
    const id = html.match(/<label for="([^"]+)">/)?.[1]
    expect(id).toBeTruthy()
    expect(html).toContain(`<input id="${id}"/>`)
  })
})

describe('the live workshop', () => {
  it('lets participants change an unlocked section, and only facilitators a locked one', () => {
    const locked = new Set(['pot'] as const)
    const participant = livePermissions('participant', locked)
    expect(participant).toMatchObject({ role: 'participant', isFacilitator: false, canEdit: true })
    expect(participant.canEditSection('pot')).toBe(false)
    expect(participant.canEditSection('protocol')).toBe(true)
    expect(livePermissions('facilitator', locked).canEditSection('pot')).toBe(true)
    const observer = livePermissions('observer', new Set())
    expect(observer.canEdit).toBe(false)
    expect(observer.canEditSection('barriers')).toBe(false)
  })

  it('downloads exports with this person’s token beside the address, never in it, a CSV part when asked', async () => {
    const asked: DownloadRequest[] = []
    const exports = liveExports('room123', 'a+b/c', async (request) => {
      asked.push(request)
    })
    await exports.download('md')
    await exports.download('csv', 'protocol')
    await exports.download('json')
    const today = londonIsoDate(new Date())
    expect(asked).toEqual([
      { url: '/api/rooms/room123/export?format=md', token: 'a+b/c', fallbackName: `Commonpot-${today}.md` },
      {
        url: '/api/rooms/room123/export?format=csv&part=protocol',
        token: 'a+b/c',
        fallbackName: `Commonpot-protocol-${today}.csv`,
      },
      // The JSON saved as a file: the server names it only when asked.
      {
        url: '/api/rooms/room123/export?format=json&download=1',
        token: 'a+b/c',
        fallbackName: `Commonpot-${today}.json`,
      },
    ])
    expect(exports.snapshot).toBe(false)
  })
})
