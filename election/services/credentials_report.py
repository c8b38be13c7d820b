"""The credentials report (báo cáo thẩm tra tư cách, R-CRED-2) and its approval (R-CRED-3).

``build_report`` gathers the figures the credentials board reports to the congress: how
many were convened and how many are present at a session, the composition of the roster
(official and probationary members, delegate kinds, party cells, gender, age bands), the
board's conclusions on each person (with the reasons for every refusal), and the majority
base N with its exclusions and their rule ids, as the rules engine computes them.

``finalize_report`` is the board's act of adopting the report: it writes the figures and
the board's free-text conclusion into the event log (``credentials.report``). The hash-chained
log is where the adopted text lives: it cannot be edited afterwards, and a later version is
a new entry, so what the congress voted on can always be shown. ``latest_report`` reads it.

``record_approval`` records the congress's open vote accepting the report, measured against
the N of the adopted report. It goes through ``candidates.record_open_vote``, which only the
presidium may call: the presidium puts every question to the congress, and the board that
wrote the report does not certify its own approval.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from election import rules
from election.errors import InvalidInput, InvalidState
from election.models import (
    Attendance,
    Congress,
    CongressKind,
    CongressSession,
    CredentialReview,
    CredentialStatus,
    DelegateKind,
    Event,
    Matter,
    Member,
    OpenVote,
    Role,
    SessionKind,
    VotingCredential,
)
from election.services import events
from election.services.base import Actor, require_role, service
from election.services.candidates import record_open_vote
from election.services.credentials_desk import (
    SittingSummary,
    electorate_of,
    fold,
    sitting_summary,
)
from election.services.eligibility import electorate_members

__all__ = [
    "AGE_BANDS",
    "APPROVAL_QUESTIONS",
    "REPORT_ACTION",
    "AdoptedReport",
    "Count",
    "CredentialsReport",
    "ExcludedGroup",
    "age_band",
    "approvals",
    "build_report",
    "finalize_report",
    "latest_report",
    "record_approval",
]

#: The event that holds an adopted report.
REPORT_ACTION = "credentials.report"

#: Age bands as (key, lowest age, highest age); None is open-ended.
AGE_BANDS: tuple[tuple[str, int | None, int | None], ...] = (
    ("30_or_less", None, 30),
    ("31_40", 31, 40),
    ("41_50", 41, 50),
    ("51_60", 51, 60),
    ("over_60", 61, None),
)

#: The question put to the congress, as the record states it (Vietnamese is the language of
#: record: docs/i18n.md). A members' congress reviews members, a delegates' congress delegates.
APPROVAL_QUESTIONS = {
    CongressKind.MEMBERS: "Thông qua Báo cáo thẩm tra tư cách đảng viên dự Đại hội",
    CongressKind.DELEGATES: "Thông qua Báo cáo thẩm tra tư cách đại biểu dự Đại hội",
}

_CONCLUSION_LIMIT = 10_000


def age_band(age: int) -> str:
    """The key of the band ``age`` falls in."""
    for key, low, high in AGE_BANDS:
        if (low is None or age >= low) and (high is None or age <= high):
            return key
    raise ValueError(f"no band for age {age}")  # pragma: no cover - the bands cover all ages


@dataclass(frozen=True)
class Count:
    """One line of a composition table: how many on the roster, how many present."""

    key: str
    total: int
    present: int


@dataclass(frozen=True)
class ExcludedGroup:
    """The people left out of N for one reason, with the rule that excludes them."""

    reason: rules.ExclusionReason
    rule_id: str
    members: tuple[Member, ...]


@dataclass(frozen=True)
class AdoptedReport:
    """A report as the board adopted it (one ``credentials.report`` event)."""

    seq: int
    at: datetime
    actor: str
    data: dict[str, Any]

    @property
    def n(self) -> int:
        return int(self.data["n"])

    @property
    def present(self) -> int:
        return int(self.data["present"])

    @property
    def conclusion(self) -> str:
        return str(self.data.get("conclusion") or "")

    @property
    def session(self) -> int | None:
        value = self.data.get("session")
        return int(value) if value is not None else None


@dataclass(frozen=True)
class CredentialsReport:
    """Everything the credentials report states (R-CRED-2), for one session."""

    congress: Congress
    sitting: CongressSession
    #: The year ages are computed in (the congress's opening year).
    reference_year: int
    summary: SittingSummary
    #: Present at some plenary session so far (R-RESULT-3: "absent for the whole congress").
    attended: int
    membership: tuple[Count, ...]
    delegate_kinds: tuple[Count, ...]
    party_cells: tuple[Count, ...]
    genders: tuple[Count, ...]
    age_bands: tuple[Count, ...]
    recognised: int
    pending: int
    not_recognised: tuple[tuple[Member, str], ...]
    exclusions: tuple[ExcludedGroup, ...]
    credentials_issued: int
    adopted: AdoptedReport | None
    approvals: tuple[OpenVote, ...]

    @property
    def convened(self) -> int:
        return self.summary.convened

    @property
    def present(self) -> int:
        return self.summary.present

    @property
    def base(self) -> rules.MajorityBase | None:
        return self.summary.base

    @property
    def delegates_congress(self) -> bool:
        return self.congress.kind is CongressKind.DELEGATES

    @property
    def adopted_is_current(self) -> bool:
        """Whether the adopted report states the figures shown now (same session, same N,
        same number present)."""
        if self.adopted is None or self.base is None:
            return False
        return (
            self.adopted.session == self.sitting.number
            and self.adopted.n == self.base.n
            and self.adopted.present == self.present
        )

    def snapshot(self) -> dict[str, Any]:
        """The figures ``finalize_report`` writes into the event log (JSON, no names:
        people appear by their roster code)."""
        base = self.base
        return {
            "session": self.sitting.number,
            "convened": self.convened,
            "present": self.present,
            "attended": self.attended,
            "recognised": self.recognised,
            "pending": self.pending,
            "not_recognised": [m.code for m, _ in self.not_recognised],
            "n": base.n if base else 0,
            "present_in_n": base.present_at_vote if base else 0,
            "quorum_required": self.summary.quorum_required,
            "quorum_met": self.summary.quorum_met,
            "exclusions": {g.reason.value: [m.code for m in g.members] for g in self.exclusions},
            "credentials_issued": self.credentials_issued,
        }


def _counts(
    members: Iterable[Member],
    present: set[int],
    key: Callable[[Member], str],
    order: Iterable[str] = (),
) -> tuple[Count, ...]:
    totals: Counter[str] = Counter()
    here: Counter[str] = Counter()
    for m in members:
        k = key(m)
        totals[k] += 1
        if m.id in present:
            here[k] += 1
    ordered = [k for k in order if k in totals]
    ordered += sorted((k for k in totals if k not in ordered), key=fold)
    return tuple(Count(k, totals[k], here[k]) for k in ordered)


def latest_report(db: Session, congress: Congress) -> AdoptedReport | None:
    """The report the board adopted last, or None."""
    event = db.scalar(
        sa.select(Event)
        .where(Event.action == REPORT_ACTION, Event.congress == congress.public_id)
        .order_by(Event.seq.desc())
        .limit(1)
    )
    if event is None:
        return None
    return AdoptedReport(event.seq, event.at, event.actor, dict(event.data))


def approvals(db: Session, congress: Congress) -> list[OpenVote]:
    """The congress's open votes on the credentials report, oldest first."""
    return list(
        db.scalars(
            sa.select(OpenVote)
            .where(
                OpenVote.congress_id == congress.id,
                OpenVote.subject == Matter.CREDENTIALS_REPORT,
            )
            .order_by(OpenVote.decided_at, OpenVote.id)
        )
    )


def build_report(
    db: Session, congress: Congress, sitting: CongressSession, *, now: datetime
) -> CredentialsReport:
    """The credentials report of ``congress`` at the plenary session ``sitting``."""
    if sitting.congress_id != congress.id:
        raise InvalidInput("the session belongs to another congress")
    if sitting.kind is not SessionKind.PLENARY:
        raise InvalidInput("the credentials report is made for a plenary session")
    electorate = electorate_of(sitting).as_contest()
    members = electorate_members(db, electorate)
    ids = [m.id for m in members]
    summary = sitting_summary(db, sitting)

    present_rows = db.scalars(
        sa.select(Attendance.member_id).where(
            Attendance.session_id == sitting.id, Attendance.present.is_(True)
        )
    )
    present = set(present_rows)
    plenary = sa.select(CongressSession.id).where(
        CongressSession.congress_id == congress.id, CongressSession.kind == SessionKind.PLENARY
    )
    attended = set(
        db.scalars(
            sa.select(Attendance.member_id).where(
                Attendance.present.is_(True), Attendance.session_id.in_(plenary)
            )
        )
    ) & set(ids)

    reviews = {
        r.member_id: r
        for r in db.scalars(sa.select(CredentialReview).where(CredentialReview.member_id.in_(ids)))
    }
    refused = tuple(
        (m, reviews[m.id].reason or "")
        for m in members
        if m.id in reviews and not reviews[m.id].recognised
    )
    recognised = sum(1 for r in reviews.values() if r.recognised)

    year = congress.opens_on.year if congress.opens_on else now.year
    delegates = congress.kind is CongressKind.DELEGATES
    by_code = {m.code: m for m in members}
    exclusions = tuple(
        ExcludedGroup(
            item.reason, item.rule_id, tuple(by_code[c] for c in item.person_ids if c in by_code)
        )
        for item in (summary.base.exclusions if summary.base else ())
    )
    issued = (
        db.scalar(
            sa.select(sa.func.count())
            .select_from(VotingCredential)
            .where(
                VotingCredential.congress_id == congress.id,
                VotingCredential.status == CredentialStatus.ACTIVE,
                VotingCredential.member_id.in_(ids),
            )
        )
        or 0
    )
    return CredentialsReport(
        congress=congress,
        sitting=sitting,
        reference_year=year,
        summary=summary,
        attended=len(attended),
        membership=_counts(
            members, present, lambda m: m.membership.value, ("official", "probationary")
        ),
        delegate_kinds=_counts(
            members,
            present,
            lambda m: (m.delegate_kind or DelegateKind.ELECTED).value,
            [k.value for k in DelegateKind],
        )
        if delegates
        else (),
        party_cells=_counts(members, present, lambda m: m.party_cell or ""),
        genders=_counts(members, present, lambda m: m.gender.value, ("male", "female")),
        age_bands=_counts(
            members,
            present,
            lambda m: age_band(year - m.birth_year),
            [key for key, _, _ in AGE_BANDS],
        ),
        recognised=recognised,
        pending=len(members) - len(reviews),
        not_recognised=refused,
        exclusions=exclusions,
        credentials_issued=issued,
        adopted=latest_report(db, congress),
        approvals=tuple(approvals(db, congress)),
    )


# ------------------------------------------------------------------------------- services


@service
def finalize_report(
    db: Session,
    actor: Actor,
    congress: Congress,
    sitting: CongressSession,
    *,
    conclusion: str,
    now: datetime,
) -> AdoptedReport:
    """The credentials board adopts the report for ``sitting`` with its ``conclusion``.

    Refused while someone is still unreviewed or N cannot be computed: the congress must
    not be asked to accept a report with open cases.
    """
    require_role(db, actor, congress, Role.CREDENTIALS)
    if not isinstance(conclusion, str) or not conclusion.strip():
        raise InvalidInput("the report needs the board's conclusion")
    if len(conclusion) > _CONCLUSION_LIMIT:
        raise InvalidInput(f"the conclusion is longer than {_CONCLUSION_LIMIT} characters")
    report = build_report(db, congress, sitting, now=now)
    if report.pending:
        raise InvalidState(f"{report.pending} people are not reviewed yet")
    if report.base is None:
        raise InvalidState("the majority base cannot be computed")
    data = report.snapshot() | {"conclusion": conclusion.strip()}
    event = events.record(db, actor, REPORT_ACTION, congress, now=now, congress=congress, data=data)
    return AdoptedReport(event.seq, event.at, event.actor, dict(event.data))


@service
def record_approval(
    db: Session,
    actor: Actor,
    congress: Congress,
    *,
    present: int,
    agree: int,
    disagree: int,
    abstain: int,
    now: datetime,
) -> OpenVote:
    """Record the congress's open vote on the adopted report (R-CRED-3), measured against
    the N the report states; only the presidium may (``record_open_vote``)."""
    adopted = latest_report(db, congress)
    if adopted is None:
        raise InvalidState("the credentials board has not adopted a report yet")
    sitting = None
    if adopted.session is not None:
        sitting = db.scalar(
            sa.select(CongressSession).where(
                CongressSession.congress_id == congress.id,
                CongressSession.number == adopted.session,
            )
        )
    return record_open_vote(
        db,
        actor,
        congress,
        subject=Matter.CREDENTIALS_REPORT,
        question=APPROVAL_QUESTIONS[congress.kind],
        present=present,
        agree=agree,
        disagree=disagree,
        abstain=abstain,
        base_n=adopted.n,
        now=now,
        sitting=sitting,
        about=congress,
    )
