"""A contest's candidate list, checked rule by rule for the secretariat's screen.

``election.rules.check_candidate_list`` is the authority on a list: it accepts it or
raises on the *first* rule broken. The secretariat needs more than the first failure while
drawing a list up, so ``review_list`` reports every check separately — each name's
eligibility (R-LIST-6, R-DIRECT-2, R-LIST-4/7), the list owner's restriction (R-LIST-5),
floor nominees' opinion ballots (R-LIST-3), the surplus against the 30 % ceiling and the
convening committee's 10-15 % band (R-LIST-1, R-LIST-9) and the A-B-C order (R-LIST-10) —
and then the rules engine's own verdict on the whole list, which is what decides.

``proposed`` lets the screen ask "what if these people were added?" without writing
anything: the JSON check endpoint uses it while the secretariat ticks names.
``nominate_official`` then puts the chosen names on the convening committee's list.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction

import sqlalchemy as sa
from sqlalchemy.orm import Session

from election import rules
from election.errors import InvalidInput, InvalidState
from election.models import (
    BodyMember,
    CandidateSource,
    Contest,
    Member,
    Membership,
    Nomination,
    Role,
    Round,
    RoundState,
    Withdrawal,
)
from election.rules.names import name_key
from election.services import candidates
from election.services.base import Actor, require_role, service
from election.services.congress import congress_profile, rules_contest

__all__ = [
    "EntryCheck",
    "ListReview",
    "Opinion",
    "SurplusCheck",
    "addable_members",
    "nominate_official",
    "review_list",
    "withdrawals",
]


@dataclass(frozen=True)
class Opinion:
    """A floor or self nominee's opinion ballot (R-LIST-3): ``agree`` of ``attending``."""

    agree: int
    attending: int
    passes: bool


@dataclass(frozen=True)
class EntryCheck:
    """One name on (or proposed for) the list, with each check that concerns it."""

    member: Member
    source: CandidateSource
    #: None for a name only proposed on the screen, not nominated yet.
    nomination: Nomination | None
    #: R-LIST-6: only official members stand.
    official: bool
    #: R-LIST-6: personnel bars (suspended, prosecuted, on temporary activity elsewhere).
    bars: tuple[str, ...]
    #: R-DIRECT-2: in the body the post is chosen from; None when there is no such body.
    in_pool: bool | None
    #: R-LIST-4 / R-LIST-7: at a delegates' congress, a delegate where one is required.
    delegate_ok: bool
    #: R-LIST-5: a floor or self nominee who belongs to the body that drew up the list.
    owner_conflict: bool
    #: R-LIST-3, floor and self nominees only.
    opinion: Opinion | None

    @property
    def proposed(self) -> bool:
        return self.nomination is None

    @property
    def eligible(self) -> bool:
        return self.official and not self.bars and self.in_pool is not False and self.delegate_ok

    @property
    def ok(self) -> bool:
        if not self.eligible or self.owner_conflict:
            return False
        if self.source is CandidateSource.OFFICIAL:
            return True
        return self.opinion is not None and self.opinion.passes


@dataclass(frozen=True)
class SurplusCheck:
    """The list's size against its seats (R-LIST-1, R-LIST-9)."""

    seats: int
    names: int
    #: Whether the post needs a surplus (committee, standing committee) or only enough names.
    required: bool
    #: The most names beyond the seats: max(1, floor(30 % of seats)).
    max_surplus: int
    #: The convening committee's own names beyond the seats, and its 10-15 % band.
    official_surplus: int
    band_low: Fraction
    band_high: Fraction
    recommended: tuple[int, ...]

    @property
    def surplus(self) -> int:
        return self.names - self.seats

    @property
    def enough_names(self) -> bool:
        return self.names >= self.seats

    @property
    def within_ceiling(self) -> bool:
        return not self.required or 1 <= self.surplus <= self.max_surplus

    @property
    def in_band(self) -> bool:
        return not self.required or self.official_surplus in self.recommended


@dataclass(frozen=True)
class ListReview:
    """Every check of one contest's list, and the rules engine's verdict on it."""

    contest: Contest
    entries: tuple[EntryCheck, ...]
    surplus: SurplusCheck
    #: R-LIST-10: False when two names would look the same on the ballot.
    abc_ok: bool
    #: None when the rules engine accepts the whole list; else the rule it names.
    verdict_rule: str | None
    #: The engine's own words (English, for the technical detail).
    verdict_detail: str | None
    warnings: tuple[str, ...]
    #: The draft first round, and whether it holds exactly the standing nominations.
    draft: Round | None
    draft_current: bool
    #: False once a round has opened: the list is fixed.
    editable: bool

    @property
    def ok(self) -> bool:
        return self.verdict_rule is None


def _codes(db: Session, body_id: int | None) -> set[str] | None:
    if body_id is None:
        return None
    return set(
        db.scalars(
            sa.select(Member.code)
            .join(BodyMember, BodyMember.member_id == Member.id)
            .where(BodyMember.body_id == body_id)
        )
    )


def _entry(
    contest: Contest,
    member: Member,
    nomination: Nomination | None,
    *,
    owners: set[str],
    pool: set[str] | None,
    profile: rules.Profile,
) -> EntryCheck:
    candidate = candidates.rules_candidate(member, owners=owners)
    source = nomination.source if nomination is not None else CandidateSource.OFFICIAL
    contest_rules = rules_contest(contest)
    delegate_ok = True
    if contest_rules.assembly is rules.Assembly.DELEGATES_CONGRESS and not candidate.delegate:
        # R-LIST-4: delegates upward are official delegates; R-LIST-7: a non-delegate stands
        # for the committee only with a dossier filed.
        if contest_rules.post.is_delegation:
            delegate_ok = False
        elif contest_rules.post is rules.Post.COMMITTEE:
            delegate_ok = candidate.dossier_filed
    opinion = None
    if (
        nomination is not None
        and nomination.opinion_agree is not None
        and nomination.opinion_attending is not None
    ):
        opinion = Opinion(
            nomination.opinion_agree,
            nomination.opinion_attending,
            rules.floor_nominee_passes(
                nomination.opinion_agree, nomination.opinion_attending, profile
            ),
        )
    return EntryCheck(
        member=member,
        source=source,
        nomination=nomination,
        official=member.membership is Membership.OFFICIAL,
        bars=candidate.ineligible,
        in_pool=None if pool is None else member.code in pool,
        delegate_ok=delegate_ok,
        owner_conflict=source is not CandidateSource.OFFICIAL and member.code in owners,
        opinion=opinion,
    )


def _verdict(
    db: Session,
    contest: Contest,
    standing: Sequence[Nomination],
    proposed: Sequence[Member],
    *,
    owners: set[str],
    pool: set[str] | None,
    profile: rules.Profile,
) -> tuple[str | None, str | None, tuple[str, ...]]:
    try:
        entries, attending = candidates.list_entries(db, contest, standing)
    except InvalidInput as e:
        return "R-LIST-3", str(e), ()
    entries += [
        rules.ListEntry(candidate=candidates.rules_candidate(m, owners=owners)) for m in proposed
    ]
    try:
        checked = rules.check_candidate_list(
            rules_contest(contest), entries, profile, attending=attending, pool=pool
        )
    except rules.RulesError as e:
        return e.rule_id or "R-LIST", str(e), ()
    return None, None, tuple(f"{w.rule_id}: {w.message}" for w in checked.warnings)


def review_list(db: Session, contest: Contest, *, proposed: Sequence[Member] = ()) -> ListReview:
    """Check ``contest``'s standing nominations, plus ``proposed`` people as if they were
    put on the convening committee's list. Reads only."""
    profile = congress_profile(contest.congress)
    standing = candidates.standing_nominations(db, contest)
    nominated = {n.member_id for n in standing}
    proposed = [m for m in proposed if m.id not in nominated]
    owners = _codes(db, contest.list_owner_id) or set()
    pool = _codes(db, contest.position.chosen_from_id)
    entries = [
        _entry(contest, n.member, n, owners=owners, pool=pool, profile=profile) for n in standing
    ]
    entries += [
        _entry(contest, m, None, owners=owners, pool=pool, profile=profile) for m in proposed
    ]
    abc_ok = True
    try:
        order = rules.abc_order(
            [candidates.rules_candidate(e.member, owners=owners) for e in entries], profile
        )
        place = {c.person_id: i for i, c in enumerate(order)}
        entries.sort(key=lambda e: place[e.member.code])
    except rules.RulesError:
        abc_ok = False

    seats = contest.position.seats
    bounds = rules.surplus_bounds(seats, profile)
    official = sum(1 for e in entries if e.source is CandidateSource.OFFICIAL)
    surplus = SurplusCheck(
        seats=seats,
        names=len(entries),
        required=rules.Post(contest.position.post.value) in profile.lists.surplus_posts,
        max_surplus=bounds.max_surplus,
        official_surplus=official - seats,
        band_low=bounds.proposal_low,
        band_high=bounds.proposal_high,
        recommended=bounds.proposal_recommended,
    )
    rule, detail, warnings = _verdict(
        db, contest, standing, proposed, owners=owners, pool=pool, profile=profile
    )
    draft = next((r for r in contest.rounds if r.number == 1), None)
    editable = all(r.state is RoundState.DRAFT for r in contest.rounds)
    draft_current = draft is not None and {c.member_id for c in draft.candidates} == nominated
    return ListReview(
        contest=contest,
        entries=tuple(entries),
        surplus=surplus,
        abc_ok=abc_ok,
        verdict_rule=rule,
        verdict_detail=detail,
        warnings=warnings,
        draft=draft if draft is not None and draft.state is RoundState.DRAFT else None,
        draft_current=draft_current,
        editable=editable,
    )


def addable_members(db: Session, contest: Contest) -> list[Member]:
    """Roster members not nominated for ``contest`` yet, in A-B-C order (R-LIST-10)."""
    taken = sa.select(Nomination.member_id).where(Nomination.contest_id == contest.id)
    members = list(
        db.scalars(
            sa.select(Member).where(
                Member.congress_id == contest.congress_id, Member.id.not_in(taken)
            )
        )
    )
    order = congress_profile(contest.congress).lists.name_order
    return sorted(members, key=lambda m: (name_key(candidates.person_name(m), order), m.code))


def withdrawals(db: Session, contest: Contest) -> list[Withdrawal]:
    """The contest's withdrawal requests and the congress's decisions, oldest first."""
    return list(
        db.scalars(
            sa.select(Withdrawal)
            .join(Nomination, Nomination.id == Withdrawal.nomination_id)
            .where(Nomination.contest_id == contest.id)
            .order_by(Withdrawal.recorded_at, Withdrawal.id)
        )
    )


@service
def nominate_official(
    db: Session, actor: Actor, contest: Contest, members: Sequence[Member], *, now: datetime
) -> list[Nomination]:
    """Put ``members`` on the convening committee's list for ``contest`` (R-LIST-2), all or
    none. Whether they may stand is shown by ``review_list`` and decided when the list is
    built (``candidates.build_candidate_list``)."""
    require_role(db, actor, contest.congress, Role.SECRETARIAT)
    if not members:
        raise InvalidInput("choose at least one person")
    if any(r.state is not RoundState.DRAFT for r in contest.rounds):
        raise InvalidState(f"{contest.code} has already been voted on: its list is fixed")
    return [
        candidates.nominate(db, actor, contest, member, now=now, source=CandidateSource.OFFICIAL)
        for member in members
    ]
