"""The database model: SQLAlchemy 2 typed models on one ``Base`` (docs/data-model.md).

Plain SQLAlchemy, not Flask-SQLAlchemy, so that services, the CLI, migrations and tests use
the models without an app. Modules by area:

* ``congress`` — the congress, its bodies, sessions, positions and contests;
* ``people`` — the roster, attendance, credentials review, public voting credentials;
* ``rounds`` — rounds, candidates, nominations, withdrawals, open votes;
* ``board`` — board entries, audited ballots, tallies, decryption shares, results;
* ``ceremony`` — the key ceremony and its guardians;
* ``inspection`` — the register of vetting, complaint, denunciation and petition cases;
* ``audit`` — signed checkpoints of the event log and verification runs of round records;
* ``accounts`` — users, roles, terminals, the server key record;
* ``events`` — the append-only, hash-chained event log;
* ``enums`` — the enumerations stored as CHECK-constrained strings.

``Base.metadata`` is what ``migrations/env.py`` compares and migrates.
"""

from __future__ import annotations

from election.models import triggers
from election.models.accounts import RoleAssignment, ServerKey, Terminal, User
from election.models.audit import (
    CheckpointKind,
    EventCheckpoint,
    VerificationRun,
    VerificationStatus,
)
from election.models.base import Base
from election.models.board import (
    AuditedBallot,
    BallotComponent,
    BoardEntry,
    CandidateResult,
    DecryptionShare,
    MinutesSignature,
    Result,
    TallyCounter,
)
from election.models.ceremony import (
    CeremonyComplaint,
    CongressManifestSnapshot,
    Guardian,
    KeyCeremony,
    ShareBox,
)
from election.models.congress import Body, BodyMember, Congress, CongressSession, Contest, Position
from election.models.enums import (
    BodyKind,
    BodyRole,
    CandidateOutcome,
    CandidateSource,
    CaseCategory,
    CaseStatus,
    CeremonyStatus,
    CongressKind,
    CredentialStatus,
    DelegateKind,
    FormKind,
    Gender,
    GuardianStatus,
    Matter,
    Membership,
    Motion,
    NominationStatus,
    PercentRounding,
    Post,
    ResultState,
    Role,
    RoundKind,
    RoundOutcome,
    RoundState,
    RulesProfileId,
    SessionKind,
)
from election.models.events import Event
from election.models.inspection import InspectionCase
from election.models.people import (
    Attendance,
    CredentialReview,
    DelegateReplacement,
    Member,
    VotingCredential,
)
from election.models.rounds import (
    Nomination,
    OpenVote,
    Round,
    RoundCandidate,
    RoundEligibility,
    Withdrawal,
)

triggers.install(Base.metadata)

__all__ = [
    "Attendance",
    "AuditedBallot",
    "BallotComponent",
    "Base",
    "BoardEntry",
    "Body",
    "BodyKind",
    "BodyMember",
    "BodyRole",
    "CandidateOutcome",
    "CandidateResult",
    "CandidateSource",
    "CaseCategory",
    "CaseStatus",
    "CeremonyComplaint",
    "CeremonyStatus",
    "CheckpointKind",
    "Congress",
    "CongressKind",
    "CongressManifestSnapshot",
    "CongressSession",
    "Contest",
    "CredentialReview",
    "CredentialStatus",
    "DecryptionShare",
    "DelegateKind",
    "DelegateReplacement",
    "Event",
    "EventCheckpoint",
    "FormKind",
    "Gender",
    "Guardian",
    "GuardianStatus",
    "InspectionCase",
    "KeyCeremony",
    "Matter",
    "Member",
    "Membership",
    "MinutesSignature",
    "Motion",
    "Nomination",
    "NominationStatus",
    "OpenVote",
    "PercentRounding",
    "Position",
    "Post",
    "Result",
    "ResultState",
    "Role",
    "RoleAssignment",
    "Round",
    "RoundCandidate",
    "RoundEligibility",
    "RoundKind",
    "RoundOutcome",
    "RoundState",
    "RulesProfileId",
    "ServerKey",
    "SessionKind",
    "ShareBox",
    "TallyCounter",
    "Terminal",
    "User",
    "VerificationRun",
    "VerificationStatus",
    "VotingCredential",
    "Withdrawal",
]
