// The group: the prime-order subgroup of edwards25519 (PROTOCOL.md section 2). The twin of
// crypto/group.py, on @noble/curves.
//
// Points and scalars are distinct types. Point.decode and Scalar.decode are the only doors
// for bytes from outside and they are strict:
//
// * a point must be the canonical 32-byte encoding of a point on the curve, in the subgroup
//   of order L, and not of small order (so never the identity), which is exactly what
//   libsodium's crypto_core_ed25519_is_valid_point accepts;
// * a scalar must be 32 bytes little-endian with value < L.
//
// The identity 0*G exists only as a computed value (a sum, a decrypted count) to be
// compared: as in Python, s.mul(IDENTITY) and 0*P give IDENTITY.
//
// Multiplication. `point.mul(scalar)` is noble's constant-time multiply and is the one to use
// whenever the scalar may be secret (encryption randomness, proof nonces, keys).
// `point.mulPublic(scalar)` is variable time and only for public scalars and points
// (verification, public weights). G and every point on which `precompute()` was called (the
// joint key K, once per RoundContext) get a cached window table, so that a multiplication
// costs a few dozen additions instead of ~250 doublings.
//
// G's table is built on a private copy of the base point rather than on noble's Point.BASE:
// noble multiplies BASE by secrets with extra scalar blinding over a table ~40% longer, which
// made a 65-name ballot ~1.5x slower. The copy is multiplied by the same constant-time
// fixed-window code as every other point (K included, which noble never blinds on this
// cofactor-8 curve). noble's own BASE, blinded, is still what Ed25519 signing uses.
//
// Scalars are kept as BigInt in [0, L). BigInt arithmetic is not guaranteed constant time;
// that is the same trade-off noble itself makes for Ed25519 signing in JavaScript.

import { ed25519 } from "@noble/curves/ed25519.js";
import { bytesToNumberLE, numberToBytesLE } from "@noble/curves/utils.js";
import { bytesToHex } from "@noble/hashes/utils.js";

import { equalBytes, isBytes } from "./_bytes.js";
import { InvalidPoint, InvalidScalar } from "./errors.js";

const EP = ed25519.Point;

/** The group identifier written into every manifest and record (T-13.a). */
export const GROUP_NAME = "edwards25519-prime-order-subgroup";

/** The order of the prime-order subgroup. */
export const L = 2n ** 252n + 27742317777372353535851937790883648493n;
if (EP.Fn.ORDER !== L) throw new Error("noble's ed25519 group order is not L");

const PRIVATE = Symbol("private constructor");
const TABLED = new WeakSet(); // noble points given a window size by Point.precompute
// The window of the cached tables: 2^5 * 44 = 1408 points, tens of ms to build. Wider windows
// build slower and multiply no faster in noble's constant-time code.
const WINDOW = 6;

/** An element of Z_L. */
export class Scalar {
  #v;

  /** Private: use Scalar.decode, Scalar.fromInt, Scalar.fromWide or Scalar.random. */
  constructor(token, value) {
    if (token !== PRIVATE) throw new TypeError("use Scalar.decode, fromInt, fromWide or random");
    this.#v = value;
    Object.freeze(this);
  }

  // -- construction -----------------------------------------------------------------------

  /** Strictly decode 32 bytes; throw InvalidScalar unless canonical (< L). */
  static decode(data) {
    if (!isBytes(data) || data.length !== 32) throw new InvalidScalar("a scalar is exactly 32 bytes");
    const v = bytesToNumberLE(data);
    if (v >= L) throw new InvalidScalar("scalar is not reduced below the group order");
    return new Scalar(PRIVATE, v);
  }

  /** As decode but also refuse zero (secret keys, random nonces). */
  static decodeNonzero(data) {
    const s = Scalar.decode(data);
    if (s.isZero()) throw new InvalidScalar("scalar is zero");
    return s;
  }

  /** Reduce an integer (a safe-integer number or a BigInt, possibly negative) modulo L. */
  static fromInt(value) {
    let v;
    if (typeof value === "bigint") v = value;
    else if (typeof value === "number" && Number.isSafeInteger(value)) v = BigInt(value);
    else throw new TypeError("fromInt takes a safe integer or a BigInt");
    v %= L;
    return new Scalar(PRIVATE, v < 0n ? v + L : v);
  }

  /** Reduce 64 bytes read little-endian modulo L (hash and random output). */
  static fromWide(data) {
    if (!isBytes(data) || data.length !== 64) throw new RangeError("fromWide takes 64 bytes");
    return new Scalar(PRIVATE, bytesToNumberLE(data) % L);
  }

  /** A uniform non-zero scalar: 64 random bytes reduced mod L; zero is re-drawn. */
  static random() {
    for (;;) {
      const s = Scalar.fromWide(globalThis.crypto.getRandomValues(new Uint8Array(64)));
      if (!s.isZero()) return s;
    }
  }

  // -- views ------------------------------------------------------------------------------

  /** The canonical 32-byte little-endian encoding (a fresh Uint8Array). */
  encode() {
    return numberToBytesLE(this.#v, 32);
  }

  hex() {
    return bytesToHex(this.encode());
  }

  /** The value as a BigInt in [0, L) (Python's int(s)). */
  toBigInt() {
    return this.#v;
  }

  isZero() {
    return this.#v === 0n;
  }

  // -- arithmetic -------------------------------------------------------------------------

  add(other) {
    return new Scalar(PRIVATE, (this.#v + asScalar(other).#v) % L);
  }

  sub(other) {
    const d = this.#v - asScalar(other).#v;
    return new Scalar(PRIVATE, d < 0n ? d + L : d);
  }

  mul(other) {
    return new Scalar(PRIVATE, (this.#v * asScalar(other).#v) % L);
  }

  neg() {
    return new Scalar(PRIVATE, this.#v === 0n ? 0n : L - this.#v);
  }

  /** The multiplicative inverse; throw RangeError for zero. */
  inverse() {
    if (this.isZero()) throw new RangeError("zero has no inverse");
    return new Scalar(PRIVATE, EP.Fn.inv(this.#v));
  }

  equals(other) {
    return other instanceof Scalar && this.#v === other.#v;
  }

  // Never print a scalar's value: it may be a secret.
  toString() {
    return "Scalar(…)";
  }

  toJSON() {
    throw new TypeError("a Scalar is not JSON; use .hex()");
  }

  [Symbol.for("nodejs.util.inspect.custom")]() {
    return "Scalar(…)";
  }
}

function asScalar(x) {
  if (!(x instanceof Scalar)) throw new TypeError("expected a Scalar");
  return x;
}

/** An element of the prime-order subgroup. */
export class Point {
  #ep;
  #bytes;

  /** Private: bytes from outside go through Point.decode. */
  constructor(token, ep, bytes = null) {
    if (token !== PRIVATE) throw new TypeError("use Point.decode");
    this.#ep = ep;
    this.#bytes = bytes;
    Object.freeze(this);
  }

  /**
   * Strictly decode 32 bytes from outside.
   *
   * Throws InvalidPoint unless the bytes are canonical, on the curve, in the prime-order
   * subgroup and not of small order (the identity included).
   */
  static decode(data) {
    if (!isBytes(data) || data.length !== 32) throw new InvalidPoint("a point is exactly 32 bytes");
    const bytes = Uint8Array.from(data);
    let ep;
    try {
      // zip215 = false: y < p, and x = 0 with the sign bit set is refused.
      ep = EP.fromBytes(bytes, false);
    } catch (e) {
      throw new InvalidPoint("not a point of the curve", { cause: e });
    }
    if (!equalBytes(ep.toBytes(), bytes)) throw new InvalidPoint("non-canonical point encoding");
    if (ep.isSmallOrder()) throw new InvalidPoint("point of small order");
    if (!ep.isTorsionFree()) throw new InvalidPoint("point outside the prime-order subgroup");
    return new Point(PRIVATE, ep, bytes);
  }

  /** The 32-byte encoding (a fresh Uint8Array). */
  encode() {
    return Uint8Array.from(this.#raw());
  }

  #raw() {
    // Computed once: an encoding costs a field inversion.
    if (this.#bytes === null) this.#bytes = this.#ep.toBytes();
    return this.#bytes;
  }

  hex() {
    return bytesToHex(this.#raw());
  }

  isIdentity() {
    return this.#ep.is0();
  }

  add(other) {
    return new Point(PRIVATE, this.#ep.add(asPoint(other).#ep));
  }

  sub(other) {
    return new Point(PRIVATE, this.#ep.subtract(asPoint(other).#ep));
  }

  neg() {
    return new Point(PRIVATE, this.#ep.negate());
  }

  /**
   * `scalar * this` in constant time (for secret scalars); zero or the identity give the
   * identity, as in Python (libsodium refuses both).
   */
  mul(scalar) {
    const s = asScalar(scalar).toBigInt();
    if (s === 0n || this.#ep.is0()) return IDENTITY;
    return new Point(PRIVATE, this.#ep.multiply(s));
  }

  /** `scalar * this` in variable time: only for a public scalar and a public point. */
  mulPublic(scalar) {
    const s = asScalar(scalar).toBigInt();
    if (s === 0n || this.#ep.is0()) return IDENTITY;
    return new Point(PRIVATE, this.#ep.multiplyUnsafe(s));
  }

  /**
   * Give this point a cached window table, so that later mul and mulPublic calls on it cost
   * a few dozen additions instead of ~250 doublings. For a point multiplied many times, such
   * as the joint key. The table is built on the first multiplication, or now if `eager`.
   * Calling it again keeps the table. Returns this.
   */
  precompute(eager = false) {
    const ep = this.#ep;
    if (ep.is0()) return this;
    // noble's precompute() would drop an existing table, so it is called once per point.
    if (!TABLED.has(ep)) {
      ep.precompute(WINDOW, true);
      TABLED.add(ep);
    }
    if (eager) ep.multiplyUnsafe(2n); // builds (or finds) the table
    return this;
  }

  equals(other) {
    return other instanceof Point && this.#ep.equals(other.#ep);
  }

  toString() {
    return `Point(${this.hex().slice(0, 16)}…)`;
  }

  toJSON() {
    throw new TypeError("a Point is not JSON; use .hex()");
  }

  [Symbol.for("nodejs.util.inspect.custom")]() {
    return this.toString();
  }
}

function asPoint(x) {
  if (!(x instanceof Point)) throw new TypeError("expected a Point");
  return x;
}

/** The standard Ed25519 base point, with a cached window table (built on first use). */
export const G = new Point(PRIVATE, EP.fromBytes(EP.BASE.toBytes())).precompute();

/** The neutral element, only ever a computed value. */
export const IDENTITY = new Point(PRIVATE, EP.ZERO);

// 0*G and 1*G are there from the start, so that encrypting a 0/1 counter never computes
// anything that depends on the secret.
const SMALL = new Map([
  [0, IDENTITY],
  [1, G],
]);

/** m*G for a small non-negative integer m (cached; 0*G is the identity). */
export function smallMultiple(m) {
  if (!Number.isSafeInteger(m)) throw new TypeError("smallMultiple takes an integer");
  if (m < 0) throw new RangeError("smallMultiple takes m >= 0");
  let p = SMALL.get(m);
  if (p === undefined) {
    p = G.mulPublic(Scalar.fromInt(m));
    p.hex(); // cache the encoding
    if (SMALL.size < 4096) SMALL.set(m, p);
  }
  return p;
}
