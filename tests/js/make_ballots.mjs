// Print to stdout a JSON array of ballots freshly encrypted by the JS (real randomness,
// encryptBallot), one per case of tests/vectors/ballots.json, with the same round hash,
// joint key, form, credential code and choices. A Python test checks that they verify
// in Python:
//
//     node tests/js/make_ballots.mjs > js_ballots.json
//
// Each item is {"name": case name, "audited": {"ballot", "counters", "randomness"},
// "ballot_hash": hex, "tracking_code": "XXXXX-XXXXX"}: the audited form (auditBallot), so
// that Python can also re-encrypt the choices, and the JS's ballot hash and tracking code.

import {
  BallotForm,
  CredentialKey,
  Point,
  RoundContext,
  auditBallot,
  encryptBallot,
  trackingCode,
} from "../../election/static/js/crypto/index.js";
import { fromHex, loadVectors, toHex } from "./vectors.mjs";

const out = loadVectors("ballots").cases.map((c) => {
  const form = BallotForm.fromJson(c.form);
  const ctx = new RoundContext(fromHex(c.round_hash), Point.decode(fromHex(c.joint_key)), form);
  const key = new CredentialKey(c.congress, c.code);
  const [ballot, secrets] = encryptBallot(ctx, c.counters, key);
  return {
    name: c.name,
    audited: auditBallot(ballot, secrets),
    ballot_hash: toHex(ballot.hash()),
    tracking_code: trackingCode(ballot.hash()),
  };
});
process.stdout.write(`${JSON.stringify(out, null, 1)}\n`);
