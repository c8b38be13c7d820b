"""Enumerations stored in the database (as their string values, with CHECK constraints).

Several mirror an enumeration of the rules engine (``election.rules``) value for value:
``Post``, ``Membership``, ``CandidateSource`` (rules ``Source``), ``Matter``, ``Motion``,
``RoundKind``, ``RoundOutcome`` (rules ``RoundStatus``), ``CandidateOutcome`` (rules
``Outcome``) and ``ResultState``. They are copied rather than imported so that the schema
does not change when the engine does; ``tests/models/test_enums.py`` fails when the two
drift apart, and a change then needs a migration.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = [
    "BodyKind",
    "BodyRole",
    "CandidateOutcome",
    "CandidateSource",
    "CaseCategory",
    "CaseStatus",
    "CeremonyStatus",
    "CongressKind",
    "CredentialStatus",
    "DelegateKind",
    "FormKind",
    "Gender",
    "GuardianStatus",
    "Matter",
    "Membership",
    "Motion",
    "NominationStatus",
    "PercentRounding",
    "Post",
    "ResultState",
    "Role",
    "RoundKind",
    "RoundOutcome",
    "RoundState",
    "RulesProfileId",
    "SessionKind",
]


class CongressKind(StrEnum):
    #: Đại hội đảng viên: every member attends, official members vote (R-DELEG-2).
    MEMBERS = "members_congress"
    #: Đại hội đại biểu: convened official delegates vote (R-DELEG-1).
    DELEGATES = "delegates_congress"


class RulesProfileId(StrEnum):
    QD244_2014 = "QD244_2014"
    QD190_2024 = "QD190_2024"


class PercentRounding(StrEnum):
    """How percentages of N are displayed (R-RESULT-9); the rules' ``Rounding``."""

    TRUNCATE = "truncate"
    HALF_UP = "half_up"


class BodyKind(StrEnum):
    #: Cấp ủy triệu tập: the outgoing committee that convened the congress (R-ORG-1).
    CONVENING_COMMITTEE = "convening_committee"
    #: Ban chấp hành: the committee the congress elects.
    EXECUTIVE_COMMITTEE = "executive_committee"
    #: Ban thường vụ.
    STANDING_COMMITTEE = "standing_committee"
    #: Ủy ban kiểm tra.
    INSPECTION_COMMISSION = "inspection_commission"
    #: Đoàn chủ tịch.
    PRESIDIUM = "presidium"
    #: Đoàn thư ký.
    SECRETARIAT = "secretariat"
    #: Ban thẩm tra tư cách đại biểu.
    CREDENTIALS_BOARD = "credentials_board"
    #: Ban kiểm phiếu: the guardians of the key ceremony.
    COUNTING_BOARD = "counting_board"
    #: Đoàn đại biểu chính thức đi dự đại hội cấp trên.
    DELEGATION = "delegation"
    #: Đại biểu dự khuyết đi dự đại hội cấp trên.
    ALTERNATE_DELEGATION = "alternate_delegation"


class BodyRole(StrEnum):
    """A person's place in a body: an ordinary member, its head or a deputy head."""

    MEMBER = "member"
    #: Bí thư, chủ nhiệm, trưởng ban, chủ tịch.
    HEAD = "head"
    #: Phó bí thư, phó chủ nhiệm, phó trưởng ban.
    DEPUTY = "deputy"


class Membership(StrEnum):
    """Party standing (R-DELEG-2); the rules' ``Membership``."""

    OFFICIAL = "official"
    PROBATIONARY = "probationary"
    #: A member of another organization attached here for temporary activity.
    ATTACHED = "attached"


class DelegateKind(StrEnum):
    """How a delegate of a delegates' congress was convened (R-DELEG-1)."""

    ELECTED = "elected"
    #: Đại biểu đương nhiên: a member of the convening committee.
    EX_OFFICIO = "ex_officio"
    APPOINTED = "appointed"
    #: Đại biểu dự khuyết: convened only to replace an official delegate.
    ALTERNATE = "alternate"


class Gender(StrEnum):
    MALE = "male"
    FEMALE = "female"


class SessionKind(StrEnum):
    #: A session of the whole congress.
    PLENARY = "plenary"
    #: A session of one body, e.g. the new committee's first session (R-CONF-2).
    COMMITTEE_SESSION = "committee_session"


class CredentialStatus(StrEnum):
    ACTIVE = "active"
    REVOKED = "revoked"


class Post(StrEnum):
    """What a position fills; the rules' ``Post``."""

    COMMITTEE = "committee"
    STANDING_COMMITTEE = "standing_committee"
    SECRETARY = "secretary"
    DEPUTY_SECRETARY = "deputy_secretary"
    INSPECTION_COMMISSION = "inspection_commission"
    INSPECTION_CHAIR = "inspection_chair"
    INSPECTION_DEPUTY_CHAIR = "inspection_deputy_chair"
    OFFICIAL_DELEGATES = "official_delegates"
    ALTERNATE_DELEGATES = "alternate_delegates"


class RoundState(StrEnum):
    """The life of one round (one ballot of a contest), in the order it is lived."""

    # Reached when the secretariat builds the candidate list (round 1) or the presidium
    # creates a further round after an open-vote decision; candidates may still change.
    DRAFT = "draft"
    # Reached when the presidium opens the round: the eligible credential list is frozen and
    # hashed, the round manifest is built and its hash h_R stored; ballots are accepted.
    OPEN = "open"
    # Reached when the presidium closes the round; no ballot is accepted any more.
    CLOSED = "closed"
    # Reached when the counting board records the summed ciphertexts of the counted ballots.
    TALLIED = "tallied"
    # Reached when the counting board records the guardians' decryption shares and the
    # decrypted counts; the rules engine decides the result in the same step.
    DECRYPTED = "decrypted"
    # Reached when the counting board announces the result to the congress (R-COUNT-2 step 7).
    ANNOUNCED = "announced"
    # Reached when the presidium confirms the announced result; the elected join their body.
    # Terminal. (The higher committee's approval, chuẩn y, is the result's own state.)
    APPROVED = "approved"
    # Reached when the presidium annuls an open, closed, tallied or announced round: the vote
    # must be repeated (R-COUNT-3) or the result was annulled (R-INSP-4). Terminal.
    ANNULLED = "annulled"


class RoundKind(StrEnum):
    """The rules' ``RoundKind``."""

    FIRST = "first"
    TIE_BREAK = "tie_break"
    FURTHER = "further"


class FormKind(StrEnum):
    """The ballot form as the crypto layer names it (docs/protocol.md section 6)."""

    CROSS_OUT = "cross_out"
    AGREE_DISAGREE = "agree_disagree"
    CHOOSE_AT_MOST = "choose_at_most"


class CandidateSource(StrEnum):
    """Where a name on the list came from; the rules' ``Source``."""

    #: The convening committee's list (R-LIST-2).
    OFFICIAL = "official"
    #: Nominated at the congress by someone else (R-LIST-3, R-LIST-4).
    FLOOR = "floor"
    #: Self-nominated (R-LIST-3).
    SELF = "self"


class NominationStatus(StrEnum):
    #: Proposed; goes on the list if the list checks pass.
    PROPOSED = "proposed"
    #: The congress allowed the nominee to withdraw (R-LIST-8).
    WITHDRAWN = "withdrawn"


class Matter(StrEnum):
    """What a vote decides; the rules' ``Matter``."""

    COMMITTEE = "committee"
    STANDING_COMMITTEE = "standing_committee"
    SECRETARY = "secretary"
    DEPUTY_SECRETARY = "deputy_secretary"
    INSPECTION_COMMISSION = "inspection_commission"
    INSPECTION_CHAIR = "inspection_chair"
    INSPECTION_DEPUTY_CHAIR = "inspection_deputy_chair"
    DELEGATES = "delegates"
    OPINION_BALLOT = "opinion_ballot"
    SECRETARY_NOMINATION = "secretary_nomination"
    STATE_POST_INTRODUCTION = "state_post_introduction"
    CONGRESS_ORGANS = "congress_organs"
    NUMBER_OF_SEATS = "number_of_seats"
    CANDIDATE_LIST = "candidate_list"
    WITHDRAWAL = "withdrawal"
    PROCEDURE = "procedure"
    CREDENTIALS_REPORT = "credentials_report"


class Motion(StrEnum):
    """What an open vote after an unfinished round decides; the rules' ``Motion``."""

    FURTHER_ROUND = "further_round"
    FURTHER_ROUND_NEW_NAMES = "further_round_new_names"
    STOP = "stop"


class RoundOutcome(StrEnum):
    """How a round ended; the rules' ``RoundStatus``."""

    ALL_SEATS_FILLED = "all_seats_filled"
    TIE_FOR_LAST_SEAT = "tie_for_last_seat"
    ELECTED_FEWER_THAN_PLANNED = "elected_fewer_than_planned"
    REFERRED_TO_HIGHER_COMMITTEE = "referred_to_higher_committee"


class CandidateOutcome(StrEnum):
    """What happened to one candidate in one round; the rules' ``Outcome``."""

    ELECTED = "elected"
    TIED = "tied"
    RANKED_OUT = "ranked_out"
    NO_MAJORITY = "no_majority"


class ResultState(StrEnum):
    """The state of a round's result record (R-STATE-1); the rules' ``ResultState``."""

    COUNTED = "counted"
    ANNOUNCED = "announced"
    APPROVED_BY_HIGHER_COMMITTEE = "approved_by_higher_committee"
    ANNULLED = "annulled"
    REFERRED_TO_HIGHER_COMMITTEE = "referred_to_higher_committee"
    APPOINTED = "appointed"


class CeremonyStatus(StrEnum):
    PENDING = "pending"
    COMPLETED = "completed"
    FAILED = "failed"


class GuardianStatus(StrEnum):
    #: Named as a guardian; nothing published yet.
    INVITED = "invited"
    #: Published commitments and proofs.
    COMMITTED = "committed"
    #: Commitments verified and every share received checked out.
    VERIFIED = "verified"
    #: Published a complaint against a share (the ceremony is redone without the dealer).
    COMPLAINED = "complained"
    #: Left out of a redone ceremony.
    EXCLUDED = "excluded"


class CaseCategory(StrEnum):
    #: Thẩm tra, xác minh: vetting a person in the personnel plan (R-INSP-1).
    VETTING = "vetting"
    #: Khiếu nại.
    COMPLAINT = "complaint"
    #: Tố cáo.
    DENUNCIATION = "denunciation"
    #: Kiến nghị, phản ánh: a petition or report that is neither a complaint nor a
    #: denunciation.
    PETITION = "petition"


class CaseStatus(StrEnum):
    RECEIVED = "received"
    #: Not to be handled (R-INSP-2): anonymous, false name, jointly signed ...
    NOT_HANDLED = "not_handled"
    UNDER_REVIEW = "under_review"
    CONCLUDED = "concluded"
    #: Could not be settled before the congress; reported to the higher committee (R-INSP-1).
    REFERRED = "referred"


class Role(StrEnum):
    """What a user may do in one congress (ARCHITECTURE.md, "People")."""

    #: Secretariat of the convening committee: congress setup, roster, candidate lists.
    SECRETARIAT = "secretariat"
    #: Presidium: opens and closes rounds, records open votes, confirms results.
    PRESIDIUM = "presidium"
    #: Credentials board: reviews delegates, issues credentials, records attendance.
    CREDENTIALS = "credentials"
    #: Vote-counting board: key ceremony, tally, decryption, announcement.
    COUNTING = "counting"
    #: Inspection commission: vetting and complaints; audits the record.
    INSPECTION = "inspection"
