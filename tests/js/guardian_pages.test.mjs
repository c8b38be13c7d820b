// The guardian pages' device logic (election/static/js/guardian/device.js), without a DOM or
// a server: three members run the key ceremony against a stand-in for the relay's public
// state, then decrypt a tally and sign minutes the way the pages do. The Python services test
// the same steps against the real server (tests/web/counting, tests/e2e).

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import { bytesToHex, hexToBytes } from "@noble/hashes/utils.js";

import {
  Ciphertext,
  DecryptionShare,
  DlogTable,
  G,
  GuardianCommitments,
  Scalar,
  decryptTally,
  encrypt,
  jointKey,
  minutesMessage,
  openKeyfile,
  publicShare,
  roundHash,
  sealKeyfile,
  verifyMinutesSignature,
} from "../../election/static/js/crypto/index.js";
import {
  CeremonyDevice,
  checkRound,
  decryptionShare,
  fingerprint,
  minutesSignature,
  openMemberKeyfile,
  roundFingerprint,
} from "../../election/static/js/guardian/device.js";
import { format } from "../../election/static/js/common/messages.js";
import { DecryptionError, EncodingError } from "../../election/static/js/crypto/errors.js";
import { PageError } from "../../election/static/js/guardian/errors.js";
import { RequestRefused } from "../../election/static/js/guardian/http.js";
import { describeError } from "../../election/static/js/guardian/status.js";

const CONGRESS = "dh-test-guardian";

/** A round manifest opened under the joint key `K` (a Point), and its h_R in hex. */
function roundOf(K, extra = {}) {
  const manifest = { congress: { id: CONGRESS }, round: { number: 1, seats: 1 }, joint_key: K.hex(), ...extra };
  return { manifest, round_hash: bytesToHex(roundHash(manifest)) };
}

test("the fingerprint is the server's (ceremony_relay.joint_key_fingerprint)", () => {
  assert.equal(fingerprint(G.encode()), "CB05 C9FA C263 32F9");
});

/** The relay's public state as GET /api/counting/ceremony gives it to member `me`. */
function stateFor(me, devices, published, boxes, extra = {}) {
  return {
    congress: CONGRESS,
    status: "pending",
    guardians: devices.length,
    threshold: devices[0].threshold,
    me,
    members: devices.map((d) => ({ index: d.index, ...published.get(d.index) })),
    received: [...boxes.entries()]
      .filter(([from, sent]) => from !== me && sent[String(me)])
      .map(([from, sent]) => ({ from, box: sent[String(me)] })),
    ...extra,
  };
}

async function ceremony() {
  const devices = [1, 2, 3].map((i) => new CeremonyDevice(CONGRESS, i, 2));
  const published = new Map(devices.map((d) => [d.index, d.publication()]));
  const boxes = new Map();
  for (const d of devices) boxes.set(d.index, await d.boxes(stateFor(d.index, devices, published, boxes)));
  for (const d of devices) {
    assert.equal(await d.check(stateFor(d.index, devices, published, boxes)), null);
    assert.ok(d.checked);
  }
  return { devices, published, boxes };
}

test("three devices run the ceremony and agree on the joint key", async () => {
  const { devices, published, boxes } = await ceremony();
  // The server's completed state: K and K_j from the commitments (here: from device 1).
  const all = devices.map((d) => GuardianCommitments.fromJson(published.get(d.index).commitments, 2));
  const done = {
    status: "completed",
    joint_key: jointKey(all).hex(),
    public_shares: Object.fromEntries(devices.map((d) => [String(d.index), publicShare(d.index, all).hex()])),
  };
  const prints = devices.map((d) => d.confirmResult(stateFor(d.index, devices, published, boxes, done)));
  assert.equal(new Set(prints).size, 1);
  // A server lying about the joint key is caught by every device.
  const lie = { ...done, joint_key: G.hex() };
  assert.throws(() => devices[0].confirmResult(stateFor(1, devices, published, boxes, lie)));
});

test("a tampered box is reported as a complaint against its dealer", async () => {
  const devices = [1, 2].map((i) => new CeremonyDevice(CONGRESS, i, 2));
  const published = new Map(devices.map((d) => [d.index, d.publication()]));
  const boxes = new Map();
  for (const d of devices) boxes.set(d.index, await d.boxes(stateFor(d.index, devices, published, boxes)));
  const sent = boxes.get(2)["1"];
  sent.ct = (sent.ct[0] === "0" ? "1" : "0") + sent.ct.slice(1);
  const complaint = await devices[0].check(stateFor(1, devices, published, boxes));
  assert.equal(complaint.against, 2);
  assert.ok(!devices[0].checked);
});

test("key files open to shares that decrypt a tally, and sign minutes", async () => {
  const { devices, published } = await ceremony();
  const all = devices.map((d) => GuardianCommitments.fromJson(published.get(d.index).commitments, 2));
  const K = jointKey(all);
  // A tally of 3 ballots: counter 0 = 2, counter 1 = 1.
  const tally = [
    [1, 1, 0],
    [0, 0, 1],
  ].map((column) =>
    column
      .map((m) => encrypt(m, K, Scalar.random()))
      .reduce((a, b) => new Ciphertext(a.A.add(b.A), a.B.add(b.B))),
  );
  const round = roundOf(K);
  const shares = new Map();
  for (const d of [devices[0], devices[2]]) {
    const file = await d.keyfile("mật khẩu thật dài 2025");
    assert.equal(file.guardian, d.index);
    await assert.rejects(
      openMemberKeyfile(file, "mật khẩu thật dài 2025", { congress: CONGRESS, index: 2 }),
      { name: "PageError", key: "keyfile_other_member", params: { found: d.index, expected: 2 } },
    );
    const keys = await openMemberKeyfile(file, "mật khẩu thật dài 2025", {
      congress: CONGRESS,
      index: d.index,
    });
    assert.ok(keys.jointKey.equals(K));
    const info = {
      me: d.index,
      ...round,
      public_share: publicShare(d.index, all).hex(),
      counters: tally.map((ct, i) => ({ index: i, A: ct.A.hex(), B: ct.B.hex() })),
    };
    shares.set(d.index, DecryptionShare.fromJson(decryptionShare(info, keys), 2));
    // The wrong member's public share: the page refuses before sending anything.
    assert.throws(() => decryptionShare({ ...info, public_share: G.hex() }, keys));
    const { signingSeed } = keys;
    const data = { round: 1, elected: ["c1"] };
    const minutes = { data, message: bytesToHex(minutesMessage(data)) };
    const { signature } = minutesSignature(minutes, signingSeed);
    verifyMinutesSignature(hexToBytes(published.get(d.index).signing_key), data, hexToBytes(signature));
  }
  assert.deepEqual(decryptTally(tally, shares, 2, new DlogTable(3)), [2, 1]);
});

test("errors are shown in the page's words, never the code's", () => {
  // A stand-in for loadMessages(root) over the page's catalogue.
  const words = {
    keyfile_other_member: "Tệp khóa này là của thành viên số {found}, không phải số {expected}.",
    error_passphrase: "Sai mật khẩu, hoặc tệp khóa đã bị hỏng.",
    error_keyfile_format: "Tệp khóa không đọc được ({detail}).",
    error_unexpected: "Có lỗi không lường trước: {detail}",
    error_network: "Không kết nối được máy chủ. Kiểm tra mạng rồi thử lại.",
  };
  const t = (key, params = {}) => format(words[key] ?? key, params);
  t.has = (key) => key in words;
  assert.equal(
    describeError(t, new PageError("keyfile_other_member", { found: 3, expected: 2 })),
    "Tệp khóa này là của thành viên số 3, không phải số 2.",
  );
  // The key file's own errors are in English for developers; the operator gets a sentence.
  assert.equal(
    describeError(t, new DecryptionError("wrong passphrase or damaged key file")),
    "Sai mật khẩu, hoặc tệp khóa đã bị hỏng.",
  );
  assert.equal(
    describeError(t, new EncodingError("key file: unknown format")),
    "Tệp khóa không đọc được (key file: unknown format).",
  );
  // The server's refusal is already in the operator's language.
  assert.equal(describeError(t, new RequestRefused(409, "Vòng bầu chưa cộng phiếu.")), "Vòng bầu chưa cộng phiếu.");
  assert.equal(describeError(t, new TypeError("Failed to fetch")), words.error_network);
  assert.equal(describeError(t, new Error("boom")), "Có lỗi không lường trước: boom");
});

test("every device refuses a joint key or a public share the ceremony did not give", async () => {
  // ATTACKS.md section 3 (a trustee in a "parallel world"): the server shows the members a
  // key other than the one their commitments make. Every device stops before showing a
  // fingerprint; a decryption share is refused before anything is computed or sent.
  const { devices, published, boxes } = await ceremony();
  const all = devices.map((d) => GuardianCommitments.fromJson(published.get(d.index).commitments, 2));
  const shares = Object.fromEntries(devices.map((d) => [String(d.index), publicShare(d.index, all).hex()]));
  const done = { status: "completed", joint_key: jointKey(all).hex(), public_shares: shares };
  const server = jointKey([GuardianCommitments.fromJson(devices[0].publication().commitments, 2)]);
  for (const d of devices) {
    const state = (extra) => stateFor(d.index, devices, published, boxes, { ...done, ...extra });
    assert.match(d.confirmResult(state({})), /^[0-9A-F]{4}( [0-9A-F]{4}){3}$/);
    assert.throws(() => d.confirmResult(state({ joint_key: server.hex() })), /joint key differs/);
    const other = devices.find((o) => o.index !== d.index).index;
    const swapped = { ...shares, [String(d.index)]: shares[String(other)] };
    assert.throws(() => d.confirmResult(state({ public_shares: swapped })), /public share differs/);
  }
  const file = await devices[1].keyfile("mật khẩu thật dài 2025");
  const keys = await openMemberKeyfile(file, "mật khẩu thật dài 2025", {
    congress: CONGRESS,
    index: 2,
  });
  const A = G.mul(Scalar.random());
  const info = {
    me: 2,
    ...roundOf(jointKey(all)),
    public_share: shares["1"],
    counters: [{ index: 0, A: A.hex(), B: A.hex() }],
  };
  assert.throws(() => decryptionShare(info, keys), { name: "PageError", key: "keyfile_mismatch" });
  assert.equal(decryptionShare({ ...info, public_share: shares["2"] }, keys).guardian, 2);
});

test("T-3.c: the device refuses a share for a round opened under another key or manifest", async () => {
  // ATTACKS.md T-3.c: the key file keeps the joint key K this device computed in the
  // ceremony; before a decryption share, the manifest the server sends must hash to h_R
  // (what every ballot, the board chain and the share's proofs are bound to) and name K.
  const { devices, published } = await ceremony();
  const all = devices.map((d) => GuardianCommitments.fromJson(published.get(d.index).commitments, 2));
  const K = jointKey(all);
  const file = await devices[0].keyfile("mật khẩu thật dài 2025");
  const keys = await openMemberKeyfile(file, "mật khẩu thật dài 2025", { congress: CONGRESS, index: 1 });
  assert.ok(keys.jointKey.equals(K), "the key file keeps the ceremony's joint key");
  const A = G.mul(Scalar.random());
  const honest = {
    me: 1,
    congress: CONGRESS,
    ...roundOf(K),
    public_share: publicShare(1, all).hex(),
    counters: [{ index: 0, A: A.hex(), B: A.mul(Scalar.random()).hex() }],
  };
  const refused = (info, key, k = keys) =>
    assert.throws(() => decryptionShare(info, k), { name: "PageError", key });

  // The honest round: checked, its fingerprint shown, a share computed for it.
  assert.equal(checkRound(honest, keys.jointKey), honest.round_hash);
  assert.match(roundFingerprint(honest.round_hash), /^[0-9a-f]{4}( [0-9a-f]{4}){3}$/);
  assert.equal(roundFingerprint(honest.round_hash), honest.round_hash.slice(0, 16).match(/.{4}/g).join(" "));
  assert.equal(decryptionShare(honest, keys).guardian, 1);

  // A "parallel world": a round set up under another joint key (here one member's alone,
  // which the server could decrypt), consistently hashed: refused on the key.
  const other = jointKey([all[0]]);
  refused({ ...honest, ...roundOf(other) }, "round_key_mismatch");
  refused({ ...honest, ...roundOf(G) }, "round_key_mismatch");
  refused({ ...honest, ...roundOf(K, { joint_key: "zz" }) }, "round_key_mismatch");
  // A manifest that names K but is not the one h_R (and so the ballots) were made from.
  refused({ ...honest, manifest: { ...honest.manifest, round: { number: 2, seats: 1 } } }, "round_hash_mismatch");
  refused({ ...honest, ...roundOf(other), round_hash: honest.round_hash }, "round_hash_mismatch");
  refused({ ...honest, round_hash: "00".repeat(64) }, "round_hash_mismatch");
  refused({ ...honest, round_hash: honest.round_hash.toUpperCase() }, "round_hash_mismatch");
  refused({ ...honest, manifest: undefined }, "round_hash_mismatch");
  refused({ ...honest, manifest: null }, "round_hash_mismatch");
  refused({ ...honest, manifest: [honest.manifest] }, "round_hash_mismatch");
  refused({ ...honest, manifest: { ...honest.manifest, x: 1.5 } }, "round_hash_mismatch");

  // A key file made before it kept the joint key: refused, nothing computed.
  const { joint_key: _dropped, ...before } = await openKeyfile(file, "mật khẩu thật dài 2025");
  const old = await sealKeyfile(CONGRESS, 1, before, "mật khẩu thật dài 2025");
  const oldKeys = await openMemberKeyfile(old, "mật khẩu thật dài 2025", { congress: CONGRESS, index: 1 });
  assert.equal(oldKeys.jointKey, null);
  assert.ok(oldKeys.secretShare.equals(keys.secretShare));
  refused(honest, "keyfile_without_joint_key", oldKeys);
});

test("T-3.c: the page's catalogue explains every refusal of the round check", () => {
  const catalogue = readFileSync(
    new URL("../../templates/counting/_guardian_messages.html", import.meta.url),
    "utf8",
  );
  for (const key of ["round_hash_mismatch", "round_key_mismatch", "keyfile_without_joint_key"]) {
    assert.match(catalogue, new RegExp(`data-msg="${key}">\\{\\{ _\\("[^"]+"\\) \\}\\}</span>`), key);
  }
});
