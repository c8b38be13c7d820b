"""Issue 5, test (c): a generated corpus of over 1,000 malformed and adversarial ballots,
each refused by the ballot box with the check it should fail, and none changing the board.

Categories (ATTACKS.md sections 2, 4, 6, 13): truncated and oversized JSON, broken shapes,
small-order / non-canonical / off-curve points, non-canonical scalars, bad signatures,
altered proofs re-signed by their owner, proofs copied under another credential, wrong
round, unknown and revoked credentials, replays with a fresh nonce, copies of ballots on
the board, and second ballots from voters who have voted. Exact replays of an accepted
ballot are answered with its existing receipt (issue 5 item 3) and add nothing.
"""

from __future__ import annotations

import copy
import json
import random
from collections import Counter
from collections.abc import Iterator
from typing import Any

from sqlalchemy.orm import Session

import crypto
from election.services import ballotbox, credentials
from election.services.ballotbox import BallotRejected, Check
from election.services.base import SYSTEM
from tests.factories import later
from tests.services.test_ballotbox import Box, Signer, open_box
from tests.vectors.make_vectors import NON_CANONICAL, SMALL_ORDER

L_BYTES = [
    crypto.L.to_bytes(32, "little").hex(),
    (crypto.L + 1).to_bytes(32, "little").hex(),
    (2**256 - 1).to_bytes(32, "little").hex(),
]
OFF_CURVE = [(y).to_bytes(32, "little").hex() for y in (2, 7, 8)]


def _resign(obj: dict[str, Any], signer: Signer) -> dict[str, Any]:
    unsigned = {k: v for k, v in obj.items() if k != "signature"}
    unsigned["credential"] = signer.public.hex()
    message = crypto.H(crypto.Tag.BALLOT_SIG, crypto.canonical_json(unsigned))
    return {**unsigned, "signature": signer.sign(message).hex()}


def _flip_hex(text: str, rng: random.Random) -> str:
    i = rng.randrange(len(text))
    digits = "0123456789abcdef"
    return text[:i] + rng.choice(digits.replace(text[i], "")) + text[i + 1 :]


def corpus(box: Box, rng: random.Random) -> Iterator[tuple[str, Any, set[Check]]]:
    """(label, payload, accepted checks) for every hostile ballot."""
    base = box.ballot(0).to_json()
    text = json.dumps(base)
    counters = len(base["counters"])

    for cut in sorted(rng.sample(range(1, len(text)), 300)):
        yield "truncated", text[:cut].encode(), {Check.MALFORMED}
    for size in (ballotbox.MAX_BALLOT_BYTES + 1, ballotbox.MAX_BALLOT_BYTES * 2):
        yield "oversized", b'{"pad": "' + b"x" * size + b'"}', {Check.MALFORMED}
    for key in base:
        missing = {k: v for k, v in base.items() if k != key}
        yield f"missing {key}", missing, {Check.MALFORMED}
        wrong = dict(base, **{key: 12345})
        yield f"wrong type {key}", wrong, {Check.MALFORMED}
    yield "extra key", dict(base, plaintext=[1, 0, 0]), {Check.MALFORMED}
    yield "too few counters", dict(base, counters=base["counters"][:-1]), {Check.MALFORMED}
    yield "too many counters", dict(base, counters=base["counters"] * 2), {Check.MALFORMED}
    yield "no combinations", dict(base, combinations=[]), {Check.MALFORMED}
    yield "float", text.replace('"nonce"', '"x": 1.5, "nonce"', 1).encode(), {Check.MALFORMED}
    yield "duplicate key", text.replace("{", '{"nonce": "00", ', 1).encode(), {Check.MALFORMED}
    for i in range(counters):
        for comp in ("A", "B"):
            for bad in SMALL_ORDER + NON_CANONICAL + OFF_CURVE:
                mutated = copy.deepcopy(base)
                mutated["counters"][i][comp] = bad
                yield f"bad point {comp}", _resign(mutated, box.signers[0]), {Check.MALFORMED}
            upper = copy.deepcopy(base)
            upper["counters"][i][comp] = upper["counters"][i][comp].upper()
            yield "upper-case hex", upper, {Check.MALFORMED}
        for field in ("c", "v"):
            for j in (0, 1):
                for bad in L_BYTES:
                    mutated = copy.deepcopy(base)
                    mutated["counters"][i]["proof"][field][j] = bad
                    yield (
                        "non-canonical scalar",
                        _resign(mutated, box.signers[0]),
                        {Check.MALFORMED},
                    )
    for _ in range(200):
        mutated = copy.deepcopy(base)
        mutated["signature"] = _flip_hex(base["signature"], rng)
        yield "signature bit", mutated, {Check.SIGNATURE}
    for _ in range(120):
        # An owner who alters a proof response and re-signs: the proof fails.
        mutated = copy.deepcopy(base)
        i = rng.randrange(counters)
        field, j = rng.choice(("c", "v")), rng.randrange(2)
        value = int.from_bytes(bytes.fromhex(mutated["counters"][i]["proof"][field][j]), "little")
        new = (value + rng.randrange(1, 2**32)) % crypto.L
        mutated["counters"][i]["proof"][field][j] = new.to_bytes(32, "little").hex()
        yield "altered proof", _resign(mutated, box.signers[0]), {Check.PROOF}
    for k in range(60):
        # A ballot of voter 0 re-signed under another eligible credential (T-2.b).
        thief = box.signers[1 + k % 9]  # voters who have not voted and are not revoked
        fresh = box.ballot(0).to_json()
        yield "copied proofs", _resign(fresh, thief), {Check.PROOF}
    other = crypto.RoundContext(bytes(64), box.ctx.joint_key, box.ctx.form)
    for _ in range(40):
        ballot, _ = crypto.encrypt_ballot(other, [1, 0, 0, 0, 0], box.signers[2])  # type: ignore[arg-type]
        yield "wrong round", ballot.to_json(), {Check.WRONG_ROUND}
    for k in range(60):
        stranger = Signer(f"stranger-{k}")
        ballot, _ = crypto.encrypt_ballot(box.ctx, [0, 1, 0, 0, 0], stranger)  # type: ignore[arg-type]
        yield "unknown credential", ballot.to_json(), {Check.NOT_ELIGIBLE}
    small = SMALL_ORDER[4]
    # Not a valid key, so not on the list: refused before any decoding of the rest.
    yield "small-order credential", dict(base, credential=small), {Check.NOT_ELIGIBLE}


def test_hostile_ballots_are_refused_with_the_right_check(session: Session) -> None:
    rng = random.Random(20261128)
    box = open_box(session, voters=12)
    # Voter 11 will be revoked; voter 10 votes first so that its later ballots and
    # copies of its ballot are refused.
    revoked = box.signers[11]
    voted = box.ballot(10)
    box.cast(voted)
    credentials.revoke_credential(
        session, SYSTEM, box.round.eligibility[11].credential, reason="mất thẻ", now=later(2)
    )
    extra: list[tuple[str, Any, set[Check]]] = []
    for _ in range(40):
        ballot, _ = crypto.encrypt_ballot(box.ctx, [1, 0, 0, 0, 0], revoked)  # type: ignore[arg-type]
        extra.append(("revoked credential", ballot.to_json(), {Check.REVOKED}))
    for _ in range(60):
        extra.append(("second ballot", box.ballot(10, kept=(1,)).to_json(), {Check.ALREADY_VOTED}))
    for k in range(60):
        # Voter 10's accepted ciphertexts re-signed by others (T-2.c) ...
        extra.append(
            ("board copy", _resign(voted.to_json(), box.signers[k % 9]), {Check.DUPLICATE})
        )
    for _ in range(30):
        # ... and by voter 10 itself with a fresh nonce (a replay dressed up as new).
        replay = dict(voted.to_json(), nonce=bytes(rng.randrange(256) for _ in range(16)).hex())
        extra.append(("replay, new nonce", _resign(replay, box.signers[10]), {Check.ALREADY_VOTED}))

    outcomes: Counter[str] = Counter()
    wrong: list[str] = []
    total = 0
    for label, payload, expected in [*corpus(box, rng), *extra]:
        total += 1
        try:
            box.cast(payload)
        except BallotRejected as e:
            outcomes[e.check.value] += 1
            if e.check not in expected:
                wrong.append(f"{label}: {e.check.value} (expected {sorted(expected)})")
        else:
            wrong.append(f"{label}: accepted")
    # Exact replays: the existing receipt, nothing added.
    first = box.cast(voted)
    assert first.body["position"] == 1
    print(f"hostile corpus: {total} ballots, refusals by check: {dict(sorted(outcomes.items()))}")
    assert total >= 1000
    assert wrong == []
    assert box.board_size() == 1
