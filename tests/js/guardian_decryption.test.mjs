// The guardian side, part 3: decryption shares with their Chaum-Pedersen proofs, Lagrange
// coefficients and the combination of shares to the counts, reproduced byte for byte from
// tests/vectors/guardian.json (Python's _compute_share with pinned randomness).

import assert from "node:assert/strict";
import { test } from "node:test";

import {
  Ciphertext,
  CompactProof,
  DecryptionShare,
  DiscreteLogError,
  DlogTable,
  EncodingError,
  G,
  InvalidProof,
  Point,
  Scalar,
  combineShares,
  computeShare,
  decryptTally,
  encrypt,
  lagrangeCoefficient,
  smallMultiple,
  verifyDecryptionShare,
} from "../../election/static/js/crypto/index.js";
import { _computeShare } from "../../election/static/js/crypto/decryption.js";
import { testRand } from "../../election/static/js/crypto/_testing.js";
import { clone, fromHex, loadVectors } from "./vectors.mjs";

// ATTACKS.md T-13.c: this JS twin, a second implementation of the protocol, must agree
// with Python on the decryption cases of tests/vectors/guardian.json (made by the Python
// code); the other guardian_*.test.mjs files check the rest of it.
const V = loadVectors("guardian");
const T = V.threshold;
const TV = V.tally;
const MEMBERS = [1, 2, 3];
const scalar = (hex) => Scalar.decode(fromHex(hex));
const point = (hex) => Point.decode(fromHex(hex));
const hR = fromHex(TV.round_hash);
const tally = TV.ciphertexts.map((ct) => Ciphertext.fromJson(ct));
const secret = Object.fromEntries(MEMBERS.map((j) => [j, scalar(V.ceremony.secret_shares[j])]));
const publicShare = Object.fromEntries(MEMBERS.map((j) => [j, point(V.ceremony.public_shares[j])]));
const shares = new Map(
  MEMBERS.map((j) => [j, DecryptionShare.fromJson(clone(TV.shares[j]), tally.length)]),
);

test("Lagrange coefficients of every participating set", () => {
  for (const { participants, coefficients } of TV.lagrange) {
    for (const j of participants) {
      assert.equal(lagrangeCoefficient(j, participants).hex(), coefficients[j], `${participants}: ${j}`);
      // Order and repetition of the participants do not matter.
      assert.equal(lagrangeCoefficient(j, [...participants].reverse().concat(participants)).hex(), coefficients[j]);
    }
  }
  assert.throws(() => lagrangeCoefficient(4, [1, 2, 3]), RangeError);
  assert.throws(() => lagrangeCoefficient(1, [1, "2"]), TypeError);
  // They interpolate at 0: f(x) = 7 + 3x + 5x^2 from any three points.
  const f = (x) => Scalar.fromInt(7 + 3 * x + 5 * x * x);
  for (const set of [[1, 2, 3], [2, 4, 5], [1, 3, 64]]) {
    const at0 = set.reduce((acc, j) => acc.add(lagrangeCoefficient(j, set).mul(f(j))), Scalar.fromInt(0));
    assert.equal(at0.toBigInt(), 7n);
  }
});

test("decryption shares and proofs are reproduced and verify", () => {
  for (const j of MEMBERS) {
    const made = _computeShare(hR, j, secret[j], tally, testRand(`tally/share/${j}`));
    assert.deepEqual(made.toJson(), TV.shares[j]);
    verifyDecryptionShare(hR, publicShare[j], tally, shares.get(j));
    assert.ok(G.mul(secret[j]).equals(publicShare[j]));
  }
  // The first vector (one counter, guardian 2, test_rand("dshare")).
  const d = V.decryption;
  const A = point(d.A);
  const one = _computeShare(fromHex(d.round_hash), d.guardian, scalar(d.secret), [new Ciphertext(A, A)], testRand("dshare"));
  assert.deepEqual(one.toJson(), d.share);
  // JSON is decoded strictly.
  assert.throws(() => DecryptionShare.fromJson(clone(TV.shares[1]), tally.length + 1), EncodingError);
  assert.throws(() => DecryptionShare.fromJson({ ...TV.shares[1], guardian: 65 }, tally.length), EncodingError);
  const identity = clone(TV.shares[1]);
  identity.shares[0] = "01" + "00".repeat(31);
  assert.throws(() => DecryptionShare.fromJson(identity, tally.length), EncodingError);
});

test("any t of the n shares combine to the counts", () => {
  const table = new DlogTable(TV.ballots);
  for (const { participants } of TV.lagrange) {
    const chosen = new Map(participants.map((j) => [j, shares.get(j)]));
    assert.deepEqual(decryptTally(tally, chosen, T, table), TV.counts);
    // A plain object keyed by the guardian index is accepted too.
    const plain = Object.fromEntries(participants.map((j) => [j, shares.get(j)]));
    assert.deepEqual(decryptTally(tally, plain, T, table), TV.counts);
  }
  // M_c = m_c*G, the identity for a zero count.
  const points = combineShares(tally, shares, T);
  assert.ok(points[1].isIdentity());
  points.forEach((M, c) => assert.ok(M.equals(smallMultiple(TV.counts[c]))));
});

test("t-1 shares cannot decrypt: combineShares refuses below the threshold", () => {
  const table = new DlogTable(TV.ballots);
  for (const j of MEMBERS) {
    const one = new Map([[j, shares.get(j)]]);
    assert.throws(() => combineShares(tally, one, T), RangeError);
    assert.throws(() => decryptTally(tally, one, T, table), RangeError);
    // Even with the threshold check bypassed, one share does not give the counts.
    const wrong = combineShares(tally, one, 1);
    assert.throws(() => wrong.forEach((M) => table.lookup(M)), DiscreteLogError);
  }
  assert.throws(() => combineShares(tally, new Map(), 1), RangeError);
  assert.throws(() => combineShares(tally, [shares.get(1), shares.get(2)], T), TypeError);
});

test("a share with a wrong proof or a wrong value fails verifyDecryptionShare", () => {
  const s1 = shares.get(1);
  const lie = new DecryptionShare(1, [s1.shares[0].add(G), ...s1.shares.slice(1)], s1.proofs);
  assert.throws(() => verifyDecryptionShare(hR, publicShare[1], tally, lie), { name: "InvalidProof", message: /counter 0/ });
  const p = s1.proofs[2];
  const badProof = [...s1.proofs];
  badProof[2] = new CompactProof(p.challenge, p.response.add(Scalar.fromInt(1)));
  assert.throws(
    () => verifyDecryptionShare(hR, publicShare[1], tally, new DecryptionShare(1, s1.shares, badProof)),
    { name: "InvalidProof", message: /guardian 1, counter 2/ },
  );
  // Guardian 2's proofs presented as guardian 1's, under guardian 1's key, or another round.
  const s2 = shares.get(2);
  assert.throws(() => verifyDecryptionShare(hR, publicShare[1], tally, new DecryptionShare(1, s2.shares, s2.proofs)), InvalidProof);
  assert.throws(() => verifyDecryptionShare(hR, publicShare[2], tally, s1), InvalidProof);
  assert.throws(() => verifyDecryptionShare(new Uint8Array(64), publicShare[1], tally, s1), InvalidProof);
  assert.throws(() => verifyDecryptionShare(hR, publicShare[1], tally.slice(1), s1), InvalidProof);
  // Swapped counters.
  const swapped = new DecryptionShare(1, [s1.shares[1], s1.shares[0], ...s1.shares.slice(2)], [s1.proofs[1], s1.proofs[0], ...s1.proofs.slice(2)]);
  assert.throws(() => verifyDecryptionShare(hR, publicShare[1], tally, swapped), InvalidProof);
});

test("discrete-log table bounds", () => {
  const table = new DlogTable(50);
  assert.equal(table.bound, 50);
  assert.equal(table.lookup(smallMultiple(50)), 50);
  assert.equal(table.lookup(G.sub(G)), 0);
  assert.throws(() => table.lookup(smallMultiple(51)), DiscreteLogError);
  assert.equal(new DlogTable(0).lookup(G.sub(G)), 0);
  assert.throws(() => new DlogTable(-1), RangeError);
});

test("one decryption share of 67 counters (timed) verifies and decrypts", (t) => {
  // A 65-name cross-out round has 67 counters; a 1-of-1 board, so one share decrypts.
  const s = Scalar.random();
  const K = G.mul(s).precompute();
  const counts = Array.from({ length: 67 }, (_, c) => c % 4);
  const big = counts.map((m) => encrypt(m, K, Scalar.random()));
  const h = fromHex("22".repeat(64));
  let start = performance.now();
  const share = computeShare(h, 1, s, big);
  t.diagnostic(`computeShare, 67 counters: ${(performance.now() - start).toFixed(0)} ms`);
  start = performance.now();
  verifyDecryptionShare(h, K, big, share);
  t.diagnostic(`verifyDecryptionShare, 67 counters: ${(performance.now() - start).toFixed(0)} ms`);
  assert.deepEqual(decryptTally(big, new Map([[1, share]]), 1, new DlogTable(3)), counts);
});
