// Byte helpers shared by the modules (internal).

/**
 * True for a Uint8Array, including one made in another realm (an iframe, a worker's
 * structured clone), which `instanceof` alone would miss. Node's Buffer is a Uint8Array.
 */
export function isBytes(x) {
  return (
    x instanceof Uint8Array ||
    (ArrayBuffer.isView(x) && x.constructor !== undefined && x.constructor.name === "Uint8Array")
  );
}

/** Equality of two byte arrays, without an early exit on the first difference. */
export function equalBytes(a, b) {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a[i] ^ b[i];
  return d === 0;
}

/** Lexicographic order of byte arrays (Python's order of bytes). */
export function compareBytes(a, b) {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}
