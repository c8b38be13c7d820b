import assert from "node:assert/strict";
import { test } from "node:test";

import {
  G,
  H,
  InvalidCredential,
  Tag,
  canonicalJson,
  congressHash,
  credentialListHash,
  minutesMessage,
  roundHash,
} from "../../election/static/js/crypto/index.js";
import { testRand } from "../../election/static/js/crypto/_testing.js";
import { fromHex, loadVectors, toHex } from "./vectors.mjs";

const BALLOTS = loadVectors("ballots");
const CREDS = loadVectors("credential");
const GROUP = loadVectors("group");

test("round hashes of the ballot vectors' manifests", () => {
  // make_vectors.py: K = test_rand(name + "/key")() * G and the manifest below.
  for (const c of BALLOTS.cases) {
    const K = G.mul(testRand(`${c.name}/key`)());
    assert.equal(K.hex(), c.joint_key);
    const manifest = { congress: c.congress, round: c.name, form: c.form, joint_key: c.joint_key };
    assert.equal(toHex(roundHash(manifest)), c.round_hash);
  }
});

test("manifest and minutes hashes are tagged hashes of canonical JSON", () => {
  const m = { b: [1, "x"], a: null };
  assert.equal(toHex(congressHash(m)), toHex(H(Tag.CONGRESS, canonicalJson(m))));
  assert.equal(toHex(minutesMessage(m)), toHex(H(Tag.MINUTES, canonicalJson(m))));
  assert.notEqual(toHex(roundHash(m)), toHex(congressHash(m)));
});

test("credential list hash: sorted by bytes, duplicates and invalid keys refused", () => {
  const keys = CREDS.cases.map((c) => fromHex(c.public));
  const sorted = [...CREDS.cases.map((c) => c.public)].sort().map(fromHex);
  const expected = toHex(H(Tag.CREDENTIAL_LIST, ...sorted));
  assert.equal(toHex(credentialListHash(keys)), expected);
  assert.equal(toHex(credentialListHash([...keys].reverse())), expected);
  assert.equal(toHex(credentialListHash([])), toHex(H(Tag.CREDENTIAL_LIST)));
  assert.throws(() => credentialListHash([...keys, keys[2]]), InvalidCredential);
  for (const hex of GROUP.invalid_points.small_order) {
    assert.throws(() => credentialListHash([...keys, fromHex(hex)]), InvalidCredential);
  }
  assert.throws(() => credentialListHash([CREDS.cases[0].public]), TypeError);
});
