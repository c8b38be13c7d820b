import assert from "node:assert/strict";
import { test } from "node:test";

import { H, Hs, Point, Scalar, TAGS, Tag } from "../../election/static/js/crypto/index.js";
import { testBytes, testRand } from "../../election/static/js/crypto/_testing.js";
import { fromHex, loadVectors, toHex } from "./vectors.mjs";

// ATTACKS.md T-13.c: this JS twin, a second implementation of the protocol, must agree
// with Python on every case of tests/vectors/hashing.json (made by the Python code).
const V = loadVectors("hashing");

test("the tag table is Python's", () => {
  assert.deepEqual({ ...Tag }, V.tags);
  assert.deepEqual([...TAGS].sort(), Object.values(V.tags).sort());
});

// Items as the vector file types them, in the JS kind that mirrors the Python kind.
function items(specs, { bigint = false } = {}) {
  return specs.map((spec) => {
    const [[kind, value]] = Object.entries(spec);
    switch (kind) {
      case "bytes":
        return fromHex(value);
      case "point":
        return Point.decode(fromHex(value));
      case "scalar":
        return Scalar.decode(fromHex(value));
      case "int":
        return bigint ? BigInt(value) : value;
      case "str":
        return value;
      default:
        throw new Error(`unknown item kind ${kind}`);
    }
  });
}

for (const [i, c] of V.cases.entries()) {
  test(`H and Hs vector ${i} (${c.tag})`, () => {
    assert.equal(toHex(H(c.tag, ...items(c.items))), c.H);
    assert.equal(Hs(c.tag, ...items(c.items)).hex(), c.Hs);
    // Integers as BigInt hash alike, and points and scalars hash as their bytes.
    assert.equal(toHex(H(c.tag, ...items(c.items, { bigint: true }))), c.H);
    const raw = c.items.map((spec) => {
      const [[kind, value]] = Object.entries(spec);
      return ["bytes", "point", "scalar"].includes(kind) ? fromHex(value) : value;
    });
    assert.equal(toHex(H(c.tag, ...raw)), c.H);
  });
}

test("integer items are 8 bytes big-endian, up to 2^64 - 1", () => {
  const big = 2n ** 64n - 1n;
  // An integer item is exactly its 8-byte big-endian encoding as a bytes item.
  assert.equal(toHex(H(Tag.BOARD, big)), toHex(H(Tag.BOARD, fromHex("ffffffffffffffff"))));
  assert.equal(toHex(H(Tag.BOARD, 258)), toHex(H(Tag.BOARD, fromHex("0000000000000102"))));
  assert.throws(() => H(Tag.BOARD, 2n ** 64n), RangeError);
  assert.throws(() => H(Tag.BOARD, -1), RangeError);
  assert.throws(() => H(Tag.BOARD, -1n), RangeError);
  assert.throws(() => H(Tag.BOARD, 2 ** 53), RangeError);
  assert.throws(() => H(Tag.BOARD, 1.5), TypeError);
  assert.equal(toHex(H(Tag.BOARD, 5)), toHex(H(Tag.BOARD, 5n)));
});

test("items that Python refuses are refused", () => {
  assert.throws(() => H(Tag.BOARD, true), TypeError);
  assert.throws(() => H(Tag.BOARD, null), TypeError);
  assert.throws(() => H(Tag.BOARD, undefined), TypeError);
  assert.throws(() => H(Tag.BOARD, [1]), TypeError);
  assert.throws(() => H(Tag.BOARD, "\ud800"), RangeError);
  assert.throws(() => H("other/v1/x"), RangeError);
});

test("strings hash as UTF-8", () => {
  assert.equal(
    toHex(H(Tag.CREDENTIAL, "Đại")),
    toHex(H(Tag.CREDENTIAL, new TextEncoder().encode("Đại"))),
  );
});

test("testRand and testBytes follow the Python definitions", () => {
  const rand = testRand("seed");
  assert.equal(rand().hex(), Hs(Tag.TEST_RNG, "seed", 0).hex());
  assert.equal(rand().hex(), Hs(Tag.TEST_RNG, "seed", 1).hex());
  assert.equal(toHex(testBytes("seed", 16)), toHex(H(Tag.TEST_RNG, "seed", "bytes").slice(0, 16)));
});
