// Independent check of iotrust vouchers with ethers (EIP-712 hashing,
// secp256k1 signing and recovery) and @noble (BLAKE3 derive-key, Ed25519
// with ZIP-215 verification). Reads the vectors the Go test writes on stdin
// and prints, as JSON, what these libraries compute for them and the
// signatures they make with the given keys.
import { TypedDataEncoder, Wallet, verifyTypedData, concat } from 'ethers';
import { blake3 } from '@noble/hashes/blake3.js';
import { ed25519 } from '@noble/curves/ed25519.js';

const chunks = [];
for await (const c of process.stdin) chunks.push(c);
const input = JSON.parse(Buffer.concat(chunks).toString());
const hex = (b) => '0x' + Buffer.from(b).toString('hex');
const types = { Voucher: input.type };

const out = { vouchers: [] };
for (const v of input.vouchers) {
  const enc = concat(['0x1901', TypedDataEncoder.hashDomain(v.domain), TypedDataEncoder.from(types).hash(v.message)]);
  const r = {
    encoding: enc,
    digest: TypedDataEncoder.hash(v.domain, types, v.message),
    ethSignature: await new Wallet(input.ethKey).signTypedData(v.domain, types, v.message),
  };
  if (v.ethSignature) r.recovered = verifyTypedData(v.domain, types, v.message, v.ethSignature);
  const msg = blake3(Buffer.from(enc.slice(2), 'hex'), { context: new TextEncoder().encode(input.tag) });
  r.didMessage = hex(msg);
  if (v.edSignature) {
    r.edValid = ed25519.verify(Buffer.from(v.edSignature.slice(2), 'hex'), msg, Buffer.from(input.edPublic.slice(2), 'hex'));
  }
  r.edSignature = hex(ed25519.sign(msg, Buffer.from(input.edSeed.slice(2), 'hex')));
  out.vouchers.push(r);
}
process.stdout.write(JSON.stringify(out));
