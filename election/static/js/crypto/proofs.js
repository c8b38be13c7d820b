// Zero-knowledge proofs (PROTOCOL.md sections 4, 6 and 8): the twin of crypto/proofs.py.
//
// All proofs are non-interactive with strong Fiat-Shamir: the challenge hashes a per-use tag,
// the context (round hash, credential, index...), the whole statement and every commitment.
// Proofs travel in the compact form (challenges and responses); the verifier recomputes
// every commitment and checks the challenge. Verification throws InvalidProof.
//
// * proveMembership/verifyMembership: disjunctive Chaum-Pedersen proof that (A, B) encrypts
//   one of the public integers allowed[0..m-1] under K. For branch j:
//   a_j = v_j*G - c_j*A, b_j = v_j*K - c_j*(B - allowed[j]*G) and
//   sum_j c_j = Hs(tag, ...context, K, A, B, a_0, b_0, ..., a_{m-1}, b_{m-1}).
// * proveSchnorr/verifySchnorr: knowledge of a with C = a*G; U = v*G - c*C,
//   c = Hs(schnorr, ...context, C, U).
// * proveDecryption/verifyDecryption: log_G K_j = log_A D_j; a = v*G - c*K_j,
//   b = v*A - c*D_j, c = Hs(decrypt, ...context, K_j, A, D_j, a, b).
//
// A `rand` argument is a function returning a fresh Scalar (Scalar.random for real use,
// testRand(seed) for the vectors).

import { requireKeys, requireList, scalarFromHex } from "./encoding.js";
import { InvalidProof } from "./errors.js";
import { G, Scalar, smallMultiple } from "./group.js";
import { Hs, Tag } from "./hashing.js";

/** A disjunctive proof: one challenge and one response per allowed value. */
export class MembershipProof {
  constructor(challenges, responses) {
    this.challenges = Object.freeze([...challenges]);
    this.responses = Object.freeze([...responses]);
    Object.freeze(this);
  }

  toJson() {
    return {
      c: this.challenges.map((c) => c.hex()),
      v: this.responses.map((v) => v.hex()),
    };
  }

  /** Strictly decode {"c": [...], "v": [...]} with `branches` entries each. */
  static fromJson(obj, branches) {
    requireKeys(obj, ["c", "v"], "proof");
    const cs = requireList(obj.c, "proof.c", branches);
    const vs = requireList(obj.v, "proof.v", branches);
    return new MembershipProof(
      cs.map((c) => scalarFromHex(c, "proof.c")),
      vs.map((v) => scalarFromHex(v, "proof.v")),
    );
  }
}

/** A single-branch proof (c, v): Schnorr or Chaum-Pedersen. */
export class CompactProof {
  constructor(challenge, response) {
    this.challenge = challenge;
    this.response = response;
    Object.freeze(this);
  }

  toJson() {
    return { c: this.challenge.hex(), v: this.response.hex() };
  }

  static fromJson(obj) {
    requireKeys(obj, ["c", "v"], "proof");
    return new CompactProof(scalarFromHex(obj.c, "proof.c"), scalarFromHex(obj.v, "proof.v"));
  }
}

// B - m*G, with m = 0 special-cased because 0*G is the identity.
function shifted(B, m) {
  return m === 0 ? B : B.sub(smallMultiple(m));
}

/**
 * Prove that ct = encrypt(allowed[index], K, r) encrypts a member of `allowed`.
 *
 * The prover knows r, so a simulated branch j needs no multiplication of the ciphertext:
 * with w_j random, a_j = w_j*G and b_j = w_j*K - c_j*(m - allowed[j])*G, and
 * v_j = w_j + c_j*r. Draw order (shared with Python): for j in order, the real branch draws
 * u; a simulated branch draws c_j then w_j. Every multiplication here involves a secret
 * (u, w_j, r or m), so all are constant time.
 */
export function proveMembership(tag, context, K, ct, allowed, index, r, rand) {
  if (!Number.isInteger(index) || index < 0 || index >= allowed.length) {
    throw new RangeError("index is not a branch of allowed");
  }
  const m = allowed[index];
  const commitments = [];
  const challenges = [];
  const responses = [];
  let u = null;
  allowed.forEach((mj, j) => {
    if (j === index) {
      u = rand();
      commitments.push(G.mul(u), K.mul(u));
      challenges.push(null);
      responses.push(null);
    } else {
      const cj = rand();
      const wj = rand();
      const delta = Scalar.fromInt(m - mj);
      commitments.push(G.mul(wj), K.mul(wj).sub(G.mul(cj.mul(delta))));
      challenges.push(cj);
      responses.push(wj.add(cj.mul(r)));
    }
  });
  const c = Hs(tag, ...context, K, ct.A, ct.B, ...commitments);
  let cReal = c;
  for (const cj of challenges) if (cj !== null) cReal = cReal.sub(cj);
  challenges[index] = cReal;
  responses[index] = u.add(cReal.mul(r));
  return new MembershipProof(challenges, responses);
}

// From this many branches on, A and B get window tables (measured in Node: a table costs
// about as much as a dozen multiplications and makes each later one ~5x cheaper; at 57
// branches, a 65-name cross-out combination, verification takes half the time).
const TABLE_BRANCHES = 20;

/**
 * Throw InvalidProof unless `proof` shows `ct` encrypts a member of `allowed`.
 *
 * With many branches (a large combination), ct.A and ct.B get cached window tables (see
 * Point.precompute) and b_j is computed as v_j*K - c_j*B + (c_j*m_j)*G, the same point as
 * v_j*K - c_j*(B - m_j*G).
 */
export function verifyMembership(tag, context, K, ct, allowed, proof) {
  if (proof.challenges.length !== allowed.length || proof.responses.length !== allowed.length) {
    throw new InvalidProof("proof has the wrong number of branches");
  }
  // Everything here is public: variable-time multiplication.
  const tables = allowed.length >= TABLE_BRANCHES;
  const A = tables ? ct.A.precompute() : ct.A;
  const B = tables ? ct.B.precompute() : ct.B;
  const commitments = [];
  let total = null;
  allowed.forEach((mj, j) => {
    const cj = proof.challenges[j];
    const vj = proof.responses[j];
    commitments.push(G.mulPublic(vj).sub(A.mulPublic(cj)));
    const bj = tables
      ? K.mulPublic(vj).sub(B.mulPublic(cj)).add(G.mulPublic(cj.mul(Scalar.fromInt(mj))))
      : K.mulPublic(vj).sub(shifted(B, mj).mulPublic(cj));
    commitments.push(bj);
    total = total === null ? cj : total.add(cj);
  });
  if (total === null || !total.equals(Hs(tag, ...context, K, ct.A, ct.B, ...commitments))) {
    throw new InvalidProof("challenge does not match the statement");
  }
}

/** Prove knowledge of `secret` for C = secret*G (key-ceremony coefficients). */
export function proveSchnorr(context, secret, rand) {
  const C = G.mul(secret);
  const u = rand();
  const c = Hs(Tag.SCHNORR, ...context, C, G.mul(u));
  return new CompactProof(c, u.add(c.mul(secret)));
}

/** Throw InvalidProof unless `proof` shows knowledge of log_G C. */
export function verifySchnorr(context, C, proof) {
  const U = G.mulPublic(proof.response).sub(C.mulPublic(proof.challenge));
  if (!proof.challenge.equals(Hs(Tag.SCHNORR, ...context, C, U))) {
    throw new InvalidProof("Schnorr proof does not verify");
  }
}

/** Return [D, proof]: D = secret*A and a proof that log_G(secret*G) = log_A D. */
export function proveDecryption(context, secret, A, rand) {
  const D = A.mul(secret);
  const Kj = G.mul(secret);
  const u = rand();
  const c = Hs(Tag.DECRYPT, ...context, Kj, A, D, G.mul(u), A.mul(u));
  return [D, new CompactProof(c, u.add(c.mul(secret)))];
}

/** Throw InvalidProof unless log_G Kj = log_A D. */
export function verifyDecryption(context, Kj, A, D, proof) {
  const c = proof.challenge;
  const v = proof.response;
  const a = G.mulPublic(v).sub(Kj.mulPublic(c));
  const b = A.mulPublic(v).sub(D.mulPublic(c));
  if (!c.equals(Hs(Tag.DECRYPT, ...context, Kj, A, D, a, b))) {
    throw new InvalidProof("decryption proof does not verify");
  }
}
