// Domain-separated hashing (PROTOCOL.md section 3; docs/protocol.md "Hashing"): the twin of
// crypto/hashing.py.
//
// H(tag, x1, ..., xn) = SHA-512(enc(tag) || enc(x1) || ... || enc(xn)) where enc(x) is the
// 4-byte big-endian length of x followed by x. Hs reads the 64-byte digest little-endian and
// reduces it modulo L.
//
// Item kinds, as Python's bytes / Point | Scalar / int / str:
//   Uint8Array      -> the bytes themselves
//   Point, Scalar   -> their 32-byte encodings
//   number, bigint  -> a non-negative integer, 8 bytes big-endian (numbers must be safe
//                      integers; a bigint may go up to 2^64 - 1)
//   string          -> UTF-8 (a lone surrogate is refused, as Python cannot encode it)
// Booleans and anything else throw TypeError.

import { sha512 } from "@noble/hashes/sha2.js";

import { isBytes } from "./_bytes.js";
import { isWellFormed } from "./canonical.js";
import { Point, Scalar } from "./group.js";

export const PREFIX = "dh-vote/v1/";

/** The tags, one per use; the same table as Python's Tag. */
export const Tag = Object.freeze({
  PROOF01: PREFIX + "proof01", // 0/1 proof of one counter
  PROOF_SET: PREFIX + "proof-set", // set membership of a combination of counters
  SCHNORR: PREFIX + "schnorr", // key-ceremony proof of knowledge
  DECRYPT: PREFIX + "decrypt", // Chaum-Pedersen proof of a decryption share
  CREDENTIAL: PREFIX + "credential", // credential seed from the badge secret
  BALLOT_SIG: PREFIX + "ballot-sig", // the message a ballot signature signs
  ROUND: PREFIX + "round", // the round hash h_R
  CONGRESS: PREFIX + "congress", // the congress manifest hash
  BOARD: PREFIX + "board", // the board chain
  RECEIPT: PREFIX + "receipt", // the message a receipt signature signs
  ECIES: PREFIX + "ecies", // key of a share box from the DH point
  KEYFILE: PREFIX + "keyfile", // associated data of a guardian key file
  MINUTES: PREFIX + "minutes", // the message a minutes signature signs
  CREDENTIAL_LIST: PREFIX + "credential-list", // hash of a round's eligible list
  TEST_RNG: PREFIX + "test-rng", // deterministic randomness of the test vectors
});

export const TAGS = Object.freeze(Object.values(Tag));

const ENCODER = new TextEncoder();
const TWO64 = 2n ** 64n;

function utf8(s) {
  if (!isWellFormed(s)) throw new RangeError("a string with a lone surrogate cannot be hashed");
  return ENCODER.encode(s);
}

function item(x) {
  if (isBytes(x)) return x;
  if (x instanceof Point || x instanceof Scalar) return x.encode();
  if (typeof x === "boolean") throw new TypeError("booleans are not hash items");
  if (typeof x === "number") {
    if (!Number.isInteger(x)) throw new TypeError("cannot hash a non-integer number");
    if (!(x >= 0 && x <= Number.MAX_SAFE_INTEGER)) {
      throw new RangeError("integer hash items are 0 <= x <= 2^53 - 1 (use a BigInt above)");
    }
    x = BigInt(x);
  }
  if (typeof x === "bigint") {
    if (x < 0n || x >= TWO64) throw new RangeError("integer hash items are 0 <= x < 2^64");
    const out = new Uint8Array(8);
    new DataView(out.buffer).setBigUint64(0, x, false);
    return out;
  }
  if (typeof x === "string") return utf8(x);
  throw new TypeError(`cannot hash ${x === null ? "null" : typeof x}`);
}

/** SHA-512 over the length-prefixed tag and items (a 64-byte Uint8Array). */
export function H(tag, ...items) {
  if (typeof tag !== "string" || !tag.startsWith(PREFIX)) {
    throw new RangeError("every tag starts with dh-vote/v1/");
  }
  const h = sha512.create();
  const len = new Uint8Array(4);
  const view = new DataView(len.buffer);
  for (const raw of [utf8(tag), ...items.map(item)]) {
    view.setUint32(0, raw.length, false);
    h.update(len);
    h.update(raw);
  }
  return h.digest();
}

/** H read little-endian and reduced modulo L: a Fiat-Shamir challenge (a Scalar). */
export function Hs(tag, ...items) {
  return Scalar.fromWide(H(tag, ...items));
}
