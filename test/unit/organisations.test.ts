import { describe, expect, it } from 'vitest'
import { ORGANISATION_PALETTE, ORGANISATIONS, organisationColour } from '../../shared/organisations.ts'

describe('organisations', () => {
  it('lists the 16 first-phase areas and the departments at the table', () => {
    expect(ORGANISATIONS).toContain('Swindon Borough Council')
    expect(ORGANISATIONS).toContain('Department for Work and Pensions (DWP)')
    expect(ORGANISATIONS).toContain('HM Treasury')
    expect(
      ORGANISATIONS.filter((o) => /Council|Borough|Greater Manchester|Westminster/.test(o)).length,
    ).toBeGreaterThanOrEqual(16)
    expect(new Set(ORGANISATIONS).size).toBe(ORGANISATIONS.length)
  })

  it('gives an organisation the same colour everywhere, whatever the case or spacing', () => {
    expect(organisationColour('Kent County Council')).toBe(organisationColour('  kent county council '))
    expect(ORGANISATION_PALETTE).toContain(organisationColour('Home Office'))
  })

  it('spreads organisations across the palette', () => {
    const used = new Set(ORGANISATIONS.map(organisationColour))
    expect(used.size).toBeGreaterThanOrEqual(8)
  })
})
