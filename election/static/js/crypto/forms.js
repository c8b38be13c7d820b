// Ballot forms: which counters a ballot has and which combinations are allowed. The twin of
// crypto/forms.py (PROTOCOL.md section 6; the choice of form is the rules engine's, RULES.md
// R-BALLOT-2..5).
//
// A form is a list of counters (each encrypts 0 or 1) and a list of combinations: public
// weights w (one per counter) and the set of values sum_i w_i*m_i may take.
//
// * crossOut(n, k): counters keep_1..keep_n, invalid_over, invalid_none; with W = n + 1 one
//   combination sum keep_i + W*invalid_over + 2W*invalid_none in {1..k} ∪ {W, 2W}.
// * agreeDisagree(n) (n >= 2): counters agree_i, disagree_i per name; per name
//   agree_i + disagree_i in {0, 1}.
// * agreeDisagree(1): counters agree, disagree, invalid_marks with a sum of exactly 1.
// * chooseAtMost(n, k): counters choose_1..choose_n, sum choose_i in {0..k}.

import { requireInt, requireKeys, requireList } from "./encoding.js";
import { EncodingError, InvalidBallot } from "./errors.js";

export const MAX_CANDIDATES = 500;

/** sum_i weights[i] * counter_i must be one of `allowed`. */
export class Combination {
  constructor(weights, allowed) {
    this.weights = Object.freeze([...weights]);
    this.allowed = Object.freeze([...allowed]);
    Object.freeze(this);
  }

  value(counters) {
    if (counters.length !== this.weights.length) throw new RangeError("one counter per weight");
    let total = 0;
    this.weights.forEach((w, i) => {
      total += w * counters[i];
    });
    return total;
  }
}

/** The encrypted shape of one contest's ballot. */
export class BallotForm {
  constructor(kind, candidates, seats, counters, combinations) {
    this.kind = kind;
    this.candidates = candidates;
    this.seats = seats;
    this.counters = Object.freeze([...counters]);
    this.combinations = Object.freeze([...combinations]);
    Object.freeze(this);
  }

  /** Throw InvalidBallot unless `counters` is a legal choice for this form. */
  checkPlaintext(counters) {
    if (!Array.isArray(counters) || counters.length !== this.counters.length) {
      throw new InvalidBallot("wrong number of counters");
    }
    if (counters.some((m) => m !== 0 && m !== 1)) throw new InvalidBallot("every counter is 0 or 1");
    for (const combo of this.combinations) {
      if (!combo.allowed.includes(combo.value(counters))) {
        throw new InvalidBallot("choice not allowed by the form");
      }
    }
  }

  toJson() {
    return {
      kind: this.kind,
      candidates: this.candidates,
      seats: this.seats,
      counters: [...this.counters],
      combinations: this.combinations.map((c) => ({
        weights: [...c.weights],
        allowed: [...c.allowed],
      })),
    };
  }

  /** Rebuild from kind and sizes and require the stated counters and sets to match. */
  static fromJson(obj) {
    requireKeys(obj, ["kind", "candidates", "seats", "counters", "combinations"], "form");
    const n = requireInt(obj.candidates, "form.candidates", 1, MAX_CANDIDATES);
    const k = requireInt(obj.seats, "form.seats", 0, MAX_CANDIDATES);
    const form = formFor(obj.kind, n, k);
    requireList(obj.counters, "form.counters");
    requireList(obj.combinations, "form.combinations");
    if (!jsonEqual(form.toJson(), obj)) {
      throw new EncodingError("form: counters or combinations differ from its kind and sizes");
    }
    return form;
  }
}

// Deep equality of JSON values. Unlike Python's ==, true never equals 1.
function jsonEqual(a, b) {
  if (a === b) return true;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]));
  }
  if (a === null || b === null || typeof a !== "object" || typeof b !== "object") return false;
  if (Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return (
    ka.length === kb.length &&
    ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && jsonEqual(a[k], b[k]))
  );
}

function checkSizes(n, k) {
  if (!Number.isSafeInteger(n) || !Number.isSafeInteger(k)) throw new TypeError("sizes are integers");
  if (!(n >= 1 && n <= MAX_CANDIDATES)) {
    throw new RangeError(`a list has 1..${MAX_CANDIDATES} names`);
  }
}

function range(a, b) {
  // The integers a..b-1.
  return Array.from({ length: Math.max(0, b - a) }, (_, i) => a + i);
}

/** The surplus form: keep between 1 and k of n names, or a counted invalid reason. */
export function crossOut(n, k) {
  checkSizes(n, k);
  if (!(k >= 1 && k < n)) {
    throw new RangeError("the cross-out form needs a surplus: 1 <= seats < names");
  }
  const W = n + 1;
  const counters = [...range(1, n + 1).map((i) => `keep_${i}`), "invalid_over", "invalid_none"];
  const combo = new Combination(
    [...Array(n).fill(1), W, 2 * W],
    [...range(1, k + 1), W, 2 * W],
  );
  return new BallotForm("cross_out", n, k, counters, [combo]);
}

/** The no-surplus form: an agree and a disagree box per name (seats = names). */
export function agreeDisagree(n) {
  checkSizes(n, n);
  if (n === 1) {
    const combo = new Combination([1, 1, 1], [1]);
    return new BallotForm("agree_disagree", 1, 1, ["agree", "disagree", "invalid_marks"], [combo]);
  }
  const counters = [];
  const combos = [];
  for (let i = 0; i < n; i++) {
    counters.push(`agree_${i + 1}`, `disagree_${i + 1}`);
    const weights = Array(2 * n).fill(0);
    weights[2 * i] = weights[2 * i + 1] = 1;
    combos.push(new Combination(weights, [0, 1]));
  }
  return new BallotForm("agree_disagree", n, n, counters, combos);
}

/** Nomination ballots: mark at most k names (possibly none). */
export function chooseAtMost(n, k) {
  checkSizes(n, k);
  if (!(k >= 1 && k <= n)) throw new RangeError("choose_at_most needs 1 <= k <= n");
  const counters = range(1, n + 1).map((i) => `choose_${i}`);
  return new BallotForm("choose_at_most", n, k, counters, [
    new Combination(Array(n).fill(1), range(0, k + 1)),
  ]);
}

/** Build a form from its kind and sizes; throw EncodingError for an unknown kind. */
export function formFor(kind, n, k) {
  try {
    if (kind === "cross_out") return crossOut(n, k);
    if (kind === "agree_disagree") {
      if (n !== k) throw new RangeError("agree/disagree has as many seats as names");
      return agreeDisagree(n);
    }
    if (kind === "choose_at_most") return chooseAtMost(n, k);
  } catch (e) {
    if (e instanceof RangeError) throw new EncodingError(`form: ${e.message}`, { cause: e });
    throw e;
  }
  const shown = typeof kind === "string" ? JSON.stringify(kind) : String(kind);
  throw new EncodingError(`form: unknown kind ${shown}`);
}
