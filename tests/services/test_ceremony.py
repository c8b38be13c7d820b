"""The key ceremony's result is checked before it is recorded."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

import crypto
from election.errors import Conflict, InvalidInput
from election.models import BodyKind, CeremonyStatus, GuardianStatus
from election.services import ceremony
from election.services.base import SYSTEM
from tests import factories as f


def _transcript(congress_id: str, members: list[f.Member], t: int = 2) -> tuple:  # type: ignore[type-arg]
    published = [
        crypto.Polynomial.random(t).commit(congress_id, i) for i in range(1, len(members) + 1)
    ]
    records = [
        ceremony.GuardianRecord(
            index=i,
            member=m,
            communication_key=(crypto.Scalar.random() * crypto.G).encode(),
            commitments=c.to_json(),
        )
        for i, (m, c) in enumerate(zip(members, published, strict=True), start=1)
    ]
    joint = crypto.joint_key(published).encode()
    shares = {j: crypto.public_share(j, published).encode() for j in range(1, len(members) + 1)}
    return records, joint, shares


def test_a_verified_ceremony_is_recorded_once(session: Session) -> None:
    congress = f.make_congress(session)
    board = f.make_members(session, congress, 3)
    f.make_body(session, congress, BodyKind.COUNTING_BOARD, members=board)
    records, joint, shares = _transcript(congress.public_id, board)
    done = ceremony.record_ceremony_result(
        session,
        SYSTEM,
        congress,
        threshold=2,
        guardians=records,
        joint_key=joint,
        public_shares=shares,
        now=f.NOW,
    )
    assert done.status is CeremonyStatus.COMPLETED and done.joint_key == joint
    assert [g.guardian_index for g in done.members] == [1, 2, 3]
    assert all(g.status is GuardianStatus.VERIFIED for g in done.members)
    assert ceremony.completed_ceremony(session, congress) is done
    with pytest.raises(Conflict):
        ceremony.record_ceremony_result(
            session,
            SYSTEM,
            congress,
            threshold=2,
            guardians=records,
            joint_key=joint,
            public_shares=shares,
            now=f.NOW,
        )


def test_a_wrong_joint_key_or_share_is_refused(session: Session) -> None:
    congress = f.make_congress(session)
    board = f.make_members(session, congress, 3)
    records, joint, shares = _transcript(congress.public_id, board)
    other = (crypto.Scalar.random() * crypto.G).encode()
    with pytest.raises(InvalidInput, match="joint key"):
        ceremony.record_ceremony_result(
            session,
            SYSTEM,
            congress,
            threshold=2,
            guardians=records,
            joint_key=other,
            public_shares=shares,
            now=f.NOW,
        )
    with pytest.raises(InvalidInput, match="public share 2"):
        ceremony.record_ceremony_result(
            session,
            SYSTEM,
            congress,
            threshold=2,
            guardians=records,
            joint_key=joint,
            public_shares={**shares, 2: other},
            now=f.NOW,
        )
    assert ceremony.completed_ceremony(session, congress) is None


def test_proofs_bound_to_another_congress_are_refused(session: Session) -> None:
    congress = f.make_congress(session)
    board = f.make_members(session, congress, 2)
    records, joint, shares = _transcript("another-congress", board, t=1)
    with pytest.raises(InvalidInput, match="does not verify"):
        ceremony.record_ceremony_result(
            session,
            SYSTEM,
            congress,
            threshold=1,
            guardians=records,
            joint_key=joint,
            public_shares=shares,
            now=f.NOW,
        )


def test_guardians_come_from_the_counting_board(session: Session) -> None:
    congress = f.make_congress(session)
    board = f.make_members(session, congress, 2)
    outsider = f.make_member(session, congress)
    f.make_body(session, congress, BodyKind.COUNTING_BOARD, members=board)
    records, joint, shares = _transcript(congress.public_id, [board[0], outsider], t=1)
    with pytest.raises(InvalidInput, match="counting board"):
        ceremony.record_ceremony_result(
            session,
            SYSTEM,
            congress,
            threshold=1,
            guardians=records,
            joint_key=joint,
            public_shares=shares,
            now=f.NOW,
        )


def test_threshold_range(session: Session) -> None:
    congress = f.make_congress(session)
    board = f.make_members(session, congress, 2)
    records, joint, shares = _transcript(congress.public_id, board)
    with pytest.raises(InvalidInput, match="threshold"):
        ceremony.record_ceremony_result(
            session,
            SYSTEM,
            congress,
            threshold=3,
            guardians=records,
            joint_key=joint,
            public_shares=shares,
            now=f.NOW,
        )
