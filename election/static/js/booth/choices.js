// The delegate's choice on a ballot form, and how it becomes the form's counters
// (docs/protocol.md section 6; RULES.md R-BALLOT-2..5). Pure functions, no DOM: the booth's
// screens call them, and tests/js/booth_choices.test.mjs checks every form and case.
//
// A choice is one mark per name, in ballot order ("rows"):
//
// * cross_out (gạch tên, a list with a surplus): KEPT or STRUCK. Paper starts with every name
//   kept; the delegate strikes the names they vote against.
// * agree_disagree (no surplus): AGREE, DISAGREE or NONE. Paper also allows both boxes on a
//   row, but "both" and "neither" are encoded identically (agree = disagree = 0 on a
//   multi-name list, invalid_marks = 1 on a single name), so the terminal offers one box or
//   none per row and loses nothing.
// * choose_at_most (nomination ballots): CHOSEN or NONE, at most k chosen. The form has no
//   invalid indicator, so marking a (k+1)-th name is refused on screen.
//
// Validity (R-BALLOT-3, R-BALLOT-4) and the encoding:
//
// * cross_out, 1..k kept: keep_i = 1 for the kept names, invalid_over = invalid_none = 0.
// * cross_out, more than k kept: every keep_i = 0 and invalid_over = 1 (R-BALLOT-4.2).
// * cross_out, nothing kept: every keep_i = 0 and invalid_none = 1 (R-BALLOT-4.3).
// * agree_disagree, n >= 2: agree_i / disagree_i per row; a NONE row is 0, 0 ("not counted for
//   that person", R-RESULT-1) and the ballot stays valid.
// * agree_disagree, n = 1: [1, 0, 0], [0, 1, 0], or invalid_marks: [0, 0, 1] (R-BALLOT-4.6).
// * choose_at_most: choose_i = 1 for the chosen names (0..k of them).
//
// An invalid choice is encoded only when the caller says the delegate confirmed it twice
// (`invalidConfirmed`); otherwise toCounters throws InvalidChoice. Names are never recorded
// on an invalid ballot: the reason is counted, the names are not.

export const KEPT = "kept";
export const STRUCK = "struck";
export const AGREE = "agree";
export const DISAGREE = "disagree";
export const CHOSEN = "chosen";
export const NONE = "none";

/** Why a ballot is invalid; the values match the counter names' suffixes. */
export const Reason = Object.freeze({
  OVER: "over", // cross_out: kept more than k names
  NONE: "none", // cross_out: struck every name
  MARKS: "marks", // agree_disagree, one name: neither box (or both)
});

const VALUES = {
  cross_out: [KEPT, STRUCK],
  agree_disagree: [AGREE, DISAGREE, NONE],
  choose_at_most: [CHOSEN, NONE],
};

/** A choice the form cannot encode, or an invalid one that was not confirmed. */
export class InvalidChoice extends Error {
  constructor(message, reason = null) {
    super(message);
    this.name = "InvalidChoice";
    this.reason = reason;
  }
}

function checkRows(form, rows) {
  const allowed = VALUES[form.kind];
  if (!allowed) throw new InvalidChoice(`unknown form kind ${String(form.kind)}`);
  if (!Array.isArray(rows) || rows.length !== form.candidates) {
    throw new InvalidChoice("one mark per name");
  }
  if (rows.some((v) => !allowed.includes(v))) throw new InvalidChoice("a mark the form has not");
}

/** The unmarked paper ballot: every name kept (cross_out) or no box marked. */
export function blankChoice(form) {
  const value = form.kind === "cross_out" ? KEPT : NONE;
  const rows = Array(form.candidates).fill(value);
  checkRows(form, rows);
  return rows;
}

/**
 * The rows after the delegate taps `value` on name `index` (a new array; `rows` is unchanged).
 *
 * cross_out: any tap on a name toggles KEPT/STRUCK (`value` is ignored). agree_disagree:
 * tapping a box marks it (clearing the row's other box); tapping the marked box clears it.
 * choose_at_most: toggles CHOSEN; choosing one more than k is refused: the result is
 * `{rows, refused: "full"}` with the rows unchanged. Always returns `{rows, refused}`.
 */
export function tap(form, rows, index, value = null) {
  checkRows(form, rows);
  if (!Number.isInteger(index) || index < 0 || index >= rows.length) {
    throw new InvalidChoice("no such name");
  }
  const next = [...rows];
  if (form.kind === "cross_out") {
    next[index] = rows[index] === KEPT ? STRUCK : KEPT;
  } else if (form.kind === "agree_disagree") {
    if (value !== AGREE && value !== DISAGREE) throw new InvalidChoice("tap agree or disagree");
    next[index] = rows[index] === value ? NONE : value;
  } else {
    if (rows[index] === NONE && count(rows, CHOSEN) >= form.seats) {
      return { rows: [...rows], refused: "full" };
    }
    next[index] = rows[index] === CHOSEN ? NONE : CHOSEN;
  }
  return { rows: next, refused: null };
}

function count(rows, value) {
  return rows.reduce((n, v) => n + (v === value ? 1 : 0), 0);
}

/**
 * What the choice means: `{valid, reason, kept, chosen, seats, uncounted}`.
 *
 * `reason` is a Reason value for an invalid ballot and null otherwise; `uncounted` lists the
 * names (indices) left without a mark on a multi-name agree/disagree ballot.
 */
export function assess(form, rows) {
  checkRows(form, rows);
  const result = {
    valid: true,
    reason: null,
    kept: count(rows, KEPT),
    chosen: count(rows, CHOSEN),
    seats: form.seats,
    uncounted: [],
  };
  if (form.kind === "cross_out") {
    if (result.kept > form.seats) result.reason = Reason.OVER;
    else if (result.kept === 0) result.reason = Reason.NONE;
  } else if (form.kind === "agree_disagree") {
    if (form.candidates === 1) {
      if (rows[0] === NONE) result.reason = Reason.MARKS;
    } else {
      rows.forEach((v, i) => {
        if (v === NONE) result.uncounted.push(i);
      });
    }
  } else if (result.chosen > form.seats) {
    throw new InvalidChoice("more names chosen than the form allows");
  }
  result.valid = result.reason === null;
  return result;
}

/**
 * The counters that encode `rows` on `form` (docs/protocol.md section 6), checked with
 * form.checkPlaintext. An invalid choice needs `{invalidConfirmed: true}`.
 */
export function toCounters(form, rows, { invalidConfirmed = false } = {}) {
  const { reason } = assess(form, rows);
  if (reason !== null && !invalidConfirmed) {
    throw new InvalidChoice("an invalid ballot must be confirmed first", reason);
  }
  const n = form.candidates;
  let counters;
  if (form.kind === "cross_out") {
    if (reason === Reason.OVER) counters = [...Array(n).fill(0), 1, 0];
    else if (reason === Reason.NONE) counters = [...Array(n).fill(0), 0, 1];
    else counters = [...rows.map((v) => (v === KEPT ? 1 : 0)), 0, 0];
  } else if (form.kind === "agree_disagree") {
    if (n === 1) {
      const mark = rows[0];
      counters = [mark === AGREE ? 1 : 0, mark === DISAGREE ? 1 : 0, mark === NONE ? 1 : 0];
    } else {
      counters = rows.flatMap((v) => [v === AGREE ? 1 : 0, v === DISAGREE ? 1 : 0]);
    }
  } else {
    counters = rows.map((v) => (v === CHOSEN ? 1 : 0));
  }
  form.checkPlaintext(counters);
  return counters;
}

/**
 * Read counters back (an audited ballot, or what a choice will encode): `{reason, rows}`.
 *
 * `rows` is null on an invalid cross-out ballot, which records no names. The counters must be
 * legal for the form (form.checkPlaintext).
 */
export function fromCounters(form, counters) {
  form.checkPlaintext(counters);
  const n = form.candidates;
  if (form.kind === "cross_out") {
    if (counters[n] === 1) return { reason: Reason.OVER, rows: null };
    if (counters[n + 1] === 1) return { reason: Reason.NONE, rows: null };
    return { reason: null, rows: counters.slice(0, n).map((m) => (m === 1 ? KEPT : STRUCK)) };
  }
  if (form.kind === "agree_disagree") {
    if (n === 1) {
      const row = counters[0] === 1 ? AGREE : counters[1] === 1 ? DISAGREE : NONE;
      return { reason: counters[2] === 1 ? Reason.MARKS : null, rows: [row] };
    }
    const rows = [];
    for (let i = 0; i < n; i++) {
      rows.push(counters[2 * i] === 1 ? AGREE : counters[2 * i + 1] === 1 ? DISAGREE : NONE);
    }
    return { reason: null, rows };
  }
  return { reason: null, rows: counters.map((m) => (m === 1 ? CHOSEN : NONE)) };
}
