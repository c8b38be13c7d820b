// Hashes of manifests and lists (PROTOCOL.md sections 5, 6 and 9): the twin of
// crypto/manifest.py.
//
// * round hash h_R = H("dh-vote/v1/round", canonical_json(round manifest));
// * congress hash H("dh-vote/v1/congress", canonical_json(congress manifest));
// * eligible credential list hash H("dh-vote/v1/credential-list", Y_1, ..., Y_n) over the
//   public credentials sorted by their bytes, duplicates refused;
// * minutes message H("dh-vote/v1/minutes", canonical_json(minutes data)).

import { compareBytes, isBytes } from "./_bytes.js";
import { canonicalJson } from "./canonical.js";
import { checkPublicCredential } from "./credential.js";
import { InvalidCredential } from "./errors.js";
import { H, Tag } from "./hashing.js";

export function roundHash(manifest) {
  return H(Tag.ROUND, canonicalJson(manifest));
}

export function congressHash(manifest) {
  return H(Tag.CONGRESS, canonicalJson(manifest));
}

/** Hash of a set of public credentials (Uint8Arrays); throw on a refused or repeated key. */
export function credentialListHash(publicCredentials) {
  const keys = [...publicCredentials];
  if (keys.some((y) => !isBytes(y))) {
    throw new TypeError("public credentials are Uint8Arrays");
  }
  keys.sort(compareBytes);
  for (let i = 1; i < keys.length; i++) {
    if (compareBytes(keys[i - 1], keys[i]) === 0) {
      throw new InvalidCredential("a public credential appears twice");
    }
  }
  for (const y of keys) checkPublicCredential(y);
  return H(Tag.CREDENTIAL_LIST, ...keys);
}

export function minutesMessage(minutes) {
  return H(Tag.MINUTES, canonicalJson(minutes));
}
