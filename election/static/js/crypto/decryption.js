// Threshold decryption of the tally (PROTOCOL.md section 8; docs/protocol.md section 12): the
// twin of crypto/decryption.py.
//
// Guardian j computes, for every summed counter (A_c, B_c), the share D_jc = s_j*A_c with a
// Chaum-Pedersen proof that log_G K_j = log_A D_jc (context (h_R, j, c)). With a set S of at
// least t guardians and Lagrange coefficients w_j = prod_{m in S, m != j} m/(m - j),
// M_c = B_c - sum_j w_j*D_jc = m_c*G and m_c is read from a table of 0*G .. N*G. No operation
// here takes a single ballot: only sums are decrypted (T-10.a).
//
// Python's Mapping[int, DecryptionShare] is a Map from the guardian index to its share (a plain
// object keyed by the index is accepted too).

import { pointFromHex, requireInt, requireKeys, requireList } from "./encoding.js";
import { DiscreteLogError, InvalidProof } from "./errors.js";
import { G, IDENTITY, Point, Scalar } from "./group.js";
import { CompactProof, proveDecryption, verifyDecryption } from "./proofs.js";

/** w_j = prod_{m != j} m / (m - j) over Z_L (interpolation at 0). */
export function lagrangeCoefficient(j, participants) {
  const group = [...new Set(participants)];
  if (!group.every((m) => Number.isSafeInteger(m))) {
    throw new TypeError("participants are integers");
  }
  group.sort((a, b) => a - b);
  if (!group.includes(j)) throw new RangeError("j must be one of the participants");
  let num = Scalar.fromInt(1);
  let den = Scalar.fromInt(1);
  for (const m of group) {
    if (m !== j) {
      num = num.mul(Scalar.fromInt(m));
      den = den.mul(Scalar.fromInt(m - j));
    }
  }
  return num.mul(den.inverse());
}

/** Guardian `guardian`'s share D_c and proof for every counter of a tally. */
export class DecryptionShare {
  constructor(guardian, shares, proofs) {
    if (!Number.isSafeInteger(guardian)) throw new TypeError("guardian is an integer");
    if (![...shares].every((d) => d instanceof Point)) throw new TypeError("shares are Points");
    if (![...proofs].every((p) => p instanceof CompactProof)) {
      throw new TypeError("proofs are CompactProofs");
    }
    this.guardian = guardian;
    this.shares = Object.freeze([...shares]);
    this.proofs = Object.freeze([...proofs]);
    Object.freeze(this);
  }

  toJson() {
    return {
      guardian: this.guardian,
      shares: this.shares.map((d) => d.hex()),
      proofs: this.proofs.map((p) => p.toJson()),
    };
  }

  /** Strictly decode {"guardian", "shares", "proofs"} with `counters` entries each. */
  static fromJson(obj, counters) {
    requireKeys(obj, ["guardian", "shares", "proofs"], "decryption share");
    return new DecryptionShare(
      requireInt(obj.guardian, "share.guardian", 1, 64),
      requireList(obj.shares, "share.shares", counters).map((d) => pointFromHex(d, "share.D")),
      requireList(obj.proofs, "share.proofs", counters).map((p) => CompactProof.fromJson(p)),
    );
  }
}

function context(roundHash, j, c) {
  return [roundHash, j, c];
}

/**
 * The seam of computeShare with its randomness given: `rand` draws one proof nonce per
 * counter, in counter order. For the test vectors only.
 */
export function _computeShare(roundHash, j, secret, tally, rand) {
  const shares = [];
  const proofs = [];
  tally.forEach((ct, c) => {
    // secret*A and the proof's multiplications are constant time (proofs.js).
    const [D, proof] = proveDecryption(context(roundHash, j, c), secret, ct.A, rand);
    shares.push(D);
    proofs.push(proof);
  });
  return new DecryptionShare(j, shares, proofs);
}

/** Guardian j's decryption share of the summed counters `tally`. */
export function computeShare(roundHash, j, secret, tally) {
  return _computeShare(roundHash, j, secret, tally, Scalar.random);
}

const TABLE_COUNTERS = 16;

/** Throw InvalidProof (naming the counter) unless every share proof verifies. */
export function verifyDecryptionShare(roundHash, Kj, tally, share) {
  if (share.shares.length !== tally.length) {
    throw new InvalidProof("share has the wrong number of counters");
  }
  if (share.proofs.length !== tally.length) throw new RangeError("one proof per share");
  // K_j is multiplied once per counter: from TABLE_COUNTERS on, it gets a cached window table
  // (Point.precompute), which costs about ten multiplications and makes each later one
  // several times cheaper.
  const K = tally.length >= TABLE_COUNTERS ? Kj.precompute() : Kj;
  tally.forEach((ct, c) => {
    try {
      const ctx = context(roundHash, share.guardian, c);
      verifyDecryption(ctx, K, ct.A, share.shares[c], share.proofs[c]);
    } catch (e) {
      if (!(e instanceof InvalidProof)) throw e;
      throw new InvalidProof(
        `guardian ${share.guardian}, counter ${c}: decryption proof does not verify`,
        { cause: e },
      );
    }
  });
}

// [j, share] pairs of a Map or of a plain object keyed by the guardian index.
function shareEntries(shares) {
  if (shares instanceof Map) return [...shares.entries()];
  // An array would silently number its shares from 0: refused.
  if (shares !== null && typeof shares === "object" && !Array.isArray(shares)) {
    return Object.entries(shares).map(([k, v]) => {
      const j = Number(k);
      if (!Number.isSafeInteger(j) || String(j) !== k) {
        throw new TypeError("shares are keyed by guardian index");
      }
      return [j, v];
    });
  }
  throw new TypeError("shares is a Map (guardian index -> DecryptionShare)");
}

/**
 * M_c = B_c - sum_j w_j*D_jc over the participating guardians (an array of Points).
 *
 * Throws RangeError with fewer than `threshold` shares: the result would not be the tally.
 */
export function combineShares(tally, shares, threshold) {
  const entries = shareEntries(shares);
  if (entries.length < threshold) {
    throw new RangeError(`${entries.length} shares, ${threshold} needed`);
  }
  const byIndex = new Map(entries);
  const participants = [...byIndex.keys()].sort((a, b) => a - b);
  for (const j of participants) {
    if (byIndex.get(j).shares.length !== tally.length) {
      throw new RangeError(`share of guardian ${j} has the wrong number of counters`);
    }
  }
  const weights = new Map(participants.map((j) => [j, lagrangeCoefficient(j, participants)]));
  // The weights, the shares and the tally are public: variable-time multiplication.
  return tally.map((ct, c) => {
    let acc = ct.B;
    for (const j of participants) {
      acc = acc.sub(byIndex.get(j).shares[c].mulPublic(weights.get(j)));
    }
    return acc;
  });
}

/** m*G -> m for 0 <= m <= bound (0*G is the identity). */
export class DlogTable {
  #bound;
  #table;

  constructor(bound) {
    if (!Number.isSafeInteger(bound)) throw new TypeError("bound is an integer");
    if (bound < 0) throw new RangeError("bound is non-negative");
    this.#bound = bound;
    const table = new Map([[IDENTITY.hex(), 0]]);
    let P = G;
    for (let m = 1; m <= bound; m++) {
      table.set(P.hex(), m);
      P = P.add(G);
    }
    this.#table = table;
    Object.freeze(this);
  }

  get bound() {
    return this.#bound;
  }

  /** Return m with M = m*G; throw DiscreteLogError outside the table. */
  lookup(M) {
    if (!(M instanceof Point)) throw new TypeError("M is a Point");
    const m = this.#table.get(M.hex());
    if (m === undefined) {
      throw new DiscreteLogError(`value is not m*G for any 0 <= m <= ${this.#bound}`);
    }
    return m;
  }
}

/** Combine the shares and read every count from the table (an array of numbers). */
export function decryptTally(tally, shares, threshold, table) {
  return combineShares(tally, shares, threshold).map((M) => table.lookup(M));
}
