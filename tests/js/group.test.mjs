import assert from "node:assert/strict";
import { test } from "node:test";

import {
  G,
  GROUP_NAME,
  IDENTITY,
  InvalidPoint,
  InvalidScalar,
  L,
  Point,
  Scalar,
  smallMultiple,
} from "../../election/static/js/crypto/index.js";
import { fromHex, loadVectors, toHex } from "./vectors.mjs";

// ATTACKS.md T-13.c: this JS twin, a second implementation of the protocol, must agree
// with Python on every case of tests/vectors/group.json (made by the Python code).
const V = loadVectors("group");

test("constants", () => {
  assert.equal(GROUP_NAME, "edwards25519-prime-order-subgroup");
  assert.equal(L.toString(), V.L);
  assert.equal(G.hex(), V.G);
  assert.equal(IDENTITY.hex(), V.identity);
  assert.ok(IDENTITY.isIdentity());
  assert.ok(!G.isIdentity());
});

for (const [i, m] of V.multiplications.entries()) {
  test(`multiplication vector ${i} (libsodium's bytes)`, () => {
    const s = Scalar.decode(fromHex(m.s));
    const P = Point.decode(fromHex(m.P));
    for (const mul of ["mul", "mulPublic"]) {
      assert.equal(G[mul](s).hex(), m.sG, mul);
      assert.equal(P[mul](s).hex(), m.sP, mul);
      assert.equal(P.add(G[mul](s)).hex(), m["P+sG"], mul);
    }
    // A point with a cached table multiplies alike.
    const Q = Point.decode(fromHex(m.P)).precompute();
    assert.equal(Q.mul(s).hex(), m.sP);
    assert.equal(Q.mulPublic(s).hex(), m.sP);
    assert.equal(Point.decode(P.encode()).hex(), m.P);
  });
}

for (const [kind, list] of Object.entries(V.invalid_points)) {
  for (const hex of list) {
    test(`invalid point refused (${kind} ${hex.slice(0, 8)}…)`, () => {
      assert.throws(() => Point.decode(fromHex(hex)), InvalidPoint);
    });
  }
}

test("points of the wrong length or type are refused", () => {
  assert.throws(() => Point.decode(fromHex(V.G).slice(0, 31)), InvalidPoint);
  assert.throws(() => Point.decode(new Uint8Array(33)), InvalidPoint);
  assert.throws(() => Point.decode(V.G), InvalidPoint);
  assert.throws(() => Point.decode([...fromHex(V.G)]), InvalidPoint);
  assert.throws(() => new Point(), TypeError);
});

for (const hex of V.invalid_scalars) {
  test(`invalid scalar refused (${hex.slice(0, 8)}…)`, () => {
    assert.throws(() => Scalar.decode(fromHex(hex)), InvalidScalar);
  });
}

for (const hex of V.valid_scalars) {
  test(`valid scalar accepted (${hex.slice(0, 8)}…)`, () => {
    assert.equal(Scalar.decode(fromHex(hex)).hex(), hex);
  });
}

test("scalar construction", () => {
  assert.throws(() => Scalar.decode(new Uint8Array(31)), InvalidScalar);
  assert.throws(() => Scalar.decodeNonzero(new Uint8Array(32)), InvalidScalar);
  assert.equal(Scalar.fromInt(-1).toBigInt(), L - 1n);
  assert.equal(Scalar.fromInt(L + 5n).toBigInt(), 5n);
  assert.throws(() => Scalar.fromInt(1.5), TypeError);
  assert.throws(() => Scalar.fromWide(new Uint8Array(32)), RangeError);
  const wide = new Uint8Array(64).fill(0xff);
  assert.equal(Scalar.fromWide(wide).toBigInt(), (2n ** 512n - 1n) % L);
  const r = Scalar.random();
  assert.ok(!r.isZero() && r.toBigInt() < L);
  assert.notEqual(Scalar.random().hex(), r.hex());
  assert.equal(String(r), "Scalar(…)");
  assert.throws(() => JSON.stringify(r), TypeError);
});

test("scalar arithmetic mod L", () => {
  const a = Scalar.fromInt(L - 2n);
  const b = Scalar.fromInt(5);
  assert.equal(a.add(b).toBigInt(), 3n);
  assert.equal(b.sub(a).toBigInt(), 7n);
  assert.equal(a.mul(b).toBigInt(), (5n * (L - 2n)) % L);
  assert.equal(b.neg().add(b).toBigInt(), 0n);
  assert.ok(Scalar.fromInt(0).neg().isZero());
  assert.ok(b.mul(b.inverse()).equals(Scalar.fromInt(1)));
  assert.throws(() => Scalar.fromInt(0).inverse(), RangeError);
});

test("the identity special cases are Python's", () => {
  const zero = Scalar.fromInt(0);
  const s = Scalar.random();
  const P = G.mul(Scalar.random());
  for (const mul of ["mul", "mulPublic"]) {
    assert.ok(P[mul](zero).equals(IDENTITY));
    assert.ok(G[mul](zero).equals(IDENTITY));
    assert.ok(IDENTITY[mul](s).equals(IDENTITY));
  }
  assert.equal(P.sub(P).hex(), V.identity);
  assert.ok(P.add(IDENTITY).equals(P));
  assert.ok(P.neg().add(P).isIdentity());
  assert.ok(smallMultiple(0).equals(IDENTITY));
  assert.ok(smallMultiple(1).equals(G));
  assert.equal(smallMultiple(7).hex(), G.mul(Scalar.fromInt(7)).hex());
  assert.throws(() => smallMultiple(-1), RangeError);
  // The identity never comes in from outside.
  assert.throws(() => Point.decode(IDENTITY.encode()), InvalidPoint);
});

test("(L-1)*P = -P and group laws", () => {
  const P = G.mul(Scalar.random());
  const a = Scalar.random();
  const b = Scalar.random();
  assert.ok(P.mul(Scalar.fromInt(-1)).equals(P.neg()));
  assert.ok(G.mul(a).add(G.mul(b)).equals(G.mul(a.add(b))));
  assert.ok(P.mul(a).mul(b).equals(P.mul(a.mul(b))));
  assert.equal(toHex(P.encode()), P.hex());
  assert.ok(Point.decode(P.encode()).equals(P));
});
