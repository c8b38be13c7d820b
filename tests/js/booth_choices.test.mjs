// The booth's choice -> counters mapping (election/static/js/booth/choices.js) against
// docs/protocol.md section 6 and RULES.md R-BALLOT-2..5: every form, every invalid case,
// checked with the crypto's own BallotForm.checkPlaintext, and (T-11.d) through a real
// encryption, Benaloh audit and re-encryption.

import assert from "node:assert/strict";
import { test } from "node:test";

import {
  AGREE,
  CHOSEN,
  DISAGREE,
  InvalidChoice,
  KEPT,
  NONE,
  Reason,
  STRUCK,
  assess,
  blankChoice,
  fromCounters,
  tap,
  toCounters,
} from "../../election/static/js/booth/choices.js";
import { format } from "../../election/static/js/common/messages.js";
import {
  CredentialKey,
  G,
  RoundContext,
  Scalar,
  agreeDisagree,
  auditBallot,
  chooseAtMost,
  crossOut,
  encryptBallot,
  generateCode,
  verifyAudited,
  verifyBallot,
} from "../../election/static/js/crypto/index.js";

// Every assignment of `values` to n rows.
function* patterns(n, values) {
  if (n === 0) {
    yield [];
    return;
  }
  for (const rest of patterns(n - 1, values)) for (const v of values) yield [...rest, v];
}

const zeros = (n) => Array(n).fill(0);

test("a blank ballot keeps every name on the cross-out form and marks nothing elsewhere", () => {
  assert.deepEqual(blankChoice(crossOut(3, 2)), [KEPT, KEPT, KEPT]);
  assert.deepEqual(blankChoice(agreeDisagree(2)), [NONE, NONE]);
  assert.deepEqual(blankChoice(agreeDisagree(1)), [NONE]);
  assert.deepEqual(blankChoice(chooseAtMost(4, 1)), [NONE, NONE, NONE, NONE]);
});

for (const [n, k] of [
  [2, 1],
  [3, 2],
  [4, 2],
  [5, 3],
  [6, 5],
]) {
  test(`cross-out ${n} names, ${k} seats: every pattern of strikes`, () => {
    const form = crossOut(n, k);
    for (const rows of patterns(n, [KEPT, STRUCK])) {
      const kept = rows.filter((v) => v === KEPT).length;
      const a = assess(form, rows);
      assert.equal(a.kept, kept);
      if (kept >= 1 && kept <= k) {
        assert.equal(a.valid, true);
        assert.equal(a.reason, null);
        const counters = toCounters(form, rows);
        assert.deepEqual(counters, [...rows.map((v) => (v === KEPT ? 1 : 0)), 0, 0]);
        // Confirming an already valid ballot changes nothing.
        assert.deepEqual(toCounters(form, rows, { invalidConfirmed: true }), counters);
        assert.deepEqual(fromCounters(form, counters), { reason: null, rows });
      } else {
        const reason = kept > k ? Reason.OVER : Reason.NONE;
        assert.equal(a.valid, false);
        assert.equal(a.reason, reason);
        assert.throws(
          () => toCounters(form, rows),
          (e) => e instanceof InvalidChoice && e.reason === reason,
        );
        const counters = toCounters(form, rows, { invalidConfirmed: true });
        // Every keep_i = 0 and exactly one reason: no name is recorded on an invalid ballot.
        const over = reason === Reason.OVER ? 1 : 0;
        assert.deepEqual(counters, [...zeros(n), over, 1 - over]);
        form.checkPlaintext(counters);
        assert.deepEqual(fromCounters(form, counters), { reason, rows: null });
      }
    }
  });
}

test("cross-out: RULES.md example 5 (11 names, 9 seats)", () => {
  const form = crossOut(11, 9);
  const struck = (m) => blankChoice(form).map((v, i) => (i < m ? STRUCK : v));
  const cases = [
    [0, Reason.OVER], // b1: keeps 11
    [1, Reason.OVER], // b2: keeps 10
    [2, null], // b3: keeps 9
    [6, null], // b4: keeps 5, fewer than seats is allowed
    [11, Reason.NONE], // b5: votes for nobody
  ];
  for (const [m, reason] of cases) {
    const rows = struck(m);
    assert.equal(assess(form, rows).reason, reason, `${m} struck`);
    const counters = toCounters(form, rows, { invalidConfirmed: true });
    form.checkPlaintext(counters);
    if (reason === null) assert.equal(counters.slice(0, 11).reduce((s, x) => s + x, 0), 11 - m);
    else assert.deepEqual(counters.slice(0, 11), zeros(11));
  }
});

test("agree/disagree, one name: a box, or invalid_marks after confirmation", () => {
  const form = agreeDisagree(1);
  assert.deepEqual(toCounters(form, [AGREE]), [1, 0, 0]);
  assert.deepEqual(toCounters(form, [DISAGREE]), [0, 1, 0]);
  assert.deepEqual(assess(form, [NONE]).reason, Reason.MARKS);
  assert.throws(() => toCounters(form, [NONE]), InvalidChoice);
  const counters = toCounters(form, [NONE], { invalidConfirmed: true });
  assert.deepEqual(counters, [0, 0, 1]);
  form.checkPlaintext(counters);
  assert.deepEqual(fromCounters(form, counters), { reason: Reason.MARKS, rows: [NONE] });
  assert.deepEqual(fromCounters(form, [1, 0, 0]), { reason: null, rows: [AGREE] });
  assert.deepEqual(fromCounters(form, [0, 1, 0]), { reason: null, rows: [DISAGREE] });
});

test("agree/disagree, several names: every pattern is valid; an unmarked row is 0, 0", () => {
  for (const n of [2, 3, 4]) {
    const form = agreeDisagree(n);
    for (const rows of patterns(n, [AGREE, DISAGREE, NONE])) {
      const a = assess(form, rows);
      assert.equal(a.valid, true);
      assert.deepEqual(
        a.uncounted,
        rows.flatMap((v, i) => (v === NONE ? [i] : [])),
      );
      const counters = toCounters(form, rows);
      assert.deepEqual(
        counters,
        rows.flatMap((v) => [v === AGREE ? 1 : 0, v === DISAGREE ? 1 : 0]),
      );
      form.checkPlaintext(counters);
      assert.deepEqual(fromCounters(form, counters), { reason: null, rows });
    }
  }
});

test("choose at most k: every subset up to k; the (k+1)-th tap is refused", () => {
  const form = chooseAtMost(4, 2);
  for (const rows of patterns(4, [CHOSEN, NONE])) {
    const chosen = rows.filter((v) => v === CHOSEN).length;
    if (chosen > 2) {
      assert.throws(() => assess(form, rows), InvalidChoice);
      assert.throws(() => toCounters(form, rows, { invalidConfirmed: true }), InvalidChoice);
      continue;
    }
    assert.equal(assess(form, rows).valid, true);
    const counters = toCounters(form, rows);
    assert.deepEqual(counters, rows.map((v) => (v === CHOSEN ? 1 : 0)));
    form.checkPlaintext(counters);
    assert.deepEqual(fromCounters(form, counters), { reason: null, rows });
  }
  let rows = blankChoice(form);
  rows = tap(form, rows, 0).rows;
  rows = tap(form, rows, 3).rows;
  const full = tap(form, rows, 1);
  assert.equal(full.refused, "full");
  assert.deepEqual(full.rows, [CHOSEN, NONE, NONE, CHOSEN]);
  // Un-choosing is always allowed, and then another name can be chosen.
  rows = tap(form, rows, 0).rows;
  assert.deepEqual(tap(form, rows, 1), { rows: [NONE, CHOSEN, NONE, CHOSEN], refused: null });
});

test("taps: strike and unstrike; a box marks its row (moving off the other), again clears", () => {
  const cross = crossOut(3, 1);
  const blank = blankChoice(cross);
  const once = tap(cross, blank, 1);
  assert.deepEqual(once, { rows: [KEPT, STRUCK, KEPT], refused: null });
  assert.deepEqual(blank, [KEPT, KEPT, KEPT], "tap returns a new array");
  assert.deepEqual(tap(cross, once.rows, 1).rows, blank);

  const boxes = agreeDisagree(2);
  let rows = blankChoice(boxes);
  rows = tap(boxes, rows, 0, AGREE).rows;
  assert.deepEqual(rows, [AGREE, NONE]);
  rows = tap(boxes, rows, 0, DISAGREE).rows;
  assert.deepEqual(rows, [DISAGREE, NONE]);
  rows = tap(boxes, rows, 0, DISAGREE).rows;
  assert.deepEqual(rows, [NONE, NONE]);
  assert.throws(() => tap(boxes, rows, 0), InvalidChoice);
  assert.throws(() => tap(boxes, rows, 2, AGREE), InvalidChoice);
});

test("rows that do not fit the form are refused", () => {
  const form = crossOut(3, 2);
  assert.throws(() => assess(form, [KEPT, KEPT]), InvalidChoice);
  assert.throws(() => assess(form, [KEPT, KEPT, AGREE]), InvalidChoice);
  assert.throws(() => toCounters(agreeDisagree(2), [KEPT, STRUCK]), InvalidChoice);
  assert.throws(() => assess(form, "kkk"), InvalidChoice);
  assert.throws(() => blankChoice({ kind: "write_in", candidates: 1 }), InvalidChoice);
});

test("message templates fill named places and leave unknown ones", () => {
  const line = format("Giữ lại {kept} / {seats} người", { kept: 2, seats: 3 });
  assert.equal(line, "Giữ lại 2 / 3 người");
  assert.equal(format("{a} {b}", { a: "x" }), "x {b}");
});

test("T-11.d: an audited ballot re-encrypts to what the review showed, for every form", () => {
  const key = new CredentialKey("dh-test-booth", generateCode());
  const jointKey = G.mul(Scalar.random());
  const cases = [
    [crossOut(3, 2), [KEPT, STRUCK, KEPT]],
    [crossOut(3, 2), [KEPT, KEPT, KEPT]], // over: invalid_over
    [crossOut(3, 2), [STRUCK, STRUCK, STRUCK]], // none: invalid_none
    [agreeDisagree(1), [AGREE]],
    [agreeDisagree(1), [NONE]], // invalid_marks
    [agreeDisagree(3), [AGREE, NONE, DISAGREE]],
    [chooseAtMost(3, 1), [NONE, CHOSEN, NONE]],
    [chooseAtMost(3, 1), [NONE, NONE, NONE]],
  ];
  for (const [form, rows] of cases) {
    const ctx = new RoundContext(new Uint8Array(64).fill(7), jointKey, form);
    const counters = toCounters(form, rows, { invalidConfirmed: true });
    const review = fromCounters(form, counters);
    const [ballot, secrets] = encryptBallot(ctx, counters, key);
    verifyBallot(ctx, ballot);
    const audited = JSON.parse(JSON.stringify(auditBallot(ballot, secrets)));
    assert.deepEqual(fromCounters(form, verifyAudited(ctx, audited)), review);
  }
});
