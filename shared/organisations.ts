/**
 * Organisations that take part in first-phase Community Budgets workshops, from the programme's
 * own papers (the 16 first-phase areas and the departments round the table). People may also type
 * an organisation that is not listed.
 */
export interface OrganisationGroup {
  label: string
  organisations: readonly string[]
}

export const ORGANISATION_GROUPS: readonly OrganisationGroup[] = [
  {
    label: 'First-phase areas',
    organisations: [
      'Birmingham City Council',
      'Blackburn with Darwen Borough Council',
      'Blackpool Council',
      'City of Bradford Metropolitan District Council',
      'Essex County Council',
      'Greater Manchester (10 councils)',
      'Hull City Council',
      'Kent County Council',
      'Leicestershire County Council',
      'Lincolnshire County Council',
      'London Borough of Barnet',
      'London Borough of Croydon',
      'London Borough of Islington',
      'London Borough of Lewisham',
      'Westminster, Hammersmith & Fulham, Kensington & Chelsea and Wandsworth',
      'Swindon Borough Council',
    ],
  },
  {
    label: 'Whitehall',
    organisations: [
      'Department for Work and Pensions (DWP)',
      'Department of Health (DH)',
      'Department for Education (DfE)',
      'Ministry of Justice (MoJ)',
      'Home Office',
      'Communities and Local Government (CLG)',
      'HM Treasury',
    ],
  },
  {
    label: 'Local partners',
    organisations: [
      'Police',
      'NHS / PCT / GP consortia',
      'Jobcentre Plus',
      'Voluntary and community sector',
      'Local Government Group (LGA)',
    ],
  },
]

export const ORGANISATIONS: readonly string[] = ORGANISATION_GROUPS.flatMap((g) => g.organisations)

/**
 * Colours chosen to stay distinguishable on white and to carry white text; an organisation keeps
 * its colour on every device because the pick is a hash of its name.
 */
export const ORGANISATION_PALETTE: readonly string[] = [
  '#1d4ed8',
  '#b91c1c',
  '#047857',
  '#7c3aed',
  '#c2410c',
  '#0e7490',
  '#be185d',
  '#4d7c0f',
  '#a16207',
  '#4338ca',
  '#0f766e',
  '#9f1239',
]

export function organisationColour(organisation: string): string {
  const key = organisation.trim().toLowerCase()
  let hash = 2166136261
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i)
    hash = Math.imul(hash, 16777619)
  }
  const index = (hash >>> 0) % ORGANISATION_PALETTE.length
  return ORGANISATION_PALETTE[index] ?? '#1d4ed8'
}
