// Delegates' signing credentials (PROTOCOL.md section 5): the twin of crypto/credential.py.
//
// The badge secret c is 100 random bits written as 20 Crockford base32 characters plus one
// Luhn mod 32 check character, shown in groups of five: XXXXX-XXXXX-XXXXX-XXXXX-C. It is
// generated on the credentials desk's device (generateCode here), never on the server.
//
// The Ed25519 seed is H("dh-vote/v1/credential", congress_id, c)[:32] where c is the 20
// canonical characters (check character excluded). The public credential Y is the standard
// Ed25519 public key of that seed, checked with the strict point decoder (which refuses
// small-order, mixed-order and non-canonical keys).
//
// Signatures are standard deterministic Ed25519 (noble's sign: the same bytes as Python's
// `cryptography`). Verification is done here rather than by noble's verify, to accept exactly
// what Python accepts: the strict key check, S < L, and the cofactorless equation compared
// byte for byte (encode(S*B - k*A) == R), which is what OpenSSL, beneath `cryptography`,
// does. noble's verify uses the cofactored equation and would accept an R with a small-order
// component that Python refuses.

import { ed25519 } from "@noble/curves/ed25519.js";
import { bytesToNumberLE } from "@noble/curves/utils.js";
import { sha512 } from "@noble/hashes/sha2.js";
import { bytesToHex, concatBytes } from "@noble/hashes/utils.js";

import { equalBytes, isBytes } from "./_bytes.js";
import { InvalidCredential, InvalidPoint, InvalidSignature } from "./errors.js";
import { G, L, Point, Scalar } from "./group.js";
import { H, Tag } from "./hashing.js";

export const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
export const CODE_CHARS = 20; // 100 bits
const INDEX = new Map([...ALPHABET].map((ch, i) => [ch, i]));
// Crockford's aliases: letters that are read or typed for digits.
const ALIASES = new Map([
  ["O", "0"],
  ["I", "1"],
  ["L", "1"],
]);

/** The Luhn mod 32 check character of `chars` (detects every single-character error). */
export function luhn32Check(chars) {
  let factor = 2;
  let total = 0;
  for (let i = chars.length - 1; i >= 0; i--) {
    const v = INDEX.get(chars[i]);
    if (v === undefined) throw new RangeError("character outside the alphabet");
    const addend = factor * v;
    factor = factor === 2 ? 1 : 2;
    total += Math.floor(addend / 32) + (addend % 32);
  }
  return ALPHABET[(32 - (total % 32)) % 32];
}

/** A fresh badge code: 20 random characters and the check character (21 in all). */
export function generateCode() {
  // 256 is a multiple of 32, so the low five bits of a random byte are uniform.
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(CODE_CHARS));
  const body = Array.from(bytes, (b) => ALPHABET[b & 31]).join("");
  return body + luhn32Check(body);
}

/** Group a 21-character code for printing: XXXXX-XXXXX-XXXXX-XXXXX-C. */
export function formatCode(code) {
  const body = parseCode(code);
  const full = body + luhn32Check(body);
  return [0, 5, 10, 15].map((i) => full.slice(i, i + 5)).join("-") + "-" + full[20];
}

/**
 * Normalise typed or scanned text and return the 20 canonical characters.
 *
 * Spaces and hyphens are ignored, case is folded and Crockford's aliases are mapped. Throws
 * InvalidCredential for a wrong length, a foreign character or a failing check character.
 */
export function parseCode(text) {
  if (typeof text !== "string") throw new InvalidCredential("credential code must be text");
  let cleaned = "";
  // Refuse non-ASCII before case folding: Unicode case tables differ between engines
  // (e.g. 'ı' upper-cases to 'I'), and Python must normalise exactly the same way.
  if (!/^[\x00-\x7f]*$/.test(text)) {
    throw new InvalidCredential("credential code has a character outside the alphabet");
  }
  for (const ch of text.toUpperCase()) {
    if (ch === " " || ch === "-") continue;
    cleaned += ALIASES.get(ch) ?? ch;
  }
  if ([...cleaned].length !== CODE_CHARS + 1) {
    throw new InvalidCredential("credential code has the wrong length");
  }
  if ([...cleaned].some((ch) => !INDEX.has(ch))) {
    throw new InvalidCredential("credential code has a character outside the alphabet");
  }
  const body = cleaned.slice(0, CODE_CHARS);
  if (luhn32Check(body) !== cleaned[CODE_CHARS]) {
    throw new InvalidCredential("credential code check character does not match");
  }
  return body;
}

/** The delegate's Ed25519 signing key derived from the badge code. */
export class CredentialKey {
  #seed;
  #public;

  constructor(congressId, code) {
    const body = parseCode(code);
    this.#seed = H(Tag.CREDENTIAL, congressId, body).slice(0, 32);
    this.#public = ed25519.getPublicKey(this.#seed);
    Object.freeze(this);
  }

  /** The public credential Y (32 bytes, a fresh copy). */
  get public() {
    return Uint8Array.from(this.#public);
  }

  /** A standard Ed25519 signature (64 bytes) of `message`. */
  sign(message) {
    if (!isBytes(message)) throw new TypeError("message is a Uint8Array");
    return ed25519.sign(message, this.#seed);
  }

  toString() {
    return `CredentialKey(public=${bytesToHex(this.#public).slice(0, 16)}…)`;
  }

  [Symbol.for("nodejs.util.inspect.custom")]() {
    return this.toString();
  }
}

/** Strictly decode a public credential Y; throw InvalidCredential if refused. */
export function checkPublicCredential(data) {
  try {
    return Point.decode(data);
  } catch (e) {
    if (e instanceof InvalidPoint) {
      throw new InvalidCredential("public credential is not a valid prime-order point", {
        cause: e,
      });
    }
    throw e;
  }
}

/** Verify a standard Ed25519 signature under a strictly checked key; throw on failure. */
export function verifySignature(publicKey, message, signature) {
  const A = checkPublicCredential(publicKey);
  if (!isBytes(message)) throw new TypeError("message is a Uint8Array");
  if (!isBytes(signature) || signature.length !== 64) {
    throw new InvalidSignature("a signature is 64 bytes");
  }
  const R = signature.subarray(0, 32);
  const s = bytesToNumberLE(signature.subarray(32, 64));
  if (s >= L) throw new InvalidSignature("signature does not verify");
  // RFC 8032 5.1.7 with the cofactorless check: k = SHA-512(R || A || M) mod L and
  // encode(S*B - k*A) must be R itself. Everything here is public.
  const k = Scalar.fromWide(sha512(concatBytes(R, publicKey, message)));
  const check = G.mulPublic(Scalar.fromInt(s)).sub(A.mulPublic(k));
  if (!equalBytes(check.encode(), R)) throw new InvalidSignature("signature does not verify");
}
