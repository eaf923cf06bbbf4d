/**
 * Random ids for items in the document. getRandomValues rather than randomUUID: the latter exists
 * only in secure contexts, and a workshop served on a LAN over plain http is not one.
 */
export function newId(bytes = 12): string {
  const random = crypto.getRandomValues(new Uint8Array(bytes))
  let id = ''
  for (const byte of random) id += byte.toString(16).padStart(2, '0')
  return id
}
