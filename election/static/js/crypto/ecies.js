// ECIES boxes for key-ceremony shares (PROTOCOL.md section 4; docs/protocol.md section 10): the
// twin of crypto/ecies.py.
//
// To send f_i(j) to guardian j with communication key P_j: pick an ephemeral e, E = e*G, key
// k = H("dh-vote/v1/ecies", e*P_j)[:32], and seal with AES-256-GCM under a random 12-byte nonce
// with associated data canonical_json({"congress": id, "from": i, "to": j}). The box is
// {"E": hex, "nonce": hex, "ct": hex} (ct: the 32-byte scalar and the 16-byte tag); opening
// recomputes d_j*E.
//
// AES-GCM is WebCrypto's (crypto.subtle: browsers in a secure context, Node >= 20), which is
// asynchronous: sealShare and openShare return Promises.

import { bytesToHex } from "@noble/hashes/utils.js";

import { isBytes } from "./_bytes.js";
import { canonicalJson } from "./canonical.js";
import { bytesFromHex, pointFromHex, requireKeys } from "./encoding.js";
import { DecryptionError } from "./errors.js";
import { G, Point, Scalar } from "./group.js";
import { H, Tag } from "./hashing.js";

export const NONCE_BYTES = 12;
const SHARE_CT_BYTES = 32 + 16;

function aad(congressId, sender, recipient) {
  return canonicalJson({ congress: congressId, from: sender, to: recipient });
}

// -- AES-256-GCM on WebCrypto (internal: shared with keyfile.js, not exported by index.js) ----

/** WebCrypto's SubtleCrypto, or a clear error where it is missing (plain http pages). */
export function subtle() {
  const s = globalThis.crypto?.subtle;
  if (!s) throw new Error("WebCrypto (crypto.subtle) is unavailable: serve the page over HTTPS");
  return s;
}

/** Import 32 raw bytes as a non-extractable AES-256-GCM key. */
async function aesKey(raw, usage) {
  return subtle().importKey("raw", raw, { name: "AES-GCM" }, false, [usage]);
}

/** AES-256-GCM encryption: ciphertext followed by the 16-byte tag, as Python's AESGCM. */
export async function aesGcmSeal(raw, nonce, plaintext, associatedData) {
  const key = await aesKey(raw, "encrypt");
  const ct = await subtle().encrypt(
    { name: "AES-GCM", iv: nonce, additionalData: associatedData, tagLength: 128 },
    key,
    plaintext,
  );
  return new Uint8Array(ct);
}

/** AES-256-GCM decryption; null when the tag does not verify. */
export async function aesGcmOpen(raw, nonce, ciphertext, associatedData) {
  const key = await aesKey(raw, "decrypt");
  try {
    const plain = await subtle().decrypt(
      { name: "AES-GCM", iv: nonce, additionalData: associatedData, tagLength: 128 },
      key,
      ciphertext,
    );
    return new Uint8Array(plain);
  } catch (e) {
    // WebCrypto reports a failed tag (and a ciphertext shorter than the tag) as OperationError.
    if (e?.name === "OperationError") return null;
    throw e;
  }
}

// -- share boxes --------------------------------------------------------------------------

/**
 * The seam of sealShare with its randomness given: `rand` draws the ephemeral e (one draw),
 * `nonce` is the 12-byte AES-GCM nonce. For the test vectors only.
 */
export async function _sealShare(congressId, sender, recipient, recipientKey, share, rand, nonce) {
  if (!(recipientKey instanceof Point)) throw new TypeError("recipientKey is a Point");
  if (!(share instanceof Scalar)) throw new TypeError("share is a Scalar");
  if (!isBytes(nonce) || nonce.length !== NONCE_BYTES) {
    throw new RangeError(`the nonce is ${NONCE_BYTES} bytes`);
  }
  const data = aad(congressId, sender, recipient);
  const e = rand();
  // e is secret: constant-time multiplications.
  const key = H(Tag.ECIES, recipientKey.mul(e)).slice(0, 32);
  const ct = await aesGcmSeal(key, nonce, share.encode(), data);
  key.fill(0);
  return { E: G.mul(e).hex(), nonce: bytesToHex(nonce), ct: bytesToHex(ct) };
}

/** Encrypt `share` from guardian `sender` to guardian `recipient` (a Promise of the box). */
export async function sealShare(congressId, sender, recipient, recipientKey, share) {
  const nonce = globalThis.crypto.getRandomValues(new Uint8Array(NONCE_BYTES));
  return _sealShare(congressId, sender, recipient, recipientKey, share, Scalar.random, nonce);
}

/**
 * Open a share box (a Promise of the Scalar); reject with DecryptionError (or an encoding
 * error) if it does not open.
 */
export async function openShare(congressId, sender, recipient, recipientSecret, box) {
  if (!(recipientSecret instanceof Scalar)) throw new TypeError("recipientSecret is a Scalar");
  requireKeys(box, ["E", "nonce", "ct"], "share box");
  const E = pointFromHex(box.E, "box.E");
  const nonce = bytesFromHex(box.nonce, NONCE_BYTES, "box.nonce");
  const ct = bytesFromHex(box.ct, SHARE_CT_BYTES, "box.ct");
  const key = H(Tag.ECIES, E.mul(recipientSecret)).slice(0, 32);
  const plain = await aesGcmOpen(key, nonce, ct, aad(congressId, sender, recipient));
  key.fill(0);
  if (plain === null) throw new DecryptionError("share box does not open");
  try {
    return Scalar.decode(plain);
  } finally {
    plain.fill(0);
  }
}
