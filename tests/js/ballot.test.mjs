import assert from "node:assert/strict";
import { test } from "node:test";

import {
  BallotForm,
  CiphertextBallot,
  CredentialKey,
  EncodingError,
  H,
  InvalidBallot,
  InvalidCredential,
  InvalidPoint,
  InvalidProof,
  InvalidScalar,
  InvalidSignature,
  L,
  Point,
  RoundContext,
  Scalar,
  Tag,
  auditBallot,
  ballotHash,
  canonicalJson,
  encryptBallot,
  formFor,
  trackingCode,
  verifyAudited,
  verifyBallot,
} from "../../election/static/js/crypto/index.js";
import { _encryptBallot } from "../../election/static/js/crypto/ballot.js";
import { testRand } from "../../election/static/js/crypto/_testing.js";
import { clone, fromHex, loadVectors, toHex } from "./vectors.mjs";

// ATTACKS.md T-13.c: this JS twin, a second implementation of the protocol, must agree
// with Python on every case of tests/vectors/ballots.json (made by the Python code).
const V = loadVectors("ballots");
const OTHER = loadVectors("credential").cases[0];

// The round context of a case, from the vector file alone. One per case, so that the joint
// key's window table is built once per case (as a booth keeps one per round).
const CONTEXTS = new Map();
function contextOf(c) {
  if (!CONTEXTS.has(c.name)) {
    const form = BallotForm.fromJson(c.form);
    const K = Point.decode(fromHex(c.joint_key));
    CONTEXTS.set(c.name, new RoundContext(fromHex(c.round_hash), K, form));
  }
  return CONTEXTS.get(c.name);
}

function decodeAndVerify(ctx, json) {
  verifyBallot(ctx, CiphertextBallot.fromJson(json, ctx.form));
}

// Re-sign a ballot JSON with `key`, as a voter could do with their own tampered ballot.
function resign(json, key) {
  const { signature, ...unsigned } = json;
  void signature;
  const sig = key.sign(H(Tag.BALLOT_SIG, canonicalJson(unsigned)));
  return { ...unsigned, signature: toHex(sig) };
}

// A copy of a decoded ballot with some fields replaced, re-signed by `key` if given.
function alter(ballot, changes, key = null) {
  const f = { ...ballot, ...changes };
  const make = (signature) =>
    new CiphertextBallot(
      f.roundHash,
      f.credential,
      f.nonce,
      f.ciphertexts,
      f.counterProofs,
      f.combinationProofs,
      signature,
    );
  const copy = make(f.signature);
  if (key === null) return copy;
  return make(key.sign(H(Tag.BALLOT_SIG, canonicalJson(copy.unsignedJson()))));
}

// Another valid scalar in place of `hex`.
function bump(hex) {
  return Scalar.decode(fromHex(hex)).add(Scalar.fromInt(1)).hex();
}

for (const c of V.cases) {
  test(`${c.name}: Python's ballot reproduced byte for byte`, () => {
    const ctx = contextOf(c);
    assert.deepEqual(ctx.form.toJson(), formFor(c.form.kind, c.form.candidates, c.form.seats).toJson());
    const key = new CredentialKey(c.congress, c.code);
    const [ballot, secrets] = _encryptBallot(ctx, c.counters, key, testRand(c.rng_seed), fromHex(c.nonce));
    assert.equal(
      new TextDecoder().decode(canonicalJson(ballot.toJson())),
      new TextDecoder().decode(canonicalJson(c.ballot)),
    );
    assert.deepEqual(canonicalJson(ballot.toJson()), canonicalJson(c.ballot));
    assert.deepEqual(
      secrets.randomness.map((r) => r.hex()),
      c.randomness,
    );
    assert.deepEqual([...secrets.counters], c.counters);
    assert.equal(toHex(ballot.hash()), c.ballot_hash);
    assert.equal(toHex(ballotHash(c.ballot)), c.ballot_hash);
    assert.equal(trackingCode(ballot.hash()), c.tracking_code);
    assert.equal(trackingCode(fromHex(c.ballot_hash)), c.tracking_code);
  });

  test(`${c.name}: Python's ballot verifies and tampered copies do not`, () => {
    const ctx = contextOf(c);
    const key = new CredentialKey(c.congress, c.code);
    const decoded = CiphertextBallot.fromJson(c.ballot, ctx.form);
    verifyBallot(ctx, decoded);
    assert.deepEqual(canonicalJson(decoded.toJson()), canonicalJson(c.ballot));
    // The vector's own ballot re-signed is the same ballot (Ed25519 is deterministic).
    assert.deepEqual(resign(c.ballot, key), c.ballot);

    // Each tampered copy is refused twice: as posted (the signature breaks) and re-signed by
    // the credential's holder (the proofs break, as they are bound to what was changed).
    // Copies are built from the decoded ballot (alter), to spare decoding every point again;
    // the JSON path of tampering is covered by the first one and by the combination test.

    // One proof scalar changed (through JSON as posted, then re-signed).
    const changed = clone(c.ballot);
    changed.counters[0].proof.v[0] = bump(changed.counters[0].proof.v[0]);
    const changedBallot = CiphertextBallot.fromJson(changed, ctx.form);
    assert.throws(() => verifyBallot(ctx, changedBallot), InvalidSignature);
    assert.throws(() => verifyBallot(ctx, alter(changedBallot, {}, key)), {
      name: "InvalidProof",
      message: "counter 0: 0/1 proof does not verify",
    });

    // The credential swapped for another one (re-signed by that other credential).
    const other = new CredentialKey(OTHER.congress, OTHER.code);
    const swapped = alter(decoded, { credential: other.public });
    assert.throws(() => verifyBallot(ctx, swapped), InvalidSignature);
    assert.throws(() => verifyBallot(ctx, alter(swapped, {}, other)), {
      name: "InvalidProof",
      message: "counter 0: 0/1 proof does not verify",
    });

    // Another round hash: refused as another round by this round's context; a context of
    // that other round refuses the signature, then (re-signed) the proofs.
    const round = fromHex(c.round_hash);
    round[0] ^= 1;
    const movedCtx = new RoundContext(round, ctx.jointKey, ctx.form);
    const moved = alter(decoded, { roundHash: round });
    assert.throws(() => verifyBallot(movedCtx, decoded), InvalidBallot);
    assert.throws(() => verifyBallot(ctx, alter(moved, {}, key)), InvalidBallot);
    assert.throws(() => verifyBallot(movedCtx, moved), InvalidSignature);
    assert.throws(() => verifyBallot(movedCtx, alter(moved, {}, key)), InvalidProof);

    // Two counters (one 1, one 0) swapped with their proofs: they are bound to their indices.
    const i = c.counters.indexOf(1);
    const j = c.counters.indexOf(0);
    const swap = (xs) => xs.map((x, k) => (k === i ? xs[j] : k === j ? xs[i] : x));
    const reordered = alter(decoded, {
      ciphertexts: swap(decoded.ciphertexts),
      counterProofs: swap(decoded.counterProofs),
    });
    assert.throws(() => verifyBallot(ctx, reordered), InvalidSignature);
    assert.throws(() => verifyBallot(ctx, alter(reordered, {}, key)), {
      name: "InvalidProof",
      message: `counter ${Math.min(i, j)}: 0/1 proof does not verify`,
    });
  });

}

// The cases on which the slower checks (a whole ballot verified before the failure, or
// fresh encryptions) run: one of each form kind, with few counters.
const SMALL = ["cross-out-2-1", "agree-disagree-3", "agree-disagree-1-invalid", "choose-at-most-4-1"].map(
  (name) => V.cases.find((c) => c.name === name),
);

for (const c of SMALL) {
  test(`${c.name}: a changed combination proof is refused`, () => {
    const ctx = contextOf(c);
    const key = new CredentialKey(c.congress, c.code);
    const json = clone(c.ballot);
    const last = json.combinations.length - 1;
    json.combinations[last].c[0] = bump(json.combinations[last].c[0]);
    assert.throws(() => decodeAndVerify(ctx, json), InvalidSignature);
    assert.throws(() => decodeAndVerify(ctx, resign(json, key)), {
      name: "InvalidProof",
      message: `combination ${last}: proof does not verify`,
    });
    // Another joint key: the proofs break.
    const otherK = new RoundContext(ctx.roundHash, ctx.jointKey.add(ctx.jointKey), ctx.form);
    assert.throws(() => decodeAndVerify(otherK, c.ballot), InvalidProof);
  });

  test(`${c.name}: an audited ballot re-encrypts to the posted one`, () => {
    const ctx = contextOf(c);
    const key = new CredentialKey(c.congress, c.code);
    const [ballot, secrets] = _encryptBallot(ctx, c.counters, key, testRand(c.rng_seed), fromHex(c.nonce));
    const audited = auditBallot(ballot, secrets);
    assert.deepEqual(audited.randomness, c.randomness);
    assert.deepEqual(audited.counters, c.counters);
    assert.deepEqual(verifyAudited(ctx, clone(audited)), c.counters);
  });
}

test("an audited ballot that lies is refused", () => {
  const c = SMALL[0];
  const ctx = contextOf(c);
  const key = new CredentialKey(c.congress, c.code);
  const [ballot, secrets] = _encryptBallot(ctx, c.counters, key, testRand(c.rng_seed), fromHex(c.nonce));
  const audited = auditBallot(ballot, secrets);
  const lie = clone(audited);
  const i = c.counters.indexOf(1);
  const j = c.counters.indexOf(0);
  [lie.counters[i], lie.counters[j]] = [lie.counters[j], lie.counters[i]];
  assert.throws(() => verifyAudited(ctx, lie), {
    name: "InvalidBallot",
    message: `audited counter ${Math.min(i, j)} does not re-encrypt to the posted ciphertext`,
  });
  const badR = clone(audited);
  badR.randomness[0] = bump(badR.randomness[0]);
  assert.throws(() => verifyAudited(ctx, badR), InvalidBallot);
  const zeroR = clone(audited);
  zeroR.randomness[0] = "00".repeat(32);
  assert.throws(() => verifyAudited(ctx, zeroR), InvalidBallot);
  const illegal = clone(audited);
  illegal.counters = illegal.counters.map(() => 1);
  assert.throws(() => verifyAudited(ctx, illegal), {
    name: "InvalidBallot",
    message: "audited choices are not legal for the form",
  });
});

test("malformed ballot JSON is refused by fromJson", () => {
  const c = V.cases[4];
  const ctx = contextOf(c);
  const cases = [
    [(b) => delete b.nonce, EncodingError],
    [(b) => (b.extra = 1), EncodingError],
    [(b) => (b.version = "dh-vote/v2"), InvalidBallot],
    [(b) => b.counters.pop(), EncodingError],
    [(b) => b.combinations.push(b.combinations[0]), EncodingError],
    [(b) => (b.counters[0].A = b.counters[0].A.toUpperCase()), EncodingError],
    [(b) => (b.counters[0].A = "01" + "00".repeat(31)), InvalidPoint],
    [(b) => (b.counters[1].B = "ec" + "ff".repeat(30) + "7f"), InvalidPoint],
    [(b) => (b.counters[0].proof.c[0] = "ff".repeat(32)), InvalidScalar],
    [(b) => b.counters[0].proof.c.push(b.counters[0].proof.c[0]), EncodingError],
    [(b) => b.combinations[0].v.pop(), EncodingError],
    [(b) => (b.round = b.round.slice(2)), EncodingError],
    [(b) => (b.signature = b.signature + "00"), EncodingError],
    [(b) => (b.counters[0].extra = 1), EncodingError],
  ];
  for (const [mutate, error] of cases) {
    const json = clone(c.ballot);
    mutate(json);
    assert.throws(() => CiphertextBallot.fromJson(json, ctx.form), error, mutate.toString());
  }
  // A credential that is not a valid point decodes (it is plain bytes) but is refused.
  const json = clone(c.ballot);
  json.credential = "00".repeat(32);
  assert.throws(() => decodeAndVerify(ctx, json), InvalidCredential);
});

test("fresh ballots with real randomness verify and differ", () => {
  for (const c of SMALL.slice(0, 2)) {
    const ctx = contextOf(c);
    const key = new CredentialKey(c.congress, c.code);
    const [a, secrets] = encryptBallot(ctx, c.counters, key);
    const [b] = encryptBallot(ctx, c.counters, key);
    decodeAndVerify(ctx, JSON.parse(JSON.stringify(a.toJson())));
    assert.notEqual(toHex(a.hash()), toHex(b.hash()));
    assert.notEqual(a.toJson().nonce, b.toJson().nonce);
    assert.notDeepEqual(
      secrets.randomness.map((r) => r.hex()),
      c.randomness,
    );
    assert.equal(String(secrets), "BallotSecrets(…)");
  }
});

test("choices the form forbids are refused before encryption", () => {
  const c = V.cases[0]; // cross-out 11/9
  const ctx = contextOf(c);
  const key = new CredentialKey(c.congress, c.code);
  const bad = [
    [...Array(11).fill(1), 0, 0], // keeps 11 of 9 seats without the indicator
    Array(13).fill(0), // keeps nobody, no indicator
    [1, ...Array(10).fill(0), 1, 0], // a name kept and an invalid reason
    [...Array(11).fill(0), 1, 1], // both reasons
    [true, ...Array(12).fill(0)],
    [2, ...Array(12).fill(0)],
    Array(12).fill(0),
  ];
  for (const counters of bad) {
    assert.throws(() => encryptBallot(ctx, counters, key), InvalidBallot, JSON.stringify(counters));
  }
});

test("RoundContext checks its arguments", () => {
  const c = V.cases[4];
  const form = BallotForm.fromJson(c.form);
  const K = Point.decode(fromHex(c.joint_key));
  assert.throws(() => new RoundContext(new Uint8Array(32), K, form), RangeError);
  assert.throws(() => new RoundContext(fromHex(c.round_hash), c.joint_key, form), TypeError);
  assert.throws(() => new RoundContext(fromHex(c.round_hash), K, c.form), TypeError);
});

test("trackingCode takes the first 50 bits", () => {
  assert.equal(trackingCode(new Uint8Array(32)), "00000-00000");
  assert.equal(trackingCode(new Uint8Array(32).fill(0xff)), "ZZZZZ-ZZZZZ");
  const h = new Uint8Array(32);
  h[6] = 0x40; // bit 49 (the last one taken) set
  assert.equal(trackingCode(h), "00000-00001");
  h[6] = 0x3f; // bits 50..55 are dropped
  assert.equal(trackingCode(h), "00000-00000");
  void L;
});
