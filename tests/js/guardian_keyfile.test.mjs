// The guardian side, part 2: the passphrase-sealed key file, reproduced byte for byte from
// tests/vectors/guardian.json (Python's _seal_keyfile with a pinned salt and nonce).
//
// scrypt at N = 2^15 costs about half a second here, so it runs four times only: sealing the
// vector, opening it, sealing a fresh file and trying a wrong passphrase on it. The byte-equal
// vector pins the associated data H(keyfile, congress, guardian); every other refusal happens
// before the key derivation.

import assert from "node:assert/strict";
import { test } from "node:test";

import {
  DecryptionError,
  EncodingError,
  openKeyfile,
  sealKeyfile,
} from "../../election/static/js/crypto/index.js";
import { FORMAT, _sealKeyfile } from "../../election/static/js/crypto/keyfile.js";
import { clone, fromHex, loadVectors } from "./vectors.mjs";

// ATTACKS.md T-13.c: this JS twin, a second implementation of the protocol, must agree
// with Python on the key-file cases of tests/vectors/guardian.json (made by the Python
// code); the other guardian_*.test.mjs files check the rest of it.
const V = loadVectors("guardian");
const KF = V.keyfile;

test("the key file is sealed byte for byte and opens (timed)", async (t) => {
  const sealed = await _sealKeyfile(V.congress, KF.guardian, clone(KF.secret), KF.passphrase, fromHex(KF.salt), fromHex(KF.nonce));
  assert.deepEqual(sealed, KF.file);
  assert.equal(sealed.format, FORMAT);
  assert.ok(!JSON.stringify(sealed).includes(KF.secret.secret_share));
  const progress = [];
  const start = performance.now();
  const opened = await openKeyfile(clone(KF.file), KF.passphrase, { onProgress: (p) => progress.push(p) });
  t.diagnostic(`openKeyfile (scrypt N=2^15, r=8, p=1): ${(performance.now() - start).toFixed(0)} ms`);
  assert.deepEqual(opened, KF.secret);
  // ATTACKS.md T-3.c: the secret keeps the joint key K the device computed in the ceremony.
  assert.deepEqual(Object.keys(opened).sort(), ["communication_secret", "joint_key", "secret_share", "signing_seed"]);
  assert.equal(opened.joint_key, V.ceremony.joint_key);
  assert.ok(progress.length > 0 && progress.at(-1) === 1);
});

test("a fresh key file has its own salt and nonce; a wrong passphrase fails", async () => {
  const secret = { secret_share: "ab".repeat(32), signing_seed: "cd".repeat(32), joint_key: "ef".repeat(32) };
  const sealed = await sealKeyfile("test-congress", 5, secret, "passphrase");
  assert.notEqual(sealed.kdf.salt, KF.file.kdf.salt);
  assert.notEqual(sealed.nonce, KF.file.nonce);
  assert.equal(sealed.ct.length, KF.file.ct.length - 2 * (JSON.stringify(KF.secret).length - JSON.stringify(secret).length));
  await assert.rejects(openKeyfile(sealed, "Passphrase"), DecryptionError);
});

test("refusals that need no key derivation", async () => {
  const file = () => clone(KF.file);
  const bad = async (f, error) => assert.rejects(openKeyfile(f, KF.passphrase), error);
  await bad({ ...file(), format: "dh-vote/v0/keyfile" }, EncodingError);
  await bad({ ...file(), extra: 1 }, EncodingError);
  await bad({ ...file(), kdf: { ...KF.file.kdf, name: "argon2id" } }, EncodingError);
  await bad({ ...file(), kdf: { ...KF.file.kdf, n: 3 * 2 ** 13 } }, EncodingError); // not 2^k
  await bad({ ...file(), kdf: { ...KF.file.kdf, n: 2 ** 13 } }, EncodingError);
  await bad({ ...file(), kdf: { ...KF.file.kdf, n: 2 ** 21 } }, EncodingError);
  await bad({ ...file(), kdf: { ...KF.file.kdf, r: 0 } }, EncodingError);
  await bad({ ...file(), kdf: { ...KF.file.kdf, p: 17 } }, EncodingError);
  await bad({ ...file(), kdf: { ...KF.file.kdf, salt: KF.file.kdf.salt.slice(2) } }, EncodingError);
  await bad({ ...file(), nonce: "zz".repeat(12) }, EncodingError);
  await bad({ ...file(), ct: KF.file.ct.toUpperCase() }, EncodingError);
  await bad({ ...file(), ct: "00".repeat(2 ** 15 + 1) }, EncodingError);
  await bad({ ...file(), ct: 5 }, EncodingError);
  await bad({ ...file(), guardian: 0 }, EncodingError);
  await bad({ ...file(), congress: 7 }, EncodingError);
  // As in Python: an odd-length ciphertext is not hex; a too short one, or an empty
  // passphrase, fails to open.
  await bad({ ...file(), ct: KF.file.ct.slice(1) }, EncodingError);
  await bad({ ...file(), ct: KF.file.ct.toUpperCase() }, EncodingError);
  await bad({ ...file(), ct: KF.file.ct.slice(0, 30) }, DecryptionError);
  await assert.rejects(openKeyfile(file(), ""), DecryptionError);
  await assert.rejects(openKeyfile(file(), "\ud800"), DecryptionError);
  // Work beyond the shared limits (n <= 2^18, r <= 8, p <= 4) is refused before deriving.
  await bad({ ...file(), kdf: { ...KF.file.kdf, n: 2 ** 20, r: 32 } }, EncodingError);
  await bad({ ...file(), kdf: { ...KF.file.kdf, p: 5 } }, EncodingError);
  // Bad arguments when sealing.
  const salt = fromHex(KF.salt);
  const nonce = fromHex(KF.nonce);
  await assert.rejects(_sealKeyfile(V.congress, 2, KF.secret, "", salt, nonce), RangeError);
  await assert.rejects(_sealKeyfile(V.congress, 2, KF.secret, "a\udc00", salt, nonce), RangeError);
  await assert.rejects(_sealKeyfile(V.congress, 0, KF.secret, "pw", salt, nonce), RangeError);
  await assert.rejects(_sealKeyfile(V.congress, 2, KF.secret, "pw", salt.slice(1), nonce), RangeError);
  await assert.rejects(_sealKeyfile(V.congress, 2, [1], "pw", salt, nonce), TypeError);
  await assert.rejects(_sealKeyfile(V.congress, 2, { x: 1.5 }, "pw", salt, nonce), EncodingError);
});
