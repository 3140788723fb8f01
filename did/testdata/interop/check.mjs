// Independent JavaScript side of the did interop check (see interop_test.go).
// Reads {vectors, bad, edKeys} on stdin; resolves each DID with
// key-did-resolver, recomputes the did:key from the resolved key, verifies
// the Go signature with @noble/curves, classifies each Ed25519 key encoding
// with @noble/curves (strict RFC 8032 decoding, ZIP-215 decoding, small
// order), and makes DIDs and signatures of its own for Go.
import { Resolver } from 'did-resolver';
import { getResolver } from 'key-did-resolver';
import { ed25519 } from '@noble/curves/ed25519';
import { p256 } from '@noble/curves/p256';
import { sha256 } from '@noble/hashes/sha256';
import { base58btc } from 'multiformats/bases/base58';

const hex = (b) => Buffer.from(b).toString('hex');
const unhex = (s) => new Uint8Array(Buffer.from(s, 'hex'));
const b64u = (s) => new Uint8Array(Buffer.from(s, 'base64url'));
const pad32 = (b) => { const o = new Uint8Array(32); o.set(b, 32 - b.length); return o; };
const prefixed = (code, key) => { const o = new Uint8Array(code.length + key.length); o.set(code); o.set(key, code.length); return o; };
const ED = [0xed, 0x01], P256 = [0x80, 0x24];
const didKey = (code, key) => 'did:key:' + base58btc.encode(prefixed(code, key));

const input = JSON.parse(await new Promise((ok) => { let s = ''; process.stdin.on('data', (d) => (s += d)); process.stdin.on('end', () => ok(s)); }));
const resolver = new Resolver(getResolver());

async function resolveKey(did) {
  const res = await resolver.resolve(did);
  if (res.didResolutionMetadata?.error || !res.didDocument) throw new Error(res.didResolutionMetadata?.error || 'no document');
  const vm = res.didDocument.verificationMethod[0];
  if (vm.publicKeyBase58) return { scheme: 'Ed25519', pub: base58btc.baseDecode(vm.publicKeyBase58) };
  if (vm.publicKeyJwk && vm.publicKeyJwk.crv === 'P-256') {
    // key-did-resolver drops leading zero bytes of coordinates; pad them back.
    const x = pad32(b64u(vm.publicKeyJwk.x)), y = pad32(b64u(vm.publicKeyJwk.y));
    const pt = p256.ProjectivePoint.fromHex(prefixed([4], prefixed(x, y)));
    return { scheme: 'P-256', pub: pt.toRawBytes(true) };
  }
  throw new Error('unexpected method ' + JSON.stringify(vm));
}

function verify(scheme, pub, msg, sig) {
  try {
    if (scheme === 'Ed25519') return ed25519.verify(sig, msg, pub);
    return p256.verify(p256.Signature.fromCompact(sig), sha256(msg), pub, { lowS: false });
  } catch { return false; }
}

const resolved = [];
for (const v of input.vectors) {
  const out = { did: v.did };
  try {
    const { scheme, pub } = await resolveKey(v.did);
    const msg = unhex(v.msg), sig = unhex(v.sig);
    const tampered = sig.slice(); tampered[5] ^= 1;
    Object.assign(out, {
      scheme, pub: hex(pub),
      didFromKey: didKey(scheme === 'Ed25519' ? ED : P256, pub),
      sigOK: verify(scheme, pub, msg, sig),
      tamperedOK: verify(scheme, pub, msg, tampered),
      otherMsgOK: verify(scheme, pub, new TextEncoder().encode('another message'), sig),
    });
  } catch (e) { out.error = String(e.message || e); }
  resolved.push(out);
}

const bad = [];
for (const did of input.bad) {
  let rejected = false;
  try { await resolveKey(did); } catch { rejected = true; }
  bad.push({ did, rejected });
}

const generated = [];
for (let i = 0; i < 10; i++) {
  const msg = new TextEncoder().encode('js message ' + i);
  const edPriv = ed25519.utils.randomPrivateKey();
  generated.push({ scheme: 'Ed25519', did: didKey(ED, ed25519.getPublicKey(edPriv)), msg: hex(msg), sig: hex(ed25519.sign(msg, edPriv)) });
  const pPriv = p256.utils.randomPrivateKey();
  generated.push({ scheme: 'P-256', did: didKey(P256, p256.getPublicKey(pPriv, true)), msg: hex(msg), sig: hex(p256.sign(sha256(msg), pPriv).toCompactRawBytes()) });
}

const edKeys = [];
for (const h of input.edKeys || []) {
  const out = { key: h, strict: false, zip215: false, smallOrder: false };
  try { ed25519.ExtendedPoint.fromHex(h, false); out.strict = true; } catch {}
  try { out.smallOrder = ed25519.ExtendedPoint.fromHex(h, true).isSmallOrder(); out.zip215 = true; } catch {}
  edKeys.push(out);
}

process.stdout.write(JSON.stringify({ resolved, bad, generated, edKeys }));
