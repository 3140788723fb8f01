// Cross-check of reading's deterministic CBOR with cborg, an independent
// JavaScript implementation. Input on stdin: {"json": [canonical JSON of
// signed readings], "cbor": [hex of Go's CBOR of the same readings]}.
// Output: {"encoded": [hex of cborg's RFC 8949 §4.2.1 encoding of each JSON
// reading], "decoded": [canonical JSON of cborg's strict decoding of each
// Go CBOR reading]}.
import { encode, decode, rfc8949EncodeOptions } from 'cborg'
import { readFileSync } from 'node:fs'

const binary = ['sig', 'commitment']
const req = JSON.parse(readFileSync(0, 'utf8'))

function fromJSON (text) {
  const o = JSON.parse(text)
  for (const k of binary) {
    if (k in o) o[k] = new Uint8Array(Buffer.from(o[k], 'base64url'))
  }
  return o
}

// canonical writes o with sorted member names: for readings (ASCII names,
// integers, strings) that is RFC 8785.
function canonical (v) {
  if (v === null || typeof v !== 'object') return JSON.stringify(v)
  const keys = Object.keys(v).sort()
  return '{' + keys.map(k => JSON.stringify(k) + ':' + canonical(v[k])).join(',') + '}'
}

function toJSON (o) {
  const out = {}
  for (const [k, v] of Object.entries(o)) {
    out[k] = v instanceof Uint8Array ? Buffer.from(v).toString('base64url') : v
  }
  return canonical(out)
}

const strict = { strict: true, rejectDuplicateMapKeys: true, allowIndefinite: false, allowUndefined: false, allowBigInt: false }
const encoded = req.json.map(t => Buffer.from(encode(fromJSON(t), rfc8949EncodeOptions)).toString('hex'))
const decoded = req.cbor.map(h => toJSON(decode(Buffer.from(h, 'hex'), strict)))
process.stdout.write(JSON.stringify({ encoded, decoded }))
