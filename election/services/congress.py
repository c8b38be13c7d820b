"""Congress setup: the congress, its bodies, sessions, positions and contests.

The secretariat of the convening committee sets a congress up (ARCHITECTURE.md); the
command line does it from a definition file (``election.services.definition``). Each
function validates against the rules engine where a rule applies (a contest's post and
electorate, R-CONF-2 / R-DIRECT-1) and writes one event.
"""

from __future__ import annotations

import functools
import re
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from election import rules
from election.errors import Conflict, InvalidInput, NotFound
from election.models import (
    Body,
    BodyKind,
    BodyMember,
    BodyRole,
    Congress,
    CongressKind,
    CongressSession,
    Contest,
    Member,
    PercentRounding,
    Position,
    Post,
    Role,
    RulesProfileId,
    SessionKind,
)
from election.rules.values import is_whole
from election.services import events
from election.services.base import Actor, require_role, service

__all__ = [
    "CODE_PATTERN",
    "PUBLIC_ID_PATTERN",
    "add_body",
    "add_body_member",
    "add_contest",
    "add_position",
    "add_session",
    "assembly_of",
    "congress_profile",
    "create_congress",
    "find_body",
    "find_contest",
    "find_position",
    "get_congress",
    "profile_overrides",
    "roster",
    "rules_contest",
    "single_congress",
]

#: The congress id is hashed into every credential and proof: ASCII, short, no spaces.
PUBLIC_ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9._-]{0,63}")
#: Codes of bodies, positions and contests, used by definition files and the CLI.
CODE_PATTERN = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")
_FRACTION = re.compile(r"([1-9][0-9]*)/([1-9][0-9]*)")


def _check_code(value: str, what: str) -> str:
    if not isinstance(value, str) or not CODE_PATTERN.fullmatch(value):
        raise InvalidInput(
            f"{what} {value!r}: use lower-case letters, digits, '-' and '_' (at most 64)"
        )
    return value


def _text(value: Any, what: str, limit: int = 255) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InvalidInput(f"{what} must be non-empty text")
    if len(value) > limit:
        raise InvalidInput(f"{what} is longer than {limit} characters")
    return value.strip()


# ------------------------------------------------------------------------------- lookups


def get_congress(db: Session, public_id: str) -> Congress:
    """The congress with this public id, or ``NotFound``."""
    congress = db.scalar(sa.select(Congress).where(Congress.public_id == public_id))
    if congress is None:
        raise NotFound(f"no congress {public_id!r}")
    return congress


def single_congress(db: Session, public_id: str | None = None) -> Congress:
    """The congress named, or the only one there is (the usual case on a hall server)."""
    if public_id:
        return get_congress(db, public_id)
    congresses = db.scalars(sa.select(Congress).order_by(Congress.id).limit(2)).all()
    if not congresses:
        raise NotFound("no congress yet: load one first (dhvote load-congress FILE or demo)")
    if len(congresses) > 1:
        raise InvalidInput("there are several congresses: name one (--congress PUBLIC_ID)")
    return congresses[0]


def roster(db: Session, congress: Congress) -> list[Member]:
    """Everyone on the congress's roster, in code order (the pickers of the operators'
    forms)."""
    return list(
        db.scalars(sa.select(Member).where(Member.congress_id == congress.id).order_by(Member.code))
    )


def find_body(db: Session, congress: Congress, code: str) -> Body:
    body = db.scalar(sa.select(Body).where(Body.congress_id == congress.id, Body.code == code))
    if body is None:
        raise NotFound(f"no body {code!r} in {congress.public_id}")
    return body


def find_position(db: Session, congress: Congress, code: str) -> Position:
    position = db.scalar(
        sa.select(Position).where(Position.congress_id == congress.id, Position.code == code)
    )
    if position is None:
        raise NotFound(f"no position {code!r} in {congress.public_id}")
    return position


def find_contest(db: Session, congress: Congress, code: str) -> Contest:
    contest = db.scalar(
        sa.select(Contest).where(Contest.congress_id == congress.id, Contest.code == code)
    )
    if contest is None:
        raise NotFound(f"no contest {code!r} in {congress.public_id}")
    return contest


# ------------------------------------------------------------------------------- rules glue


#: Profile overrides as nested tuples, so that they can key the cache.
_Overrides = tuple[tuple[str, tuple[tuple[str, Any], ...]], ...]


@functools.lru_cache(maxsize=32)
def _profile(profile_id: str, overrides: _Overrides) -> rules.Profile:
    return rules.load_profile(profile_id, overrides={t: dict(v) for t, v in overrides})


def _overrides(
    quorum_fraction: str | None, rounding: PercentRounding | None, decimals: int | None
) -> _Overrides:
    out: list[tuple[str, tuple[tuple[str, Any], ...]]] = []
    if quorum_fraction is not None:
        out.append(("majority", (("quorum_fraction", quorum_fraction),)))
    percent: list[tuple[str, Any]] = []
    if rounding is not None:
        percent.append(("rounding", rounding.value))
    if decimals is not None:
        percent.append(("decimals", decimals))
    if percent:
        out.append(("percent", tuple(percent)))
    return tuple(out)


def profile_overrides(congress: Congress) -> dict[str, dict[str, Any]]:
    """The congress's settings as rules-profile overrides (``load_profile(overrides=...)``)."""
    overrides = _overrides(
        congress.quorum_fraction, congress.percent_rounding, congress.percent_decimals
    )
    return {table: dict(values) for table, values in overrides}


def congress_profile(congress: Congress) -> rules.Profile:
    """The congress's rules profile with its own settings applied (loaded once, cached)."""
    return _profile(
        congress.rules_profile.value,
        _overrides(congress.quorum_fraction, congress.percent_rounding, congress.percent_decimals),
    )


def assembly_of(contest: Contest) -> rules.Assembly:
    """Who votes in ``contest``, as the rules see it (R-RESULT-2/3/4)."""
    if contest.electorate is not None:
        return rules.Assembly.COMMITTEE_SESSION
    congress_kind = contest.congress.kind
    if congress_kind is CongressKind.MEMBERS:
        return rules.Assembly.MEMBERS_CONGRESS
    return rules.Assembly.DELEGATES_CONGRESS


def rules_contest(contest: Contest, seats: int | None = None) -> rules.Contest:
    """The rules engine's view of ``contest``; ``seats`` overrides the position's."""
    return rules.Contest(
        contest_id=contest.code,
        post=rules.Post(contest.position.post.value),
        seats=contest.position.seats if seats is None else seats,
        assembly=assembly_of(contest),
        direct=contest.direct,
    )


# ------------------------------------------------------------------------------- services


@service
def create_congress(
    db: Session,
    actor: Actor,
    *,
    public_id: str,
    organization: str,
    ordinal: int,
    term: str,
    kind: CongressKind,
    rules_profile: RulesProfileId,
    now: datetime,
    place: str | None = None,
    opens_on: date | None = None,
    quorum_fraction: str | None = None,
    percent_rounding: PercentRounding | None = None,
    percent_decimals: int | None = None,
) -> Congress:
    """Create a congress. Its settings override the rules profile's (checked by loading the
    profile with them); ``public_id`` is fixed forever, since the protocol hashes it."""
    if not isinstance(public_id, str) or not PUBLIC_ID_PATTERN.fullmatch(public_id):
        raise InvalidInput(
            f"congress id {public_id!r}: use lower-case ASCII letters, digits, '.', '-', '_'"
        )
    if not is_whole(ordinal, low=1):
        raise InvalidInput(f"the congress ordinal must be a positive integer, got {ordinal!r}")
    try:
        kind, rules_profile = CongressKind(kind), RulesProfileId(rules_profile)
        percent_rounding = None if percent_rounding is None else PercentRounding(percent_rounding)
    except ValueError as e:
        raise InvalidInput(str(e)) from e
    if quorum_fraction is not None and not _FRACTION.fullmatch(str(quorum_fraction)):
        raise InvalidInput(f'quorum fraction must look like "2/3", got {quorum_fraction!r}')
    try:
        _profile(
            rules_profile.value, _overrides(quorum_fraction, percent_rounding, percent_decimals)
        )
    except rules.ProfileError as e:
        raise InvalidInput(f"the congress settings do not fit the rules profile: {e}") from e
    if db.scalar(sa.select(Congress.id).where(Congress.public_id == public_id)) is not None:
        raise Conflict(f"a congress {public_id!r} already exists")
    congress = Congress(
        public_id=public_id,
        organization=_text(organization, "organization"),
        ordinal=ordinal,
        term=_text(term, "term", 32),
        kind=kind,
        rules_profile=rules_profile,
        place=place,
        opens_on=opens_on,
        quorum_fraction=quorum_fraction,
        percent_rounding=percent_rounding,
        percent_decimals=percent_decimals,
        created_at=now,
    )
    db.add(congress)
    events.record(
        db,
        actor,
        "congress.create",
        congress,
        now=now,
        congress=congress,
        data={
            "organization": congress.organization,
            "ordinal": ordinal,
            "term": congress.term,
            "kind": kind.value,
            "rules_profile": rules_profile.value,
        },
    )
    return congress


@service
def add_body(
    db: Session,
    actor: Actor,
    congress: Congress,
    *,
    code: str,
    kind: BodyKind,
    name: str,
    now: datetime,
) -> Body:
    """Add a body (committee, board, delegation) to the congress."""
    require_role(db, actor, congress, Role.SECRETARIAT)
    _check_code(code, "body code")
    try:
        kind = BodyKind(kind)
    except ValueError as e:
        raise InvalidInput(str(e)) from e
    if db.scalar(sa.select(Body.id).where(Body.congress_id == congress.id, Body.code == code)):
        raise Conflict(f"a body {code!r} already exists in {congress.public_id}")
    body = Body(congress=congress, code=code, kind=kind, name=_text(name, "body name"))
    db.add(body)
    events.record(
        db,
        actor,
        "body.create",
        body,
        now=now,
        congress=congress,
        data={"code": code, "kind": kind.value, "name": body.name},
    )
    return body


@service
def add_body_member(
    db: Session,
    actor: Actor,
    body: Body,
    member: Member,
    *,
    role: BodyRole = BodyRole.MEMBER,
    now: datetime,
    source_round_id: int | None = None,
) -> BodyMember:
    """Seat ``member`` in ``body`` (presidium, counting board, the outgoing committee ...)."""
    congress = body.congress
    require_role(db, actor, congress, Role.SECRETARIAT, Role.PRESIDIUM)
    if member.congress_id != congress.id:
        raise InvalidInput(f"{member.code} is not on the roster of {congress.public_id}")
    exists = db.scalar(
        sa.select(BodyMember.id).where(
            BodyMember.body_id == body.id, BodyMember.member_id == member.id
        )
    )
    if exists is not None:
        raise Conflict(f"{member.full_name} is already a member of {body.name}")
    seat = BodyMember(
        body=body,
        member=member,
        role=BodyRole(role),
        added_at=now,
        source_round_id=source_round_id,
    )
    db.add(seat)
    events.record(
        db,
        actor,
        "body.add_member",
        seat,
        now=now,
        congress=congress,
        data={"body": body.code, "member": member.code, "role": seat.role.value},
    )
    return seat


@service
def add_session(
    db: Session,
    actor: Actor,
    congress: Congress,
    *,
    number: int,
    title: str,
    now: datetime,
    kind: SessionKind = SessionKind.PLENARY,
    body: Body | None = None,
    scheduled_at: datetime | None = None,
) -> CongressSession:
    """Add a sitting: a plenary session, or a session of ``body`` (the first session of the
    new committee). Attendance is recorded per session."""
    require_role(db, actor, congress, Role.SECRETARIAT)
    kind = SessionKind(kind)
    if (kind is SessionKind.COMMITTEE_SESSION) != (body is not None):
        raise InvalidInput("a committee session names its body; a plenary session does not")
    if body is not None and body.congress_id != congress.id:
        raise InvalidInput(f"body {body.code} belongs to another congress")
    if not is_whole(number, low=1):
        raise InvalidInput(f"session number must be a positive integer, got {number!r}")
    taken = db.scalar(
        sa.select(CongressSession.id).where(
            CongressSession.congress_id == congress.id, CongressSession.number == number
        )
    )
    if taken is not None:
        raise Conflict(f"session {number} already exists in {congress.public_id}")
    sitting = CongressSession(
        congress=congress,
        number=number,
        title=_text(title, "session title"),
        kind=kind,
        body=body,
        scheduled_at=scheduled_at,
    )
    db.add(sitting)
    events.record(
        db,
        actor,
        "session.create",
        sitting,
        now=now,
        congress=congress,
        data={"number": number, "kind": kind.value, "body": body.code if body else None},
    )
    return sitting


@service
def add_position(
    db: Session,
    actor: Actor,
    congress: Congress,
    *,
    code: str,
    title: str,
    post: Post,
    seats: int,
    body: Body,
    now: datetime,
    body_role: BodyRole = BodyRole.MEMBER,
    chosen_from: Body | None = None,
) -> Position:
    """Add a position: ``seats`` seats of ``post`` in ``body`` (or its head or deputy)."""
    require_role(db, actor, congress, Role.SECRETARIAT)
    _check_code(code, "position code")
    try:
        post, body_role = Post(post), BodyRole(body_role)
    except ValueError as e:
        raise InvalidInput(str(e)) from e
    if not is_whole(seats, low=1):
        raise InvalidInput(f"seats must be a positive integer, got {seats!r}")
    for other in (body, chosen_from):
        if other is not None and other.congress_id != congress.id:
            raise InvalidInput(f"body {other.code} belongs to another congress")
    if body_role is not BodyRole.MEMBER and seats != 1 and body_role is BodyRole.HEAD:
        raise InvalidInput("a body has one head: the position has one seat")
    taken = db.scalar(
        sa.select(Position.id).where(Position.congress_id == congress.id, Position.code == code)
    )
    if taken is not None:
        raise Conflict(f"a position {code!r} already exists in {congress.public_id}")
    position = Position(
        congress=congress,
        code=code,
        title=_text(title, "position title"),
        post=post,
        seats=seats,
        body=body,
        body_role=body_role,
        chosen_from=chosen_from,
    )
    db.add(position)
    events.record(
        db,
        actor,
        "position.create",
        position,
        now=now,
        congress=congress,
        data={
            "code": code,
            "post": post.value,
            "seats": seats,
            "body": body.code,
            "body_role": body_role.value,
            "chosen_from": chosen_from.code if chosen_from else None,
        },
    )
    return position


@service
def add_contest(
    db: Session,
    actor: Actor,
    congress: Congress,
    *,
    code: str,
    position: Position,
    agenda_order: int,
    now: datetime,
    electorate: Body | None = None,
    direct: bool = False,
    list_owner: Body | None = None,
) -> Contest:
    """Add a contest: ``position`` elected by the congress (``electorate`` None) or by the
    members of ``electorate`` in a committee session, at ``agenda_order``.

    The rules engine checks that the post may be elected by that electorate: the committee
    and the delegations by the congress, the standing committee, secretary and deputies by
    the committee unless ``direct`` (the pilot, R-DIRECT-1), the inspection commission by
    the committee (R-CONF-2). ``list_owner`` defaults to the convening committee for a
    congress contest (R-LIST-5).
    """
    require_role(db, actor, congress, Role.SECRETARIAT)
    _check_code(code, "contest code")
    if position.congress_id != congress.id:
        raise InvalidInput(f"position {position.code} belongs to another congress")
    for other in (electorate, list_owner):
        if other is not None and other.congress_id != congress.id:
            raise InvalidInput(f"body {other.code} belongs to another congress")
    if not is_whole(agenda_order, low=1):
        raise InvalidInput(f"agenda order must be a positive integer, got {agenda_order!r}")
    if list_owner is None and electorate is None:
        list_owner = db.scalar(
            sa.select(Body).where(
                Body.congress_id == congress.id, Body.kind == BodyKind.CONVENING_COMMITTEE
            )
        )
    clash = db.scalar(
        sa.select(Contest.code).where(
            Contest.congress_id == congress.id,
            sa.or_(Contest.code == code, Contest.agenda_order == agenda_order),
        )
    )
    if clash is not None:
        raise Conflict(f"contest {clash!r} already has that code or agenda place")
    contest = Contest(
        congress=congress,
        code=code,
        position=position,
        agenda_order=agenda_order,
        electorate=electorate,
        direct=bool(direct),
        list_owner=list_owner,
    )
    try:
        rules_contest(contest)
    except ValueError as e:
        raise InvalidInput(f"contest {code}: {e}") from e
    db.add(contest)
    events.record(
        db,
        actor,
        "contest.create",
        contest,
        now=now,
        congress=congress,
        data={
            "code": code,
            "position": position.code,
            "agenda_order": agenda_order,
            "electorate": electorate.code if electorate else None,
            "direct": bool(direct),
        },
    )
    return contest
