// Strict decoding of the JSON wire format (docs/protocol.md "Encodings"): the twin of
// crypto/encoding.py.
//
// Bytes travel as lowercase hex of an exact length. Every helper throws EncodingError (or
// InvalidPoint/InvalidScalar) on the first deviation; none guesses.

import { hexToBytes } from "@noble/hashes/utils.js";

import { EncodingError } from "./errors.js";
import { Point, Scalar } from "./group.js";

const HEX = /^[0-9a-f]*$/;

/** Decode lowercase hex of exactly `length` bytes. */
export function bytesFromHex(value, length, what = "value") {
  if (typeof value !== "string") throw new EncodingError(`${what}: expected a hex string`);
  if (value.length !== 2 * length || !HEX.test(value)) {
    throw new EncodingError(`${what}: expected ${length} bytes as lowercase hex`);
  }
  return hexToBytes(value);
}

export function pointFromHex(value, what = "point") {
  return Point.decode(bytesFromHex(value, 32, what));
}

export function scalarFromHex(value, what = "scalar") {
  return Scalar.decode(bytesFromHex(value, 32, what));
}

function isObject(obj) {
  return obj !== null && typeof obj === "object" && !Array.isArray(obj);
}

/** Require a JSON object with exactly `keys` (an iterable of strings). */
export function requireKeys(obj, keys, what) {
  if (!isObject(obj)) throw new EncodingError(`${what}: expected an object`);
  const want = new Set(keys);
  const have = new Set(Object.keys(obj));
  const missing = [...want].filter((k) => !have.has(k)).sort();
  const extra = [...have].filter((k) => !want.has(k)).sort();
  if (missing.length || extra.length) {
    throw new EncodingError(
      `${what}: missing keys ${JSON.stringify(missing)}, unexpected keys ${JSON.stringify(extra)}`,
    );
  }
  return obj;
}

export function requireList(value, what, length = null) {
  if (!Array.isArray(value)) throw new EncodingError(`${what}: expected an array`);
  if (length !== null && value.length !== length) {
    throw new EncodingError(`${what}: expected ${length} items, got ${value.length}`);
  }
  return value;
}

export function requireInt(value, what, lo = 0, hi = Number.MAX_SAFE_INTEGER) {
  if (typeof value !== "number" || !Number.isInteger(value) || value < lo || value > hi) {
    throw new EncodingError(`${what}: expected an integer in [${lo}, ${hi}]`);
  }
  return value;
}
