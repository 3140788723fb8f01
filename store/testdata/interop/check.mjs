// Independent implementations used by store's interop test (see
// interop_test.go): multiformats for CIDs, @noble/hashes for BLAKE3 and
// SHA-256, @noble/ciphers for XChaCha20-Poly1305. Reads a JSON request on
// stdin, writes the answers as JSON on stdout.
//
// For each blob the Go store wrote, it recomputes the CID from the bytes,
// parses the Go CID string, checks the key commitment and decrypts the
// body with the data key. It also seals blobs of its own for Go to open.
import { CID } from 'multiformats/cid';
import * as raw from 'multiformats/codecs/raw';
import { create as createDigest } from 'multiformats/hashes/digest';
import { blake3 } from '@noble/hashes/blake3.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';

const chunks = [];
for await (const c of process.stdin) chunks.push(c);
const req = JSON.parse(Buffer.concat(chunks).toString('utf8'));
const hex = (u8) => Buffer.from(u8).toString('hex');
const bytes = (h) => new Uint8Array(Buffer.from(h, 'hex'));
const te = new TextEncoder();
const derive = (context, key) => blake3(key, { context: te.encode(context) });

function cidOf(code, data) {
  const sum = code === 0x1e ? blake3(data) : sha256(data);
  return CID.create(1, raw.code, createDigest(code, sum));
}

const read = req.read.map(({ blob, cid, dataKey }) => {
  const b = bytes(blob);
  const parsed = CID.parse(cid);
  const mine = cidOf(parsed.multihash.code, b);
  const key = bytes(dataKey);
  const commitOK = hex(b.subarray(6, 38)) === hex(derive('iotrust.store.key-commitment.v1', key));
  const aead = xchacha20poly1305(derive('iotrust.store.blob-key.v1', key), b.subarray(38, 62), b.subarray(0, 62));
  const plain = aead.decrypt(b.subarray(62));
  return {
    cid: mine.toString(),
    parsedEqual: parsed.equals(mine),
    version: parsed.version,
    codec: parsed.code,
    commitOK,
    plaintext: hex(plain),
  };
});

const sealed = req.seal.map(({ plaintext, dataKey, nonce, code }) => {
  const key = bytes(dataKey);
  const header = new Uint8Array(62);
  header.set(te.encode('IOTB'), 0);
  header[4] = 1;
  header[5] = 1;
  header.set(derive('iotrust.store.key-commitment.v1', key), 6);
  header.set(bytes(nonce), 38);
  const body = xchacha20poly1305(derive('iotrust.store.blob-key.v1', key), bytes(nonce), header).encrypt(bytes(plaintext));
  const blob = new Uint8Array(62 + body.length);
  blob.set(header, 0);
  blob.set(body, 62);
  return { blob: hex(blob), cid: cidOf(code, blob).toString() };
});

process.stdout.write(JSON.stringify({ read, sealed }));
