/**
 * An example pot for trying Commonpot out, drawn from the first-phase Community Budgets papers:
 * DWP's £60m alongside the Work Programme, ESF that cannot be pooled at source, Jobcentre Plus
 * discretionary funding through the virtual pot, and contributions in kind. The amounts for one
 * area are illustrative; every line says it is an example.
 */
import { currentFinancialYear } from './financialYears.ts'
import { DEFAULT_LINE, type PotLineFields } from './pot.ts'

const EXAMPLE_NOTE = 'Example data: replace with your partners’ real offers.'
const POUND = 100

const EXAMPLE_LINES: readonly Omit<PotLineFields, 'years'>[] = [
  {
    ...DEFAULT_LINE,
    partner: 'Department for Work and Pensions (DWP)',
    stream: 'Work Programme',
    amount: 1_800_000 * POUND,
    mode: 'aligned',
    status: 'offered',
    conditions: `Payment by results through Work Programme providers. ${EXAMPLE_NOTE}`,
  },
  {
    ...DEFAULT_LINE,
    partner: 'Department for Work and Pensions (DWP)',
    stream: 'ESF families programme',
    amount: 950_000 * POUND,
    mode: 'aligned',
    status: 'proposed',
    conditions: `European rules prevent pooling at source: aligned only. ${EXAMPLE_NOTE}`,
  },
  {
    ...DEFAULT_LINE,
    partner: 'Jobcentre Plus',
    stream: 'Jobcentre Plus Flexible Support Fund',
    amount: 120_000 * POUND,
    mode: 'pooled',
    status: 'offered',
    conditions: `Discretionary funding accessed through the virtual pot. ${EXAMPLE_NOTE}`,
  },
  {
    ...DEFAULT_LINE,
    partner: 'Department for Education (DfE)',
    stream: 'Early Intervention Grant',
    amount: 1_250_000 * POUND,
    mode: 'pooled',
    status: 'agreed',
    conditions: EXAMPLE_NOTE,
  },
  {
    ...DEFAULT_LINE,
    partner: 'Swindon Borough Council',
    stream: 'Council services',
    amount: 2_400_000 * POUND,
    mode: 'pooled',
    status: 'committed',
    conditions: `Family intervention and children’s services. ${EXAMPLE_NOTE}`,
  },
  {
    ...DEFAULT_LINE,
    partner: 'Police',
    stream: 'Police',
    amount: 300_000 * POUND,
    kind: 'in-kind',
    kindDescription: 'Two neighbourhood officers seconded to the family team',
    valuation: 'Salary and on-costs for 2011-12',
    mode: 'pooled',
    status: 'offered',
    conditions: EXAMPLE_NOTE,
  },
  {
    ...DEFAULT_LINE,
    partner: 'NHS / PCT / GP consortia',
    stream: 'Public health / PCT',
    amount: 400_000 * POUND,
    mode: 'aligned',
    status: 'proposed',
    conditions: `Awaiting clarity on roles after the health reforms. ${EXAMPLE_NOTE}`,
  },
  {
    ...DEFAULT_LINE,
    partner: 'Ministry of Justice (MoJ)',
    stream: 'Youth offending',
    amount: 180_000 * POUND,
    mode: 'pooled',
    status: 'proposed',
    conditions: `Resettlement support with the prison governor. ${EXAMPLE_NOTE}`,
  },
  {
    ...DEFAULT_LINE,
    partner: 'Voluntary and community sector',
    stream: 'Volunteer family mentors',
    amount: 60_000 * POUND,
    kind: 'in-kind',
    kindDescription: 'Volunteer mentoring hours',
    valuation: '4,000 hours at £15 an hour',
    mode: 'aligned',
    status: 'agreed',
    conditions: EXAMPLE_NOTE,
  },
]

/** The example lines, for the financial year `when` falls in (the year someone tries it out). */
export const examplePotLines = (when: Date): PotLineFields[] =>
  EXAMPLE_LINES.map((line) => ({ ...line, years: currentFinancialYear(when) }))
