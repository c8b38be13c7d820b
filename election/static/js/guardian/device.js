// A counting-board member's device, without any DOM: what the guardian pages compute
// (templates/counting/ceremony.html, round.html, sign.html). Every secret made here stays in
// this object and in the member's key file; the server receives only what the methods return
// (public keys, commitments with proofs, sealed share boxes, complaints, decryption shares,
// signatures). Mirrors tests/e2e/support.py's Device, which drives the same services from
// Python.

import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, hexToBytes } from "@noble/hashes/utils.js";

import { PageError } from "./errors.js";

import {
  Ciphertext,
  G,
  GuardianCommitments,
  Point,
  Polynomial,
  Scalar,
  computeShare,
  generateSigningSeed,
  jointKey,
  minutesMessage,
  openKeyfile,
  openShare,
  publicShare,
  roundHash,
  sealKeyfile,
  sealShare,
  signMinutes,
  signingPublicKey,
  verifyCommitments,
  verifyShare,
} from "../crypto/index.js";

/**
 * The joint key's fingerprint, as the server's ceremony_relay.joint_key_fingerprint writes
 * it: the first 16 hex digits of SHA-256(K), upper case, in groups of four.
 * @param {Uint8Array} jointKeyBytes
 */
export function fingerprint(jointKeyBytes) {
  const hex = bytesToHex(sha256(jointKeyBytes)).slice(0, 16).toUpperCase();
  return hex.match(/.{4}/g).join(" ");
}

function point(hex) {
  return Point.decode(hexToBytes(hex));
}

/** The published commitments of every member, by index, strictly decoded and verified. */
function commitmentsOf(state) {
  const out = new Map();
  for (const member of state.members) {
    if (!member.commitments) throw new Error(`member ${member.index} has not published`);
    const published = GuardianCommitments.fromJson(member.commitments, state.threshold);
    if (published.index !== member.index) throw new Error(`member ${member.index}: wrong index`);
    verifyCommitments(state.congress, published);
    out.set(member.index, published);
  }
  return out;
}

/** A device's part in one run of the key ceremony (PROTOCOL.md section 4). */
export class CeremonyDevice {
  #communication;
  #polynomial;
  #signingSeed;
  #received = new Map();
  #secretShare = null;
  #jointKey = null;

  /**
   * @param {string} congress the congress id (context of the proofs and boxes)
   * @param {number} index this member's index
   * @param {number} threshold t
   */
  constructor(congress, index, threshold) {
    this.congress = congress;
    this.index = index;
    this.threshold = threshold;
    this.#communication = Scalar.random();
    this.#polynomial = Polynomial.random(threshold);
    this.#signingSeed = generateSigningSeed();
  }

  /** Step 2: what the member publishes (the body of POST /api/counting/ceremony/keys). */
  publication() {
    return {
      communication_key: G.mul(this.#communication).hex(),
      signing_key: bytesToHex(signingPublicKey(this.#signingSeed)),
      commitments: this.#polynomial.commit(this.congress, this.index).toJson(),
    };
  }

  /** Step 3: f_i(j) sealed to every other member's communication key (a Promise). */
  async boxes(state) {
    const out = {};
    for (const member of state.members) {
      if (member.index === this.index) continue;
      if (!member.communication_key) throw new Error(`member ${member.index} has no key yet`);
      out[String(member.index)] = await sealShare(
        this.congress,
        this.index,
        member.index,
        point(member.communication_key),
        this.#polynomial.evaluate(member.index),
      );
    }
    return out;
  }

  /**
   * Step 4: open and check every box addressed here. Resolves with the first dealer whose
   * share fails ({against, reason}) or null when every share checks out; then s_j is known.
   */
  async check(state) {
    const dealers = commitmentsOf(state);
    if (state.received.length !== state.guardians - 1) {
      throw new Error("not every share has arrived yet");
    }
    for (const item of state.received) {
      let share;
      try {
        share = await openShare(this.congress, item.from, this.index, this.#communication, item.box);
        verifyShare(this.index, share, dealers.get(item.from));
      } catch (error) {
        return { against: item.from, reason: `Phần khóa không hợp lệ: ${error.message}` };
      }
      this.#received.set(item.from, share);
    }
    let s = this.#polynomial.evaluate(this.index);
    for (const share of this.#received.values()) s = s.add(share);
    this.#secretShare = s;
    // K from the commitments this device verified, not the server's word: the key file keeps
    // it, and a decryption share is refused for a round opened under any other key (T-3.c).
    this.#jointKey = jointKey([...dealers.values()]);
    return null;
  }

  get checked() {
    return this.#secretShare !== null;
  }

  /**
   * Once the ceremony is complete: the joint key and this member's public share recomputed
   * from the commitments must be the server's (and the joint key the one this device checked
   * its shares against), and s_j*G must be K_j. Returns the fingerprint.
   */
  confirmResult(state) {
    const all = [...commitmentsOf(state).values()];
    const K = jointKey(all);
    if (K.hex() !== state.joint_key) throw new Error("the server's joint key differs");
    if (this.#jointKey !== null && !K.equals(this.#jointKey)) {
      throw new Error("the server's joint key differs");
    }
    const Kj = publicShare(this.index, all);
    if (Kj.hex() !== state.public_shares[String(this.index)]) {
      throw new Error("the server's public share differs");
    }
    if (!G.mul(this.#secretShare).equals(Kj)) throw new Error("s_j*G is not K_j");
    return fingerprint(K.encode());
  }

  /**
   * The key file, sealed under `passphrase` (a Promise of its JSON object). Its secret keeps
   * the joint key K this device computed from the commitments it verified (check), which is
   * the key confirmResult then compares with the server's.
   */
  keyfile(passphrase) {
    if (!this.checked) throw new Error("the shares have not been checked yet");
    return sealKeyfile(
      this.congress,
      this.index,
      {
        communication_secret: this.#communication.hex(),
        secret_share: this.#secretShare.hex(),
        signing_seed: bytesToHex(this.#signingSeed),
        joint_key: this.#jointKey.hex(),
      },
      passphrase,
    );
  }
}

/**
 * The member's secrets from their key file (a Promise): the secret share s_j (a Scalar), the
 * minutes-signing seed and the joint key K the member's device computed in the ceremony (a
 * Point, or null in a key file made before the file kept it). Checks that the file is this
 * congress's and this member's.
 */
export async function openMemberKeyfile(keyfile, passphrase, { congress, index }) {
  if (keyfile.congress !== congress) throw new PageError("keyfile_other_congress");
  if (keyfile.guardian !== index) {
    throw new PageError("keyfile_other_member", { found: keyfile.guardian, expected: index });
  }
  const secret = await openKeyfile(keyfile, passphrase);
  return {
    secretShare: Scalar.decode(hexToBytes(secret.secret_share)),
    signingSeed: hexToBytes(secret.signing_seed),
    jointKey: secret.joint_key === undefined ? null : point(secret.joint_key),
  };
}

/**
 * h_R's fingerprint as the pages show it (election/web/formatting.format_hash): the first 16
 * hex digits, lower case, in groups of four.
 * @param {string} roundHashHex
 */
export function roundFingerprint(roundHashHex) {
  return roundHashHex.slice(0, 16).toLowerCase().match(/.{1,4}/g).join(" ");
}

/**
 * The round the server asks a share for is the one the member's key was made for (ATTACKS.md
 * T-3.c, the trustee's "parallel world"): the manifest it sends must hash to h_R (the hash
 * every ballot, the board chain and the share's proofs are bound to), and its joint key must
 * be the one in the member's key file. Throws a PageError otherwise; returns h_R's hex.
 */
export function checkRound(info, jointKeyPoint) {
  if (jointKeyPoint === null || jointKeyPoint === undefined) {
    throw new PageError("keyfile_without_joint_key");
  }
  const manifest = info.manifest;
  if (manifest === null || typeof manifest !== "object" || Array.isArray(manifest)) {
    throw new PageError("round_hash_mismatch");
  }
  let hash;
  try {
    hash = bytesToHex(roundHash(manifest));
  } catch {
    throw new PageError("round_hash_mismatch");
  }
  if (typeof info.round_hash !== "string" || hash !== info.round_hash) {
    throw new PageError("round_hash_mismatch");
  }
  let K;
  try {
    K = point(manifest.joint_key);
  } catch {
    throw new PageError("round_key_mismatch");
  }
  if (!K.equals(jointKeyPoint)) throw new PageError("round_key_mismatch");
  return hash;
}

/**
 * A decryption share of the recorded tally (the body of POST .../shares). Before anything is
 * computed or sent: the round must be the key file's (checkRound: manifest -> h_R, its joint
 * key = the file's K), and s_j*G must be the member's public share K_j, so a wrong key file is
 * caught too. `keys` is what openMemberKeyfile returns ({secretShare, jointKey}).
 */
export function decryptionShare(info, keys) {
  const { secretShare, jointKey: K } = keys;
  checkRound(info, K);
  if (!G.mul(secretShare).equals(point(info.public_share))) {
    throw new PageError("keyfile_mismatch");
  }
  const tally = info.counters.map((c) => new Ciphertext(point(c.A), point(c.B)));
  return computeShare(hexToBytes(info.round_hash), info.me, secretShare, tally).toJson();
}

/** The member's signature on the minutes (the body of POST .../minutes/signatures). */
export function minutesSignature(minutes, signingSeed) {
  if (bytesToHex(minutesMessage(minutes.data)) !== minutes.message) {
    throw new PageError("minutes_mismatch");
  }
  return { signature: bytesToHex(signMinutes(signingSeed, minutes.data)) };
}
