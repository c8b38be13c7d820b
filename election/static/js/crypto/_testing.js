// Deterministic randomness for test vectors and simulations (never for real ballots): the
// twin of crypto/_testing.py.
//
// testRand(seed) returns a function whose i-th call (from 0) returns
// Hs("dh-vote/v1/test-rng", seed, i), so both sides draw the same scalars in the same order.
// Deliberately not exported from index.js.

import { H, Hs, Tag } from "./hashing.js";

export function testRand(seed) {
  let counter = 0;
  return function draw() {
    const s = Hs(Tag.TEST_RNG, seed, counter);
    counter += 1;
    return s;
  };
}

/** n (<= 64) deterministic bytes: H("dh-vote/v1/test-rng", seed, "bytes")[:n]. */
export function testBytes(seed, n) {
  return H(Tag.TEST_RNG, seed, "bytes").slice(0, n);
}
