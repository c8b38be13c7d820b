"""Tampered records, one per check, each failing exactly the expected check (T-16.a);
then the attacks of ATTACKS.md the verifier must catch, with their location."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from crypto import CredentialKey, Polynomial, Scalar, encrypt, sign_receipt
from crypto import _testing as rng
from crypto.ballot import _encrypt_ballot, _signing_message
from crypto.credential import luhn32_check
from election.record import Record, sign_minutes
from election.record.simulate import SimulatedRound
from election.record.tally import EncryptedTally
from election.rules import Outcome
from election.verifier import Report, Status, verify
from tests.record.sims import files_of, small_round, source_of, spare_round

RID = "committee-1"
BOARD = f"rounds/{RID}/board.json"


def run(target: Record | dict[str, Any]) -> Report:
    source = target if isinstance(target, Record) else source_of(target)
    return verify(source, workers=1)


def other_scalar(hex_scalar: str) -> str:
    """A different valid scalar (so that decoding passes and the mathematics must fail)."""
    return (Scalar.decode(bytes.fromhex(hex_scalar)) + Scalar.from_int(1)).hex()


def flip(hex_text: str) -> str:
    i = len(hex_text) // 2
    return hex_text[:i] + format(int(hex_text[i], 16) ^ 1, "x") + hex_text[i + 1 :]


def test_the_honest_record_passes_every_check() -> None:
    report = run(small_round().record)
    assert report.ok, report.to_json("en")
    assert [c.check_id for c in report.checks] == [f"V{i}" for i in range(1, 12)]
    assert all(c.count > 0 for c in report.checks)


# --------------------------------------------------------------------------- one per check
def v1_round_hash_stated_wrongly() -> Record | dict[str, Any]:
    files = files_of(small_round().record)
    files["record.json"]["rounds"][0]["hash"] = flip(files["record.json"]["rounds"][0]["hash"])
    return files


def v2_bad_schnorr_proof() -> Record | dict[str, Any]:
    files = files_of(small_round().record)
    proof = files["congress/ceremony.json"]["commitments"][1]["proofs"][0]
    proof["v"] = other_scalar(proof["v"])
    return files


def v3_extra_credential() -> Record | dict[str, Any]:
    files = files_of(small_round().record)
    extra = CredentialKey("dh-2025-sim", "0" * 20 + "0").public.hex()
    creds = files[f"rounds/{RID}/credentials.json"]["credentials"]
    creds.append(extra)
    creds.sort()
    return files


def _resign(sim: SimulatedRound, position: int, ballot: Any) -> Any:
    """Re-sign a changed ballot with its voter's own key (the voter's code is known)."""
    code = next(
        c
        for c in sim.congress.codes.values()
        if CredentialKey("dh-2025-sim", c).public == ballot.credential
    )
    key = CredentialKey("dh-2025-sim", code)
    unsigned = dataclasses.replace(ballot, signature=b"")
    return dataclasses.replace(
        ballot, signature=key.sign(_signing_message(unsigned.unsigned_json()))
    )


def v4_bad_proof_resealed() -> Record | dict[str, Any]:
    sim = small_round()
    ballots = list(sim.ballots)
    b = ballots[2]
    proofs = b.counter_proofs
    swapped = dataclasses.replace(b, counter_proofs=(proofs[1], proofs[0], *proofs[2:]))
    ballots[2] = _resign(sim, 3, swapped)
    return sim.reseal(ballots=ballots)


def v5_receipt_signature() -> Record | dict[str, Any]:
    files = files_of(small_round().record)
    entry = files[BOARD]["entries"][3]
    entry["signature"] = flip(entry["signature"])
    return files


def v6_rerandomised_tally() -> Record | dict[str, Any]:
    sim = small_round()
    tally = sim.round.tally
    K = sim.round.manifest.joint_key
    zero = encrypt(0, K, Scalar.from_int(12345))
    counters = (tally.counters[0] + zero, *tally.counters[1:])
    return sim.reseal(tally=EncryptedTally(tally.ballots, counters))


def v7_bad_decryption_proof() -> Record | dict[str, Any]:
    files = files_of(small_round().record)
    proof = files[f"rounds/{RID}/decryption.json"]["shares"][0]["proofs"][2]
    proof["c"] = other_scalar(proof["c"])
    return files


def v8_percentage_misprinted() -> Record | dict[str, Any]:
    sim = small_round()
    result = sim.round.result
    first = result.candidates[0]
    wrong = dataclasses.replace(first, percent_text="99,99%")
    return sim.reseal(
        result=dataclasses.replace(result, candidates=(wrong, *result.candidates[1:]))
    )


def v9_swapped_outcomes() -> Record | dict[str, Any]:
    sim = small_round()
    result = sim.round.result
    winner = next(c for c in result.candidates if c.outcome is Outcome.ELECTED)
    loser = next(c for c in result.candidates if c.outcome is not Outcome.ELECTED)
    candidates = tuple(
        dataclasses.replace(c, outcome=loser.outcome)
        if c is winner
        else dataclasses.replace(c, outcome=Outcome.ELECTED)
        if c is loser
        else c
        for c in result.candidates
    )
    elected = tuple(loser.candidate if e == winner.candidate else e for e in result.elected)
    return sim.reseal(result=dataclasses.replace(result, candidates=candidates, elected=elected))


def v10_audited_randomness() -> Record | dict[str, Any]:
    files = files_of(small_round().record)
    audited = files[f"rounds/{RID}/audited.json"]["ballots"][0]
    audited["randomness"][1] = other_scalar(audited["randomness"][1])
    return files


def v11_minutes_signature() -> Record | dict[str, Any]:
    files = files_of(small_round().record)
    sig = files[f"rounds/{RID}/minutes.json"]["signatures"][0]
    sig["signature"] = flip(sig["signature"])
    return files


@pytest.mark.parametrize(
    ("check", "tamper"),
    [
        ("V1", v1_round_hash_stated_wrongly),
        ("V2", v2_bad_schnorr_proof),
        ("V3", v3_extra_credential),
        ("V4", v4_bad_proof_resealed),
        ("V5", v5_receipt_signature),
        ("V6", v6_rerandomised_tally),
        ("V7", v7_bad_decryption_proof),
        ("V8", v8_percentage_misprinted),
        ("V9", v9_swapped_outcomes),
        ("V10", v10_audited_randomness),
        ("V11", v11_minutes_signature),
    ],
)
def test_a_tampered_record_fails_exactly_its_check(check: str, tamper: Any) -> None:
    report = run(tamper())
    assert report.not_passed == (check,), report.to_json("en")["checks"]
    failure = report.check(check).failures[0]
    assert failure.file and failure.where
    assert not report.ok


# --------------------------------------------------------------------------- attacks
def _extra_ballot(sim: SimulatedRound, code: str, rand_label: str, nonce_label: str) -> Any:
    m = sim.round.manifest
    key = CredentialKey("dh-2025-sim", code)
    choice = (1, 0, 0, 0, 0, 0) if m.form.kind == "cross_out" else None
    ballot, _ = _encrypt_ballot(
        m.context(), choice, key, rng.test_rand(rand_label), rng.test_bytes(nonce_label, 16)
    )
    return ballot


def _non_voter_code(sim: SimulatedRound) -> str:
    # The delegate present who did not vote (the simulation's present list minus voters).
    voters = {b.credential for b in sim.ballots}
    return next(
        c
        for c in sim.congress.codes.values()
        if CredentialKey("dh-2025-sim", c).public not in voters
    )


def test_group_other_than_ours_fails_v1() -> None:  # T-13.a
    files = files_of(small_round().record)
    files["congress/manifest.json"]["group"] = "ristretto255"
    report = run(files)
    assert "V1" in report.failed
    codes = {(f.file, f.code, f.where) for f in report.check("V1").failures}
    assert ("congress/manifest.json", "group", "$.group") in codes


def test_repeated_first_component_is_flagged(  # T-2.c, T-12.c
) -> None:
    sim = spare_round()
    # Re-use the randomness of the ballot at position 1 for a new voter's ballot.
    copy = _extra_ballot(
        sim, _non_voter_code(sim), "dhvote-simulation/committee-1/ballot/0", "fresh-nonce"
    )
    report = run(sim.reseal(ballots=[*sim.ballots, copy]))
    failures = [f for f in report.check("V4").failures if f.code == "duplicate_component"]
    assert failures and failures[0].position == 7 and failures[0].params["first"] == 1
    assert failures[0].where == "$.entries[6].ballot.counters[0].A"


def test_ballot_from_an_unlisted_credential(  # T-4.a
) -> None:
    sim = spare_round()
    outsider = _extra_ballot(sim, "Z" * 20 + luhn32_check("Z" * 20), "outsider", "outsider")
    report = run(sim.reseal(ballots=[*sim.ballots, outsider]))
    assert [(f.code, f.position) for f in report.check("V4").failures] == [("not_eligible", 7)]


def test_a_second_ballot_from_one_credential() -> None:  # T-17.c
    sim = spare_round()
    voter = next(
        c
        for c in sim.congress.codes.values()
        if CredentialKey("dh-2025-sim", c).public == sim.ballots[1].credential
    )
    again = _extra_ballot(sim, voter, "again", "again")
    report = run(sim.reseal(ballots=[*sim.ballots, again]))
    failure = report.check("V4").failures[0]
    assert (failure.code, failure.position, failure.params) == (
        "duplicate_credential",
        7,
        {"first": 2},
    )


def test_an_audited_ballot_cast_afterwards(  # T-8.a, T-10.b
) -> None:
    sim = small_round()
    audited = sim.round.audited.ballots[0].ballot
    voters = [b for b in sim.ballots if b.credential != audited.credential]
    report = run(sim.reseal(ballots=[*voters, audited]))
    assert "audited_on_board" in {f.code for f in report.check("V4").failures}
    assert [f.code for f in report.check("V10").failures] == ["audited_counted"]


@pytest.mark.parametrize("action", ["delete", "swap", "edit"])
def test_board_changes_name_the_position(action: str) -> None:  # T-14.a
    files = files_of(small_round().record)
    entries = files[BOARD]["entries"]
    if action == "delete":
        del entries[2]
    elif action == "swap":
        entries[1], entries[3] = entries[3], entries[1]
    else:
        entries[2]["ballot"]["nonce"] = flip(entries[2]["ballot"]["nonce"])
    report = run(files)
    chain = [f for f in report.check("V5").failures if f.code in ("chain", "receipt_position")]
    assert chain
    assert chain[0].position == (2 if action == "swap" else 3)


def test_minutes_with_another_board_head(  # T-3.d
) -> None:
    sim = small_round()
    files = files_of(sim.record)
    minutes = files[f"rounds/{RID}/minutes.json"]
    data = minutes["data"]
    data["board_head"] = "00" * 64
    signed = sign_minutes(data, {j: sim.congress.member_keys[j] for j in sim.signers})
    files[f"rounds/{RID}/minutes.json"] = signed.to_json()
    report = run(files)
    assert report.not_passed == ("V11",)
    assert [f.code for f in report.check("V11").failures] == ["minutes_head"]


def test_a_decrypted_count_that_lies(  # T-15.c
) -> None:
    files = files_of(small_round().record)
    files[f"rounds/{RID}/decryption.json"]["counts"][1]["count"] += 1
    report = run(files)
    failures = report.check("V7").failures
    assert [(f.code, f.where) for f in failures] == [("count", "$.counts[1].count")]


def test_too_few_guardians_decrypt() -> None:
    files = files_of(small_round().record)
    del files[f"rounds/{RID}/decryption.json"]["shares"][1]
    report = run(files)
    assert "too_few_shares" in {f.code for f in report.check("V7").failures}


def test_an_unreadable_file_fails_its_owner_and_skips_the_rest() -> None:
    from election.record.reader import MemorySource

    files = {k: v for k, v in source_of(files_of(small_round().record))._files.items()}
    files[BOARD] = b"{not json"
    report = verify(MemorySource(files), workers=1)
    assert report.check("V4").status is Status.FAILED
    assert report.check("V4").failures[0].code == "load"
    assert report.check("V5").status is Status.SKIPPED
    assert report.check("V6").status is Status.SKIPPED
    assert not report.ok


def test_an_unexpected_exception_is_a_failure_of_its_check(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("boom")

    monkeypatch.setattr("election.verifier.checks.decide_round", broken)
    report = run(small_round().record)
    assert report.failed == ("V9",)
    failure = report.check("V9").failures[0]
    assert failure.code == "exception" and "RuntimeError: boom" in failure.detail


def test_a_missing_record() -> None:
    report = verify("/nonexistent/record.zip", workers=1)
    assert report.failed == ("V1",)
    assert all(c.status is Status.SKIPPED for c in report.checks[1:])


def test_two_entries_with_one_tracker_fail() -> None:  # T-3.b
    """A clash: the board shows one ballot twice, so two delegates would both "find" it
    (the same tracker) while only one ballot is really theirs."""
    sim = spare_round()
    report = run(sim.reseal(ballots=[*sim.ballots, sim.ballots[0]]))
    assert not report.ok
    failures = report.check("V4").failures
    twin = [f for f in failures if f.code == "duplicate_hash"]
    assert [(f.position, f.params["first"]) for f in twin] == [(7, 1)]
    assert twin[0].where == "$.entries[6].ballot"


def test_more_tallied_ballots_than_credentials_fail() -> None:  # T-3.b
    """The server stuffs the board past the credential list (7 keys) and states a result of
    8 ballots, lying about the ballots issued and the delegates present to make it add up."""
    sim = small_round()
    stuffed = [
        _extra_ballot(sim, _non_voter_code(sim), "stuffed-0", "stuffed-0"),
        _extra_ballot(sim, "Z" * 20 + luhn32_check("Z" * 20), "stuffed-1", "stuffed-1"),
    ]
    liar = dataclasses.replace(
        sim, issued=8, base=dataclasses.replace(sim.base, exclusions=(), present_at_vote=8)
    )
    record = liar.reseal(ballots=[*sim.ballots, *stuffed])
    credentials = record.rounds[0].credentials.credentials
    assert len(credentials) == 7 and record.rounds[0].result.tally.cast == 8
    report = run(record)
    assert not report.ok
    v8 = {f.code: f.params for f in report.check("V8").failures}
    assert v8["cast_credentials"] == {"found": 8, "expected": 7}
    assert [(f.code, f.position) for f in report.check("V4").failures] == [("not_eligible", 8)]


def test_the_joint_key_is_recomputed_and_every_ceremony_proof_checked() -> None:  # T-5.e
    """V2 recomputes ``K`` and every ``K_j`` from the published commitments and verifies
    every Schnorr proof, not a sample of them."""
    sim = small_round()
    manifest = sim.congress.manifest
    n, t = len(manifest.guardians), manifest.threshold
    honest = run(sim.record)
    assert honest.check("V2").status is Status.PASSED and honest.check("V2").count == n * t

    # Guardian 1's commitments swapped for another polynomial's, with sound proofs: the
    # stated joint key and public shares no longer follow from the transcript.
    files = files_of(sim.record)
    other = Polynomial.random(t).commit(manifest.congress_id, 1).to_json()
    files["congress/ceremony.json"]["commitments"][0] = other
    report = run(files)
    assert report.not_passed == ("V2",)
    found = [(f.code, f.where) for f in report.check("V2").failures]
    assert found == [
        ("joint_key", "$.joint_key"),
        *(("public_share", f"$.counting_board.members[{j}].public_share") for j in range(n)),
    ]

    # One altered proof per guardian, each at a different coefficient: each one is found.
    files = files_of(sim.record)
    altered = set()
    for i, published in enumerate(files["congress/ceremony.json"]["commitments"]):
        k = i % t
        proof = published["proofs"][k]
        proof["v"] = other_scalar(proof["v"])
        altered.add((published["index"], k))
    report = run(files)
    assert report.not_passed == ("V2",)
    failures = report.check("V2").failures
    assert {f.code for f in failures} == {"ceremony_proof"}
    assert {(f.params["guardian"], f.params["k"]) for f in failures} == altered


def test_every_published_tracker_is_recomputed() -> None:  # T-8.d
    """The published tracker of an entry (its receipt's ``ballot``, the hash the tracking
    code is read from) must be the hash of the ballot actually on the board. Two trackers
    swapped and the receipts re-signed with the server's own key still fail, at each
    position."""
    sim = small_round()
    files = files_of(sim.record)
    entries = files[BOARD]["entries"]
    second, third = entries[1]["receipt"], entries[2]["receipt"]
    second["ballot"], third["ballot"] = third["ballot"], second["ballot"]
    for entry in (entries[1], entries[2]):
        entry["signature"] = sign_receipt(sim.congress.server_key, entry["receipt"])
    report = run(files)
    assert report.not_passed == ("V5",)
    assert report.check("V5").count == len(entries)
    failures = [(f.code, f.position, f.where) for f in report.check("V5").failures]
    assert failures == [
        ("receipt_ballot", 2, "$.entries[1].receipt.ballot"),
        ("receipt_ballot", 3, "$.entries[2].receipt.ballot"),
    ]
