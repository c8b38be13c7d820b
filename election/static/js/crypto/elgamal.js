// Exponential ElGamal on the group (PROTOCOL.md section 6): the twin of crypto/elgamal.py.
//
// encrypt(m, K, r) = (A, B) = (r*G, m*G + r*K); ciphertexts add component-wise and the sum
// encrypts the sum. m = 0 gives B = r*K.

import { EncodingError } from "./errors.js";
import { pointFromHex, requireKeys } from "./encoding.js";
import { G, IDENTITY, Point, Scalar, smallMultiple } from "./group.js";

/** An ElGamal pair (A, B). */
export class Ciphertext {
  constructor(A, B) {
    if (!(A instanceof Point) || !(B instanceof Point)) throw new TypeError("A and B are Points");
    this.A = A;
    this.B = B;
    Object.freeze(this);
  }

  add(other) {
    return new Ciphertext(this.A.add(other.A), this.B.add(other.B));
  }

  equals(other) {
    return other instanceof Ciphertext && this.A.equals(other.A) && this.B.equals(other.B);
  }

  toJson() {
    return { A: this.A.hex(), B: this.B.hex() };
  }

  /** Strictly decode {"A": hex, "B": hex}; both must be valid group points. */
  static fromJson(obj) {
    requireKeys(obj, ["A", "B"], "ciphertext");
    return new Ciphertext(pointFromHex(obj.A), pointFromHex(obj.B));
  }
}

function requireCount(m, what) {
  if (typeof m !== "number" || !Number.isSafeInteger(m)) throw new TypeError(`${what} is an integer`);
  if (m < 0) throw new RangeError(`only non-negative ${what}s are allowed`);
}

/** Encrypt the small non-negative integer m under K with randomness r (a Scalar). */
export function encrypt(m, K, r) {
  requireCount(m, "message");
  if (!(r instanceof Scalar)) throw new TypeError("r is a Scalar");
  if (r.isZero()) throw new RangeError("encryption randomness must be non-zero");
  const rK = K.mul(r);
  // m*G is looked up and added whatever m is (0*G is the identity): the same bytes as
  // Python's `rK if m == 0 else m*G + rK`, without a branch on the secret m.
  return new Ciphertext(G.mul(r), rK.add(smallMultiple(m)));
}

/** The component-wise sum; the empty sum is (0*G, 0*G). */
export function sumCiphertexts(cts) {
  let A = IDENTITY;
  let B = IDENTITY;
  let first = true;
  for (const ct of cts) {
    if (first) {
      ({ A, B } = ct);
      first = false;
    } else {
      A = A.add(ct.A);
      B = B.add(ct.B);
    }
  }
  return new Ciphertext(A, B);
}

/**
 * sum_i w_i * ct_i for public non-negative integer weights.
 *
 * Weight 1 is an addition and weight 0 is skipped. The weights and the ciphertexts are
 * public (a verifier computes the same combination from the posted ballot), so the
 * multiplications are variable time.
 */
export function combine(weights, cts) {
  if (weights.length !== cts.length) throw new RangeError("one weight per ciphertext");
  const terms = [];
  weights.forEach((w, i) => {
    requireCount(w, "weight");
    if (w === 0) return;
    const ct = cts[i];
    if (w === 1) {
      terms.push(ct);
    } else {
      const s = Scalar.fromInt(w);
      terms.push(new Ciphertext(ct.A.mulPublic(s), ct.B.mulPublic(s)));
    }
  });
  if (!terms.length) throw new EncodingError("a combination needs at least one non-zero weight");
  return sumCiphertexts(terms);
}

/** B - secret*A = m*G (single-key decryption, for tests and the guardians' check). */
export function decryptToPoint(ct, secret) {
  return ct.B.sub(ct.A.mul(secret));
}
