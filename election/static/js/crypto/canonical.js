// Canonical JSON (PROTOCOL.md section 2; docs/protocol.md "Canonical JSON"): the twin of
// crypto/canonical.py.
//
// One value has exactly one byte string: UTF-8, object keys sorted, no insignificant white
// space, and only strings, integers, booleans, null, arrays and objects. The bytes equal
// Python's canonical_json: keys are restricted to ASCII so both languages sort them alike,
// integers to +-(2^53-1), and lone surrogates are refused. Strings are escaped by
// JSON.stringify, which escapes exactly what Python's json.dumps(ensure_ascii=False) escapes
// (", \, and U+0000..U+001F, with \b \f \n \r \t and lowercase \u00xx).

import { isBytes } from "./_bytes.js";
import { EncodingError } from "./errors.js";

export const MAX_SAFE_INTEGER = Number.MAX_SAFE_INTEGER; // 2^53 - 1

// Deeper documents are refused by parseJson and canonicalJson. Python has no explicit limit;
// its recursion limit refuses documents nested about 1000 deep, so every document both
// sides accept is far shallower than either limit.
export const MAX_DEPTH = 512;

const ENCODER = new TextEncoder();

/** True unless `s` contains a lone (unpaired) UTF-16 surrogate. */
export function isWellFormed(s) {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = i + 1 < s.length ? s.charCodeAt(i + 1) : 0;
      if (d < 0xdc00 || d > 0xdfff) return false;
      i++;
    } else if (c >= 0xdc00 && c <= 0xdfff) {
      return false;
    }
  }
  return true;
}

function isAscii(s) {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
  return true;
}

function isPlainObject(v) {
  if (v === null || typeof v !== "object") return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

function typeName(v) {
  if (v === undefined) return "undefined";
  if (typeof v === "number") return "float";
  if (typeof v !== "object") return typeof v;
  return v.constructor?.name ?? "object";
}

// Check `value` as Python's _check does, appending its canonical text to `out`.
function emit(value, path, depth, out) {
  if (depth > MAX_DEPTH) throw new EncodingError(`nesting deeper than ${MAX_DEPTH} at ${path}`);
  if (value === null) {
    out.push("null");
  } else if (value === true || value === false) {
    out.push(value ? "true" : "false");
  } else if (typeof value === "number" && Number.isInteger(value)) {
    if (!(Math.abs(value) <= MAX_SAFE_INTEGER)) {
      throw new EncodingError(`integer out of the safe range at ${path}`);
    }
    out.push(String(value)); // String(-0) is "0", as Python has no -0.
  } else if (typeof value === "string") {
    if (!isWellFormed(value)) throw new EncodingError(`string with a lone surrogate at ${path}`);
    out.push(JSON.stringify(value));
  } else if (Array.isArray(value)) {
    out.push("[");
    for (let i = 0; i < value.length; i++) {
      if (i) out.push(",");
      emit(value[i], `${path}[${i}]`, depth + 1, out);
    }
    out.push("]");
  } else if (isPlainObject(value)) {
    if (Object.getOwnPropertySymbols(value).length) {
      throw new EncodingError(`object key is not a string at ${path}`);
    }
    const keys = Object.keys(value);
    for (const key of keys) {
      if (!isAscii(key)) throw new EncodingError(`object key is not ASCII at ${path}`);
    }
    // For ASCII keys the UTF-16 order of sort() is Python's code-point order.
    keys.sort();
    out.push("{");
    keys.forEach((key, i) => {
      if (i) out.push(",");
      out.push(JSON.stringify(key), ":");
      emit(value[key], `${path}.${key}`, depth + 1, out);
    });
    out.push("}");
  } else {
    throw new EncodingError(
      `type ${typeName(value)} is not allowed in canonical JSON at ${path}`,
    );
  }
}

/**
 * The canonical JSON bytes of `value` (a Uint8Array).
 *
 * Throws EncodingError for non-integer numbers, non-ASCII keys, unsafe integers, lone
 * surrogates and any type outside JSON's (undefined, bigint, class instances...).
 */
export function canonicalJson(value) {
  const out = [];
  emit(value, "$", 0, out);
  return ENCODER.encode(out.join(""));
}

/** Python's _check without the output: throws EncodingError where canonicalJson would. */
function check(value) {
  emit(value, "$", 0, []);
}

// -- strict parser ----------------------------------------------------------------------

const WS = new Set([0x20, 0x09, 0x0a, 0x0d]);

class Parser {
  constructor(text) {
    this.s = text;
    this.i = 0;
  }

  fail(msg) {
    throw new EncodingError(`malformed JSON: ${msg} at position ${this.i}`);
  }

  ws() {
    while (this.i < this.s.length && WS.has(this.s.charCodeAt(this.i))) this.i++;
  }

  document() {
    this.ws();
    const v = this.value(0);
    this.ws();
    if (this.i !== this.s.length) this.fail("extra data");
    return v;
  }

  value(depth) {
    if (depth > MAX_DEPTH) this.fail(`nesting deeper than ${MAX_DEPTH}`);
    const s = this.s;
    const c = s[this.i];
    if (c === "{") return this.object(depth);
    if (c === "[") return this.array(depth);
    if (c === '"') return this.string();
    if (c === "-" || (c >= "0" && c <= "9")) return this.number();
    if (s.startsWith("true", this.i)) return (this.i += 4), true;
    if (s.startsWith("false", this.i)) return (this.i += 5), false;
    if (s.startsWith("null", this.i)) return (this.i += 4), null;
    if (s.startsWith("NaN", this.i) || s.startsWith("Infinity", this.i)) {
      throw new EncodingError("non-standard JSON constant");
    }
    return this.fail("expecting value");
  }

  object(depth) {
    this.i++; // {
    const obj = {};
    const seen = new Set();
    this.ws();
    if (this.s[this.i] === "}") return this.i++, obj;
    for (;;) {
      if (this.s[this.i] !== '"') this.fail("expecting property name in double quotes");
      const key = this.string();
      if (seen.has(key)) throw new EncodingError(`duplicate object key ${JSON.stringify(key)}`);
      seen.add(key);
      this.ws();
      if (this.s[this.i] !== ":") this.fail("expecting ':' delimiter");
      this.i++;
      this.ws();
      // defineProperty, so that a key "__proto__" is an own property as in JSON.parse.
      Object.defineProperty(obj, key, {
        value: this.value(depth + 1),
        writable: true,
        enumerable: true,
        configurable: true,
      });
      this.ws();
      const c = this.s[this.i];
      this.i++;
      if (c === "}") return obj;
      if (c !== ",") (this.i--, this.fail("expecting ',' delimiter"));
      this.ws();
    }
  }

  array(depth) {
    this.i++; // [
    const arr = [];
    this.ws();
    if (this.s[this.i] === "]") return this.i++, arr;
    for (;;) {
      arr.push(this.value(depth + 1));
      this.ws();
      const c = this.s[this.i];
      this.i++;
      if (c === "]") return arr;
      if (c !== ",") (this.i--, this.fail("expecting ',' delimiter"));
      this.ws();
    }
  }

  number() {
    const s = this.s;
    const start = this.i;
    if (s[this.i] === "-") this.i++;
    if (s.startsWith("Infinity", this.i)) throw new EncodingError("non-standard JSON constant");
    if (s[this.i] === "0") {
      this.i++;
    } else if (s[this.i] >= "1" && s[this.i] <= "9") {
      while (s[this.i] >= "0" && s[this.i] <= "9") this.i++;
    } else {
      this.fail("expecting value");
    }
    const c = s[this.i];
    if (c === "." || c === "e" || c === "E") {
      // A fraction or exponent is refused; a malformed one would be refused anyway.
      throw new EncodingError("numbers with a fraction or exponent are not allowed");
    }
    const text = s.slice(start, this.i);
    const n = Number(text);
    if (!Number.isSafeInteger(n)) {
      throw new EncodingError("integer out of the safe range");
    }
    return n === 0 ? 0 : n; // -0 parses as 0, as in Python.
  }

  string() {
    const s = this.s;
    this.i++; // opening quote
    let out = "";
    let chunk = this.i;
    for (;;) {
      if (this.i >= s.length) this.fail("unterminated string");
      const c = s.charCodeAt(this.i);
      if (c === 0x22) {
        out += s.slice(chunk, this.i);
        this.i++;
        break;
      }
      if (c < 0x20) this.fail("invalid control character");
      if (c !== 0x5c) {
        this.i++;
        continue;
      }
      out += s.slice(chunk, this.i);
      const e = s[this.i + 1];
      this.i += 2;
      switch (e) {
        case '"': out += '"'; break;
        case "\\": out += "\\"; break;
        case "/": out += "/"; break;
        case "b": out += "\b"; break;
        case "f": out += "\f"; break;
        case "n": out += "\n"; break;
        case "r": out += "\r"; break;
        case "t": out += "\t"; break;
        case "u": {
          const hex = s.slice(this.i, this.i + 4);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail("invalid \\uXXXX escape");
          out += String.fromCharCode(parseInt(hex, 16));
          this.i += 4;
          break;
        }
        default:
          this.i -= 2;
          this.fail("invalid \\escape");
      }
      chunk = this.i;
    }
    // Escaped surrogates pair up as in Python; a lone one is refused below (as Python's
    // final check refuses it).
    if (!isWellFormed(out)) throw new EncodingError("string with a lone surrogate");
    return out;
  }
}

function codePointLength(text) {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0xd800 || c > 0xdbff || i + 1 >= text.length) n++;
    else {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
      n++;
    }
  }
  return n;
}

/**
 * Parse untrusted JSON (a Uint8Array of UTF-8 or a string) strictly.
 *
 * Refuses floats, NaN/Infinity, duplicate keys, unsafe integers, lone surrogates, a byte
 * order mark, non-ASCII keys and documents larger than `maxBytes`. It does not require the
 * input to be canonical; callers that hash re-encode with canonicalJson.
 */
export function parseJson(data, { maxBytes = 8 * 1024 * 1024 } = {}) {
  let text;
  if (isBytes(data)) {
    if (data.length > maxBytes) throw new EncodingError("JSON document too large");
    try {
      // ignoreBOM keeps a leading U+FEFF, which the parser then refuses (as Python does).
      text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(data);
    } catch (e) {
      throw new EncodingError("JSON is not valid UTF-8", { cause: e });
    }
  } else if (typeof data === "string") {
    text = data;
    if (text.length > maxBytes && codePointLength(text) > maxBytes) {
      throw new EncodingError("JSON document too large");
    }
    if (!isWellFormed(text)) throw new EncodingError("JSON text with a lone surrogate");
  } else {
    throw new TypeError("parseJson takes a Uint8Array or a string");
  }
  const value = new Parser(text).document();
  check(value);
  return value;
}
