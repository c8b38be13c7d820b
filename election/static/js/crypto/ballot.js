// Encrypted, signed ballots (PROTOCOL.md section 6; docs/protocol.md "Ballot"): the twin of
// crypto/ballot.py.
//
// A ballot for a round with hash h_R, joint key K and form F is:
//
//     {"version": "dh-vote/v1", "round": hex(h_R), "credential": hex(Y),
//      "nonce": hex(16 bytes),
//      "counters": [{"A": hex, "B": hex, "proof": {"c": [c0, c1], "v": [v0, v1]}}, ...],
//      "combinations": [{"c": [...], "v": [...]}, ...],
//      "signature": hex(64 bytes)}
//
// Counter i carries a 0/1 proof with context (h_R, Y, i) under tag proof01. Combination j of
// the form carries a set-membership proof on sum_i w_i * counter_i with context
// (h_R, Y, j, len(allowed), ...allowed) under tag proof-set. The signature is Ed25519 by Y
// over H("dh-vote/v1/ballot-sig", canonical_json(ballot without "signature")). The ballot
// hash h_B is SHA-256 of the canonical JSON of the signed ballot and the tracking code is
// its first 50 bits in Crockford base32.

import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex } from "@noble/hashes/utils.js";

import { equalBytes, isBytes } from "./_bytes.js";
import { canonicalJson } from "./canonical.js";
import { ALPHABET, checkPublicCredential, verifySignature } from "./credential.js";
import { Ciphertext, combine, encrypt } from "./elgamal.js";
import {
  bytesFromHex,
  pointFromHex,
  requireKeys,
  requireList,
  scalarFromHex,
} from "./encoding.js";
import { InvalidBallot, InvalidProof } from "./errors.js";
import { BallotForm } from "./forms.js";
import { G, Point, Scalar } from "./group.js";
import { H, Tag } from "./hashing.js";
import { MembershipProof, proveMembership, verifyMembership } from "./proofs.js";

export const VERSION = "dh-vote/v1";
export const ROUND_HASH_BYTES = 64;
export const NONCE_BYTES = 16;
const BALLOT_KEYS = [
  "version",
  "round",
  "credential",
  "nonce",
  "counters",
  "combinations",
  "signature",
];

function bytesOf(x, length, what) {
  if (!isBytes(x) || x.length !== length) {
    throw new RangeError(`${what} is ${length} bytes`);
  }
  return Uint8Array.from(x);
}

/**
 * What a ballot is bound to: the round hash, the joint key and the form.
 *
 * Constructing it builds the window tables of the joint key and of G (tens of ms, once; G's
 * once per page), so that encryption itself is fast: make it when the round is loaded, keep
 * it and reuse it for every ballot of the round.
 */
export class RoundContext {
  constructor(roundHash, jointKey, form) {
    if (!isBytes(roundHash) || roundHash.length !== ROUND_HASH_BYTES) {
      throw new RangeError("the round hash is 64 bytes");
    }
    if (!(jointKey instanceof Point)) throw new TypeError("the joint key is a Point");
    if (!(form instanceof BallotForm)) throw new TypeError("the form is a BallotForm");
    this.roundHash = Uint8Array.from(roundHash);
    this.jointKey = jointKey.precompute(true);
    G.precompute(true);
    this.form = form;
    Object.freeze(this);
  }
}

/** What the terminal keeps until cast or challenge: the choices and the randomness. */
export class BallotSecrets {
  constructor(counters, randomness) {
    this.counters = Object.freeze([...counters]);
    this.randomness = Object.freeze([...randomness]);
    Object.freeze(this);
  }

  toString() {
    return "BallotSecrets(…)";
  }

  [Symbol.for("nodejs.util.inspect.custom")]() {
    return "BallotSecrets(…)";
  }
}

/** A signed encrypted ballot, decoded strictly from its JSON. */
export class CiphertextBallot {
  constructor(
    roundHash,
    credential,
    nonce,
    ciphertexts,
    counterProofs,
    combinationProofs,
    signature,
  ) {
    this.roundHash = Uint8Array.from(roundHash);
    this.credential = Uint8Array.from(credential);
    this.nonce = Uint8Array.from(nonce);
    this.ciphertexts = Object.freeze([...ciphertexts]);
    this.counterProofs = Object.freeze([...counterProofs]);
    this.combinationProofs = Object.freeze([...combinationProofs]);
    this.signature = Uint8Array.from(signature);
    if (this.ciphertexts.length !== this.counterProofs.length) {
      throw new RangeError("one proof per ciphertext");
    }
    Object.freeze(this);
  }

  unsignedJson() {
    return {
      version: VERSION,
      round: bytesToHex(this.roundHash),
      credential: bytesToHex(this.credential),
      nonce: bytesToHex(this.nonce),
      counters: this.ciphertexts.map((ct, i) => ({
        ...ct.toJson(),
        proof: this.counterProofs[i].toJson(),
      })),
      combinations: this.combinationProofs.map((p) => p.toJson()),
    };
  }

  toJson() {
    return { ...this.unsignedJson(), signature: bytesToHex(this.signature) };
  }

  /** h_B: SHA-256 of the canonical JSON of the signed ballot. */
  hash() {
    return ballotHash(this.toJson());
  }

  /** Strictly decode a ballot of `form`'s shape; throw an EncodingError subclass. */
  static fromJson(obj, form) {
    requireKeys(obj, BALLOT_KEYS, "ballot");
    if (obj.version !== VERSION) throw new InvalidBallot("ballot: unknown protocol version");
    const counters = requireList(obj.counters, "ballot.counters", form.counters.length);
    const combos = requireList(obj.combinations, "ballot.combinations", form.combinations.length);
    const cts = [];
    const proofs = [];
    counters.forEach((item, i) => {
      requireKeys(item, ["A", "B", "proof"], `ballot.counters[${i}]`);
      cts.push(
        new Ciphertext(
          pointFromHex(item.A, `counters[${i}].A`),
          pointFromHex(item.B, `counters[${i}].B`),
        ),
      );
      proofs.push(MembershipProof.fromJson(item.proof, 2));
    });
    const comboProofs = combos.map((p, j) =>
      MembershipProof.fromJson(p, form.combinations[j].allowed.length),
    );
    return new CiphertextBallot(
      bytesFromHex(obj.round, ROUND_HASH_BYTES, "ballot.round"),
      bytesFromHex(obj.credential, 32, "ballot.credential"),
      bytesFromHex(obj.nonce, NONCE_BYTES, "ballot.nonce"),
      cts,
      proofs,
      comboProofs,
      bytesFromHex(obj.signature, 64, "ballot.signature"),
    );
  }
}

/** SHA-256 of the canonical JSON of a signed ballot. */
export function ballotHash(ballotJson) {
  return sha256(canonicalJson(ballotJson));
}

/** The first 50 bits of h_B in Crockford base32, as XXXXX-XXXXX. */
export function trackingCode(hB) {
  let bits = 0n;
  for (const b of hB.subarray(0, 7)) bits = (bits << 8n) | BigInt(b);
  bits >>= 6n; // 56 bits -> the first 50
  let chars = "";
  for (let i = 0; i < 10; i++) chars += ALPHABET[Number((bits >> BigInt(5 * (9 - i))) & 31n)];
  return chars.slice(0, 5) + "-" + chars.slice(5);
}

function signingMessage(unsigned) {
  return H(Tag.BALLOT_SIG, canonicalJson(unsigned));
}

function counterContext(ctx, credential, i) {
  return [ctx.roundHash, credential, i];
}

function combinationContext(ctx, credential, j, combo) {
  return [ctx.roundHash, credential, j, combo.allowed.length, ...combo.allowed];
}

// The combined ciphertext and its randomness R = sum w_i r_i. Python may compute the
// ciphertext as encrypt(value, K, R) instead; it is the same group element, so the same bytes.
function combinedForProver(combo, cts, rs) {
  let R = Scalar.fromInt(0);
  combo.weights.forEach((w, i) => {
    if (w) R = R.add(w === 1 ? rs[i] : Scalar.fromInt(w).mul(rs[i]));
  });
  return [combine(combo.weights, cts), R];
}

/**
 * Encrypt with explicit randomness (the test-vector seam); returns [ballot, secrets].
 *
 * Draw order, shared with Python: for each counter in order, r_i then that counter's proof
 * draws; then each combination's proof draws in order (see proveMembership).
 */
export function _encryptBallot(ctx, counters, key, rand, nonce) {
  if (!(ctx instanceof RoundContext)) throw new TypeError("ctx is a RoundContext");
  nonce = bytesOf(nonce, NONCE_BYTES, "the nonce");
  const form = ctx.form;
  form.checkPlaintext(counters);
  const K = ctx.jointKey;
  const Y = key.public;
  const cts = [];
  const rs = [];
  const proofs = [];
  counters.forEach((m, i) => {
    const r = rand();
    const ct = encrypt(m, K, r);
    proofs.push(proveMembership(Tag.PROOF01, counterContext(ctx, Y, i), K, ct, [0, 1], m, r, rand));
    cts.push(ct);
    rs.push(r);
  });
  const comboProofs = form.combinations.map((combo, j) => {
    const value = combo.value(counters);
    const [ct, R] = combinedForProver(combo, cts, rs);
    return proveMembership(
      Tag.PROOF_SET,
      combinationContext(ctx, Y, j, combo),
      K,
      ct,
      combo.allowed,
      combo.allowed.indexOf(value),
      R,
      rand,
    );
  });
  const unsigned = new CiphertextBallot(
    ctx.roundHash,
    Y,
    nonce,
    cts,
    proofs,
    comboProofs,
    new Uint8Array(0),
  ).unsignedJson();
  const signature = key.sign(signingMessage(unsigned));
  const ballot = new CiphertextBallot(ctx.roundHash, Y, nonce, cts, proofs, comboProofs, signature);
  return [ballot, new BallotSecrets(counters, rs)];
}

/**
 * Encrypt, prove and sign a legal choice `counters` of ctx.form; returns [ballot, secrets].
 *
 * Throws InvalidBallot if the choice is not legal for the form (the terminal encodes a
 * deliberately invalid ballot through the form's invalid indicators, never by breaking it).
 */
export function encryptBallot(ctx, counters, key) {
  const nonce = globalThis.crypto.getRandomValues(new Uint8Array(NONCE_BYTES));
  return _encryptBallot(ctx, counters, key, Scalar.random, nonce);
}

/**
 * Check a decoded ballot against its round; throw the first failing check.
 *
 * Order: round binding (InvalidBallot), credential key (InvalidCredential), signature
 * (InvalidSignature), each counter's 0/1 proof and each combination's proof (InvalidProof
 * naming the index).
 */
export function verifyBallot(ctx, ballot) {
  if (!equalBytes(ballot.roundHash, ctx.roundHash)) {
    throw new InvalidBallot("ballot is for another round");
  }
  if (ballot.ciphertexts.length !== ctx.form.counters.length) {
    throw new InvalidBallot("wrong number of counters");
  }
  if (ballot.combinationProofs.length !== ctx.form.combinations.length) {
    throw new InvalidBallot("wrong number of combination proofs");
  }
  checkPublicCredential(ballot.credential);
  verifySignature(ballot.credential, signingMessage(ballot.unsignedJson()), ballot.signature);
  const K = ctx.jointKey;
  const Y = ballot.credential;
  ballot.ciphertexts.forEach((ct, i) => {
    try {
      verifyMembership(Tag.PROOF01, counterContext(ctx, Y, i), K, ct, [0, 1], ballot.counterProofs[i]);
    } catch (e) {
      if (e instanceof InvalidProof) {
        throw new InvalidProof(`counter ${i}: 0/1 proof does not verify`, { cause: e });
      }
      throw e;
    }
  });
  ctx.form.combinations.forEach((combo, j) => {
    const ct = combine(combo.weights, ballot.ciphertexts);
    try {
      verifyMembership(
        Tag.PROOF_SET,
        combinationContext(ctx, Y, j, combo),
        K,
        ct,
        combo.allowed,
        ballot.combinationProofs[j],
      );
    } catch (e) {
      if (e instanceof InvalidProof) {
        throw new InvalidProof(`combination ${j}: proof does not verify`, { cause: e });
      }
      throw e;
    }
  });
}

/**
 * The audited (challenged) ballot: the signed ballot with its choices and randomness.
 *
 * It is posted to the board as audited and never counted (Benaloh challenge).
 */
export function auditBallot(ballot, secrets) {
  return {
    ballot: ballot.toJson(),
    counters: [...secrets.counters],
    randomness: secrets.randomness.map((r) => r.hex()),
  };
}

/** Re-encrypt an audited ballot and return its choices; throw if anything differs. */
export function verifyAudited(ctx, audited) {
  requireKeys(audited, ["ballot", "counters", "randomness"], "audited ballot");
  const ballot = CiphertextBallot.fromJson(audited.ballot, ctx.form);
  verifyBallot(ctx, ballot);
  const n = ctx.form.counters.length;
  const counters = requireList(audited.counters, "audited.counters", n);
  const rs = requireList(audited.randomness, "audited.randomness", n).map((r) =>
    scalarFromHex(r, "audited.randomness"),
  );
  try {
    ctx.form.checkPlaintext(counters);
  } catch (e) {
    if (e instanceof InvalidBallot) {
      throw new InvalidBallot("audited choices are not legal for the form", { cause: e });
    }
    throw e;
  }
  counters.forEach((m, i) => {
    const r = rs[i];
    if (r.isZero() || !encrypt(m, ctx.jointKey, r).equals(ballot.ciphertexts[i])) {
      throw new InvalidBallot(`audited counter ${i} does not re-encrypt to the posted ciphertext`);
    }
  });
  return [...counters];
}
