// The booth refuses a round whose manifest does not hash to the round hash it signs for, is
// for another congress, or whose names do not fit its form (election/static/js/booth/round.js).

import assert from "node:assert/strict";
import { test } from "node:test";

import { bytesToHex } from "@noble/hashes/utils.js";

import { RoundRefused, loadRound } from "../../election/static/js/booth/round.js";
import {
  G,
  RoundContext,
  Scalar,
  agreeDisagree,
  crossOut,
  roundHash,
} from "../../election/static/js/crypto/index.js";

const CONGRESS = "dh-test-7";

function session(overrides = {}, form = crossOut(3, 2)) {
  const names = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Đức Cường"].slice(0, form.candidates);
  const manifest = {
    protocol: "dh-vote/v1",
    congress: { id: CONGRESS },
    contest: {
      id: "bch",
      title: "Ban Chấp hành Đảng bộ khóa IV",
      seats: form.seats,
      candidates: names.map((name, i) => ({ id: `M${i}`, name })),
    },
    round: { number: 2, seats: form.seats },
    joint_key: G.mul(Scalar.random()).hex(),
    form: form.toJson(),
    ...overrides,
  };
  return { round_id: 5, round_hash: bytesToHex(roundHash(manifest)), manifest };
}

test("a round whose manifest hashes to its round hash loads, names in ballot order", () => {
  const data = session();
  const round = loadRound(data, CONGRESS);
  assert.equal(round.id, 5);
  assert.equal(round.hashHex, data.round_hash);
  assert.ok(round.ctx instanceof RoundContext);
  assert.equal(round.form.kind, "cross_out");
  assert.deepEqual(round.names, ["Nguyễn Văn An", "Trần Thị Bình", "Lê Đức Cường"]);
  assert.equal(round.title, "Ban Chấp hành Đảng bộ khóa IV");
  assert.equal(round.seats, 2);
  assert.equal(round.number, 2);
  assert.equal(loadRound(session({}, agreeDisagree(1)), CONGRESS).names.length, 1);
});

test("a manifest changed after hashing is refused (the names shown are the names signed)", () => {
  const data = session();
  data.manifest.contest.candidates[1].name = "Người Khác";
  assert.throws(() => loadRound(data, CONGRESS), RoundRefused);
  const swapped = session();
  swapped.manifest.contest.candidates.reverse();
  assert.throws(() => loadRound(swapped, CONGRESS), RoundRefused);
});

test("another congress, a list that does not fit the form, bad keys and ids are refused", () => {
  assert.throws(() => loadRound(session(), "dh-other"), RoundRefused);
  const one = [{ id: "a", name: "A" }];
  const short = session({ contest: { title: "X", seats: 2, candidates: one } });
  assert.throws(() => loadRound(short, CONGRESS), RoundRefused);
  assert.throws(() => loadRound(session({ joint_key: "00".repeat(32) }), CONGRESS), RoundRefused);
  assert.throws(() => loadRound(session({ form: { kind: "cross_out" } }), CONGRESS), RoundRefused);
  assert.throws(() => loadRound({ ...session(), round_id: "5" }, CONGRESS), RoundRefused);
  assert.throws(() => loadRound({ ...session(), round_hash: "ab" }, CONGRESS), RoundRefused);
  assert.throws(() => loadRound(null, CONGRESS), RoundRefused);
  const nameless = session({
    contest: { title: "X", seats: 2, candidates: [{ name: "A" }, { name: "" }, { name: "C" }] },
  });
  assert.throws(() => loadRound(nameless, CONGRESS), RoundRefused);
});
