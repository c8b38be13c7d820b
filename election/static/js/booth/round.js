// The round the booth loads after the badge is accepted (POST /api/booth/session), checked
// before a single name is shown.
//
// The server sends the round's id, its hash h_R and its manifest. The booth recomputes
// h_R = H(round, canonical_json(manifest)) and refuses the round unless it matches: the names
// on screen, the form and the joint key are then exactly what the ballot's signature and
// proofs are bound to (h_R is in every proof context and in the signed ballot), so a server
// cannot show one list and count another. The manifest must also be for this terminal's
// congress, and its candidate list must fit its form.

import { bytesToHex } from "@noble/hashes/utils.js";

import { equalBytes } from "../crypto/_bytes.js";
import { RoundContext } from "../crypto/ballot.js";
import { bytesFromHex, pointFromHex } from "../crypto/encoding.js";
import { BallotForm } from "../crypto/forms.js";
import { roundHash } from "../crypto/manifest.js";

/** The session answer does not describe a usable round for this booth. */
export class RoundRefused extends Error {
  constructor(message, options) {
    super(message, options);
    this.name = "RoundRefused";
  }
}

function text(value, what) {
  if (typeof value !== "string" || value === "") throw new RoundRefused(`${what} is missing`);
  return value;
}

/**
 * Check the session answer `data` and return the loaded round:
 * `{id, hashHex, ctx, form, title, seats, number, names}`.
 */
export function loadRound(data, congressId) {
  try {
    return load(data, congressId);
  } catch (e) {
    if (e instanceof RoundRefused) throw e;
    throw new RoundRefused(`the round does not decode: ${e.message}`, { cause: e });
  }
}

function load(data, congressId) {
  if (data === null || typeof data !== "object") throw new RoundRefused("no round");
  const { round_id: id, round_hash: hashHex, manifest } = data;
  if (!Number.isSafeInteger(id) || id < 1) throw new RoundRefused("round_id is not an id");
  const hash = bytesFromHex(hashHex, 64, "round_hash");
  if (manifest === null || typeof manifest !== "object") throw new RoundRefused("no manifest");
  if (!equalBytes(roundHash(manifest), hash)) {
    throw new RoundRefused("the manifest does not hash to the round hash");
  }
  if (manifest.congress?.id !== congressId) {
    throw new RoundRefused("the round belongs to another congress");
  }
  const form = BallotForm.fromJson(manifest.form);
  const contest = manifest.contest ?? {};
  const candidates = contest.candidates;
  if (!Array.isArray(candidates) || candidates.length !== form.candidates) {
    throw new RoundRefused("the candidate list does not fit the form");
  }
  const names = candidates.map((c, i) => text(c?.name, `candidate ${i + 1}`));
  const round = manifest.round ?? {};
  const seats = Number.isSafeInteger(round.seats) ? round.seats : form.seats;
  const ctx = new RoundContext(hash, pointFromHex(manifest.joint_key, "joint_key"), form);
  return Object.freeze({
    id,
    hashHex: bytesToHex(hash),
    ctx,
    form,
    title: text(contest.title, "contest title"),
    seats,
    number: Number.isSafeInteger(round.number) ? round.number : null,
    names: Object.freeze(names),
  });
}
