// Shared helpers of the JS tests: the vector files (made by Python, tests/vectors/*.json)
// and hex conversion. Vectors are trusted files, so plain JSON.parse loads them.

import { readFileSync } from "node:fs";

export function loadVectors(name) {
  return JSON.parse(readFileSync(new URL(`../vectors/${name}.json`, import.meta.url), "utf8"));
}

export function fromHex(hex) {
  return Uint8Array.from(Buffer.from(hex, "hex"));
}

export function toHex(bytes) {
  return Buffer.from(bytes).toString("hex");
}

/** A deep copy of a JSON value. */
export function clone(value) {
  return JSON.parse(JSON.stringify(value));
}
