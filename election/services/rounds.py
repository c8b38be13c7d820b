"""The round state machine: draft → open → closed → tallied → decrypted → announced →
approved | annulled (``election.models.RoundState`` says how each state is reached).

``TRANSITIONS`` is the whole machine and ``ROLES`` who may make each move. Every move is
one service call: it checks the move is legal (``IllegalTransition`` otherwise), that the
actor holds the role, and the move's own conditions, then changes the round and appends
one event to the log, all in one transaction; a refused move changes nothing.

* **open** (presidium): needs a completed key ceremony (the joint key), no other open
  round in the congress, earlier rounds of the contest concluded, a counting board with
  nobody on the list (R-COUNT-1) and a quorum (R-QUORUM-1). It freezes the eligible
  credential list (approved, checked-in voters with an active credential), hashes it with
  ``crypto.credential_list_hash``, builds the round manifest and stores ``h_R =
  crypto.round_hash(manifest)``. A credential registered later is not on the list.
* **close** (presidium): the ballot box stops accepting ballots.
* **tally** (counting board): records the summed ciphertexts, one per counter of the form.
* **decrypt** (counting board): records the guardians' decryption shares and the decrypted
  counter values; the rules engine decides the result (majority base N from the
  attendance record, R-RESULT-2..9), which is stored with its trace.
* **announce** (counting board), **approve** (presidium: the elected join their body),
  **annul** (presidium, with a reason: the vote must be repeated, R-COUNT-3, or the result
  was annulled, R-INSP-4).

Computing the tally from the board and verifying decryption shares belong to the tally
service (a later issue); these hooks store what it hands over, after checking its shape.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

import crypto
from election import rules
from election.errors import (
    IllegalTransition,
    InvalidInput,
    InvalidState,
    ReleaseNeedsDecision,
    RuleViolation,
)
from election.models import (
    BoardEntry,
    Body,
    BodyKind,
    BodyMember,
    BodyRole,
    CandidateOutcome,
    CandidateResult,
    CongressSession,
    Contest,
    DecryptionShare,
    FormKind,
    Matter,
    Member,
    Membership,
    Motion,
    Nomination,
    OpenVote,
    Result,
    ResultState,
    Role,
    Round,
    RoundCandidate,
    RoundEligibility,
    RoundKind,
    RoundOutcome,
    RoundState,
    TallyCounter,
)
from election.rules.values import is_whole
from election.services import events
from election.services.ballotbox import lock_round
from election.services.base import Actor, require_role, service
from election.services.candidates import (
    check_list,
    check_sitting,
    crypto_form_kind,
    standing_nominations,
)
from election.services.ceremony import completed_ceremony
from election.services.congress import (
    assembly_of,
    congress_profile,
    profile_overrides,
    rules_contest,
)
from election.services.eligibility import eligible_credentials, entitled_count, majority_base

__all__ = [
    "MANIFEST_VERSION",
    "ROLES",
    "TRANSITIONS",
    "announce_result",
    "annul_round",
    "approve_round",
    "base_from_json",
    "close_round",
    "create_further_round",
    "needs_release_decision",
    "open_round",
    "record_decryption",
    "record_tally",
    "round_manifest",
    "rules_result",
]

S = RoundState

#: Every legal move; anything else raises ``IllegalTransition``.
TRANSITIONS: Mapping[RoundState, frozenset[RoundState]] = {
    S.DRAFT: frozenset({S.OPEN}),
    S.OPEN: frozenset({S.CLOSED, S.ANNULLED}),
    S.CLOSED: frozenset({S.TALLIED, S.ANNULLED}),
    S.TALLIED: frozenset({S.DECRYPTED, S.ANNULLED}),
    # A decrypted result is announced before anything else happens to it (R-COUNT-2 step 7).
    S.DECRYPTED: frozenset({S.ANNOUNCED}),
    S.ANNOUNCED: frozenset({S.APPROVED, S.ANNULLED}),
    S.APPROVED: frozenset(),
    S.ANNULLED: frozenset(),
}

#: Who makes each move, by the state it reaches.
ROLES: Mapping[RoundState, tuple[Role, ...]] = {
    S.OPEN: (Role.PRESIDIUM,),
    S.CLOSED: (Role.PRESIDIUM,),
    S.TALLIED: (Role.COUNTING,),
    S.DECRYPTED: (Role.COUNTING,),
    S.ANNOUNCED: (Role.COUNTING,),
    S.APPROVED: (Role.PRESIDIUM,),
    S.ANNULLED: (Role.PRESIDIUM,),
}

#: The state timestamp each move sets.
_TIMESTAMP = {
    S.OPEN: "opened_at",
    S.CLOSED: "closed_at",
    S.TALLIED: "tallied_at",
    S.DECRYPTED: "decrypted_at",
    S.ANNOUNCED: "announced_at",
    S.APPROVED: "concluded_at",
    S.ANNULLED: "concluded_at",
}

MANIFEST_VERSION = "dh-vote/v1"


def _check_move(db: Session, actor: Actor, round_: Round, target: RoundState) -> None:
    if target not in TRANSITIONS[round_.state]:
        raise IllegalTransition(round_.state.value, target.value)
    require_role(db, actor, round_.contest.congress, *ROLES[target])


def _move(
    db: Session,
    actor: Actor,
    round_: Round,
    target: RoundState,
    now: datetime,
    data: Mapping[str, Any] | None = None,
) -> None:
    previous = round_.state
    round_.state = target
    setattr(round_, _TIMESTAMP[target], now)
    events.record(
        db,
        actor,
        f"round.{target.value}",
        round_,
        now=now,
        congress=round_.contest.congress,
        data={
            "contest": round_.contest.code,
            "number": round_.number,
            "from": previous.value,
            "to": target.value,
            **(data or {}),
        },
    )


def _rules_violation(e: rules.RulesError) -> RuleViolation:
    return RuleViolation(str(e), rule_id=e.rule_id)


# ------------------------------------------------------------------------------- open


def round_manifest(
    round_: Round,
    *,
    eligible_list_hash: bytes,
    eligible_count: int,
    entitled: int,
    joint_key: bytes,
    congress_hash: bytes | None = None,
    code: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """The round manifest whose hash is ``h_R`` (PROTOCOL.md section 6; docs/data-model.md).

    Exactly the record format's round manifest (docs/record-format.md section 4.1,
    ``election.record.RoundManifest``): ``congress_hash`` is the hash of the congress
    manifest stored when the round opens (``export.freeze_congress_manifest``) and ``code``
    the Subresource-Integrity hashes of the browser bundles served (``export.served_code``).
    (Issue 6: before, the two fields were left out.) Without a congress hash (a set-up that
    cannot give a complete congress manifest: no server key, guardians without signing
    keys) ``congress`` names only the id, and such a round cannot be exported.
    Keys are ASCII (canonical JSON requires it); names keep their diacritics. The form is
    ``crypto.form_for(kind, n, k).to_json()``, which a verifier rebuilds from its sizes.
    """
    contest = round_.contest
    congress = contest.congress
    position = contest.position
    form = crypto.form_for(round_.form_kind.value, len(round_.candidates), round_.seats)
    decision = _decision(round_)
    return {
        "protocol": MANIFEST_VERSION,
        "group": crypto.GROUP_NAME,
        "congress": {"id": congress.public_id}
        | ({} if congress_hash is None else {"hash": congress_hash.hex()}),
        "contest": {
            "id": contest.code,
            "title": position.title,
            "position": position.post.value,
            "direct": contest.direct,
            "seats": position.seats,
            "electorate": {"assembly": assembly_of(contest).value, "entitled": entitled},
            "candidates": [
                {"id": c.member.code, "name": c.member.full_name} for c in round_.candidates
            ],
        },
        "rules": {
            "profile": congress.rules_profile.value,
            "overrides": profile_overrides(congress),
        },
        "round": {
            "number": round_.number,
            "kind": round_.kind.value,
            "seats": round_.seats,
            "requires_majority": round_.requires_majority,
            "decision": None
            if decision is None
            else {
                "record_id": decision.record_id,
                "contest_id": decision.contest_id,
                "after_round": decision.after_round,
                "motion": decision.motion.value,
                "agree": decision.agree,
                "disagree": decision.disagree,
                "abstain": decision.abstain,
            },
        },
        "eligible": {"count": eligible_count, "hash": eligible_list_hash.hex()},
        "joint_key": joint_key.hex(),
        "form": form.to_json(),
        "code": dict(sorted((code or {}).items())),
    }


def _check_counting_board(db: Session, round_: Round) -> None:
    congress = round_.contest.congress
    board = db.scalars(
        sa.select(Member)
        .join(BodyMember, BodyMember.member_id == Member.id)
        .join(Body, Body.id == BodyMember.body_id)
        .where(Body.congress_id == congress.id, Body.kind == BodyKind.COUNTING_BOARD)
    ).all()
    if not board:
        return
    try:
        rules.check_counting_board(
            [m.code for m in board],
            [c.member.code for c in round_.candidates],
            probationary=[m.code for m in board if m.membership is not Membership.OFFICIAL],
        )
    except rules.RulesError as e:
        raise _rules_violation(e) from e


@service
def open_round(db: Session, actor: Actor, round_: Round, *, now: datetime) -> Round:
    """Open a draft round: freeze and hash the eligible list, build and hash the manifest."""
    _check_move(db, actor, round_, S.OPEN)
    contest = round_.contest
    congress = contest.congress
    ceremony = completed_ceremony(db, congress)
    if ceremony is None or ceremony.joint_key is None:
        raise InvalidState("no completed key ceremony: a round needs the joint key")
    busy = db.scalar(
        sa.select(Round.id)
        .join(Contest, Contest.id == Round.contest_id)
        .where(Round.state == S.OPEN, Contest.congress_id == congress.id)
    )
    if busy is not None:
        raise InvalidState("another round of this congress is open: close it first")
    unfinished = [
        r.number
        for r in contest.rounds
        if r.number < round_.number and r.state not in (S.APPROVED, S.ANNULLED)
    ]
    if unfinished:
        raise InvalidState(f"round(s) {unfinished} of {contest.code} are not concluded")
    if not round_.candidates:
        raise InvalidState("the round has no candidates")
    _check_counting_board(db, round_)

    base = majority_base(db, contest, round_.session)
    try:
        rules.check_quorum(base.present_at_vote, base, congress_profile(congress))
    except rules.RulesError as e:
        raise _rules_violation(e) from e
    eligible = eligible_credentials(db, contest, round_.session)
    if not eligible:
        raise InvalidState("nobody is eligible: no checked-in voter holds an active credential")
    try:
        list_hash = crypto.credential_list_hash(c.public_key for c in eligible)
    except crypto.CryptoError as e:  # pragma: no cover - keys are checked at registration
        raise InvalidState(f"the eligible list is invalid: {e}") from e
    # Issue 6: the congress manifest as it stands now is stored and its hash bound into the
    # round, with the served code's hashes (docs/record-format.md 3.2, 4.1). Imported here:
    # the export module reads this one.
    from election.services import export

    manifest = round_manifest(
        round_,
        eligible_list_hash=list_hash,
        eligible_count=len(eligible),
        entitled=entitled_count(db, contest),
        joint_key=ceremony.joint_key,
        congress_hash=export.freeze_congress_manifest(db, congress, ceremony, now=now),
        code=export.served_code(),
    )
    round_hash = crypto.round_hash(manifest)
    for credential in eligible:
        db.add(RoundEligibility(round=round_, credential=credential))
    round_.eligible_count = len(eligible)
    round_.majority_base = _base_json(base)
    round_.eligible_list_hash = list_hash
    round_.manifest = manifest
    round_.round_hash = round_hash
    _move(
        db,
        actor,
        round_,
        S.OPEN,
        now,
        {
            "round_hash": round_hash.hex(),
            "eligible_count": len(eligible),
            "eligible_list_hash": list_hash.hex(),
            "majority_base": base.n,
            "present_at_vote": base.present_at_vote,
        },
    )
    return round_


@service
def close_round(db: Session, actor: Actor, round_: Round, *, now: datetime) -> Round:
    """Close an open round: no ballot is accepted after this.

    The close first takes the round's write lock, the one the ballot box holds while it
    appends a ballot (ATTACKS.md T-18.c): a ballot being appended is finished first and
    counted in the event's ``ballots``, and a cast reaching the lock afterwards is refused
    (``round_not_open``, no receipt). Without it a close racing an append failed on SQLite
    with "database is locked". A second close changes nothing (``IllegalTransition``).
    """
    round_ = lock_round(db, round_.id)
    _check_move(db, actor, round_, S.CLOSED)
    ballots = db.scalar(
        sa.select(sa.func.count()).select_from(BoardEntry).where(BoardEntry.round_id == round_.id)
    )
    _move(db, actor, round_, S.CLOSED, now, {"ballots": ballots})
    return round_


# ------------------------------------------------------------------------------- tally


def _form(round_: Round) -> crypto.BallotForm:
    return crypto.form_for(round_.form_kind.value, len(round_.candidates), round_.seats)


@service
def record_tally(
    db: Session,
    actor: Actor,
    round_: Round,
    sums: Sequence[tuple[bytes, bytes]],
    *,
    ballots: int,
    now: datetime,
) -> Round:
    """Record the summed ciphertexts ``(A, B)`` of each counter over the ``ballots`` counted
    ballots; ``ballots`` must be the number of ballots on the board."""
    _check_move(db, actor, round_, S.TALLIED)
    counters = _form(round_).counters
    if len(sums) != len(counters):
        raise InvalidInput(f"the form has {len(counters)} counters, the tally {len(sums)}")
    on_board = db.scalar(
        sa.select(sa.func.count()).select_from(BoardEntry).where(BoardEntry.round_id == round_.id)
    )
    if ballots != on_board:
        raise InvalidInput(f"the tally sums {ballots} ballots; the board holds {on_board}")
    for index, (name, (a, b)) in enumerate(zip(counters, sums, strict=True)):
        if not (isinstance(a, bytes) and isinstance(b, bytes) and len(a) == len(b) == 32):
            raise InvalidInput(f"counter {name}: a ciphertext is two 32-byte points")
        db.add(
            TallyCounter(
                round_id=round_.id,
                counter_index=index,
                counter_name=name,
                a=a,
                b=b,
                ballots=ballots,
                recorded_at=now,
            )
        )
    _move(db, actor, round_, S.TALLIED, now, {"ballots": ballots, "counters": len(counters)})
    return round_


# ------------------------------------------------------------------------------- decryption


def _rules_form(round_: Round) -> rules.BallotForm:
    kind = "choose_one" if round_.form_kind is FormKind.CHOOSE_AT_MOST else round_.form_kind.value
    return rules.BallotForm(kind, tuple(c.member.code for c in round_.candidates), round_.seats)  # type: ignore[arg-type]


def _tally(round_: Round, values: Mapping[str, int], ballots: int, issued: int) -> rules.Tally:
    """Read the decrypted counters as the rules' tally (docs/protocol.md section 6)."""
    form = _rules_form(round_)
    codes = form.candidates
    reason = rules.InvalidReason
    if round_.form_kind is FormKind.CROSS_OUT:
        invalid = {
            reason.TOO_MANY_KEPT: values["invalid_over"],
            reason.NONE_KEPT: values["invalid_none"],
        }
        votes = {code: values[f"keep_{i}"] for i, code in enumerate(codes, start=1)}
        disagree: dict[str, int] = {}
    elif round_.form_kind is FormKind.AGREE_DISAGREE and len(codes) == 1:
        invalid = {reason.SINGLE_NAME_BOTH_OR_NONE: values["invalid_marks"]}
        votes, disagree = {codes[0]: values["agree"]}, {codes[0]: values["disagree"]}
    elif round_.form_kind is FormKind.AGREE_DISAGREE:
        invalid = {}
        votes = {code: values[f"agree_{i}"] for i, code in enumerate(codes, start=1)}
        disagree = {code: values[f"disagree_{i}"] for i, code in enumerate(codes, start=1)}
    else:
        raise InvalidState("a nomination ballot is not decided by the election rules")
    invalid = {r: count for r, count in invalid.items() if count}
    valid = ballots - sum(invalid.values())
    return rules.Tally(form, issued, ballots, valid, invalid, votes, disagree)


def _decision_for(vote: OpenVote, contest_code: str, after_round: int) -> rules.OpenVoteDecision:
    """The rules' view of the open vote taken after round ``after_round``."""
    return rules.OpenVoteDecision(
        record_id=str(vote.id),
        contest_id=contest_code,
        after_round=after_round,
        motion=rules.Motion((vote.motion or Motion.FURTHER_ROUND).value),
        agree=vote.agree,
        disagree=vote.disagree,
        abstain=vote.abstain,
    )


def _decision(round_: Round) -> rules.OpenVoteDecision | None:
    """The decision that allowed ``round_`` (none for a first round)."""
    if round_.decision is None:
        return None
    return _decision_for(round_.decision, round_.contest.code, round_.number - 1)


def _rules_round(round_: Round) -> rules.Round:
    return rules.Round(
        contest=rules_contest(round_.contest),
        number=round_.number,
        kind=rules.RoundKind(round_.kind.value),
        form=_rules_form(round_),
        requires_majority=round_.requires_majority,
        decision=_decision(round_),
    )


def _base_json(base: rules.MajorityBase) -> dict[str, Any]:
    return {
        "assembly": base.assembly.value,
        "convened": base.convened,
        "exclusions": [
            {"reason": e.reason.value, "rule_id": e.rule_id, "people": list(e.person_ids)}
            for e in base.exclusions
        ],
        "n": base.n,
        "threshold": base.threshold,
        "present_at_vote": base.present_at_vote,
        "non_voting_present": base.non_voting_present,
    }


def base_from_json(data: Mapping[str, Any]) -> rules.MajorityBase:
    """The rules' majority base from its stored JSON (``rounds.majority_base``,
    ``results.base``); public for the record export (issue 6)."""
    return _base_from_json(data)


def _base_from_json(data: Mapping[str, Any]) -> rules.MajorityBase:
    return rules.MajorityBase(
        assembly=rules.Assembly(data["assembly"]),
        convened=data["convened"],
        exclusions=tuple(
            rules.Exclusion(rules.ExclusionReason(e["reason"]), tuple(e["people"]))
            for e in data["exclusions"]
        ),
        present_at_vote=data["present_at_vote"],
        non_voting_present=data["non_voting_present"],
    )


def rules_result(round_: Round) -> rules.RoundResult:
    """Decide the round again from its stored base and counts (as the verifier's V9 does)."""
    result = round_.result
    if result is None:
        raise InvalidState("the round has no result yet")
    tally = _tally(round_, result.tally["counters"], result.cast_ballots, result.issued)
    base = _base_from_json(result.base)
    return rules.decide_round(
        _rules_round(round_), tally, base, congress_profile(round_.contest.congress)
    )


@service
def record_decryption(
    db: Session,
    actor: Actor,
    round_: Round,
    *,
    shares: Mapping[int, Mapping[str, Any]],
    counts: Sequence[int],
    now: datetime,
) -> Result:
    """Record the guardians' decryption shares (already verified by the caller) and the
    decrypted value of each counter, and let the rules engine decide the result.

    At least the ceremony's threshold of guardians must have contributed. Counts that no
    set of real ballots could give (R-COUNT-3) raise ``RuleViolation``: the presidium then
    annuls the round and the vote is repeated.
    """
    _check_move(db, actor, round_, S.DECRYPTED)
    contest = round_.contest
    congress = contest.congress
    ceremony = completed_ceremony(db, congress)
    if ceremony is None:  # pragma: no cover - the round could not have opened
        raise InvalidState("no completed key ceremony")
    if len(shares) < ceremony.threshold:
        raise InvalidInput(f"{len(shares)} guardians took part; {ceremony.threshold} are needed")
    guardians = {g.guardian_index: g for g in ceremony.members}
    unknown = sorted(set(shares) - set(guardians))
    if unknown:
        raise InvalidInput(f"no guardian {unknown} in the ceremony")
    counter_rows = db.scalars(
        sa.select(TallyCounter)
        .where(TallyCounter.round_id == round_.id)
        .order_by(TallyCounter.counter_index)
    ).all()
    names = [row.counter_name for row in counter_rows]
    ballots = counter_rows[0].ballots if counter_rows else 0
    if len(counts) != len(names):
        raise InvalidInput(f"the form has {len(names)} counters, the decryption {len(counts)}")
    if any(not is_whole(v, low=0, high=ballots) for v in counts):
        raise InvalidInput(f"each decrypted counter is an integer from 0 to {ballots}")
    values = dict(zip(names, counts, strict=True))
    issued = round_.eligible_count or 0
    # N as it stood when the round opened: the same attendance that froze the eligible list.
    base = _base_from_json(round_.majority_base or {})
    profile = congress_profile(congress)
    try:
        decided = rules.decide_round(
            _rules_round(round_), _tally(round_, values, ballots, issued), base, profile
        )
    except rules.RulesError as e:
        raise _rules_violation(e) from e
    except ValueError as e:
        raise InvalidInput(f"the counts cannot be read: {e}") from e
    # Issue 6: the tally service stores each guardian's share as it arrives (verified
    # against K_j), so shares already stored for this round are not inserted again; they
    # must be the ones handed over.
    stored = {
        row.guardian_index: row
        for row in db.scalars(
            sa.select(DecryptionShare).where(DecryptionShare.round_id == round_.id)
        )
    }
    for index in sorted(shares):
        if index in stored:
            if stored[index].share != dict(shares[index]):
                raise InvalidInput(f"guardian {index}'s share differs from the one stored")
            continue
        db.add(
            DecryptionShare(
                round_id=round_.id,
                guardian=guardians[index],
                guardian_index=index,
                share=dict(shares[index]),
                verified_at=now,
            )
        )
    tally = decided.tally
    result = Result(
        round=round_,
        state=ResultState(rules.transition(None, rules.ResultState.COUNTED).value),
        outcome=RoundOutcome(decided.status.value),
        issued=tally.issued,
        cast_ballots=tally.cast,
        valid=tally.valid,
        invalid=tally.invalid_total,
        base_n=base.n,
        base_convened=base.convened,
        present_at_vote=base.present_at_vote,
        threshold=base.threshold,
        base=_base_json(base),
        tally={
            "counters": values,
            "invalid": {r.value: n for r, n in tally.invalid.items()},
            "votes": dict(tally.votes),
            "disagree": dict(tally.disagree),
        },
        trace=[
            {"rule_id": step.rule_id, "citation": step.citation, "text": step.text}
            for step in decided.trace
        ],
        decided_at=now,
    )
    by_code = {c.member.code: c for c in round_.candidates}
    for line in decided.candidates:
        result.candidates.append(
            CandidateResult(
                candidate=by_code[line.candidate],
                votes=line.votes,
                disagree=line.disagree,
                rank=line.rank,
                has_majority=line.has_majority,
                outcome=CandidateOutcome(line.outcome.value),
            )
        )
    db.add(result)
    _move(
        db,
        actor,
        round_,
        S.DECRYPTED,
        now,
        {
            "guardians": sorted(shares),
            "outcome": result.outcome.value,
            "elected": list(decided.elected),
            "tied": list(decided.tied),
            "majority_base": base.n,
        },
    )
    return result


# ------------------------------------------------------------------------------- conclusion


#: The default of the ``SMALL_GROUP_MIN_BALLOTS`` setting (ATTACKS.md T-9.c).
SMALL_GROUP_MIN_BALLOTS = 5
#: Length bounds of the reason recorded with a small-group release decision.
RELEASE_REASON_MIN, RELEASE_REASON_MAX = 10, 500


def needs_release_decision(cast_ballots: int, min_ballots: int) -> bool:
    """ATTACKS.md T-9.c: so few ballots that announcing needs a recorded decision."""
    return cast_ballots < min_ballots


@service
def announce_result(
    db: Session,
    actor: Actor,
    round_: Round,
    *,
    now: datetime,
    min_ballots: int = SMALL_GROUP_MIN_BALLOTS,
    release_reason: str | None = None,
) -> Round:
    """The counting board announces the result to the congress (R-COUNT-2 step 7).

    Small-group guard (ATTACKS.md T-9.c): when fewer than ``min_ballots`` ballots were cast,
    the counts could reveal individual votes, so the result is announced only with
    ``release_reason``, the decision and why it was taken; it goes into the event log with
    the numbers. Without it ``ReleaseNeedsDecision`` is raised and nothing changes.
    """
    _check_move(db, actor, round_, S.ANNOUNCED)
    result = round_.result
    if result is None:  # pragma: no cover - the CHECKs and record_decryption make one
        raise InvalidState("the round has no result to announce")
    payload: dict[str, Any] = {"outcome": result.outcome.value}
    if needs_release_decision(result.cast_ballots, min_ballots):
        reason = (release_reason or "").strip()
        if not reason:
            raise ReleaseNeedsDecision(result.cast_ballots, min_ballots)
        if not RELEASE_REASON_MIN <= len(reason) <= RELEASE_REASON_MAX:
            raise InvalidInput(
                f"the release decision's reason is {RELEASE_REASON_MIN} to "
                f"{RELEASE_REASON_MAX} characters, not {len(reason)}"
            )
        payload["small_group_release"] = {
            "cast": result.cast_ballots,
            "minimum": min_ballots,
            "reason": reason,
        }
    result.state = ResultState(
        rules.transition(rules.ResultState(result.state.value), rules.ResultState.ANNOUNCED)
    )
    _move(db, actor, round_, S.ANNOUNCED, now, payload)
    return round_


def _seat_elected(db: Session, actor: Actor, round_: Round, now: datetime) -> list[str]:
    """Put the round's elected into the position's body (or give them its office)."""
    position = round_.contest.position
    result = round_.result
    if result is None:  # pragma: no cover - an announced round has a result
        return []
    seated = []
    for line in result.candidates:
        if line.outcome is not CandidateOutcome.ELECTED:
            continue
        member = line.candidate.member
        seat = db.scalar(
            sa.select(BodyMember).where(
                BodyMember.body_id == position.body_id, BodyMember.member_id == member.id
            )
        )
        if seat is None:
            seat = BodyMember(
                body_id=position.body_id,
                member=member,
                role=position.body_role,
                added_at=now,
                source_round_id=round_.id,
            )
            db.add(seat)
        elif position.body_role is not BodyRole.MEMBER:
            seat.role = position.body_role
        else:
            raise InvalidState(f"{member.full_name} already sits in {position.body.name}")
        seated.append(member.code)
    return seated


@service
def approve_round(db: Session, actor: Actor, round_: Round, *, now: datetime) -> Round:
    """The presidium confirms the announced result; the elected take their seats.

    The higher committee's approval (chuẩn y, R-PRIN-1) is later and is the result's own
    state, not the round's.
    """
    _check_move(db, actor, round_, S.APPROVED)
    seated = _seat_elected(db, actor, round_, now)
    _move(db, actor, round_, S.APPROVED, now, {"seated": seated})
    return round_


@service
def annul_round(db: Session, actor: Actor, round_: Round, *, reason: str, now: datetime) -> Round:
    """Annul a round (open, closed, tallied or announced), with a reason."""
    _check_move(db, actor, round_, S.ANNULLED)
    if not isinstance(reason, str) or not reason.strip():
        raise InvalidInput("an annulment states its reason")
    result = round_.result
    if result is not None:
        result.state = ResultState(
            rules.transition(rules.ResultState(result.state.value), rules.ResultState.ANNULLED)
        )
    round_.annul_reason = reason.strip()
    _move(db, actor, round_, S.ANNULLED, now, {"reason": round_.annul_reason})
    return round_


# ------------------------------------------------------------------------------- further rounds


@service
def create_further_round(
    db: Session,
    actor: Actor,
    previous: Round,
    *,
    decision: OpenVote,
    sitting: CongressSession,
    now: datetime,
    candidates: Sequence[Member] | None = None,
) -> Round:
    """Create the draft of the next round of ``previous``'s contest after the congress's
    open-vote ``decision`` on procedure about ``previous`` (R-RESULT-7/8, R-FORM-2).

    After an annulled round the vote is repeated for the same seats; ``candidates``
    defaults to the same list. After an approved round with open seats the rules engine
    plans the next round (``plan_next_round``): the tied names for the tied seats, or the
    unsuccessful names (plus new ones, if the congress allowed them) for the open seats;
    ``candidates`` defaults to every allowed name. Every name needs a standing nomination
    in the contest, and the list is checked again (R-LIST-6 ...).
    """
    contest = previous.contest
    congress = contest.congress
    require_role(db, actor, congress, Role.PRESIDIUM)
    check_sitting(contest, sitting)
    if decision.congress_id != congress.id or decision.subject is not Matter.PROCEDURE:
        raise InvalidInput("the decision must be this congress's open vote on procedure")
    if (decision.object_type, decision.object_id) != ("rounds", previous.id):
        raise InvalidInput("the decision is about another round")
    if max(r.number for r in contest.rounds) != previous.number:
        raise InvalidState("only the contest's latest round can be followed by another")
    standing = {n.member_id: n for n in standing_nominations(db, contest)}
    by_code = {n.member.code: n.member for n in standing.values()}
    base_contest = rules_contest(contest)
    if previous.state is S.ANNULLED:
        if not decision.carried or decision.motion is Motion.STOP:
            raise RuleViolation("the congress did not decide to vote again", rule_id="R-FORM-2")
        people = list(candidates) if candidates else [c.member for c in previous.candidates]
        kind, seats = previous.kind, previous.seats
        requires_majority = previous.requires_majority
        checked = check_list(
            db,
            contest,
            _nominations_of(people, standing),
            seats=seats,
            first_round=previous.kind is RoundKind.FIRST,
        )
        form_kind = rules.ballot_form(checked.ids, seats).kind
    elif previous.state is S.APPROVED:
        try:
            plan = rules.plan_next_round(
                rules_result(previous),
                _decision_for(decision, contest.code, previous.number),
                congress_profile(congress),
            )
        except rules.RulesError as e:
            raise _rules_violation(e) from e
        people = list(candidates) if candidates else [by_code[c] for c in plan.allowed]
        checked = check_list(
            db, contest, _nominations_of(people, standing), seats=plan.seats, first_round=False
        )
        try:
            planned = rules.open_round(base_contest, checked.ids, plan=plan)
        except rules.RulesError as e:
            raise _rules_violation(e) from e
        kind, seats = RoundKind(planned.kind.value), planned.form.seats
        requires_majority = planned.requires_majority
        form_kind = planned.form.kind
    else:
        raise InvalidState("a further round follows an approved or annulled round")
    new = Round(
        contest=contest,
        number=previous.number + 1,
        kind=kind,
        state=S.DRAFT,
        seats=seats,
        form_kind=crypto_form_kind(form_kind),
        requires_majority=requires_majority,
        session=sitting,
        decision=decision,
        created_at=now,
    )
    db.add(new)
    nominations = {n.member.code: n for n in standing.values()}
    for order, code in enumerate(checked.ids, start=1):
        nomination = nominations[code]
        new.candidates.append(
            RoundCandidate(
                member=nomination.member,
                ballot_order=order,
                source=nomination.source,
                nomination=nomination,
            )
        )
    events.record(
        db,
        actor,
        "round.create",
        new,
        now=now,
        congress=congress,
        data={
            "contest": contest.code,
            "number": new.number,
            "kind": kind.value,
            "seats": seats,
            "decision": decision.id,
            "candidates": list(checked.ids),
        },
    )
    return new


def _nominations_of(
    people: Sequence[Member], standing: Mapping[int, Nomination]
) -> list[Nomination]:
    missing = [m.full_name for m in people if m.id not in standing]
    if missing:
        raise InvalidInput(f"no standing nomination for {', '.join(missing)}")
    return [standing[m.id] for m in people]
