import { describe, expect, it } from 'vitest'
import {
  MAX_PASTE_CHARS,
  isPasteTooLarge,
  isSafeUrl,
  pasteTooLargeMessage,
  sanitisePastedHtml,
} from '../../client/protocol/editor/pasteRules.ts'

describe('paste size limit', () => {
  it('is 100,000 characters', () => {
    expect(MAX_PASTE_CHARS).toBe(100_000)
  })

  it('accepts pastes up to the limit and refuses larger text or HTML', () => {
    expect(isPasteTooLarge('', '')).toBe(false)
    expect(isPasteTooLarge('a'.repeat(MAX_PASTE_CHARS), '')).toBe(false)
    expect(isPasteTooLarge('a'.repeat(MAX_PASTE_CHARS + 1), '')).toBe(true)
    expect(isPasteTooLarge('short', `<p>${'a'.repeat(MAX_PASTE_CHARS)}</p>`)).toBe(true)
  })

  it('explains the refusal with the size', () => {
    expect(pasteTooLargeMessage(200_000)).toBe(
      'That paste is too large (200,000 characters); paste at most 100,000 characters at a time.',
    )
  })
})

describe('sanitisePastedHtml', () => {
  it('removes images entirely, keeping the text around them', () => {
    const out = sanitisePastedHtml('<p>hi<img src="http://x/y.png" onerror="alert(1)"></p>')
    expect(out).toBe('<p>hi</p>')
    expect(sanitisePastedHtml('<p>a<IMG SRC=x.png/>b<img alt="a > b" src="y">c</p>')).toBe('<p>abc</p>')
    expect(sanitisePastedHtml('<p>a<picture><source srcset="x.webp"><img src="x.png"></picture>b</p>')).toBe(
      '<p>ab</p>',
    )
  })

  it('removes an unterminated image tag at the end', () => {
    expect(sanitisePastedHtml('<p>hi</p><img src="http://x/y.png')).toBe('<p>hi</p>')
  })

  it('removes on* handler attributes, quoted or not', () => {
    const out = sanitisePastedHtml(`<p onclick="x()" ONMOUSEOVER='y()' onfocus=z class="a">t</p>`)
    expect(out).toBe('<p class="a">t</p>')
    expect(out).not.toMatch(/on\w+=/i)
  })

  it('removes javascript:, data: and other non-web link targets', () => {
    expect(sanitisePastedHtml('<a href="javascript:alert(1)">x</a>')).toBe('<a>x</a>')
    expect(sanitisePastedHtml('<a href=" JaVaScRiPt:alert(1)">x</a>')).toBe('<a>x</a>')
    expect(sanitisePastedHtml('<a href="jav&#x61;script:alert(1)">x</a>')).toBe('<a>x</a>')
    expect(sanitisePastedHtml('<a href="java\tscript:alert(1)">x</a>')).toBe('<a>x</a>')
    expect(sanitisePastedHtml('<a href="javascript&colon;alert(1)">x</a>')).toBe('<a>x</a>')
    expect(sanitisePastedHtml("<a href='data:text/html;base64,PHNjcmlwdD4='>x</a>")).toBe('<a>x</a>')
    expect(sanitisePastedHtml('<a href="vbscript:msgbox(1)">x</a>')).toBe('<a>x</a>')
  })

  it('keeps http, https and mailto links', () => {
    expect(sanitisePastedHtml('<a href="https://example.org/a?b=1&amp;c=2">x</a>')).toBe(
      '<a href="https://example.org/a?b=1&amp;c=2">x</a>',
    )
    expect(sanitisePastedHtml('<a href="http://example.org">x</a>')).toBe('<a href="http://example.org">x</a>')
    expect(sanitisePastedHtml('<a href="mailto:a@example.org">x</a>')).toBe('<a href="mailto:a@example.org">x</a>')
  })

  it('drops script, style and embedded documents with their content', () => {
    expect(sanitisePastedHtml('<p>a</p><script>alert(1)</script><style>p{}</style><p>b</p>')).toBe('<p>a</p><p>b</p>')
    expect(
      sanitisePastedHtml('<p>a<iframe src="https://x"></iframe><svg><image href="http://x/y.png"/></svg>b</p>'),
    ).toBe('<p>ab</p>')
    expect(sanitisePastedHtml('<p>a<!-- <img src=x> -->b</p>')).toBe('<p>ab</p>')
  })

  it('removes styles that load resources but keeps plain ones', () => {
    expect(sanitisePastedHtml('<span style="background:url(http://x/t.png)">t</span>')).toBe('<span>t</span>')
    expect(sanitisePastedHtml('<span style="font-weight:700">t</span>')).toBe('<span style="font-weight:700">t</span>')
  })

  it('leaves ordinary rich text alone', () => {
    const html =
      '<h2>Purpose</h2><p>The <strong>pot</strong> is <em>shared</em>.</p><ul><li><p>one</p></li></ul><ol><li><p>two</p></li></ol>'
    expect(sanitisePastedHtml(html)).toBe(html)
  })
})

describe('isSafeUrl', () => {
  it('allows web and mail links and relative ones, and nothing that runs code', () => {
    expect(isSafeUrl('https://example.org')).toBe(true)
    expect(isSafeUrl('mailto:a@example.org')).toBe(true)
    expect(isSafeUrl('/relative/path')).toBe(true)
    expect(isSafeUrl('javascript:alert(1)')).toBe(false)
    expect(isSafeUrl('\u0001javascript:alert(1)')).toBe(false)
    expect(isSafeUrl('data:image/png;base64,AAAA')).toBe(false)
    expect(isSafeUrl('file:///etc/passwd')).toBe(false)
  })
})
