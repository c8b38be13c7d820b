"""The demo congress (config/demo/) from setup to signed minutes, through the services.

The pilot chain of R-DIRECT-1: committee → standing committee (its list limited to the new
committee, R-DIRECT-2) → secretary (a single name) → deputy secretary, each voted by the
congress with real encrypted ballots: 60 members check in with badge codes this test draws
and registers, and vote through the ballot box with ``crypto.encrypt_ballot`` (the Python
twin of the booth). The counting board is the demo's 5 members with a real key ceremony
relayed by the server (3 of 5 needed; member 5 is absent from every count). For each round:
the tally equals the plaintext choices the simulation made, the minutes are signed by the
four members present, their PDF names the right winners, and the exported record passes
the independent verifier. At the end the congress record (all four rounds) passes too.
"""

from __future__ import annotations

import io
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from pypdf import PdfReader
from sqlalchemy.orm import Session

from election.errors import RuleViolation
from election.models import (
    BodyRole,
    CandidateOutcome,
    Congress,
    Contest,
    Membership,
    Role,
    Round,
    RoundState,
    User,
)
from election.services import (
    candidates,
    credentials,
    demo,
    export,
    minutes,
    open_votes,
    rounds,
    tally,
)
from election.services.base import SYSTEM, Actor
from election.services.congress import find_contest
from election.verifier import verify
from election.web.counting.views import minutes_pdf_bytes
from tests.e2e.support import Voter, register_server_key, run_ceremony
from tests.factories import NOW, later

pytestmark = pytest.mark.slow

#: Members who check in and vote: 60 of the 82 in N (quorum: 3 * 60 >= 2 * 82).
PRESENT = 60
#: The counting board members who decrypt and sign (member 5 is absent throughout).
SHARES = {
    "bau-bch": (1, 2, 4),
    "bau-btv": (2, 3, 4),
    "bau-bi-thu": (1, 3, 4),
    "bau-pho-bi-thu": (1, 2, 3),
}
SIGNERS = (1, 2, 3, 4)


class Congress_:
    """The demo congress as the test drives it: actors, voters, devices, the server key."""

    def __init__(self, db: Session, tmp_path: Path) -> None:
        self.db = db
        loaded = demo.load_demo(db, SYSTEM, now=NOW, with_users=True)
        assert loaded is not None
        self.congress: Congress = loaded.loaded.congress
        self.presidium = self._actor("chutich", Role.PRESIDIUM)
        self.secretariat = self._actor("thuky", Role.SECRETARIAT)
        self.counting = self._actor("kiemphieu", Role.COUNTING)
        members = {m.code: m for m in self.congress.members}
        self.members = members
        self.sitting = next(s for s in self.congress.sessions if s.number == 2)
        official = [m for m in members.values() if m.membership is Membership.OFFICIAL]
        for member in official:
            credentials.review_member(db, SYSTEM, member, recognised=True, now=NOW)
        board = [members[c] for c in ("DV005", "DV024", "DV039", "DV054", "DV083")]
        # The demo's counting-board account is DV005's; the others are driven as the system.
        account = db.scalars(sa.select(User).where(User.username == "kiemphieu")).one()
        eligible = [
            m for m in official if not (m.temporary_activity_elsewhere or m.absence_excused)
        ]
        present = board + [m for m in eligible if m not in board][: PRESENT - len(board)]
        self.voters = [Voter.register(db, self.congress, m, NOW) for m in present]
        for member in present:
            credentials.check_in(db, SYSTEM, member, self.sitting, now=NOW)
        self.server_key = register_server_key(db, tmp_path, NOW)
        self.devices = run_ceremony(
            db,
            self.congress,
            board,
            NOW,
            users=[account, None, None, None, None],
            actors=[self.counting, SYSTEM, SYSTEM, SYSTEM, SYSTEM],
            starter=self.counting,
        )
        assert self.devices[1].actor is self.counting

    def _actor(self, username: str, role: Role) -> Actor:
        user = self.db.scalars(sa.select(User).where(User.username == username)).one()
        return Actor.for_user(user, role)

    def contest(self, code: str) -> Contest:
        return find_contest(self.db, self.congress, code)

    def draft(self, code: str) -> Round:
        """The contest's draft first round, building its list now if it has none yet."""
        contest = self.contest(code)
        if not contest.rounds:
            candidates.build_candidate_list(
                self.db, self.secretariat, contest, sitting=self.sitting, now=later(1)
            )
        return contest.rounds[-1]

    def vote(
        self,
        round_: Round,
        choose: Callable[[int, list[str]], list[int]],
        voters: int = PRESENT,
    ) -> list[list[int]]:
        """Open the round and let the first ``voters`` present cast ``choose(i, names)``."""
        rounds.open_round(self.db, self.presidium, round_, now=later(2))
        names = [c.member.code for c in round_.candidates]
        choices = [choose(i, names) for i in range(voters)]
        for voter, choice in zip(self.voters, choices, strict=False):
            voter.cast(self.db, round_, choice, self.server_key, later(3))
        return choices

    def count(self, round_: Round, shares: Sequence[int]) -> None:
        """Close, tally, decrypt with ``shares`` (t of them), sign, announce, approve."""
        rounds.close_round(self.db, self.presidium, round_, now=later(4))
        sums = tally.compute_tally(self.db, self.counting, round_, now=later(5))
        for j in shares:
            device = self.devices[j]
            tally.submit_share(
                self.db,
                device.actor,
                round_,
                device.decryption_share(round_, sums),
                index=device.seat,
                now=later(6),
            )
        assert round_.state is RoundState.DECRYPTED
        data = minutes.minutes_view(self.db, round_).data
        for j in SIGNERS:
            device = self.devices[j]
            minutes.sign_minutes(
                self.db, device.actor, round_, device.sign(data), index=device.seat, now=later(7)
            )
        rounds.announce_result(self.db, self.counting, round_, now=later(8))
        rounds.approve_round(self.db, self.presidium, round_, now=later(9))


def keep(*codes: str) -> Callable[[list[str]], list[int]]:
    """A cross-out ballot keeping ``codes``."""
    return lambda names: [int(n in codes) for n in names] + [0, 0]


def elected(round_: Round) -> list[str]:
    result = round_.result
    assert result is not None
    lines = sorted(result.candidates, key=lambda c: c.rank)
    return [c.candidate.member.code for c in lines if c.outcome is CandidateOutcome.ELECTED]


def check_round(
    c: Congress_, round_: Round, choices: list[list[int]], app: Flask, pdf: bool = False
) -> None:
    """The tally is the plaintext choices; the record verifies; the PDF names the winners."""
    result = round_.result
    assert result is not None
    expected = [sum(column) for column in zip(*choices, strict=True)]
    assert list(result.tally["counters"].values()) == expected
    report = verify(export.round_record(c.db, round_), workers=1)
    assert report.ok, report.to_json("en")
    view = minutes.minutes_view(c.db, round_)
    assert view.complete and view.valid_signatures == len(SIGNERS)
    if pdf:
        with app.test_request_context():
            data = minutes_pdf_bytes(view)
        text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
        winners = text.split("6. Người trúng cử")[1].split("7. Thời gian")[0]
        names = {code: c.members[code].full_name for code in c.members}
        for code in elected(round_):
            assert names[code] in winners
        for line in result.candidates:
            if line.outcome is not CandidateOutcome.ELECTED:
                assert names[line.candidate.member.code] not in winners
        assert "Có 4 chữ ký số hợp lệ" in text


def test_the_pilot_chain_from_setup_to_signed_minutes(
    session: Session, tmp_path: Path, make_app: Callable[..., Flask]
) -> None:
    started = time.perf_counter()
    c = Congress_(session, tmp_path)
    app = make_app()
    # -- 1. The committee: 11 names (10 official + 1 from the floor) for 9 seats, N = 82.
    committee = c.draft("bau-bch")
    popular = ("DV001", "DV016", "DV031", "DV046", "DV061", "DV076", "DV017", "DV047", "DV032")

    def committee_ballot(i: int, names: list[str]) -> list[int]:
        if i < 48:
            return keep(*popular)(names)
        if i < 56:
            return keep(*popular[:-1], "DV062")(names)
        if i < 58:
            return keep("DV001", "DV077")(names)
        return [0] * len(names) + ([1, 0] if i == 58 else [0, 1])

    choices = c.vote(committee, committee_ballot)
    c.count(committee, SHARES["bau-bch"])
    assert committee.result is not None
    assert (committee.result.base_n, committee.result.threshold) == (82, 42)
    assert sorted(elected(committee)) == sorted(popular)
    check_round(c, committee, choices, app, pdf=True)

    # -- 2. The standing committee: only members of the new committee may stand.
    standing_contest = c.contest("bau-btv")
    outsider = c.members["DV062"]  # on the committee's list, not elected to it
    nomination = candidates.nominate(
        session, c.secretariat, standing_contest, outsider, now=later(1)
    )
    with pytest.raises(RuleViolation) as refused:
        c.draft("bau-btv")
    assert refused.value.rule_id == "R-DIRECT-2"
    # The congress lets the nomination go (an open vote on the withdrawal, R-LIST-8).
    open_votes.decide_withdrawal(
        session,
        c.presidium,
        nomination,
        reason="Không thuộc Ban Chấp hành khóa mới (R-DIRECT-2)",
        question="Đồng ý để đồng chí rút khỏi danh sách?",
        sitting=c.sitting,
        present=PRESENT,
        agree=PRESENT,
        disagree=0,
        abstain=0,
        now=later(1),
    )
    standing = c.draft("bau-btv")
    assert {x.member.code for x in standing.candidates} == {"DV001", "DV016", "DV031", "DV046"}
    choices = c.vote(
        standing,
        lambda i, names: keep("DV001", "DV016", "DV031" if i < 45 else "DV046")(names),
    )
    c.count(standing, SHARES["bau-btv"])
    assert sorted(elected(standing)) == ["DV001", "DV016", "DV031"]
    check_round(c, standing, choices, app)

    # -- 3. The secretary: a single name, agree/disagree (R-BALLOT-4.6 for both/neither).
    secretary = c.draft("bau-bi-thu")
    choices = c.vote(
        secretary,
        lambda i, names: [1, 0, 0] if i < 55 else ([0, 1, 0] if i < 59 else [0, 0, 1]),
    )
    c.count(secretary, SHARES["bau-bi-thu"])
    assert elected(secretary) == ["DV001"]
    assert secretary.result is not None and secretary.result.invalid == 1
    check_round(c, secretary, choices, app, pdf=True)

    # -- 4. The deputy secretary: fewer ballots (50 of the 60 present cast one).
    deputy = c.draft("bau-pho-bi-thu")
    choices = c.vote(deputy, lambda i, names: [1, 0, 0] if i < 45 else [0, 1, 0], voters=50)
    c.count(deputy, SHARES["bau-pho-bi-thu"])
    assert elected(deputy) == ["DV016"]
    check_round(c, deputy, choices, app)

    # The elected took their seats: the secretary heads the committee.
    session.expire_all()
    committee_body = c.contest("bau-bch").position.body
    roles = {s.member.code: s.role for s in committee_body.memberships}
    assert roles["DV001"] is BodyRole.HEAD and roles["DV016"] is BodyRole.DEPUTY
    assert set(roles) == set(popular)
    # The congress record of the four rounds passes the verifier as a whole.
    record = export.congress_record(session, c.congress, [committee, standing, secretary, deputy])
    report = verify(record, workers=1)
    assert report.ok, report.to_json("en")
    print(f"\npilot chain: {time.perf_counter() - started:.1f} s")
