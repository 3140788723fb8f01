// Independent check of testdata/*.json with @noble/hashes: BLAKE3 and
// SHA-256 from another implementation, the tree shape and the proofs
// recomputed from the recursive definitions of RFC 9162 §2.1 (not from the
// Go code's level-by-level algorithm). Run by .ci/steps/20-merkle.sh.
import { readFileSync } from 'node:fs';
import { blake3 } from '@noble/hashes/blake3.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { utf8ToBytes, bytesToHex, hexToBytes, concatBytes } from '@noble/hashes/utils.js';

const dir = process.argv[2];
const load = (f) => JSON.parse(readFileSync(`${dir}/${f}`, 'utf8'));

const nodeKey = blake3(new Uint8Array(0), { context: utf8ToBytes('iotrust.merkle.node.v1') });
const hashers = {
  blake3: {
    leaf: (d) => blake3(d, { context: utf8ToBytes('iotrust.merkle.leaf.v1') }),
    node: (l, r) => blake3(concatBytes(l, r), { key: nodeKey }),
    empty: () => blake3(new Uint8Array(0)),
  },
  sha256: {
    leaf: (d) => sha256(concatBytes(Uint8Array.of(0), d)),
    node: (l, r) => sha256(concatBytes(Uint8Array.of(1), l, r)),
    empty: () => sha256(new Uint8Array(0)),
  },
};

// largest power of two strictly below n (n > 1)
const split = (n) => { let k = 1; while (k * 2 < n) k *= 2; return k; };

function mth(h, lh) {
  if (lh.length === 0) return h.empty();
  if (lh.length === 1) return lh[0];
  const k = split(lh.length);
  return h.node(mth(h, lh.slice(0, k)), mth(h, lh.slice(k)));
}

function path(h, m, lh) {
  if (lh.length <= 1) return [];
  const k = split(lh.length);
  if (m < k) return [...path(h, m, lh.slice(0, k)), mth(h, lh.slice(k))];
  return [...path(h, m - k, lh.slice(k)), mth(h, lh.slice(0, k))];
}

function subproof(h, m, lh, whole) {
  const n = lh.length;
  if (m === n) return whole ? [] : [mth(h, lh)];
  const k = split(n);
  if (m <= k) return [...subproof(h, m, lh.slice(0, k), whole), mth(h, lh.slice(k))];
  return [...subproof(h, m - k, lh.slice(k), false), mth(h, lh.slice(0, k))];
}
const consistency = (h, m, lh) => (m === 0 || m === lh.length ? [] : subproof(h, m, lh, true));

// Multi-leaf path: roots of the largest subtrees holding none of the
// indices, left to right.
function multi(h, idx, lh, lo = 0) {
  const inside = idx.filter((i) => i >= lo && i < lo + lh.length);
  if (inside.length === 0) return [mth(h, lh)];
  if (lh.length === 1) return [];
  const k = split(lh.length);
  return [...multi(h, inside, lh.slice(0, k), lo), ...multi(h, inside, lh.slice(k), lo + k)];
}

let checks = 0;
function eq(got, want, what) {
  const g = Array.isArray(got) ? got.map(bytesToHex).join(',') : bytesToHex(got);
  const w = Array.isArray(want) ? want.join(',') : want;
  if (g !== w) { console.error(`MISMATCH ${what}\n got  ${g}\n want ${w}`); process.exit(1); }
  checks++;
}

for (const file of ['blake3.json', 'rfc6962.json']) {
  const v = load(file);
  const h = hashers[v.hasher];
  eq(h.empty(), v.empty_root, `${file} empty root`);
  for (const x of v.leaf_hashes) eq(h.leaf(hexToBytes(x.data)), x.hash, `${file} leaf ${x.data}`);
  for (const x of v.node_hashes ?? []) eq(h.node(hexToBytes(x.left), hexToBytes(x.right)), x.hash, `${file} node`);
  const lh = v.leaves.map((l) => h.leaf(hexToBytes(l)));
  v.roots.forEach((r, i) => eq(mth(h, lh.slice(0, i + 1)), r, `${file} root of ${i + 1}`));
  for (const p of v.inclusion) eq(path(h, p.index, lh.slice(0, p.size)), p.path, `${file} inclusion ${p.index}/${p.size}`);
  for (const p of v.multi_inclusion ?? []) eq(multi(h, p.indices, lh.slice(0, p.size)), p.path, `${file} multi ${p.indices}/${p.size}`);
  for (const p of v.consistency) eq(consistency(h, p.old_size, lh.slice(0, p.new_size)), p.path, `${file} consistency ${p.old_size}->${p.new_size}`);
}

const g = load('generated_roots.json');
for (const t of g.trees) {
  const leaves = Array.from({ length: t.size }, (_, i) => utf8ToBytes(`iotrust reading ${i}`));
  for (const name of ['blake3', 'sha256']) {
    const h = hashers[name];
    eq(mth(h, leaves.map(h.leaf)), t[name], `generated ${name} root of ${t.size}`);
  }
}
console.log(`merkle cross-check with @noble/hashes: ${checks} values agree`);
