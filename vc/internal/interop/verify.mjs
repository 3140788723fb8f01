// Independent verification of iotrust's JWT credentials and presentations
// with npm's jose and did-jwt-vc (+ key-did-resolver), and a credential
// issued here by did-jwt for the Go side to verify. Reads interop.json
// (from `interop issue`), writes js-vc.jwt.
import { readFileSync, writeFileSync } from 'node:fs';
import { jwtVerify, importJWK } from 'jose';
import { verifyCredential, verifyPresentation, createVerifiableCredentialJwt } from 'did-jwt-vc';
import { EdDSASigner } from 'did-jwt';
import { Resolver } from 'did-resolver';
import { getResolver } from 'key-did-resolver';

const data = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const resolver = new Resolver(getResolver());
let failures = 0;
const check = async (name, fn, shouldPass) => {
  let ok = true, msg = '';
  try { await fn(); } catch (e) { ok = false; msg = e.message; }
  const good = ok === shouldPass;
  if (!good) failures++;
  console.log(`${good ? 'PASS' : 'FAIL'} ${name}${ok ? '' : ': rejected (' + msg.slice(0, 100) + ')'}`);
};

for (const alg of ['EdDSA', 'ES256']) {
  const d = data[alg];
  const key = await importJWK(d.jwk, alg);
  await check(`jose verifies ${alg} VC`, async () => {
    const { payload, protectedHeader } = await jwtVerify(d.vc, key, { issuer: d.issuer, subject: d.holder });
    if (protectedHeader.kid !== d.kid) throw new Error('kid ' + protectedHeader.kid);
    if (!payload.vc.type.includes('DeviceCredential')) throw new Error('type');
  }, true);
  await check(`jose rejects tampered ${alg} VC`, () => jwtVerify(d.tampered, key), false);
  await check(`did-jwt-vc verifies ${alg} VC`, async () => {
    const r = await verifyCredential(d.vc, resolver);
    if (r.issuer !== d.issuer) throw new Error('issuer ' + r.issuer);
  }, true);
  await check(`did-jwt-vc rejects tampered ${alg} VC`, () => verifyCredential(d.tampered, resolver), false);
  await check(`did-jwt-vc verifies ${alg} VP with challenge`, () =>
    verifyPresentation(d.vp, resolver, { challenge: d.challenge, domain: d.audience }), true);
  await check(`did-jwt-vc rejects ${alg} VP with another challenge`, () =>
    verifyPresentation(d.vp, resolver, { challenge: 'other', domain: d.audience }), false);
}

// The reverse direction: did-jwt-vc issues a DeviceCredential; Go verifies.
const js = data.js;
const now = Math.floor(Date.now() / 1000);
const jwt = await createVerifiableCredentialJwt({
  sub: js.subject,
  nbf: now - 60,
  exp: now + 3600,
  vc: {
    '@context': ['https://www.w3.org/2018/credentials/v1', 'https://iotrust.dev/contexts/device/v1'],
    type: ['VerifiableCredential', 'DeviceCredential'],
    credentialSubject: {
      manufacturer: 'Acme Sensors', model: 'JS-1', serialNumber: 'JS-42',
      firmwareHash: js.firmwareHash,
      roles: { publish: ['js/+/events'] },
    },
  },
}, { did: js.issuer, signer: EdDSASigner(Buffer.from(js.seed, 'hex')), alg: 'EdDSA' }, { header: { kid: js.kid } });
writeFileSync(process.argv[3], jwt);
console.log(failures === 0 ? 'js checks passed' : `${failures} js checks failed`);
process.exit(failures === 0 ? 0 : 1);
