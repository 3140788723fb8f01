// Independent implementations used by canon's interop test (see
// interop_test.go): the npm `canonicalize` package for RFC 8785 and
// @noble/hashes for BLAKE3 derive-key. Reads a JSON request on stdin and
// writes the answers as JSON on stdout.
import canonicalize from 'canonicalize';
import { blake3 } from '@noble/hashes/blake3.js';

const chunks = [];
for await (const c of process.stdin) chunks.push(c);
const req = JSON.parse(Buffer.concat(chunks).toString('utf8'));
const hex = (u8) => Buffer.from(u8).toString('hex');
const out = {
  canonical: req.documents.map((raw) => canonicalize(JSON.parse(raw))),
  tagged: req.tagged.map(({ tag, data }) =>
    hex(blake3(Buffer.from(data, 'hex'), { context: new TextEncoder().encode(tag) }))),
};
process.stdout.write(JSON.stringify(out));
