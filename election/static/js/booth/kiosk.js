// The voting booth's state machine (issue 5; PROTOCOL.md sections 5-7; ATTACKS.md 7-9, 11).
//
//   SCAN ─code─▶ CONNECTING ─200─▶ BALLOT ─review─▶ REVIEW ─seal─▶ SEALING ─▶ SEALED
//    ▲              │ 4xx, typo,      │  ▲ invalid?                    ▲          │ │
//    │              ▼ bad round       │  │   WARN_INVALID ─yes─▶        │          │ │
//    │             SCAN (message)     │  └── CONFIRM_INVALID ─yes─▶ REVIEW        │ │
//    │                                │                                          │ │
//    │      AUDITED ◀─201─ CHALLENGING ◀─"Kiểm tra lá phiếu"─────────────────────┘ │
//    │        └─"Bỏ phiếu lại"─▶ BALLOT (same marks; a fresh encryption follows)     │
//    │                                                                              │
//    │  RECEIPT ◀─201─ CASTING ◀─"Bỏ phiếu"──────────────────────────────────────────┘
//    │    │              └─error─▶ CAST_FAILED ─retry (same ballot)─▶ CASTING
//    └────┴─ "Xong", or data-clear-after seconds (20) ─ wipe() ─▶ SCAN
//
// Idle: on any screen between SCAN and RECEIPT that is not waiting on work, a ballot left
// untouched for data-idle-after seconds shows a warning over the screen; a touch or a key
// keeps the ballot, otherwise after data-idle-grace seconds more wipe() forgets it (nothing
// is cast: the delegate scans the badge again). BOOTH_IDLE_SECONDS, BOOTH_IDLE_WARNING_SECONDS.
//
// * SCAN: the start, and where every wipe() ends. The badge field has focus; a keyboard-wedge
//   scanner types the code and Enter (or the delegate types it). parseCode's check character
//   catches a typo here, before anything is sent.
// * CONNECTING: CredentialKey(congressId, code) is derived, the field is already empty, and
//   only the public key Y is posted to /api/booth/session.
// * BALLOT: the round is loaded and checked (round.js). From here until "Bỏ phiếu" or
//   "Kiểm tra lá phiếu" the page makes NO network request (ATTACKS T-7.b): marking, review,
//   warnings, encryption and signing are all local.
// * WARN_INVALID, CONFIRM_INVALID: an invalid choice (more than k kept, every name struck, the
//   single name unmarked) needs a plain warning and a second confirmation; it is then encoded
//   with the form's invalid indicators (choices.js), never by breaking the form.
// * REVIEW: the choice in words, read back from the counters it will encode.
// * SEALING, SEALED: encryptBallot encrypts, proves and signs; the tracking code is shown with
//   "Bỏ phiếu" (cast) and "Kiểm tra lá phiếu" (challenge).
// * CHALLENGING, AUDITED: the Benaloh challenge posts auditBallot(ballot, secrets) to
//   /challenges; that ballot is opened and posted as audited, is never counted and is dropped
//   here. The screen shows what the opened ballot holds (verifyAudited re-encrypts it).
// * CASTING, CAST_FAILED: the signed ballot is posted to /ballots. A retry resends the same
//   ballot, which the box answers with the same receipt; an unanswered cast is never opened.
// * RECEIPT: the tracking code, the board position and a QR code of the signed receipt; the
//   screen wipes itself after data-clear-after seconds or on "Xong".
// * PROBLEM: a local failure (encryption, an audit that does not re-encrypt, a failed
//   challenge); the delegate goes back to the ballot or starts again.
//
// Privacy: the badge code, the key, the marks, the ballot and its randomness live only in
// this object's `#vote` (and the DOM drawn from it) and are dropped by wipe(): nothing goes to
// localStorage, sessionStorage, cookies, IndexedDB, the URL or the history. JavaScript cannot
// zero memory it does not own (CredentialKey's seed, BigInts), so wipe() drops every
// reference, blanks the arrays it owns and removes every node that showed the vote.

import { bytesToHex } from "@noble/hashes/utils.js";

import { auditBallot, encryptBallot, trackingCode, verifyAudited } from "../crypto/ballot.js";
import { canonicalJson } from "../crypto/canonical.js";
import { CredentialKey } from "../crypto/credential.js";
import { InvalidCredential } from "../crypto/errors.js";
import { assess, blankChoice, fromCounters, tap, toCounters } from "./choices.js";
import { postJson } from "./http.js";
import { loadMessages } from "../common/messages.js";
import { qrSvg } from "./qr.js";
import { loadRound } from "./round.js";
import { renderBallot, showChoice, showMeaning, showTally } from "./view.js";

export const State = Object.freeze({
  SCAN: "scan",
  CONNECTING: "connecting",
  BALLOT: "ballot",
  WARN_INVALID: "warn-invalid",
  CONFIRM_INVALID: "confirm-invalid",
  REVIEW: "review",
  SEALING: "sealing",
  SEALED: "sealed",
  CHALLENGING: "challenging",
  AUDITED: "audited",
  CASTING: "casting",
  CAST_FAILED: "cast-failed",
  RECEIPT: "receipt",
  PROBLEM: "problem",
});

const S = State;

// Every legal move; wipe() (to SCAN) is legal from every state that is not waiting on work.
const MOVES = {
  [S.SCAN]: [S.CONNECTING],
  [S.CONNECTING]: [S.SCAN, S.BALLOT],
  [S.BALLOT]: [S.REVIEW, S.WARN_INVALID],
  [S.WARN_INVALID]: [S.BALLOT, S.CONFIRM_INVALID],
  [S.CONFIRM_INVALID]: [S.BALLOT, S.REVIEW],
  [S.REVIEW]: [S.BALLOT, S.SEALING],
  [S.SEALING]: [S.SEALED, S.PROBLEM],
  [S.SEALED]: [S.CASTING, S.CHALLENGING],
  [S.CHALLENGING]: [S.AUDITED, S.PROBLEM],
  [S.AUDITED]: [S.BALLOT],
  [S.CASTING]: [S.RECEIPT, S.CAST_FAILED],
  [S.CAST_FAILED]: [S.CASTING],
  [S.RECEIPT]: [],
  [S.PROBLEM]: [S.BALLOT],
};
const BUSY = new Set([S.CONNECTING, S.SEALING, S.CHALLENGING, S.CASTING]);

// The screen (a <section data-screen>) each state shows.
const SCREENS = {
  [S.SCAN]: "scan",
  [S.CONNECTING]: "busy",
  [S.BALLOT]: "ballot",
  [S.WARN_INVALID]: "warn-invalid",
  [S.CONFIRM_INVALID]: "confirm-invalid",
  [S.REVIEW]: "review",
  [S.SEALING]: "busy",
  [S.SEALED]: "sealed",
  [S.CHALLENGING]: "busy",
  [S.AUDITED]: "audited",
  [S.CASTING]: "busy",
  [S.CAST_FAILED]: "cast-failed",
  [S.RECEIPT]: "receipt",
  [S.PROBLEM]: "problem",
};

// What parseCode's refusal means, in the delegate's words (keys of the message catalogue).
function codeProblem(error) {
  const text = String(error.message);
  if (text.includes("check character")) return "code_check";
  if (text.includes("wrong length")) return "code_length";
  return "code_chars";
}

const nextPaint = () => new Promise((resolve) => setTimeout(resolve, 30));

// States where an untouched booth is left alone: nothing to forget (SCAN), its own clearing
// (RECEIPT), or waiting on work that must finish (BUSY).
const NO_IDLE = new Set([S.SCAN, S.RECEIPT, ...BUSY]);

function seconds(value, fallback) {
  const n = Number(value);
  return Number.isFinite(n) && n > 0 ? n : fallback;
}

export class Kiosk {
  #vote = null; // everything about the delegate at the booth; null between delegates
  #timers = [];
  #idleTimers = [];
  #generation = 0;

  constructor(root) {
    this.root = root;
    this.t = loadMessages(root);
    this.congressId = root.dataset.congressId;
    this.sessionUrl = root.dataset.sessionUrl;
    this.roundsUrl = root.dataset.roundsUrl;
    this.state = S.SCAN;
    this.field = this.#q("[data-code-field]");
    this.idleAfter = seconds(root.dataset.idleAfter, 180);
    this.idleWarning = seconds(root.dataset.idleGrace, 30);
    this.#bind();
  }

  /** Show the first screen (the page starts with only the "loading" notice visible). */
  start() {
    this.#q("[data-loading]").hidden = true;
    this.#show(S.SCAN);
  }

  #q(selector) {
    const node = this.root.querySelector(selector);
    if (!node) throw new Error(`booth page lacks ${selector}`);
    return node;
  }

  #on(selector, handler) {
    for (const node of this.root.querySelectorAll(selector)) {
      node.addEventListener("click", (event) => {
        event.preventDefault();
        handler();
      });
    }
  }

  #bind() {
    this.field.addEventListener("keydown", (event) => {
      if (event.key === "Enter") {
        event.preventDefault();
        this.#submitCode();
      }
    });
    this.#on("[data-action=submit-code]", () => this.#submitCode());
    this.#on("[data-action=review]", () => this.#review());
    this.#on("[data-action=edit]", () => this.#move(S.BALLOT));
    this.#on("[data-action=still-invalid]", () => this.#move(S.CONFIRM_INVALID));
    this.#on("[data-action=confirm-invalid]", () => this.#confirmInvalid());
    this.#on("[data-action=seal]", () => this.#seal());
    this.#on("[data-action=cast]", () => this.#cast());
    this.#on("[data-action=challenge]", () => this.#challenge());
    this.#on("[data-action=vote-again]", () => this.#move(S.BALLOT));
    this.#on("[data-action=retry-cast]", () => this.#cast());
    this.#on("[data-action=cancel]", () => this.wipe());
    this.#on("[data-action=done]", () => this.wipe());
    this.#on("[data-action=still-here]", () => this.#armIdle());
    // Any touch, click or key is the delegate still at work: the idle clock starts again.
    for (const type of ["pointerdown", "keydown"]) {
      this.root.addEventListener(type, () => this.#armIdle(), { capture: true });
    }
  }

  // --- idle ----------------------------------------------------------------------------

  #clearIdle() {
    for (const id of this.#idleTimers) {
      clearTimeout(id);
      clearInterval(id);
    }
    this.#idleTimers = [];
    const warning = this.root.querySelector("[data-idle-warning]");
    if (warning) warning.hidden = true;
  }

  #armIdle() {
    this.#clearIdle();
    if (NO_IDLE.has(this.state)) return;
    this.#idleTimers.push(setTimeout(() => this.#warnIdle(), this.idleAfter * 1000));
  }

  #warnIdle() {
    if (NO_IDLE.has(this.state)) return;
    const warning = this.root.querySelector("[data-idle-warning]");
    const text = this.root.querySelector("[data-idle-text]");
    let left = this.idleWarning;
    const tick = () => {
      if (text) text.textContent = this.t("idle_clears_in", { seconds: Math.max(0, left) });
    };
    tick();
    if (warning) warning.hidden = false;
    this.root.querySelector("[data-action=still-here]")?.focus();
    this.#idleTimers.push(
      setInterval(() => {
        left -= 1;
        tick();
      }, 1000),
    );
    this.#idleTimers.push(setTimeout(() => this.wipe(), this.idleWarning * 1000));
  }

  // --- moving between states ---------------------------------------------------------

  #move(to) {
    if (!MOVES[this.state].includes(to)) return false;
    // Back on the ballot, an invalid choice must be confirmed twice again before review.
    if (to === S.BALLOT && this.#vote !== null) this.#vote.invalidConfirmed = false;
    this.#show(to);
    return true;
  }

  #show(state) {
    this.state = state;
    this.root.dataset.state = state;
    this.#armIdle();
    const screen = SCREENS[state];
    for (const section of this.root.querySelectorAll("[data-screen]")) {
      section.hidden = section.dataset.screen !== screen;
    }
    if (state === S.SCAN) {
      this.field.focus();
    } else {
      // The heading, never a button: a scanner's stray Enter must not cast or confirm.
      const heading = this.root.querySelector(`[data-screen="${screen}"] [data-focus]`);
      heading?.focus();
    }
  }

  #busy(state, messageKey) {
    this.#q("[data-busy-text]").textContent = this.t(messageKey);
    this.#move(state);
  }

  #say(selector, text) {
    const node = this.#q(selector);
    node.textContent = text ?? "";
  }

  // --- 1. the badge ------------------------------------------------------------------

  async #submitCode() {
    if (this.state !== S.SCAN) return;
    let text = this.field.value;
    this.field.value = "";
    if (!text.trim()) return;
    this.#say("[data-scan-error]", "");
    let key;
    try {
      key = new CredentialKey(this.congressId, text);
    } catch (e) {
      if (!(e instanceof InvalidCredential)) throw e;
      this.#say("[data-scan-error]", this.t(codeProblem(e)));
      this.field.focus();
      return;
    } finally {
      text = null;
    }
    const generation = this.#generation;
    this.#busy(S.CONNECTING, "busy_connecting");
    const answer = await postJson(this.sessionUrl, { credential: bytesToHex(key.public) });
    if (generation !== this.#generation) return;
    let round = null;
    let problem = null;
    if (answer.ok) {
      try {
        round = loadRound(answer.data, this.congressId);
      } catch {
        problem = this.t("round_refused");
      }
    } else {
      problem = this.#serverProblem(answer, "session");
    }
    if (problem !== null) {
      key = null;
      this.#move(S.SCAN);
      this.#say("[data-scan-error]", problem);
      return;
    }
    this.#vote = {
      key,
      round,
      rows: blankChoice(round.form),
      invalidConfirmed: false,
      sealed: null,
    };
    key = null;
    this.#drawBallot();
    this.#move(S.BALLOT);
  }

  #serverProblem(answer, where) {
    if (answer.status === 0) return this.t("network");
    if (answer.status === 401 || answer.status === 403) return this.t("not_a_terminal");
    const code = typeof answer.data.error === "string" ? answer.data.error : "";
    if (code && this.t.has(`${where}_${code}`)) return this.t(`${where}_${code}`);
    if (typeof answer.data.message === "string" && answer.data.message) {
      return answer.data.message;
    }
    return this.t("server_error", { status: answer.status });
  }

  // --- 2. the ballot -----------------------------------------------------------------

  #drawBallot() {
    const { round } = this.#vote;
    const kind = round.form.kind;
    this.#say("[data-contest-title]", round.title);
    this.#say("[data-seats]", this.t("seats_line", { seats: round.seats }));
    this.#say(
      "[data-round-number]",
      round.number === null ? "" : this.t("round_line", { number: round.number }),
    );
    const single = kind === "agree_disagree" && round.form.candidates === 1;
    this.#say("[data-instructions]", this.t(`how_${single ? "single" : kind}`));
    renderBallot(this.#q("[data-ballot]"), round, this.t, (i, value) => this.#tap(i, value));
    this.#paint();
  }

  #tap(index, value) {
    if (this.state !== S.BALLOT || this.#vote === null) return;
    const { round } = this.#vote;
    const result = tap(round.form, this.#vote.rows, index, value);
    this.#vote.rows.fill(null);
    this.#vote.rows = result.rows;
    this.#vote.invalidConfirmed = false;
    this.#paint();
    if (result.refused === "full") {
      this.#say("[data-ballot-status]", this.t("status_full", { seats: round.form.seats }));
    }
  }

  #paint() {
    const { round, rows } = this.#vote;
    showChoice(this.#q("[data-ballot]"), round, rows, this.t);
    showTally(
      this.#q("[data-tally]"),
      this.#q("[data-ballot-status]"),
      round,
      assess(round.form, rows),
      this.t,
    );
  }

  #review() {
    if (this.state !== S.BALLOT) return;
    const { round, rows } = this.#vote;
    const assessment = assess(round.form, rows);
    if (!assessment.valid && !this.#vote.invalidConfirmed) {
      const key = `warn_${assessment.reason}`;
      const params = { kept: assessment.kept, seats: round.form.seats };
      this.#say("[data-warn-text]", this.t(key, params));
      this.#move(S.WARN_INVALID);
      return;
    }
    this.#showReview();
  }

  #confirmInvalid() {
    if (this.state !== S.CONFIRM_INVALID) return;
    this.#vote.invalidConfirmed = true;
    this.#showReview();
  }

  // --- 3. review ---------------------------------------------------------------------

  #counters() {
    const { round, rows, invalidConfirmed } = this.#vote;
    return toCounters(round.form, rows, { invalidConfirmed });
  }

  #showReview() {
    const { round } = this.#vote;
    const meaning = fromCounters(round.form, this.#counters());
    const verdict = this.#q("[data-review-verdict]");
    showMeaning(verdict, this.#q("[data-review-list]"), round, meaning, this.t);
    this.#move(S.REVIEW);
  }

  // --- 4. encrypt, prove, sign; cast or challenge -------------------------------------

  async #seal() {
    if (this.state !== S.REVIEW) return;
    const generation = this.#generation;
    this.#busy(S.SEALING, "busy_sealing");
    await nextPaint();
    if (generation !== this.#generation) return;
    const vote = this.#vote;
    try {
      const [ballot, secrets] = encryptBallot(vote.round.ctx, this.#counters(), vote.key);
      vote.sealed = { ballot, secrets, code: trackingCode(ballot.hash()) };
    } catch {
      vote.sealed = null;
      this.#problem("seal_failed");
      return;
    }
    for (const node of this.root.querySelectorAll("[data-sealed-code]")) {
      node.textContent = vote.sealed.code;
    }
    this.#move(S.SEALED);
  }

  #problem(key, text = null) {
    this.#say("[data-problem-text]", text ?? this.t(key));
    this.#move(S.PROBLEM);
  }

  async #challenge() {
    if (this.state !== S.SEALED) return;
    const vote = this.#vote;
    const { ballot, secrets, code } = vote.sealed;
    // From this moment the ballot is spoiled: whether or not the box answers, it is never
    // cast (its randomness may have left the terminal).
    vote.sealed = null;
    const audit = auditBallot(ballot, secrets);
    const generation = this.#generation;
    this.#busy(S.CHALLENGING, "busy_challenging");
    const answer = await postJson(`${this.roundsUrl}${vote.round.id}/challenges`, audit);
    if (generation !== this.#generation) return;
    if (!answer.ok) {
      this.#problem(null, this.#serverProblem(answer, "challenge"));
      return;
    }
    let meaning;
    try {
      meaning = fromCounters(vote.round.form, verifyAudited(vote.round.ctx, audit));
    } catch {
      this.#problem("audit_mismatch");
      return;
    }
    this.#say("[data-audited-code]", code);
    showMeaning(
      this.#q("[data-audit-verdict]"),
      this.#q("[data-audit-list]"),
      vote.round,
      meaning,
      this.t,
    );
    this.#move(S.AUDITED);
  }

  async #cast() {
    if (this.state !== S.SEALED && this.state !== S.CAST_FAILED) return;
    const vote = this.#vote;
    const { ballot } = vote.sealed;
    const generation = this.#generation;
    this.#busy(S.CASTING, "busy_casting");
    const answer = await postJson(`${this.roundsUrl}${vote.round.id}/ballots`, ballot.toJson());
    if (generation !== this.#generation) return;
    const problem = answer.ok
      ? this.#receiptProblem(answer.data, vote)
      : this.#serverProblem(answer, "cast");
    if (problem !== null) {
      this.#say("[data-cast-error]", problem);
      this.#move(S.CAST_FAILED);
      return;
    }
    this.#showReceipt(answer.data);
  }

  // The receipt must be for this ballot in this round (docs/protocol.md section 11).
  #receiptProblem(data, vote) {
    const receipt = data.receipt;
    const ok =
      receipt !== null &&
      typeof receipt === "object" &&
      receipt.ballot === bytesToHex(vote.sealed.ballot.hash()) &&
      receipt.round === vote.round.hashHex &&
      Number.isSafeInteger(receipt.position) &&
      typeof data.signature === "string";
    return ok ? null : this.t("receipt_mismatch");
  }

  // --- 5. the receipt, then 6. wipe ---------------------------------------------------

  #showReceipt(data) {
    const vote = this.#vote;
    const signed = { receipt: data.receipt, signature: data.signature };
    this.#say("[data-receipt-code]", vote.sealed.code);
    this.#say("[data-receipt-position]", String(data.receipt.position));
    const text = new TextDecoder().decode(canonicalJson(signed));
    this.#q("[data-receipt-qr]").replaceChildren(qrSvg(text, this.t("qr_label"), "receipt__qr"));
    // The delegate has voted: drop the key, the marks and the randomness now, keep only what
    // the receipt screen shows until it clears.
    this.#forgetVote();
    this.#drop("[data-ballot]", "[data-review-list]", "[data-audit-list]");
    this.#move(S.RECEIPT);
    const seconds = Number(this.root.dataset.clearAfter);
    let left = Number.isFinite(seconds) && seconds > 0 ? seconds : 20;
    const countdown = this.#q("[data-countdown]");
    const tick = () => {
      countdown.textContent = this.t("clears_in", { seconds: Math.max(0, Math.ceil(left)) });
    };
    tick();
    this.#timers.push(
      setInterval(() => {
        left -= 1;
        tick();
      }, 1000),
    );
    this.#timers.push(setTimeout(() => this.wipe(), left * 1000));
  }

  #forgetVote() {
    const vote = this.#vote;
    if (vote === null) return;
    vote.rows?.fill(null);
    vote.key = null;
    vote.round = null;
    vote.rows = null;
    vote.sealed = null;
    this.#vote = null;
  }

  #drop(...selectors) {
    for (const selector of selectors) {
      for (const node of this.root.querySelectorAll(selector)) node.replaceChildren();
    }
  }

  /** Forget the delegate: every variable, timer and node of their vote; back to SCAN. */
  wipe() {
    if (BUSY.has(this.state)) return;
    this.#generation += 1;
    this.#clearIdle();
    for (const id of this.#timers) {
      clearTimeout(id);
      clearInterval(id);
    }
    this.#timers = [];
    this.#forgetVote();
    this.field.value = "";
    this.#drop("[data-ballot]", "[data-review-list]", "[data-audit-list]", "[data-receipt-qr]");
    for (const node of this.root.querySelectorAll("[data-wipe]")) node.textContent = "";
    const list = this.root.querySelector("[data-ballot]");
    if (list) list.onclick = null;
    window.scrollTo(0, 0);
    this.#show(S.SCAN);
  }
}
