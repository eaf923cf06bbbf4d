/** The outcomes view's reads of the document, each re-read at most once per animation frame. */
import type * as Y from 'yjs'
import { getMembersMap, getSettingsMap } from '../../shared/schema.ts'
import { getOutcomesMap, type Outcome, readOutcomes } from '../../shared/sections/outcomes/model.ts'
import { organisationSuggestions, organisationsTakingPart } from '../../shared/workshopSettings.ts'
import { useDocValue } from '../sync/useDocValue.ts'

const watchOutcomes = (doc: Y.Doc) => [getOutcomesMap(doc)]
// The facilitator's list of organisations, or when there is none, everyone who joined to edit.
const watchOrganisations = (doc: Y.Doc) => [getSettingsMap(doc), getMembersMap(doc)]
const readSuggestions = (doc: Y.Doc) => organisationSuggestions(organisationsTakingPart(doc))

export function useOutcomes(doc: Y.Doc): Outcome[] {
  return useDocValue(doc, watchOutcomes, readOutcomes)
}

/** Organisations to offer as owners: those taking part first, then the programme's list. */
export function useOrganisationSuggestions(doc: Y.Doc): string[] {
  return useDocValue(doc, watchOrganisations, readSuggestions)
}
