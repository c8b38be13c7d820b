"""The ballot box service: every check of PROTOCOL.md section 7, on SQLite and PostgreSQL.

Ballots here are real: encrypted, proven and signed by ``crypto`` with the voters' keys.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections import Counter
from dataclasses import dataclass
from typing import Any

import pytest
import sqlalchemy as sa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy.orm import Session

import crypto
from election.models import (
    BallotComponent,
    BoardEntry,
    BodyKind,
    Round,
    RoundState,
    VotingCredential,
)
from election.services import ballotbox, candidates, credentials, rounds
from election.services.ballotbox import BallotRejected, Check
from election.services.base import SYSTEM
from tests import factories
from tests.factories import NOW, later


class Signer:
    """A voter's Ed25519 key, standing in for a badge's ``crypto.CredentialKey``."""

    def __init__(self, label: str) -> None:
        seed = hashlib.sha256(f"ballotbox-{label}".encode()).digest()
        self._key = Ed25519PrivateKey.from_private_bytes(seed)
        self.public = self._key.public_key().public_bytes_raw()

    def sign(self, message: bytes) -> bytes:
        return self._key.sign(message)


@dataclass
class Box:
    db: Session
    round: Round
    signers: list[Signer]
    server_key: Ed25519PrivateKey
    ctx: crypto.RoundContext

    def ballot(self, voter: int, kept: tuple[int, ...] = (0,)) -> crypto.CiphertextBallot:
        n = self.ctx.form.candidates
        counters = [1 if i in kept else 0 for i in range(n)] + [0, 0]
        ballot, _ = crypto.encrypt_ballot(self.ctx, counters, self.signers[voter])  # type: ignore[arg-type]
        return ballot

    def cast(self, ballot: crypto.CiphertextBallot | dict[str, Any] | bytes) -> ballotbox.Receipt:
        payload = ballot.to_json() if isinstance(ballot, crypto.CiphertextBallot) else ballot
        return ballotbox.cast_ballot(
            self.db, self.round, payload, server_key=self.server_key, now=later(5)
        )

    def board_size(self) -> int:
        return int(
            self.db.scalar(
                sa.select(sa.func.count())
                .select_from(BoardEntry)
                .where(BoardEntry.round_id == self.round.id)
            )
            or 0
        )


def open_box(db: Session, voters: int = 8, names: int = 3, seats: int = 2) -> Box:
    congress = factories.make_congress(db)
    people = factories.make_members(db, congress, voters)
    board = people[-3:]
    factories.make_body(db, congress, BodyKind.COUNTING_BOARD, members=board)
    sitting = factories.make_sitting(db, congress, 1)
    position = factories.make_position(db, congress, seats=seats)
    contest = factories.make_contest(db, congress, position)
    signers = [Signer(f"{congress.public_id}-{i}") for i in range(voters)]
    for member, signer in zip(people, signers, strict=True):
        factories.issue_credential(db, member, signer.public)
    factories.check_in(db, people, sitting)
    factories.make_ceremony(db, congress, board)
    for member in people[:names]:
        candidates.nominate(db, SYSTEM, contest, member, now=NOW)
    built = candidates.build_candidate_list(db, SYSTEM, contest, sitting=sitting, now=NOW)
    round_ = rounds.open_round(db, SYSTEM, built.round, now=later(1))
    server_key = Ed25519PrivateKey.generate()
    return Box(db, round_, signers, server_key, ballotbox.round_context(round_))


@pytest.fixture
def box(session: Session) -> Box:
    return open_box(session)


def rejected(check: Check) -> _Rejects:
    return _Rejects(check)


class _Rejects:
    def __init__(self, check: Check) -> None:
        self.check = check

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: Any, value: Any, tb: Any) -> bool:
        assert kind is BallotRejected, f"expected a refusal by {self.check}, got {kind}"
        assert value.check is self.check, f"expected {self.check}, got {value.check}: {value}"
        return True


def test_an_honest_ballot_is_accepted_with_a_signed_receipt(box: Box) -> None:
    ballot = box.ballot(0)
    receipt = box.cast(ballot)
    public = box.server_key.public_key().public_bytes_raw()
    crypto.verify_receipt(public, receipt.body, receipt.signature.hex())
    assert receipt.body["position"] == 1
    assert receipt.body["ballot"] == ballot.hash().hex()
    assert receipt.tracking_code == crypto.tracking_code(ballot.hash())
    # The receipt holds no randomness and no choice (T-8.b).
    assert set(receipt.body) == {"round", "position", "ballot", "chain", "time"}


def test_the_board_chains_in_order(box: Box) -> None:
    for voter in range(4):
        box.cast(box.ballot(voter, kept=(voter % 3,)))
    entries = ballotbox.board_entries(box.db, box.round)
    assert [e.position for e in entries] == [1, 2, 3, 4]
    head = crypto.verify_chain(
        box.round.round_hash, [(e.ballot_hash, e.chain_hash) for e in entries]
    )
    assert head == entries[-1].chain_hash
    assert ballotbox.turnout(box.db, box.round) == (4, 8)


def test_resubmitting_the_same_ballot_returns_the_same_receipt(box: Box) -> None:
    ballot = box.ballot(0)
    first = box.cast(ballot)
    again = box.cast(ballot.to_json())
    assert again == first
    assert box.board_size() == 1


def test_a_second_ballot_from_the_same_credential_is_refused(box: Box) -> None:
    # T-17.c: one credential, one ballot on the board, so one ballot in the tally.
    box.cast(box.ballot(0))
    with rejected(Check.ALREADY_VOTED):
        box.cast(box.ballot(0, kept=(1,)))
    assert box.board_size() == 1


def test_a_credential_not_on_the_frozen_list_is_refused(box: Box) -> None:
    # T-4.a: a key the credentials board never issued.
    outsider = Signer("outsider")
    ballot, _ = crypto.encrypt_ballot(box.ctx, [1, 0, 0, 0, 0], outsider)  # type: ignore[arg-type]
    with rejected(Check.NOT_ELIGIBLE):
        box.cast(ballot)
    assert box.board_size() == 0


def test_a_credential_issued_after_opening_is_not_eligible(box: Box) -> None:
    # The eligible list froze when the round opened (PROTOCOL.md section 5, T-4.c).
    congress = box.round.contest.congress
    late_member = factories.make_member(box.db, congress)
    late = Signer("late")
    factories.issue_credential(box.db, late_member, late.public)
    ballot, _ = crypto.encrypt_ballot(box.ctx, [1, 0, 0, 0, 0], late)  # type: ignore[arg-type]
    with rejected(Check.NOT_ELIGIBLE):
        box.cast(ballot)


def test_a_revoked_credential_is_refused(box: Box) -> None:
    credential = box.round.eligibility[0].credential
    credentials.revoke_credential(box.db, SYSTEM, credential, reason="mất thẻ", now=later(2))
    with rejected(Check.REVOKED):
        box.cast(box.ballot(0))


def test_a_ballot_for_another_round_is_refused(box: Box) -> None:
    other = crypto.RoundContext(bytes(64), box.ctx.joint_key, box.ctx.form)
    ballot, _ = crypto.encrypt_ballot(other, [1, 0, 0, 0, 0], box.signers[0])  # type: ignore[arg-type]
    with rejected(Check.WRONG_ROUND):
        box.cast(ballot)


def test_bad_signature_and_bad_proof_are_refused(box: Box) -> None:
    obj = box.ballot(0).to_json()
    obj["signature"] = obj["signature"][:-2] + ("00" if obj["signature"][-2:] != "00" else "01")
    with rejected(Check.SIGNATURE):
        box.cast(obj)
    # A re-signed copy of voter 0's ballot under voter 1's key (T-2.b): the proofs name
    # voter 0. Its components are new to the board, so the proof check is what refuses it.
    stolen = box.ballot(0)
    unsigned = crypto.CiphertextBallot(
        stolen.round_hash,
        box.signers[1].public,
        stolen.nonce,
        stolen.ciphertexts,
        stolen.counter_proofs,
        stolen.combination_proofs,
        b"",
    ).unsigned_json()
    message = crypto.H(crypto.Tag.BALLOT_SIG, crypto.canonical_json(unsigned))
    resigned = {**unsigned, "signature": box.signers[1].sign(message).hex()}
    with rejected(Check.PROOF):
        box.cast(resigned)
    assert box.board_size() == 0


def test_a_copied_ballot_is_refused_as_a_duplicate(box: Box) -> None:
    # T-2.c: the first components of a ballot already on the board.
    original = box.ballot(0)
    box.cast(original)
    unsigned = crypto.CiphertextBallot(
        original.round_hash,
        box.signers[1].public,
        original.nonce,
        original.ciphertexts,
        original.counter_proofs,
        original.combination_proofs,
        b"",
    ).unsigned_json()
    message = crypto.H(crypto.Tag.BALLOT_SIG, crypto.canonical_json(unsigned))
    copy = {**unsigned, "signature": box.signers[1].sign(message).hex()}
    with rejected(Check.DUPLICATE):
        box.cast(copy)
    assert box.board_size() == 1


@pytest.mark.parametrize(
    "payload",
    [
        b"not json",
        b"{}",
        b"[" * 600 + b"]" * 600,
        b'{"version": "dh-vote/v1"}',
        b"x" * (ballotbox.MAX_BALLOT_BYTES + 1),
    ],
    ids=["garbage", "empty", "deep", "partial", "oversized"],
)
def test_malformed_payloads_are_refused(box: Box, payload: bytes) -> None:
    with rejected(Check.MALFORMED):
        box.cast(payload)
    assert box.board_size() == 0


def test_a_small_order_point_is_refused(box: Box) -> None:
    obj = box.ballot(0).to_json()
    obj["counters"][0]["A"] = "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a"
    with rejected(Check.MALFORMED):
        box.cast(obj)


def test_a_closed_round_accepts_nothing(box: Box) -> None:
    rounds.close_round(box.db, SYSTEM, box.round, now=later(3))
    with rejected(Check.ROUND_NOT_OPEN):
        box.cast(box.ballot(0))


def test_a_challenged_ballot_is_posted_and_can_never_be_cast(box: Box) -> None:
    # Benaloh challenge (PROTOCOL.md section 6) and T-8.a.
    counters = [1, 0, 0, 0, 0]
    ballot, secrets = crypto.encrypt_ballot(box.ctx, counters, box.signers[0])  # type: ignore[arg-type]
    audited = crypto.audit_ballot(ballot, secrets)
    posted = ballotbox.challenge_ballot(box.db, box.round, audited, now=later(4))
    assert posted.ballot_hash == ballot.hash()
    with rejected(Check.DUPLICATE):
        box.cast(ballot)
    # The voter starts again with a fresh ballot, which is accepted.
    box.cast(box.ballot(0, kept=(1,)))
    assert box.board_size() == 1


def test_a_lying_audit_is_refused(box: Box) -> None:
    ballot, secrets = crypto.encrypt_ballot(box.ctx, [1, 0, 0, 0, 0], box.signers[0])  # type: ignore[arg-type]
    audited = crypto.audit_ballot(ballot, secrets)
    audited["counters"] = [0, 1, 0, 0, 0]
    with rejected(Check.MALFORMED):
        ballotbox.challenge_ballot(box.db, box.round, audited, now=later(4))
    assert box.db.scalar(sa.select(sa.func.count()).select_from(BallotComponent)) == 0


def test_tracking_code_lookup(box: Box) -> None:
    receipt = box.cast(box.ballot(2))
    [entry] = ballotbox.find_by_tracking_code(box.db, box.round, receipt.tracking_code.lower())
    assert entry.position == 1
    # As typed from the receipt: without the dash, with spaces; or longer than two groups.
    code = receipt.tracking_code
    assert ballotbox.find_by_tracking_code(box.db, box.round, f" {code[:5]} {code[6:]} ") == [entry]
    longer = crypto.tracking_code(entry.ballot_hash, 4)
    assert ballotbox.find_by_tracking_code(box.db, box.round, longer) == [entry]
    assert ballotbox.find_by_tracking_code(box.db, box.round, "00000-00000") == []
    # Not a code: one group, a broken group, too long.
    for bad in ("", code[:5], code + "-AB", "-".join([code] * 6)):
        assert ballotbox.find_by_tracking_code(box.db, box.round, bad) == []


def test_concurrent_casts_by_one_credential_accept_exactly_one(
    committed_engine: sa.Engine,
) -> None:
    # Issue 5, test (a): 100 different ballots from one credential, sent at once by 10
    # threads with their own connections. T-17.c: exactly one of them reaches the board.
    engine = committed_engine
    setup = Session(engine, expire_on_commit=False)
    box = open_box(setup)
    ballots = [box.ballot(0, kept=(i % 3,)).to_json() for i in range(100)]
    round_id = box.round.id
    outcomes: Counter[str] = Counter()
    lock = threading.Lock()
    start = threading.Barrier(10)

    def worker(chunk: list[dict[str, Any]]) -> None:
        with Session(engine, expire_on_commit=False) as db:
            round_ = db.get(Round, round_id)
            assert round_ is not None
            start.wait()
            for payload in chunk:
                try:
                    ballotbox.cast_ballot(
                        db, round_, payload, server_key=box.server_key, now=later(6)
                    )
                    result = "accepted"
                except BallotRejected as e:
                    result = e.check.value
                with lock:
                    outcomes[result] += 1

    threads = [threading.Thread(target=worker, args=(ballots[i::10],)) for i in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print(f"100 concurrent casts by one credential: {dict(outcomes)}")
    assert outcomes == Counter({"accepted": 1, "already_voted": 99})
    assert box.board_size() == 1
    assert box.round.state is RoundState.OPEN
    setup.close()


def test_a_terminal_reusing_randomness_is_caught_and_logged(
    box: Box, caplog: pytest.LogCaptureFixture
) -> None:
    """T-3.a: two delegates with identical choices, and a terminal that forces the same
    randomness for both (the test seam ``_encrypt_ballot``): the second ballot would be the
    first one's twin on the board, so the ballot box refuses it and logs the incident."""
    from crypto import _testing
    from crypto.ballot import _encrypt_ballot

    counters = [1, 1, 0, 0, 0]

    def forced(voter: int) -> crypto.CiphertextBallot:
        rand = _testing.test_rand("one terminal, one seed")
        nonce = _testing.test_bytes(f"nonce {voter}", 16)
        ballot, _ = _encrypt_ballot(box.ctx, counters, box.signers[voter], rand, nonce)  # type: ignore[arg-type]
        return ballot

    first, second = forced(0), forced(1)
    # Different delegates, so different proofs, signatures and hashes; the same ciphertexts.
    assert first.hash() != second.hash()
    assert first.ciphertexts == second.ciphertexts
    box.cast(first)
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="election.services.ballotbox"):
        with rejected(Check.DUPLICATE):
            box.cast(second)
    assert box.board_size() == 1
    incidents = [r for r in caplog.records if r.name == "election.services.ballotbox"]
    assert len(incidents) == 1 and incidents[0].levelno == logging.WARNING
    message = incidents[0].getMessage()
    assert f"round {box.round.id}" in message and "duplicate" in message
    # The incident names the round, not the delegate or the ballot (T-7.d).
    for secret in (box.signers[1].public.hex(), second.ciphertexts[0].A.encode().hex()):
        assert secret not in message
    # The delegate is not locked out: a ballot with fresh randomness is accepted.
    box.cast(box.ballot(1, kept=(0, 1)))
    assert box.board_size() == 2


def test_a_ballot_with_valid_proofs_but_no_valid_signature_is_refused(box: Box) -> None:
    """T-4.b: the ciphertexts and proofs are sound (made for voter 0's credential), only the
    signature is missing, empty, garbled, or made with another key; every variant is
    refused and nothing reaches the board."""
    ballot = box.ballot(0)
    crypto.verify_ballot(box.ctx, ballot)  # the honest ballot, signature and proofs, verifies
    obj = ballot.to_json()
    message = crypto.H(crypto.Tag.BALLOT_SIG, crypto.canonical_json(ballot.unsigned_json()))
    unsigned = {k: v for k, v in obj.items() if k != "signature"}
    variants: list[tuple[dict[str, Any], Check]] = [
        (unsigned, Check.MALFORMED),
        ({**obj, "signature": ""}, Check.MALFORMED),
        ({**obj, "signature": "00" * 64}, Check.SIGNATURE),
        ({**obj, "signature": obj["signature"][::-1]}, Check.SIGNATURE),
        # A real Ed25519 signature of the very message, by an eligible delegate's key that is
        # not the ballot's credential (the server, or voter 1, signing for voter 0).
        ({**obj, "signature": box.signers[1].sign(message).hex()}, Check.SIGNATURE),
        ({**obj, "signature": box.server_key.sign(message).hex()}, Check.SIGNATURE),
    ]
    for payload, check in variants:
        with rejected(check):
            box.cast(payload)
    assert box.board_size() == 0
    # The same ballot with its own signature is accepted.
    box.cast(obj)
    assert box.board_size() == 1


def test_reconciliation_with_the_attendance_register(box: Box) -> None:
    """T-4.d: the ballots never outnumber the delegates present with a credential, and the
    report names every ballot whose credential belongs to a delegate marked absent."""

    def member(voter: int) -> Any:
        credential = box.db.scalar(
            sa.select(VotingCredential).where(
                VotingCredential.public_key == box.signers[voter].public
            )
        )
        assert credential is not None
        return credential.member

    def mark_absent(voter: int) -> None:
        credentials.record_attendance(
            box.db,
            SYSTEM,
            member(voter),
            box.round.session,
            present=False,
            reason="rời hội trường trước khi bỏ phiếu",
            now=later(6),
        )

    for voter in range(3):
        box.cast(box.ballot(voter, kept=(voter % 3,)))
    honest = ballotbox.reconcile(box.db, box.round)
    assert (honest.ballots, honest.present_with_credentials, honest.absent) == (3, 8, ())
    assert honest.consistent

    # Delegate 1 voted, then is recorded absent: someone used the badge in their place.
    mark_absent(1)
    report = ballotbox.reconcile(box.db, box.round)
    assert report.present_with_credentials == 7 and report.within_attendance
    assert report.absent == (ballotbox.AbsentBallot(2, member(1).code, member(1).full_name),)
    assert not report.consistent

    # Most of the hall recorded absent: more ballots than delegates present with a badge.
    for voter in (0, 3, 4, 5, 6):
        mark_absent(voter)
    report = ballotbox.reconcile(box.db, box.round)
    assert (report.ballots, report.present_with_credentials) == (3, 2)
    assert not report.within_attendance
    assert [a.position for a in report.absent] == [1, 2]
