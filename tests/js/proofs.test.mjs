import assert from "node:assert/strict";
import { test } from "node:test";

import {
  Ciphertext,
  CompactProof,
  EncodingError,
  G,
  IDENTITY,
  InvalidProof,
  MembershipProof,
  Point,
  Scalar,
  Tag,
  combine,
  decryptToPoint,
  encrypt,
  proveDecryption,
  proveMembership,
  proveSchnorr,
  smallMultiple,
  sumCiphertexts,
  verifyDecryption,
  verifyMembership,
  verifySchnorr,
} from "../../election/static/js/crypto/index.js";
import { testRand } from "../../election/static/js/crypto/_testing.js";
import { fromHex, loadVectors } from "./vectors.mjs";

const GUARDIAN = loadVectors("guardian");
const secret = Scalar.random();
const K = G.mul(secret).precompute();

test("encryption is additively homomorphic and m = 0 works", () => {
  const r = [Scalar.random(), Scalar.random(), Scalar.random()];
  const cts = [encrypt(0, K, r[0]), encrypt(1, K, r[1]), encrypt(5, K, r[2])];
  assert.ok(cts[0].B.equals(K.mul(r[0])));
  assert.ok(decryptToPoint(cts[0], secret).isIdentity());
  assert.ok(decryptToPoint(cts[1], secret).equals(G));
  assert.ok(decryptToPoint(sumCiphertexts(cts), secret).equals(smallMultiple(6)));
  assert.ok(decryptToPoint(combine([2, 0, 3], cts), secret).equals(smallMultiple(15)));
  assert.ok(combine([1, 1, 1], cts).equals(sumCiphertexts(cts)));
  const empty = sumCiphertexts([]);
  assert.ok(empty.A.equals(IDENTITY) && empty.B.equals(IDENTITY));
  assert.throws(() => combine([0, 0, 0], cts), EncodingError);
  assert.throws(() => combine([1, 1], cts), RangeError);
  assert.throws(() => combine([1, -1, 1], cts), RangeError);
  assert.throws(() => encrypt(-1, K, r[0]), RangeError);
  assert.throws(() => encrypt(1, K, Scalar.fromInt(0)), RangeError);
  const back = Ciphertext.fromJson(JSON.parse(JSON.stringify(cts[1].toJson())));
  assert.ok(back.equals(cts[1]));
  assert.throws(() => Ciphertext.fromJson({ A: cts[1].A.hex() }), EncodingError);
});

test("membership proofs: honest proofs verify, altered ones do not", () => {
  const allowed = [1, 2, 5, 10];
  const context = [new Uint8Array(64), new Uint8Array(32), 3];
  for (const [index, m] of allowed.entries()) {
    const r = Scalar.random();
    const ct = encrypt(m, K, r);
    const proof = proveMembership(Tag.PROOF_SET, context, K, ct, allowed, index, r, Scalar.random);
    verifyMembership(Tag.PROOF_SET, context, K, ct, allowed, proof);
    const json = JSON.parse(JSON.stringify(proof.toJson()));
    verifyMembership(Tag.PROOF_SET, context, K, ct, allowed, MembershipProof.fromJson(json, 4));
    assert.throws(() => MembershipProof.fromJson(json, 3), EncodingError);
    if (index !== 2) continue;
    // Another context, statement, set or tag: refused.
    const refuse = (f) => assert.throws(f, InvalidProof);
    refuse(() => verifyMembership(Tag.PROOF_SET, [...context.slice(0, 2), 4], K, ct, allowed, proof));
    refuse(() => verifyMembership(Tag.PROOF01, context, K, ct, allowed, proof));
    refuse(() => verifyMembership(Tag.PROOF_SET, context, K, ct, [1, 2, 5, 11], proof));
    refuse(() => verifyMembership(Tag.PROOF_SET, context, K, ct, [1, 2, 5], proof));
    refuse(() => verifyMembership(Tag.PROOF_SET, context, K.add(G), ct, allowed, proof));
    refuse(() =>
      verifyMembership(Tag.PROOF_SET, context, K, new Ciphertext(ct.A, ct.B.add(G)), allowed, proof),
    );
    const c = [...proof.challenges];
    c[0] = c[0].add(Scalar.fromInt(1));
    refuse(() =>
      verifyMembership(Tag.PROOF_SET, context, K, ct, allowed, new MembershipProof(c, proof.responses)),
    );
  }
  // A value outside the set cannot be proven: the proof made as if it were allowed[0] fails.
  const r = Scalar.random();
  const ct = encrypt(3, K, r);
  const proof = proveMembership(Tag.PROOF_SET, context, K, ct, allowed, 0, r, Scalar.random);
  assert.throws(() => verifyMembership(Tag.PROOF_SET, context, K, ct, allowed, proof), InvalidProof);
  assert.throws(() => proveMembership(Tag.PROOF_SET, context, K, ct, allowed, 4, r, Scalar.random), RangeError);
});

test("the prover draws in Python's order", () => {
  // Real branch: u; simulated branch: c_j then w_j. So with allowed (0, 1) and index 1 the
  // draws are c_0, w_0, u, and v_0 = w_0 + c_0*r.
  const r = Scalar.random();
  const ct = encrypt(1, K, r);
  const proof = proveMembership(Tag.PROOF01, [], K, ct, [0, 1], 1, r, testRand("order"));
  const draw = testRand("order");
  const c0 = draw();
  const w0 = draw();
  assert.equal(proof.challenges[0].hex(), c0.hex());
  assert.equal(proof.responses[0].hex(), w0.add(c0.mul(r)).hex());
});

test("guardian vectors: Schnorr proofs of the key ceremony verify", () => {
  for (const g of GUARDIAN.commitments) {
    g.commitments.forEach((hex, k) => {
      const C = Point.decode(fromHex(hex));
      const proof = CompactProof.fromJson(g.proofs[k]);
      verifySchnorr([GUARDIAN.congress, g.index, k], C, proof);
      assert.throws(() => verifySchnorr([GUARDIAN.congress, g.index, k + 1], C, proof), InvalidProof);
    });
  }
  const a = Scalar.random();
  const proof = proveSchnorr(["x", 1, 0], a, Scalar.random);
  verifySchnorr(["x", 1, 0], G.mul(a), proof);
  assert.throws(() => verifySchnorr(["x", 1, 0], G.mul(a).add(G), proof), InvalidProof);
});

test("guardian vectors: the decryption share is reproduced and verifies", () => {
  const d = GUARDIAN.decryption;
  const s = Scalar.decode(fromHex(d.secret));
  const A = Point.decode(fromHex(d.A));
  const context = [fromHex(d.round_hash), d.guardian, 0];
  const [D, proof] = proveDecryption(context, s, A, testRand("dshare"));
  assert.equal(D.hex(), d.share.shares[0]);
  assert.deepEqual(proof.toJson(), d.share.proofs[0]);
  verifyDecryption(context, G.mul(s), A, D, CompactProof.fromJson(d.share.proofs[0]));
  assert.throws(() => verifyDecryption(context, G.mul(s), A, D.add(G), proof), InvalidProof);
  assert.throws(() => verifyDecryption([fromHex(d.round_hash), d.guardian, 1], G.mul(s), A, D, proof), InvalidProof);
});
