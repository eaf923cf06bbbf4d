/**
 * Pure rules for what may be pasted into a clause editor. No DOM: these run in the paste path
 * (`transformPastedHTML` / `handlePaste`) and in unit tests under Node.
 *
 * `sanitisePastedHtml` is a pre-filter only. ProseMirror then parses the result against the
 * editor's schema (paragraphs, headings 2–3, lists, bold, italic, links), which drops every
 * element and attribute the schema does not know. The pre-filter removes what must never get as
 * far as the parser: images (no remote images), script-like blocks, `on*` handlers, and links
 * whose scheme is not http, https or mailto.
 */

export const MAX_PASTE_CHARS = 100_000

/** True when either flavour of the clipboard is longer than `MAX_PASTE_CHARS`. */
export function isPasteTooLarge(text: string, html: string): boolean {
  return text.length > MAX_PASTE_CHARS || html.length > MAX_PASTE_CHARS
}

/** The visible message for a refused paste of `chars` characters. */
export function pasteTooLargeMessage(chars: number): string {
  return `That paste is too large (${chars.toLocaleString('en-GB')} characters); paste at most ${MAX_PASTE_CHARS.toLocaleString('en-GB')} characters at a time.`
}

/** Elements removed together with everything inside them. */
const DROP_WITH_CONTENT = [
  'script',
  'style',
  'template',
  'svg',
  'math',
  'iframe',
  'object',
  'noscript',
  'picture',
  'video',
  'audio',
  'canvas',
  'textarea',
  'select',
]
/** Void or standalone elements removed wherever they appear (opening or closing tag). */
const DROP_TAG = [
  'img',
  'image',
  'source',
  'track',
  'embed',
  'input',
  'link',
  'meta',
  'base',
  'frame',
  'frameset',
  'form',
  'button',
]
/** Attributes holding a URL; they are kept only with an allowed scheme. */
const URL_ATTRIBUTES = new Set([
  'href',
  'src',
  'srcset',
  'xlink:href',
  'action',
  'formaction',
  'poster',
  'background',
  'cite',
  'data',
  'ping',
  'lowsrc',
  'dynsrc',
])

/** An attribute value with quotes, or one without. */
const ATTR = String.raw`[^\s"'>\/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]+))?`
/** Any start or end tag, with quoted attribute values allowed to contain `>`. */
const TAG_RE = new RegExp(String.raw`<(\/?)([a-zA-Z][a-zA-Z0-9:-]*)((?:\s+${ATTR})*)\s*(\/?)>`, 'g')
const ATTR_RE = /([^\s"'>/=]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s"'>]+))?/g

/** Decodes the character references that could hide a scheme, e.g. `jav&#x61;script:`. */
function decodeForSchemeCheck(value: string): string {
  return value
    .replace(/&#x([0-9a-f]+);?/gi, (_m, hex: string) => safeFromCodePoint(Number.parseInt(hex, 16)))
    .replace(/&#(\d+);?/g, (_m, dec: string) => safeFromCodePoint(Number.parseInt(dec, 10)))
    .replace(/&colon;/gi, ':')
    .replace(/&(tab|newline);/gi, '')
    .replace(/&amp;/gi, '&')
}

function safeFromCodePoint(code: number): string {
  return Number.isFinite(code) && code >= 0 && code <= 0x10ffff ? String.fromCodePoint(code) : ''
}

/** True for http(s)/mailto URLs and for scheme-less (relative) ones; false for javascript:, data:, … */
export function isSafeUrl(raw: string): boolean {
  // Browsers ignore ASCII whitespace and control characters inside a scheme.
  const value = decodeForSchemeCheck(raw)
    .replace(/[\u0000-\u0020\u007f-\u009f]/g, '')
    .toLowerCase()
  const scheme = /^([a-z][a-z0-9+.-]*):/.exec(value)
  if (!scheme) return true // relative: the link mark's own check refuses it, but it cannot run code
  return scheme[1] === 'http' || scheme[1] === 'https' || scheme[1] === 'mailto'
}

function unquote(value: string): string {
  if ((value.startsWith('"') && value.endsWith('"')) || (value.startsWith("'") && value.endsWith("'")))
    return value.slice(1, -1)
  return value
}

function cleanAttributes(attrs: string): string {
  let out = ''
  for (const match of attrs.matchAll(ATTR_RE)) {
    const name = (match[1] ?? '').toLowerCase()
    const rawValue = match[2]
    if (name.startsWith('on')) continue // event handlers
    if (name === 'srcset' || name === 'src') continue // nothing allowed loads resources
    if (URL_ATTRIBUTES.has(name) && rawValue !== undefined && !isSafeUrl(unquote(rawValue))) continue
    if (
      name === 'style' &&
      rawValue !== undefined &&
      /url\s*\(|expression\s*\(|@import/i.test(decodeForSchemeCheck(rawValue))
    )
      continue
    out +=
      rawValue === undefined
        ? ` ${name}`
        : ` ${name}=${rawValue.startsWith('"') || rawValue.startsWith("'") ? rawValue : `"${rawValue}"`}`
  }
  return out
}

/**
 * Reduces pasted HTML before ProseMirror parses it: no images, no script-like content, no `on*`
 * attributes, and no links with a scheme other than http, https or mailto.
 */
export function sanitisePastedHtml(html: string): string {
  let out = html.replace(/<!--[\s\S]*?(?:-->|$)/g, '')
  for (const tag of DROP_WITH_CONTENT) {
    out = out.replace(new RegExp(String.raw`<${tag}\b[\s\S]*?(?:<\/${tag}\s*>|$)`, 'gi'), '')
  }
  out = out.replace(TAG_RE, (_whole, close: string, name: string, attrs: string, selfClose: string) => {
    const lower = name.toLowerCase()
    if (DROP_TAG.includes(lower) || DROP_WITH_CONTENT.includes(lower)) return ''
    if (close) return `</${lower}>`
    return `<${lower}${cleanAttributes(attrs)}${selfClose ? ' /' : ''}>`
  })
  // A tag the pattern could not read (e.g. an unterminated `<img src="…`) is dropped from its `<`.
  out = out.replace(/<(?:img|image|svg|script|iframe|object|embed|source|picture)\b[\s\S]*$/i, '')
  return out
}
