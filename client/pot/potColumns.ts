/**
 * The pot grid's columns: which can be hidden, and the fixed number of each cell the keyboard
 * moves between (a column's number stays put when others are hidden, so moving up and down keeps
 * to the same column). The Kind column holds two more cells on lines given in kind.
 */
import type { PotField } from '../../shared/pot.ts'

export const POT_COLUMN_IDS = [
  'partner',
  'stream',
  'amount',
  'kind',
  'mode',
  'status',
  'years',
  'conditions',
  'proposer',
  'actions',
] as const
export type PotColumnId = (typeof POT_COLUMN_IDS)[number]

export const POT_COLUMN_HEADERS: Record<PotColumnId, string> = {
  partner: 'Partner',
  stream: 'Funding stream',
  amount: 'Amount',
  kind: 'Kind',
  mode: 'Mode',
  status: 'Status',
  years: 'Years',
  conditions: 'Conditions and notes',
  proposer: 'Proposed by',
  actions: 'Actions',
}

/** Columns a line cannot be read without: they cannot be hidden. */
export const ESSENTIAL_COLUMNS: ReadonlySet<PotColumnId> = new Set(['partner', 'amount', 'actions'])

export const CELL_COLUMN = {
  partner: 0,
  stream: 1,
  amount: 2,
  kind: 3,
  kindDescription: 4,
  valuation: 5,
  mode: 6,
  status: 7,
  years: 8,
  conditions: 9,
  proposer: 10,
  history: 11,
  place: 12,
  remove: 13,
} as const satisfies Record<PotField | 'proposer' | 'history' | 'place' | 'remove', number>

/** The fields a copied or pasted block runs over, in the order the grid shows them: the columns that are fields. */
export const BLOCK_FIELDS: readonly PotField[] = POT_COLUMN_IDS.filter(
  (id): id is PotColumnId & PotField => id !== 'proposer' && id !== 'actions',
)
