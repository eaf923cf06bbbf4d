/** The Actions view's reads of the document, each re-read at most once per animation frame. */
import type * as Y from 'yjs'
import { readActionItems, type ActionItem } from '../../shared/actions.ts'
import { getActionsMap, getMembersMap, getSettingsMap } from '../../shared/schema.ts'
import { organisationsTakingPart } from '../../shared/workshopSettings.ts'
import { useDocValue } from '../sync/useDocValue.ts'

const watchActions = (doc: Y.Doc) => [getActionsMap(doc)]
// The facilitator's list of organisations, or when there is none, everyone who joined to edit.
const watchOrganisations = (doc: Y.Doc) => [getSettingsMap(doc), getMembersMap(doc)]

export function useActionItems(doc: Y.Doc): ActionItem[] {
  return useDocValue(doc, watchActions, readActionItems)
}

export function useOrganisationsTakingPart(doc: Y.Doc): string[] {
  return useDocValue(doc, watchOrganisations, organisationsTakingPart)
}
