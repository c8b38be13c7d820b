// A guardian's key file, sealed under a passphrase (PROTOCOL.md section 4; docs/protocol.md
// section 10): the twin of crypto/keyfile.py.
//
// scrypt (N = 2^15, r = 8, p = 1, 16-byte salt) derives a 32-byte key from the UTF-8
// passphrase; AES-256-GCM with a 12-byte nonce seals canonical_json(secret) with associated
// data H("dh-vote/v1/keyfile", congress_id, guardian index). The file is
// {"format": "dh-vote/v1/keyfile", "congress": id, "guardian": j,
//  "kdf": {"name": "scrypt", "n": 32768, "r": 8, "p": 1, "salt": hex}, "nonce": hex, "ct": hex}.
// The server never sees it.
//
// scrypt is @noble/hashes' scryptAsync, which yields to the event loop every few milliseconds
// so that the page stays responsive (about a second in a browser); AES-GCM is WebCrypto's.
// Both are asynchronous: sealKeyfile and openKeyfile return Promises. Their last, optional
// argument `{ onProgress }` receives scrypt's progress (0..1) for a progress bar.
//
// The secret object is the caller's; the guardian pages keep in it (all lowercase hex)
//   {"communication_secret": d_j, "secret_share": s_j, "signing_seed": <32-byte Ed25519 seed>,
//    "joint_key": K}
// (see keyceremony.js for the minutes-signing seed; K is the joint key the member's device
// computed in the ceremony, against which guardian/device.js checks every round, T-3.c). The passphrase is used exactly as typed,
// without Unicode normalisation, as in Python.

import { scryptAsync } from "@noble/hashes/scrypt.js";
import { bytesToHex, hexToBytes } from "@noble/hashes/utils.js";

import { isBytes } from "./_bytes.js";
import { canonicalJson, isWellFormed, parseJson } from "./canonical.js";
import { aesGcmOpen, aesGcmSeal } from "./ecies.js";
import { bytesFromHex, requireInt, requireKeys } from "./encoding.js";
import { DecryptionError, EncodingError } from "./errors.js";
import { H, Tag } from "./hashing.js";

export const FORMAT = "dh-vote/v1/keyfile";
const N = 2 ** 15;
const R = 8;
const P = 1;
const SALT_BYTES = 16;
const NONCE_BYTES = 12;
const MAX_CT_HEX = 2 ** 16;
const ENCODER = new TextEncoder();
// noble's default memory limit for scrypt (1 GiB + 2 KiB); N = 2^15, r = 8 needs 32 MiB.
const MAXMEM = 1024 ** 3 + 2 * 1024;

// The UTF-8 passphrase; RangeError (Python's ValueError) for an empty one or a lone surrogate,
// which Python cannot encode and TextEncoder would silently replace.
function passphraseBytes(passphrase) {
  if (typeof passphrase !== "string") throw new TypeError("the passphrase is a string");
  if (!passphrase) throw new RangeError("the passphrase is empty");
  if (!isWellFormed(passphrase)) throw new RangeError("the passphrase has a lone surrogate");
  // NFC, as Python: Vietnamese keyboards type precomposed or combining diacritics.
  return ENCODER.encode(passphrase.normalize("NFC"));
}

async function deriveKey(password, salt, n, r, p, onProgress) {
  try {
    return await scryptAsync(password, salt, { N: n, r, p, dkLen: 32, maxmem: MAXMEM, onProgress });
  } finally {
    password.fill(0);
  }
}

function aad(congressId, guardian) {
  return H(Tag.KEYFILE, congressId, guardian);
}

/**
 * The seam of sealKeyfile with its randomness given: the 16-byte scrypt `salt` and the 12-byte
 * AES-GCM `nonce`. For the test vectors only.
 */
export async function _sealKeyfile(
  congressId,
  guardian,
  secret,
  passphrase,
  salt,
  nonce,
  { onProgress } = {},
) {
  if (typeof congressId !== "string") throw new TypeError("congressId is a string");
  if (!Number.isInteger(guardian) || guardian < 1 || guardian > 64) {
    throw new RangeError("guardian is an index 1..64");
  }
  if (secret === null || typeof secret !== "object" || Array.isArray(secret)) {
    throw new TypeError("the secret is an object");
  }
  if (!isBytes(salt) || salt.length !== SALT_BYTES) throw new RangeError("the salt is 16 bytes");
  if (!isBytes(nonce) || nonce.length !== NONCE_BYTES) {
    throw new RangeError("the nonce is 12 bytes");
  }
  const plaintext = canonicalJson(secret);
  const associated = aad(congressId, guardian);
  const key = await deriveKey(passphraseBytes(passphrase), salt, N, R, P, onProgress);
  let ct;
  try {
    ct = await aesGcmSeal(key, nonce, plaintext, associated);
  } finally {
    key.fill(0);
    plaintext.fill(0);
  }
  return {
    format: FORMAT,
    congress: congressId,
    guardian,
    kdf: { name: "scrypt", n: N, r: R, p: P, salt: bytesToHex(salt) },
    nonce: bytesToHex(nonce),
    ct: bytesToHex(ct),
  };
}

/** Seal the guardian's secret material under `passphrase` (a Promise of the key file). */
export async function sealKeyfile(congressId, guardian, secret, passphrase, options = {}) {
  const salt = globalThis.crypto.getRandomValues(new Uint8Array(SALT_BYTES));
  const nonce = globalThis.crypto.getRandomValues(new Uint8Array(NONCE_BYTES));
  return _sealKeyfile(congressId, guardian, secret, passphrase, salt, nonce, options);
}

/**
 * Open a key file (a Promise of the secret object). Rejects with DecryptionError for a wrong
 * passphrase or a tampered file, with EncodingError for a file that does not decode.
 */
export async function openKeyfile(keyfile, passphrase, { onProgress } = {}) {
  requireKeys(keyfile, ["format", "congress", "guardian", "kdf", "nonce", "ct"], "key file");
  if (keyfile.format !== FORMAT) throw new EncodingError("key file: unknown format");
  const kdf = requireKeys(keyfile.kdf, ["name", "n", "r", "p", "salt"], "key file kdf");
  if (kdf.name !== "scrypt") throw new EncodingError("key file: unknown KDF");
  // The same work and memory limits as Python (MAX_N, MAX_R, MAX_P): 256 MiB at most.
  const n = requireInt(kdf.n, "kdf.n", 2 ** 14, 2 ** 18);
  if (n & (n - 1)) throw new EncodingError("key file: scrypt n is not a power of two");
  const r = requireInt(kdf.r, "kdf.r", 1, 8);
  const p = requireInt(kdf.p, "kdf.p", 1, 4);
  const salt = bytesFromHex(kdf.salt, SALT_BYTES, "kdf.salt");
  const nonce = bytesFromHex(keyfile.nonce, NONCE_BYTES, "key file nonce");
  const ctHex = keyfile.ct;
  if (typeof ctHex !== "string" || ctHex.length > MAX_CT_HEX) {
    throw new EncodingError("key file: ciphertext missing or too large");
  }
  // As in Python: anything but an even number of lowercase hex digits is an EncodingError.
  if (ctHex.length % 2 !== 0 || !/^[0-9a-f]*$/.test(ctHex)) {
    throw new EncodingError("key file: ciphertext is not lowercase hex");
  }
  const ct = hexToBytes(ctHex);
  const guardian = requireInt(keyfile.guardian, "key file guardian", 1, 64);
  if (typeof keyfile.congress !== "string") {
    throw new EncodingError("key file: congress id is not text");
  }
  const associated = aad(keyfile.congress, guardian);
  let password;
  try {
    password = passphraseBytes(passphrase);
  } catch (e) {
    // Python derives inside its try: an empty passphrase fails like a wrong one.
    if (e instanceof RangeError) throw new DecryptionError("wrong passphrase or damaged key file");
    throw e;
  }
  // Failures that need no key fail at once: a ciphertext shorter than the GCM tag, and scrypt
  // parameters over noble's memory limit (which Python would attempt).
  if (ct.length < 16) throw new DecryptionError("wrong passphrase or damaged key file");
  if (128 * r * (n + p + 1) > MAXMEM) {
    throw new DecryptionError("key file: scrypt parameters need more than 1 GiB of memory");
  }
  const key = await deriveKey(password, salt, n, r, p, onProgress);
  let plain;
  try {
    plain = await aesGcmOpen(key, nonce, ct, associated);
  } finally {
    key.fill(0);
  }
  if (plain === null) throw new DecryptionError("wrong passphrase or damaged key file");
  let value;
  try {
    value = parseJson(plain);
  } finally {
    plain.fill(0);
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new EncodingError("key file: content is not an object");
  }
  return value;
}
