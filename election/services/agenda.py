"""What the presidium's console reads: the agenda in order, each round's state, the sitting
in progress, its quorum, and why a draft round cannot open yet.

Read only: nothing here writes or commits. The presidium acts through
``election.services.rounds`` and ``election.services.open_votes``; this module lets the
console show, before anyone presses a button, what those services would refuse and why
(``open_blockers``), so that the refusal is explained in Vietnamese instead of surfacing as
an error after the fact. The services stay the authority: a blocker list that is empty
does not promise that ``open_round`` will succeed, only that none of the known conditions
stands in its way.

The agenda follows the congress's ``agenda_order``; contests voted by the congress itself
come before those of a committee session (the new committee's first session, R-CONF-2),
and ``chain_warnings`` names any pilot post placed before the body it is chosen from
(R-DIRECT-1, R-DIRECT-2).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Session

from election import rules
from election.errors import InvalidState
from election.models import (
    Attendance,
    BoardEntry,
    Body,
    BodyKind,
    BodyMember,
    Congress,
    CongressSession,
    Contest,
    Member,
    Membership,
    Nomination,
    NominationStatus,
    OpenVote,
    Round,
    RoundState,
    SessionKind,
)
from election.rules.chain import CHAIN_ORDER
from election.services.ceremony import completed_ceremony
from election.services.congress import congress_profile
from election.services.eligibility import eligible_credentials, majority_base

__all__ = [
    "AgendaItem",
    "Blocker",
    "Quorum",
    "agenda",
    "ballots_cast",
    "base_for",
    "board_head",
    "chain_warnings",
    "contest_votes",
    "current_sitting",
    "open_blockers",
    "open_round_of",
    "quorum",
    "recent_votes",
    "reference_contest",
    "sitting_now",
    "sittings",
]

#: Rounds that are over: a later round of the contest may open.
CONCLUDED = frozenset({RoundState.APPROVED, RoundState.ANNULLED})


@dataclass(frozen=True)
class AgendaItem:
    """One contest at its place in the agenda, with its rounds so far."""

    contest: Contest
    #: Voted by the congress in a plenary session (False: in a committee session).
    at_congress: bool
    rounds: tuple[Round, ...]
    #: Standing nominations and withdrawn ones (R-LIST-8).
    nominations: int
    withdrawn: int

    @property
    def latest(self) -> Round | None:
        return self.rounds[-1] if self.rounds else None


@dataclass(frozen=True)
class Quorum:
    """Whether enough of N are present at a sitting (R-QUORUM-1).

    ``present`` counts people in N present at the sitting; ``convened`` the official
    members (delegates) convened before the exclusions that give N.
    """

    sitting: CongressSession
    convened: int
    n: int
    present: int
    required: int
    met: bool
    #: (exclusion reason, how many people), in the rules engine's order.
    exclusions: tuple[tuple[str, int], ...] = field(default=())


class Blocker(StrEnum):
    """A known reason ``rounds.open_round`` would refuse a round (the console explains it)."""

    #: The round is not a draft any more.
    NOT_DRAFT = "not_draft"
    #: The counting board's key ceremony has not completed: there is no joint key.
    NO_CEREMONY = "no_ceremony"
    #: Another round of the congress is open; one ballot box at a time.
    OTHER_ROUND_OPEN = "other_round_open"
    #: An earlier round of the same contest is neither approved nor annulled.
    EARLIER_ROUNDS = "earlier_rounds"
    #: The round has no candidates.
    NO_CANDIDATES = "no_candidates"
    #: A counting-board member is on the list (R-COUNT-1).
    COUNTING_BOARD_ON_LIST = "counting_board_on_list"
    #: The majority base N cannot be computed (nobody convened or attending yet).
    NO_BASE = "no_base"
    #: Fewer than the quorum are present at the round's sitting (R-QUORUM-1).
    NO_QUORUM = "no_quorum"
    #: Nobody checked in holds an active credential.
    NOBODY_ELIGIBLE = "nobody_eligible"


def _chain_index(contest: Contest) -> int | None:
    post = rules.Post(contest.position.post.value)
    return CHAIN_ORDER.index(post) if post in CHAIN_ORDER else None


def agenda(db: Session, congress: Congress) -> list[AgendaItem]:
    """Every contest of ``congress``: the congress's own first, each group in agenda order."""
    contests = db.scalars(
        sa.select(Contest).where(Contest.congress_id == congress.id).order_by(Contest.agenda_order)
    ).all()
    counts: dict[tuple[int, NominationStatus], int] = {
        (contest_id, status): count
        for contest_id, status, count in db.execute(
            sa.select(Nomination.contest_id, Nomination.status, sa.func.count())
            .join(Contest, Contest.id == Nomination.contest_id)
            .where(Contest.congress_id == congress.id)
            .group_by(Nomination.contest_id, Nomination.status)
        )
    }
    items = [
        AgendaItem(
            contest=c,
            at_congress=c.electorate_id is None,
            rounds=tuple(c.rounds),
            nominations=counts.get((c.id, NominationStatus.PROPOSED), 0),
            withdrawn=counts.get((c.id, NominationStatus.WITHDRAWN), 0),
        )
        for c in contests
    ]
    return sorted(items, key=lambda item: (not item.at_congress, item.contest.agenda_order))


def chain_warnings(items: list[AgendaItem]) -> list[Contest]:
    """Contests placed before a contest of the same group that must precede them in the
    chain committee → standing committee → secretary → deputies (R-DIRECT-1, R-CONF-2)."""
    out = []
    for group in (True, False):
        furthest = -1
        for item in (i for i in items if i.at_congress is group):
            index = _chain_index(item.contest)
            if index is None:
                continue
            if index < furthest:
                out.append(item.contest)
            furthest = max(furthest, index)
    return out


def sittings(db: Session, congress: Congress) -> list[CongressSession]:
    """The congress's sessions in number order."""
    return list(
        db.scalars(
            sa.select(CongressSession)
            .where(CongressSession.congress_id == congress.id)
            .order_by(CongressSession.number)
        )
    )


def open_round_of(db: Session, congress: Congress) -> Round | None:
    """The congress's open round, if any (the rounds service allows one at a time)."""
    return db.scalar(
        sa.select(Round)
        .join(Contest, Contest.id == Round.contest_id)
        .where(Contest.congress_id == congress.id, Round.state == RoundState.OPEN)
        .limit(1)
    )


def sitting_now(db: Session, congress_id: int) -> CongressSession | None:
    """The session the presidium opened and has not closed (one at a time,
    ``election.services.sittings``), if any."""
    return db.scalar(
        sa.select(CongressSession)
        .where(
            CongressSession.congress_id == congress_id,
            CongressSession.opened_at.is_not(None),
            CongressSession.closed_at.is_(None),
        )
        .order_by(CongressSession.number.desc())
        .limit(1)
    )


def current_sitting(db: Session, congress: Congress) -> CongressSession | None:
    """The sitting in progress, as well as the record tells it.

    The session of the open round if there is one, else the session the presidium opened
    and has not closed (election.services.sittings), else the session whose attendance was
    recorded last (the credentials desk checks people in as they arrive), else the first
    session.
    """
    round_ = open_round_of(db, congress)
    if round_ is not None:
        return round_.session
    ongoing = sitting_now(db, congress.id)
    if ongoing is not None:
        return ongoing
    latest = db.scalar(
        sa.select(CongressSession)
        .join(Attendance, Attendance.session_id == CongressSession.id)
        .where(CongressSession.congress_id == congress.id)
        .order_by(Attendance.recorded_at.desc(), Attendance.id.desc())
        .limit(1)
    )
    if latest is not None:
        return latest
    everything = sittings(db, congress)
    return everything[0] if everything else None


def reference_contest(db: Session, congress: Congress, sitting: CongressSession) -> Contest | None:
    """A contest voted in ``sitting``'s assembly, whose electorate gives the sitting's N:
    a congress contest for a plenary session, one of the body's for a committee session."""
    query = sa.select(Contest).where(Contest.congress_id == congress.id)
    if sitting.kind is SessionKind.PLENARY:
        query = query.where(Contest.electorate_id.is_(None))
    else:
        query = query.where(Contest.electorate_id == sitting.body_id)
    return db.scalar(query.order_by(Contest.agenda_order).limit(1))


def base_for(
    db: Session,
    congress: Congress,
    sitting: CongressSession,
    contest: Contest | None = None,
) -> rules.MajorityBase | None:
    """N for a vote in ``sitting`` (of ``contest`` when given), or None when it cannot be
    computed yet: no contest is voted in that assembly, or nobody is convened or attending."""
    contest = contest or reference_contest(db, congress, sitting)
    if contest is None:
        return None
    try:
        return majority_base(db, contest, sitting)
    except InvalidState:
        return None


def quorum(
    db: Session,
    congress: Congress,
    sitting: CongressSession,
    contest: Contest | None = None,
) -> Quorum | None:
    """The quorum of ``sitting`` (R-QUORUM-1), or None while N cannot be computed."""
    base = base_for(db, congress, sitting, contest)
    if base is None:
        return None
    profile = congress_profile(congress)
    try:
        rules.check_quorum(base.present_at_vote, base, profile)
        met = True
    except rules.QuorumNotMet:
        met = False
    return Quorum(
        sitting=sitting,
        convened=base.convened,
        n=base.n,
        present=base.present_at_vote,
        required=rules.quorum_required(base, profile),
        met=met,
        exclusions=tuple((e.reason.value, e.count) for e in base.exclusions),
    )


def ballots_cast(db: Session, round_: Round) -> int:
    """How many ballots the round's board holds: a count, never who."""
    count = db.scalar(
        sa.select(sa.func.count()).select_from(BoardEntry).where(BoardEntry.round_id == round_.id)
    )
    return int(count or 0)


def board_head(db: Session, round_: Round) -> bytes | None:
    """The chain hash of the round's last board entry, or None before the first ballot."""
    return db.scalar(
        sa.select(BoardEntry.chain_hash)
        .where(BoardEntry.round_id == round_.id)
        .order_by(BoardEntry.position.desc())
        .limit(1)
    )


def _counting_board_on_list(db: Session, round_: Round) -> bool:
    congress_id = round_.contest.congress_id
    board = set(
        db.scalars(
            sa.select(BodyMember.member_id)
            .join(Body, Body.id == BodyMember.body_id)
            .where(Body.congress_id == congress_id, Body.kind == BodyKind.COUNTING_BOARD)
        )
    )
    return any(c.member_id in board for c in round_.candidates)


def _probationary_counters(db: Session, round_: Round) -> bool:
    return (
        db.scalar(
            sa.select(Member.id)
            .join(BodyMember, BodyMember.member_id == Member.id)
            .join(Body, Body.id == BodyMember.body_id)
            .where(
                Body.congress_id == round_.contest.congress_id,
                Body.kind == BodyKind.COUNTING_BOARD,
                Member.membership != Membership.OFFICIAL,
            )
            .limit(1)
        )
        is not None
    )


def open_blockers(db: Session, round_: Round) -> list[Blocker]:
    """The known reasons ``rounds.open_round`` would refuse ``round_`` now, in the order the
    service checks them (empty: nothing known stands in the way)."""
    if round_.state is not RoundState.DRAFT:
        return [Blocker.NOT_DRAFT]
    contest = round_.contest
    congress = contest.congress
    out: list[Blocker] = []
    ceremony = completed_ceremony(db, congress)
    if ceremony is None or ceremony.joint_key is None:
        out.append(Blocker.NO_CEREMONY)
    if open_round_of(db, congress) is not None:
        out.append(Blocker.OTHER_ROUND_OPEN)
    if any(r.number < round_.number and r.state not in CONCLUDED for r in contest.rounds):
        out.append(Blocker.EARLIER_ROUNDS)
    if not round_.candidates:
        out.append(Blocker.NO_CANDIDATES)
    if _counting_board_on_list(db, round_) or _probationary_counters(db, round_):
        out.append(Blocker.COUNTING_BOARD_ON_LIST)
    state = quorum(db, congress, round_.session, contest)
    if state is None:
        out.append(Blocker.NO_BASE)
    elif not state.met:
        out.append(Blocker.NO_QUORUM)
    if not eligible_credentials(db, contest, round_.session):
        out.append(Blocker.NOBODY_ELIGIBLE)
    return out


def recent_votes(db: Session, congress: Congress, limit: int = 10) -> list[OpenVote]:
    """The congress's latest open votes, newest first."""
    return list(
        db.scalars(
            sa.select(OpenVote)
            .where(OpenVote.congress_id == congress.id)
            .order_by(OpenVote.decided_at.desc(), OpenVote.id.desc())
            .limit(limit)
        )
    )


def contest_votes(db: Session, contest: Contest) -> list[OpenVote]:
    """The open votes about ``contest``, its nominations or its rounds, oldest first."""
    nominations = sa.select(Nomination.id).where(Nomination.contest_id == contest.id)
    rounds = sa.select(Round.id).where(Round.contest_id == contest.id)
    return list(
        db.scalars(
            sa.select(OpenVote)
            .where(
                OpenVote.congress_id == contest.congress_id,
                sa.or_(
                    sa.and_(OpenVote.object_type == "contests", OpenVote.object_id == contest.id),
                    sa.and_(
                        OpenVote.object_type == "nominations", OpenVote.object_id.in_(nominations)
                    ),
                    sa.and_(OpenVote.object_type == "rounds", OpenVote.object_id.in_(rounds)),
                ),
            )
            .order_by(OpenVote.decided_at, OpenVote.id)
        )
    )
