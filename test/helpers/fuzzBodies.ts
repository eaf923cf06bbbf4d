/**
 * fast-check arbitraries for REST request bodies: JSON values of every shape, objects close to a
 * valid request (the right keys with right or wrong values), and bodies that are not JSON at all
 * (broken, truncated, too deep, too large, not UTF-8). Each is sent as raw bytes with a content
 * type that may be wrong.
 */
import fc from 'fast-check'

export interface RawBody {
  bytes: Uint8Array<ArrayBuffer>
  contentType: string | null
}

/** A little over the server's 16 KiB limit for JSON bodies. */
const OVER_LIMIT = 16 * 1024 + 1

const loneSurrogate = fc.constantFrom('\ud800', '\udbff', '\udc00', '\udfff')
/** Text as people and attackers write it: empty, blank, long, control characters, lone surrogates. */
export const textArb: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ maxLength: 40, unit: 'grapheme' }),
  fc.string({ maxLength: 8, unit: fc.oneof(loneSurrogate, fc.constantFrom('\u0000', '\n', '\u202e', '"', '\\')) }),
  fc.constantFrom('', '   ', '\t\n'),
  fc.string({ minLength: 121, maxLength: 400 }),
)

const jsonArb = fc.jsonValue({ maxDepth: 3 })
/** A field's valid values mixed with wrong types, wrong text and absence. */
export const fieldArb = <T>(valid: fc.Arbitrary<T>): fc.Arbitrary<unknown> =>
  fc.oneof(
    { weight: 3, arbitrary: valid },
    jsonArb,
    textArb,
    fc.constantFrom(undefined, null, -1, 0, 1.5, 1e308, '1', true, [], {}),
  )

/** An object with some of `fields` (each valid or not) and perhaps a stray key. */
export function nearValidArb(fields: Record<string, fc.Arbitrary<unknown>>): fc.Arbitrary<Record<string, unknown>> {
  const keys = Object.fromEntries(Object.entries(fields).map(([key, valid]) => [key, fieldArb(valid)]))
  return fc
    .tuple(
      fc.record(keys, { requiredKeys: [] }),
      fc.option(fc.tuple(fc.constantFrom('__proto__', 'constructor', 'extra'), jsonArb)),
    )
    .map(([record, stray]) => (stray ? { ...record, [stray[0]]: stray[1] } : record))
}

const encoder = new TextEncoder()
const json = (value: unknown): string => JSON.stringify(value) ?? 'undefined'

/** Bodies that are not a JSON document, or not one the server should read. */
const malformedArb: fc.Arbitrary<Uint8Array> = fc.oneof(
  fc.string({ maxLength: 60 }).map((s) => encoder.encode(s)),
  fc.uint8Array({ maxLength: 60 }),
  // Valid JSON cut short, or followed by garbage.
  fc.tuple(jsonArb, fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true })).map(([value, cut]) => {
    const text = json(value)
    return encoder.encode(text.slice(0, Math.floor(cut * text.length)))
  }),
  fc
    .tuple(jsonArb, fc.string({ minLength: 1, maxLength: 8 }))
    .map(([value, garbage]) => encoder.encode(json(value) + garbage)),
  fc
    .constantFrom(
      '',
      'null',
      '1e309',
      '-0',
      '{"title": "a"',
      '{"title": "a",}',
      "{'title': 'a'}",
      '\ufeff{"title": "a"}',
      '{"title": "\\ud800"}',
      '['.repeat(5000) + ']'.repeat(5000),
      `${'{"a":'.repeat(2000)}1${'}'.repeat(2000)}`,
    )
    .map((s) => encoder.encode(s)),
  // Invalid UTF-8 inside a JSON string.
  fc
    .uint8Array({ minLength: 1, maxLength: 8 })
    .map((bytes) => Uint8Array.from([...encoder.encode('{"title":"'), 0xff, 0xfe, ...bytes, ...encoder.encode('"}')])),
  // Larger than the server takes.
  fc.constantFrom('title', 'name').map((key) => encoder.encode(json({ [key]: 'x'.repeat(OVER_LIMIT) }))),
)

const contentTypeArb = fc.constantFrom<string | null>(
  'application/json',
  'application/json',
  'application/json; charset=utf-8',
  'text/plain',
  'application/x-www-form-urlencoded',
  null,
)

/** Bodies for one JSON endpoint: near-valid requests for it, any JSON value, or malformed bytes. */
export function bodyArb(fields: Record<string, fc.Arbitrary<unknown>>): fc.Arbitrary<RawBody> {
  return fc.record({
    bytes: fc
      .oneof(
        { weight: 3, arbitrary: nearValidArb(fields).map((value) => encoder.encode(json(value))) },
        jsonArb.map((value) => encoder.encode(json(value))),
        { weight: 2, arbitrary: malformedArb },
      )
      .map((bytes) => new Uint8Array(bytes)), // fetch takes bodies over an ArrayBuffer only
    contentType: contentTypeArb,
  })
}
