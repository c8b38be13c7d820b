import assert from "node:assert/strict";
import { test } from "node:test";

import { EncodingError, canonicalJson, parseJson } from "../../election/static/js/crypto/index.js";
import { loadVectors } from "./vectors.mjs";

// ATTACKS.md T-13.c: this JS twin, a second implementation of the protocol, must agree
// with Python on every case of tests/vectors/canonical.json (made by the Python code).
const V = loadVectors("canonical");
const text = (bytes) => new TextDecoder().decode(bytes);
const utf8 = (s) => new TextEncoder().encode(s);

for (const [i, c] of V.valid.entries()) {
  test(`valid vector ${i}: canonical bytes equal Python's`, () => {
    assert.deepEqual(canonicalJson(c.value), utf8(c.canonical));
    // Parsing the canonical text (as bytes or as a string) gives the value back.
    assert.deepEqual(parseJson(utf8(c.canonical)), c.value);
    assert.deepEqual(parseJson(c.canonical), c.value);
    assert.deepEqual(canonicalJson(parseJson(c.canonical)), utf8(c.canonical));
  });
}

for (const c of V.invalid) {
  test(`invalid vector refused (${c.why})`, () => {
    assert.throws(() => parseJson(c.json), EncodingError);
    assert.throws(() => parseJson(utf8(c.json)), EncodingError);
    // JSON.parse lets each of these through; canonicalJson must refuse the value.
    assert.throws(() => canonicalJson(JSON.parse(c.json)), EncodingError);
  });
}

test("keys sort by code unit and integer-like keys get no special order", () => {
  assert.equal(text(canonicalJson({ b: 1, 10: 2, 9: 3, A: 4, _: 5 })), '{"10":2,"9":3,"A":4,"_":5,"b":1}');
});

test("canonicalJson refuses what Python refuses", () => {
  for (const bad of [
    1.5,
    NaN,
    Infinity,
    2 ** 53,
    -(2 ** 53),
    undefined,
    [undefined],
    { x: undefined },
    10n,
    new Uint8Array(2),
    new Date(0),
    new Map(),
    () => 1,
    Symbol("s"),
    { é: 1 },
    { x: "\udc00" },
    ["a\ud800b"],
  ]) {
    assert.throws(() => canonicalJson(bad), EncodingError, String(bad));
  }
});

test("canonicalJson escapes as Python's json.dumps", () => {
  assert.equal(text(canonicalJson("\u0000\u001f\u007f\u2028\u{1f600}")), '"\\u0000\\u001f\u007f\u2028\u{1f600}"');
  assert.equal(text(canonicalJson(-0)), "0");
  assert.equal(text(canonicalJson({ __proto__: null, z: [], a: {} })), '{"a":{},"z":[]}');
});

test("parseJson is strict", () => {
  for (const bad of [
    '{"a":1,"a":2}',
    "1.0",
    "1e3",
    "1E3",
    "-1.5e-3",
    "NaN",
    "-Infinity",
    "Infinity",
    "01",
    "[1,]",
    '{"a":1,}',
    "[1 2]",
    "\ufeff{}",
    '"\u0001"',
    '"\\x41"',
    '"\\u12"',
    '"\\ud800"',
    '"\\udc00\\ud800"',
    "'a'",
    "",
    "[",
    "tru",
    "9007199254740992",
    "-9007199254740992",
    '{"ключ":1}',
    "[".repeat(600) + "]".repeat(600),
  ]) {
    assert.throws(() => parseJson(bad), EncodingError, JSON.stringify(bad).slice(0, 40));
  }
  assert.throws(() => parseJson(Uint8Array.of(0x22, 0xff, 0x22)), EncodingError); // bad UTF-8
  assert.throws(() => parseJson(Uint8Array.of(0x22, 0xed, 0xa0, 0x80, 0x22)), EncodingError); // surrogate
  assert.throws(() => parseJson(Uint8Array.of(0xef, 0xbb, 0xbf, 0x7b, 0x7d)), EncodingError); // BOM
  assert.throws(() => parseJson("[1]", { maxBytes: 2 }), EncodingError);
  assert.throws(() => parseJson(utf8("[1]"), { maxBytes: 2 }), EncodingError);
});

test("parseJson accepts what Python accepts", () => {
  assert.deepEqual(parseJson(' \t\n\r{ "a" : [ 1 , -0 , "\\u00e9\\/\\ud83d\\ude00" ] } '), {
    a: [1, 0, "é/\u{1f600}"],
  });
  assert.equal(Object.is(parseJson("-0"), 0), true);
  assert.deepEqual(parseJson("[".repeat(100) + "]".repeat(100)).length, 1);
  // A key "__proto__" is an ordinary own key, as in JSON.parse.
  const obj = parseJson('{"__proto__": {"x": 1}}');
  assert.equal(Object.getPrototypeOf(obj), Object.prototype);
  assert.deepEqual(Object.keys(obj), ["__proto__"]);
  assert.equal(text(canonicalJson(obj)), '{"__proto__":{"x":1}}');
});
