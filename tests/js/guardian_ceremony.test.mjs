// The guardian side, part 1: the key ceremony (polynomials, commitments with Schnorr proofs,
// Feldman shares, joint key and public shares), the ECIES share boxes and the minutes
// signatures, reproduced byte for byte from tests/vectors/guardian.json (made by Python with
// pinned randomness: make_vectors.py guardian_vectors).

import assert from "node:assert/strict";
import { test } from "node:test";

import { ed25519 } from "@noble/curves/ed25519.js";
import { sha512 } from "@noble/hashes/sha2.js";
import { concatBytes } from "@noble/hashes/utils.js";

import {
  CompactProof,
  DecryptionError,
  EncodingError,
  G,
  GuardianCommitments,
  InvalidCredential,
  InvalidProof,
  InvalidShare,
  InvalidSignature,
  Polynomial,
  Scalar,
  defaultThreshold,
  generateSigningSeed,
  jointKey,
  minutesMessage,
  openShare,
  publicShare,
  sealShare,
  signMinutes,
  signingPublicKey,
  verifyCommitments,
  verifyMinutesSignature,
  verifyShare,
} from "../../election/static/js/crypto/index.js";
import { _sealShare } from "../../election/static/js/crypto/ecies.js";
import { testBytes, testRand } from "../../election/static/js/crypto/_testing.js";
import { clone, fromHex, loadVectors, toHex } from "./vectors.mjs";

// ATTACKS.md T-13.c: this JS twin, a second implementation of the protocol, must agree
// with Python on the ceremony, share-box and minutes cases of tests/vectors/guardian.json
// (made by the Python code); the other guardian_*.test.mjs files check the rest of it.
const V = loadVectors("guardian");
const CONGRESS = V.congress;
const T = V.threshold;
const MEMBERS = [1, 2, 3];
const scalar = (hex) => Scalar.decode(fromHex(hex));

// make_vectors.py: Polynomial.random(t, test_rand(f"poly{i}")) and
// commit(CONGRESS, i, test_rand(f"schnorr{i}")).
const polys = MEMBERS.map((i) => Polynomial.random(T, testRand(`poly${i}`)));
const published = polys.map((p, k) => p.commit(CONGRESS, k + 1, testRand(`schnorr${k + 1}`)));

test("default threshold n//2 + 1 for 1..64 members", () => {
  assert.deepEqual([1, 2, 3, 4, 5, 7, 64].map(defaultThreshold), [1, 2, 2, 3, 3, 4, 33]);
  assert.throws(() => defaultThreshold(0), RangeError);
  assert.throws(() => defaultThreshold(65), RangeError);
});

test("commitments and Schnorr proofs are reproduced from the pinned randomness", () => {
  assert.equal(published.length, V.commitments.length);
  published.forEach((g, k) => {
    assert.deepEqual(g.toJson(), V.commitments[k]);
    const decoded = GuardianCommitments.fromJson(clone(V.commitments[k]), T);
    assert.deepEqual(decoded.toJson(), V.commitments[k]);
    verifyCommitments(CONGRESS, decoded);
  });
  assert.throws(() => GuardianCommitments.fromJson(clone(V.commitments[0]), T + 1), EncodingError);
  assert.throws(() => GuardianCommitments.fromJson({ ...V.commitments[0], index: 0 }, T), EncodingError);
  assert.throws(() => GuardianCommitments.fromJson({ ...V.commitments[0], extra: 1 }, T), EncodingError);
  assert.throws(() => GuardianCommitments.fromJson({ index: 1, commitments: [], proofs: [] }, 0), RangeError);
});

test("shares f_i(j) are reproduced, check against the commitments, and sum to s_j", () => {
  for (const i of MEMBERS) {
    for (const j of MEMBERS) {
      const share = polys[i - 1].evaluate(j);
      assert.equal(share.hex(), V.shares[`${i}->${j}`], `${i}->${j}`);
      verifyShare(j, share, published[i - 1]);
    }
  }
  for (const j of MEMBERS) {
    const s = MEMBERS.reduce((acc, i) => acc.add(scalar(V.shares[`${i}->${j}`])), Scalar.fromInt(0));
    assert.equal(s.hex(), V.ceremony.secret_shares[j]);
    const Kj = publicShare(j, published);
    assert.equal(Kj.hex(), V.ceremony.public_shares[j]);
    assert.ok(G.mul(s).equals(Kj));
  }
  assert.equal(jointKey(published).hex(), V.ceremony.joint_key);
  assert.throws(() => publicShare(1, []), RangeError);
  assert.throws(() => polys[0].evaluate(0), RangeError);
  assert.throws(() => polys[0].evaluate(65), RangeError);
});

test("a tampered share fails verifyShare", () => {
  const good = polys[0].evaluate(2);
  assert.throws(() => verifyShare(2, good.add(Scalar.fromInt(1)), published[0]), InvalidShare);
  assert.throws(() => verifyShare(3, good, published[0]), InvalidShare); // someone else's
  assert.throws(() => verifyShare(2, good, published[1]), InvalidShare); // another dealer's
  assert.throws(() => verifyShare(0, good, published[0]), RangeError);
});

test("a tampered commitment or proof fails verifyCommitments", () => {
  const [g1, g2] = published;
  const mixed = new GuardianCommitments(1, [g2.commitments[0], g1.commitments[1]], g1.proofs);
  assert.throws(() => verifyCommitments(CONGRESS, mixed), { name: "InvalidProof", message: /coefficient 0/ });
  const p = g1.proofs[1];
  const altered = new CompactProof(p.challenge, p.response.add(Scalar.fromInt(1)));
  const tampered = new GuardianCommitments(1, g1.commitments, [g1.proofs[0], altered]);
  assert.throws(() => verifyCommitments(CONGRESS, tampered), { name: "InvalidProof", message: /coefficient 1/ });
  // Proofs are bound to the congress and to the guardian's index.
  assert.throws(() => verifyCommitments("another-congress", g1), InvalidProof);
  assert.throws(() => verifyCommitments(CONGRESS, new GuardianCommitments(2, g1.commitments, g1.proofs)), InvalidProof);
  // A changed proof in the JSON still decodes, then fails.
  const json = clone(V.commitments[0]);
  json.proofs[0].c = json.proofs[1].c;
  assert.throws(() => verifyCommitments(CONGRESS, GuardianCommitments.fromJson(json, T)), InvalidProof);
});

test("a polynomial keeps its coefficients secret and refuses zero", () => {
  assert.throws(() => new Polynomial([]), RangeError);
  assert.throws(() => new Polynomial([Scalar.fromInt(1), Scalar.fromInt(0)]), RangeError);
  assert.throws(() => Polynomial.random(0), RangeError);
  assert.equal(polys[0].threshold, T);
  assert.equal(String(polys[0]), `Polynomial(threshold=${T})`);
  assert.throws(() => JSON.stringify(polys[0]), TypeError);
  const p = Polynomial.random(3);
  verifyCommitments(CONGRESS, p.commit(CONGRESS, 5));
  verifyShare(7, p.evaluate(7), p.commit(CONGRESS, 5));
});

test("ECIES share boxes are reproduced from the pinned randomness and open", async () => {
  // The original single box: e from test_rand("ecies"), nonce test_bytes("ecies", 12).
  const e = V.ecies;
  const d = scalar(e.recipient_secret);
  const box = await _sealShare(CONGRESS, e.from, e.to, G.mul(d), polys[0].evaluate(2), testRand("ecies"), testBytes("ecies", 12));
  assert.deepEqual(box, e.box);
  assert.equal((await openShare(CONGRESS, e.from, e.to, d, clone(e.box))).hex(), e.share);
  // Every ordered pair of the ceremony.
  assert.equal(V.ceremony.boxes.length, 6);
  for (const b of V.ceremony.boxes) {
    const dj = scalar(V.ceremony.communication_secrets[b.to]);
    const share = polys[b.from - 1].evaluate(b.to);
    assert.equal(share.hex(), b.share);
    const made = await _sealShare(CONGRESS, b.from, b.to, G.mul(dj), share, testRand(b.rng_seed), testBytes(b.rng_seed, 12));
    assert.deepEqual(made, b.box, b.rng_seed);
    const opened = await openShare(CONGRESS, b.from, b.to, dj, clone(b.box));
    assert.ok(opened.equals(share));
    verifyShare(b.to, opened, published[b.from - 1]);
  }
});

test("a share box opens only for its congress, sender, recipient and key", async () => {
  const e = V.ecies;
  const d = scalar(e.recipient_secret);
  const refuse = (promise) => assert.rejects(promise, DecryptionError);
  await refuse(openShare(CONGRESS, e.from, 3, d, e.box)); // the associated data names the recipient
  await refuse(openShare(CONGRESS, 3, e.to, d, e.box));
  await refuse(openShare("another-congress", e.from, e.to, d, e.box));
  await refuse(openShare(CONGRESS, e.from, e.to, Scalar.random(), e.box));
  const last = e.box.ct.slice(-2) === "00" ? "01" : "00";
  await refuse(openShare(CONGRESS, e.from, e.to, d, { ...e.box, ct: e.box.ct.slice(0, -2) + last }));
  await refuse(openShare(CONGRESS, e.from, e.to, d, { ...e.box, E: G.hex() }));
  // Encodings are strict.
  const malformed = (box) => assert.rejects(openShare(CONGRESS, e.from, e.to, d, box), EncodingError);
  await malformed({ ...e.box, ct: e.box.ct.slice(2) });
  await malformed({ ...e.box, ct: e.box.ct.toUpperCase() });
  await malformed({ ...e.box, nonce: "00" });
  await malformed({ ...e.box, E: "01" + "00".repeat(31) }); // the identity
  await malformed({ E: e.box.E, ct: e.box.ct });
  // A fresh box with real randomness.
  const dj = Scalar.random();
  const share = Scalar.random();
  const fresh = await sealShare(CONGRESS, 2, 1, G.mul(dj), share);
  assert.ok((await openShare(CONGRESS, 2, 1, dj, fresh)).equals(share));
  assert.notDeepEqual(await sealShare(CONGRESS, 2, 1, G.mul(dj), share), fresh);
  await assert.rejects(_sealShare(CONGRESS, 1, 2, G.mul(dj), share, Scalar.random, new Uint8Array(8)), RangeError);
});

test("minutes signatures are reproduced and verify by the strict rule", () => {
  const m = V.minutes;
  assert.equal(toHex(minutesMessage(m.data)), m.message);
  for (const s of m.signatures) {
    const seed = fromHex(s.seed);
    assert.equal(toHex(signingPublicKey(seed)), s.public);
    const signature = signMinutes(seed, clone(m.data));
    assert.equal(toHex(signature), s.signature);
    verifyMinutesSignature(fromHex(s.public), m.data, fromHex(s.signature));
  }
  const [a, b] = m.signatures;
  const sig = fromHex(a.signature);
  const changed = clone(m.data);
  changed.candidates[0].votes += 1;
  assert.throws(() => verifyMinutesSignature(fromHex(a.public), changed, sig), InvalidSignature);
  assert.throws(() => verifyMinutesSignature(fromHex(b.public), m.data, sig), InvalidSignature);
  assert.throws(() => verifyMinutesSignature(fromHex(a.public), m.data, sig.slice(0, 63)), InvalidSignature);
  // A small-order signing key is refused before any signature check.
  const smallOrder = fromHex("c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a");
  assert.throws(() => verifyMinutesSignature(smallOrder, m.data, sig), InvalidCredential);
  assert.throws(() => signMinutes(new Uint8Array(31), m.data), TypeError);
  const seed = generateSigningSeed();
  verifyMinutesSignature(signingPublicKey(seed), m.data, signMinutes(seed, m.data));
});

test("a minutes signature whose R has a small-order component is refused (cofactorless)", () => {
  // R' = r*B + T with T of order 8 and S = r + k*a, k = SHA-512(R' || A || M): the cofactored
  // equation (noble's default verify, ZIP-215) holds, the cofactorless one Python uses does not.
  const m = V.minutes;
  const seed = fromHex(m.signatures[0].seed);
  const { scalar: a, pointBytes: A } = ed25519.utils.getExtendedPublicKey(seed);
  const message = minutesMessage(m.data);
  const T = ed25519.Point.fromBytes(fromHex("c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a"));
  const r = Scalar.random();
  const R = ed25519.Point.BASE.multiply(r.toBigInt()).add(T).toBytes();
  const k = Scalar.fromWide(sha512(concatBytes(R, A, message)));
  const S = r.add(k.mul(Scalar.fromInt(a)));
  const forged = new Uint8Array([...R, ...S.encode()]);
  assert.equal(ed25519.verify(forged, message, A), true);
  assert.throws(() => verifyMinutesSignature(A, m.data, forged), InvalidSignature);
});
