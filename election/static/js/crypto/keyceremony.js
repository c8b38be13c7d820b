// The guardians' key ceremony (PROTOCOL.md section 4; docs/protocol.md section 10): the twin of
// crypto/keyceremony.py, plus the counting-board members' minutes-signing keys.
//
// Guardian i (1..n) picks a polynomial f_i of degree t-1 over Z_L, publishes C_ik = a_ik*G with
// a Schnorr proof of knowledge of each a_ik (context (congress_id, i, k)), and sends f_i(j) to
// guardian j in an ECIES box (ecies.js). Guardian j checks every received share:
// f_i(j)*G == sum_k j^k * C_ik. The public result is the joint key K = sum_i C_i0 and each
// guardian's public share K_j = sum_i sum_k j^k * C_ik; guardian j's secret share is
// s_j = sum_i f_i(j) and never leaves the guardian's device (keyfile.js seals it).
//
// Minutes-signing key (no Python twin in crypto/: the server-side signer is
// election/record/minutes.py). Each member draws, at the ceremony, a fresh random 32-byte
// Ed25519 seed (generateSigningSeed), independent of its communication key and of s_j. Its
// standard Ed25519 public key (signingPublicKey) is published with the member's commitments
// and becomes `signing_key` in the congress manifest; the seed is kept in the member's key
// file as "signing_seed". The member signs minutesMessage(data) with it (signMinutes), and
// anyone checks it with the strict rule of docs/protocol.md section 7 (verifyMinutesSignature).
//
// Secret scalars (coefficients, proof nonces, received shares) are multiplied only with the
// constant-time Point.mul; the commitments are public and use Point.mulPublic.

import { ed25519 } from "@noble/curves/ed25519.js";

import { isBytes } from "./_bytes.js";
import { verifySignature } from "./credential.js";
import { pointFromHex, requireInt, requireList, requireKeys } from "./encoding.js";
import { InvalidProof, InvalidShare } from "./errors.js";
import { G, IDENTITY, Point, Scalar } from "./group.js";
import { minutesMessage } from "./manifest.js";
import { CompactProof, proveSchnorr, verifySchnorr } from "./proofs.js";

export const MAX_GUARDIANS = 64;

/** The default threshold t = n//2 + 1. */
export function defaultThreshold(n) {
  if (!Number.isSafeInteger(n)) throw new TypeError("n is an integer");
  if (n < 1 || n > MAX_GUARDIANS) {
    throw new RangeError(`a counting board has 1..${MAX_GUARDIANS} members`);
  }
  return Math.floor(n / 2) + 1;
}

function checkIndex(i, what) {
  if (typeof i !== "number" || !Number.isInteger(i) || i < 1 || i > MAX_GUARDIANS) {
    throw new RangeError(`${what} is a guardian index 1..${MAX_GUARDIANS}`);
  }
}

/** What guardian `index` publishes: C_ik and a proof of knowledge for each. */
export class GuardianCommitments {
  constructor(index, commitments, proofs) {
    checkIndex(index, "index");
    if (![...commitments].every((c) => c instanceof Point)) {
      throw new TypeError("commitments are Points");
    }
    if (![...proofs].every((p) => p instanceof CompactProof)) {
      throw new TypeError("proofs are CompactProofs");
    }
    this.index = index;
    this.commitments = Object.freeze([...commitments]);
    this.proofs = Object.freeze([...proofs]);
    Object.freeze(this);
  }

  toJson() {
    return {
      index: this.index,
      commitments: this.commitments.map((c) => c.hex()),
      proofs: this.proofs.map((p) => p.toJson()),
    };
  }

  /** Strictly decode {"index", "commitments", "proofs"} with `threshold` entries each. */
  static fromJson(obj, threshold) {
    if (!Number.isSafeInteger(threshold)) throw new TypeError("threshold is an integer");
    // Python does not check this; with t = 0 an empty list would decode and verify vacuously.
    if (threshold < 1 || threshold > MAX_GUARDIANS) throw new RangeError("threshold out of range");
    requireKeys(obj, ["index", "commitments", "proofs"], "guardian commitments");
    const index = requireInt(obj.index, "guardian.index", 1, MAX_GUARDIANS);
    const cs = requireList(obj.commitments, "guardian.commitments", threshold);
    const ps = requireList(obj.proofs, "guardian.proofs", threshold);
    return new GuardianCommitments(
      index,
      cs.map((c) => pointFromHex(c, "guardian.commitment")),
      ps.map((p) => CompactProof.fromJson(p)),
    );
  }
}

/** A guardian's secret polynomial f(x) = sum_k a_k x^k (never leaves the device). */
export class Polynomial {
  #coefficients;

  constructor(coefficients) {
    const cs = [...coefficients];
    if (!cs.length || !cs.every((a) => a instanceof Scalar && !a.isZero())) {
      throw new RangeError("coefficients are non-zero scalars");
    }
    this.#coefficients = Object.freeze(cs);
    Object.freeze(this);
  }

  /** t = threshold coefficients, drawn in order a_0, a_1, ... from `rand`. */
  static random(threshold, rand = Scalar.random) {
    if (!Number.isSafeInteger(threshold) || threshold < 1 || threshold > MAX_GUARDIANS) {
      throw new RangeError("threshold out of range");
    }
    const cs = [];
    for (let k = 0; k < threshold; k++) cs.push(rand());
    return new Polynomial(cs);
  }

  get threshold() {
    return this.#coefficients.length;
  }

  /** f(x) by Horner's rule in Z_L (a Scalar). */
  evaluate(x) {
    checkIndex(x, "x");
    const xs = Scalar.fromInt(x);
    let acc = Scalar.fromInt(0);
    for (let k = this.#coefficients.length - 1; k >= 0; k--) {
      acc = acc.mul(xs).add(this.#coefficients[k]);
    }
    return acc;
  }

  /** C_k = a_k*G with Schnorr proofs bound to (congressId, index, k), one draw per proof. */
  commit(congressId, index, rand = Scalar.random) {
    checkIndex(index, "index");
    const commitments = this.#coefficients.map((a) => G.mul(a));
    const proofs = this.#coefficients.map((a, k) => proveSchnorr([congressId, index, k], a, rand));
    return new GuardianCommitments(index, commitments, proofs);
  }

  // Never print the coefficients.
  toString() {
    return `Polynomial(threshold=${this.threshold})`;
  }

  toJSON() {
    throw new TypeError("a Polynomial is secret and not JSON");
  }

  [Symbol.for("nodejs.util.inspect.custom")]() {
    return this.toString();
  }
}

/** Check every proof of knowledge; throw InvalidProof naming the coefficient. */
export function verifyCommitments(congressId, published) {
  const { commitments, proofs, index } = published;
  if (commitments.length !== proofs.length) {
    throw new RangeError("one proof per commitment");
  }
  commitments.forEach((C, k) => {
    try {
      verifySchnorr([congressId, index, k], C, proofs[k]);
    } catch (e) {
      if (!(e instanceof InvalidProof)) throw e;
      throw new InvalidProof(`guardian ${index}: proof of coefficient ${k} does not verify`, {
        cause: e,
      });
    }
  });
}

// sum_k j^k * C_k by Horner's rule: C_0 + j*(C_1 + j*(C_2 + ...)). Public data only.
function evaluateInExponent(commitments, j) {
  const js = Scalar.fromInt(j);
  let acc = commitments[commitments.length - 1];
  for (let k = commitments.length - 2; k >= 0; k--) {
    acc = acc.mulPublic(js).add(commitments[k]);
  }
  return acc;
}

/** Throw InvalidShare unless share*G == sum_k j^k * C_ik (guardian j's check). */
export function verifyShare(j, share, dealer) {
  checkIndex(j, "j");
  if (!(share instanceof Scalar)) throw new TypeError("share is a Scalar");
  // The share is secret: constant-time multiplication.
  if (!G.mul(share).equals(evaluateInExponent(dealer.commitments, j))) {
    throw new InvalidShare(`share from guardian ${dealer.index} to ${j} fails its commitments`);
  }
}

/** K = sum_i C_i0. */
export function jointKey(allCommitments) {
  let K = IDENTITY;
  for (const g of allCommitments) K = K.add(g.commitments[0]);
  return K;
}

/** K_j = sum_i sum_k j^k * C_ik, guardian j's public key share. */
export function publicShare(j, allCommitments) {
  checkIndex(j, "j");
  let acc = null;
  for (const g of allCommitments) {
    const term = evaluateInExponent(g.commitments, j);
    acc = acc === null ? term : acc.add(term);
  }
  if (acc === null) throw new RangeError("no commitments");
  return acc;
}

// -- minutes-signing keys ------------------------------------------------------------------

export const SIGNING_SEED_BYTES = 32;

function requireSeed(seed) {
  if (!isBytes(seed) || seed.length !== SIGNING_SEED_BYTES) {
    throw new TypeError("a signing seed is a 32-byte Uint8Array");
  }
  return seed;
}

/** A fresh minutes-signing seed: 32 bytes from crypto.getRandomValues. */
export function generateSigningSeed() {
  return globalThis.crypto.getRandomValues(new Uint8Array(SIGNING_SEED_BYTES));
}

/** The standard Ed25519 public key of a signing seed (the manifest's `signing_key`). */
export function signingPublicKey(signingSeed) {
  return ed25519.getPublicKey(requireSeed(signingSeed));
}

/**
 * A member's Ed25519 signature (64 bytes) over minutesMessage(minutesData).
 *
 * `signingSeed` is the 32-byte Ed25519 seed (noble's secret key) from the member's key file.
 * Deterministic (RFC 8032): the same bytes as Python's Ed25519PrivateKey.sign.
 */
export function signMinutes(signingSeed, minutesData) {
  return ed25519.sign(minutesMessage(minutesData), requireSeed(signingSeed));
}

/**
 * Throw unless `signature` is a valid signature of minutesMessage(minutesData) under
 * `signingKey`, by the strict rule of docs/protocol.md section 7 (the key decodes strictly,
 * S < L, the cofactorless equation with R compared by its bytes): what the verifier's V11
 * accepts. Throws InvalidCredential for a refused key and InvalidSignature otherwise.
 */
export function verifyMinutesSignature(signingKey, minutesData, signature) {
  verifySignature(signingKey, minutesMessage(minutesData), signature);
}
