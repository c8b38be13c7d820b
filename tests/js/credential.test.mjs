import assert from "node:assert/strict";
import { test } from "node:test";

import { ed25519 } from "@noble/curves/ed25519.js";
import { sha512 } from "@noble/hashes/sha2.js";

import {
  ALPHABET,
  CODE_CHARS,
  CredentialKey,
  G,
  H,
  InvalidCredential,
  InvalidSignature,
  L,
  Scalar,
  Tag,
  checkPublicCredential,
  formatCode,
  generateCode,
  luhn32Check,
  parseCode,
  verifySignature,
} from "../../election/static/js/crypto/index.js";
import { fromHex, loadVectors, toHex } from "./vectors.mjs";

// ATTACKS.md T-13.c: this JS twin, a second implementation of the protocol, must agree
// with Python on every case of tests/vectors/credential.json (made by the Python code).
const V = loadVectors("credential");
const GROUP = loadVectors("group");
const ABC = new TextEncoder().encode("abc");

for (const c of V.cases) {
  test(`credential vector ${c.code}`, () => {
    const body = parseCode(c.code);
    assert.equal(body, c.code.slice(0, 20));
    assert.equal(luhn32Check(body), c.code[20]);
    assert.equal(formatCode(c.code), c.formatted);
    assert.equal(parseCode(c.formatted), body);
    assert.equal(toHex(H(Tag.CREDENTIAL, c.congress, body).slice(0, 32)), c.seed);
    const key = new CredentialKey(c.congress, c.code);
    assert.equal(toHex(key.public), c.public);
    assert.equal(toHex(key.sign(ABC)), c.signature_of_abc);
    verifySignature(fromHex(c.public), ABC, fromHex(c.signature_of_abc));
    assert.equal(checkPublicCredential(fromHex(c.public)).hex(), c.public);
    assert.ok(!String(key).includes(toHex(key.public)));
  });
}

for (const t of V.typed_variants) {
  test(`typed variant ${t.typed} normalises`, () => {
    assert.equal(parseCode(t.typed), t.canonical);
  });
}

test("aliases and separators are folded", () => {
  const code = V.cases[0].code;
  const typed = code.toLowerCase().split("").join(" ");
  assert.equal(parseCode(typed), code.slice(0, 20));
  // O, I and L are read as 0, 1 and 1.
  const body = "0123456789ABCDEFGHJK";
  const full = body + luhn32Check(body);
  assert.equal(parseCode(full.replace("0", "o").replace("1", "I")), body);
  assert.equal(parseCode(full.replace("1", "l")), body);
});

for (const bad of V.invalid_codes) {
  test(`invalid code ${bad} refused`, () => {
    assert.throws(() => parseCode(bad), InvalidCredential);
    assert.throws(() => new CredentialKey("dhv-demo-2026", bad), InvalidCredential);
  });
}

test("other invalid codes are refused", () => {
  for (const bad of [null, 42, "", "U".repeat(21), V.cases[0].code + "\u{1f600}"]) {
    assert.throws(() => parseCode(bad), InvalidCredential);
  }
  assert.throws(() => luhn32Check("U"), RangeError);
});

test("every single-character error is detected by the check character", () => {
  const code = V.cases[1].code;
  for (let i = 0; i < 21; i++) {
    for (const ch of ALPHABET) {
      if (ch === code[i]) continue;
      const changed = code.slice(0, i) + ch + code.slice(i + 1);
      assert.throws(() => parseCode(changed), InvalidCredential, changed);
    }
  }
});

test("generated codes are valid and fresh", () => {
  const a = generateCode();
  const b = generateCode();
  assert.equal(a.length, CODE_CHARS + 1);
  assert.equal(parseCode(a), a.slice(0, 20));
  assert.notEqual(a, b);
  assert.match(formatCode(a), /^([0-9A-Z]{5}-){4}[0-9A-Z]$/);
});

test("signatures that do not verify are refused", () => {
  const c = V.cases[0];
  const pub = fromHex(c.public);
  const sig = fromHex(c.signature_of_abc);
  assert.throws(() => verifySignature(pub, new TextEncoder().encode("abd"), sig), InvalidSignature);
  const flipped = Uint8Array.from(sig);
  flipped[5] ^= 1;
  assert.throws(() => verifySignature(pub, ABC, flipped), InvalidSignature);
  assert.throws(() => verifySignature(pub, ABC, sig.slice(0, 63)), InvalidSignature);
  assert.throws(() => verifySignature(fromHex(V.cases[1].public), ABC, sig), InvalidSignature);
  // S + L: the same S modulo L, refused as non-canonical (Python/OpenSSL refuse it too).
  const s = Scalar.decode(sig.slice(32)).toBigInt() + L;
  const big = Uint8Array.from(sig);
  big.set(Uint8Array.from({ length: 32 }, (_, i) => Number((s >> BigInt(8 * i)) & 0xffn)), 32);
  assert.throws(() => verifySignature(pub, ABC, big), InvalidSignature);
});

test("keys Python refuses are refused before the signature is looked at", () => {
  for (const list of Object.values(GROUP.invalid_points)) {
    for (const hex of list) {
      assert.throws(() => checkPublicCredential(fromHex(hex)), InvalidCredential);
      assert.throws(() => verifySignature(fromHex(hex), ABC, new Uint8Array(64)), InvalidCredential);
    }
  }
});

test("an R with a small-order component is refused (cofactorless, as Python)", () => {
  // noble's verify checks the cofactored equation and accepts this signature; OpenSSL,
  // beneath Python's `cryptography`, compares encode(S*B - k*A) with R and refuses it.
  const EP = ed25519.Point;
  const a = Scalar.random();
  const A = G.mul(a).encode();
  const r = Scalar.random();
  const T = EP.fromBytes(fromHex(GROUP.invalid_points.small_order[4])); // order 8
  const R = EP.fromBytes(G.mul(r).encode()).add(T).toBytes();
  const k = Scalar.fromWide(sha512(Uint8Array.from([...R, ...A, ...ABC])));
  const S = r.add(k.mul(a)).encode();
  const sig = Uint8Array.from([...R, ...S]);
  assert.equal(ed25519.verify(sig, ABC, A, { zip215: false }), true);
  assert.throws(() => verifySignature(A, ABC, sig), InvalidSignature);
  // The same construction without the small-order component is an ordinary valid signature.
  const R0 = G.mul(r).encode();
  const k0 = Scalar.fromWide(sha512(Uint8Array.from([...R0, ...A, ...ABC])));
  verifySignature(A, ABC, Uint8Array.from([...R0, ...r.add(k0.mul(a)).encode()]));
});

test("a random key signs and verifies like noble", () => {
  const key = new CredentialKey("congress", generateCode());
  const msg = Uint8Array.of(1, 2, 3);
  const sig = key.sign(msg);
  verifySignature(key.public, msg, sig);
  assert.ok(ed25519.verify(sig, msg, key.public, { zip215: false }));
  // The public credential is a copy: changing it changes nothing.
  const pub = key.public;
  pub[0] ^= 1;
  assert.notEqual(toHex(pub), toHex(key.public));
});
