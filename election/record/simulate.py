"""A pure-Python simulation of an honest round, from key ceremony to signed minutes.

For tests, benchmarks and the demo. **Never for a real election.** By default
(``deterministic=True``) every secret (guardian polynomials, badge codes, ballot
randomness, the server's and the members' signing keys) is derived from the public
``seed`` with ``crypto._testing``, through the private seams behind
``crypto.encrypt_ballot`` and ``crypto.compute_share``, so anyone who knows the seed can
open every ballot; in exchange one seed gives one record, byte for byte. With
``deterministic=False`` the secrets come from the operating system and the public calls
are used; the seed then only chooses the names and the voters' choices.

What is real: the key ceremony (``crypto.Polynomial`` per guardian, Schnorr proofs, every
share sealed to its recipient with ECIES, opened and checked against the dealer's
commitments, the joint key and the public shares), badge codes with their check character
and the credentials derived from them, ballots encrypted, proven and signed by
``crypto``'s ballot code, Benaloh-audited ballots, the board chain and receipts signed by
the server key, the homomorphic tally, threshold decryption by ``t`` guardians (one absent
when there are more than ``t``), the result decided by ``election.rules.decide_round`` on a
``MajorityBase`` computed from a roster, and minutes signed by the counting board.

Stages: ``simulate_congress`` → ``simulate_round`` (which casts the ballots and calls
``close_round``). ``SimulatedRound.reseal`` re-runs ``close_round`` with a changed ballot
list, tally or result: what a server holding every key could publish, used by the tests to
build records that fail exactly one check.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Literal

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from crypto import (
    GROUP_NAME,
    Ciphertext,
    CiphertextBallot,
    CredentialKey,
    DlogTable,
    G,
    Polynomial,
    RoundContext,
    Scalar,
    chain_genesis,
    chain_next,
    compute_share,
    credential_list_hash,
    decrypt_tally,
    default_threshold,
    encrypt_ballot,
    form_for,
    generate_code,
    joint_key,
    open_share,
    public_share,
    seal_share,
    sign_receipt,
    sum_ciphertexts,
    verify_commitments,
    verify_share,
)
from crypto._testing import test_bytes, test_rand
from crypto.ballot import BallotSecrets, _encrypt_ballot
from crypto.credential import ALPHABET, CODE_CHARS, luhn32_check
from crypto.decryption import DecryptionShare, _compute_share
from crypto.hashing import H, Tag
from election.record.board import AuditedBallot, AuditedBallots, Board, BoardEntry, Receipt
from election.record.congress import PROTOCOL, Ceremony, CongressManifest, Guardian
from election.record.manifest import (
    Candidate,
    ContestInfo,
    CredentialList,
    RoundInfo,
    RoundManifest,
    RulesRef,
)
from election.record.minutes import minutes_data, sign_minutes
from election.record.record import Record, RoundRecord
from election.record.tally import Decryption, EncryptedTally, tally_from_counts
from election.rules import (
    Assembly,
    MajorityBase,
    Post,
    Profile,
    RosterEntry,
    RoundKind,
    RoundResult,
    decide_round,
    majority_base,
)

__all__ = [
    "Randomness",
    "SimulatedCongress",
    "SimulatedRound",
    "close_round",
    "seal_board",
    "simulate",
    "simulate_congress",
    "simulate_round",
]

FormKindName = Literal["cross_out", "agree_disagree"]

#: When the simulated round opens; receipts follow five seconds apart.
OPENED_AT = datetime(2025, 6, 15, 8, 0, 0, tzinfo=UTC)
#: Delegates absent for the whole congress in the simulated roster (one of them ex officio).
ABSENT_WHOLE_CONGRESS = 3

_FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô")
_MIDDLE = ("Văn", "Thị", "Minh", "Đức", "Thu", "Quốc", "Ngọc", "Hữu", "Thanh")
_GIVEN = (
    "An",
    "Bình",
    "Cường",
    "Dung",
    "Giang",
    "Hải",
    "Hoa",
    "Khánh",
    "Lan",
    "Minh",
    "Nga",
    "Phúc",
    "Quân",
    "Sơn",
    "Tâm",
    "Uyên",
    "Vinh",
    "Xuân",
    "Yến",
    "Đạt",
    "Ánh",
    "Ơn",
    "Ước",
)


class _Stream:
    """Deterministic integers from a seed (``H`` under the test-rng tag; no ``random``)."""

    def __init__(self, seed: str, label: str) -> None:
        self._prefix = f"{seed}/{label}"
        self._counter = 0

    def below(self, bound: int) -> int:
        if bound < 1:
            raise ValueError("bound must be positive")
        digest = H(Tag.TEST_RNG, self._prefix, self._counter)
        self._counter += 1
        return int.from_bytes(digest, "big") % bound

    def per_mille(self, p: int) -> bool:
        return self.below(1000) < p


@dataclass(frozen=True)
class Randomness:
    """Where the simulation's secrets come from: the seed (reproducible) or the system."""

    seed: str
    deterministic: bool = True

    def scalars(self, label: str) -> Callable[[], Scalar]:
        return test_rand(f"{self.seed}/{label}") if self.deterministic else Scalar.random

    def nonce(self, label: str) -> bytes:
        if self.deterministic:
            return test_bytes(f"{self.seed}/{label}", 16)
        return secrets.token_bytes(16)

    def signing_key(self, label: str) -> Ed25519PrivateKey:
        if self.deterministic:
            return Ed25519PrivateKey.from_private_bytes(test_bytes(f"{self.seed}/{label}", 32))
        return Ed25519PrivateKey.generate()

    def badge_code(self, label: str) -> str:
        if not self.deterministic:
            return generate_code()
        digest = H(Tag.TEST_RNG, self.seed, "badge", label)
        body = "".join(ALPHABET[b % 32] for b in digest[:CODE_CHARS])
        return body + luhn32_check(body)

    def encrypt(
        self, ctx: RoundContext, choice: Sequence[int], key: CredentialKey, label: str
    ) -> tuple[CiphertextBallot, BallotSecrets]:
        if not self.deterministic:
            return encrypt_ballot(ctx, choice, key)
        return _encrypt_ballot(ctx, choice, key, self.scalars(label), self.nonce(f"{label}/nonce"))

    def decryption_share(
        self, round_hash: bytes, j: int, secret: Scalar, tally: Sequence[Ciphertext], label: str
    ) -> DecryptionShare:
        if not self.deterministic:
            return compute_share(round_hash, j, secret, tally)
        return _compute_share(round_hash, j, secret, tally, self.scalars(label))


def _person_name(stream: _Stream) -> str:
    return " ".join(
        (
            _FAMILY[stream.below(len(_FAMILY))],
            _MIDDLE[stream.below(len(_MIDDLE))],
            _GIVEN[stream.below(len(_GIVEN))],
        )
    )


def _sri(seed: str, name: str) -> str:
    digest = hashlib.sha384(f"{seed}/code/{name}".encode()).digest()
    return "sha384-" + base64.b64encode(digest).decode("ascii")


# --------------------------------------------------------------------------- congress
@dataclass(frozen=True)
class SimulatedCongress:
    """The congress manifest and ceremony, with every secret a test may need."""

    manifest: CongressManifest
    ceremony: Ceremony
    server_key: Ed25519PrivateKey
    #: Counting-board members' minutes-signing keys, by guardian index.
    member_keys: Mapping[int, Ed25519PrivateKey]
    #: Guardians' secret shares ``s_j``, by index.
    secret_shares: Mapping[int, Scalar]
    #: The delegates convened (R-RESULT-3): everyone on the roster, in roster order.
    roster: tuple[RosterEntry, ...]
    #: Badge codes of the delegates who checked in, by person id.
    codes: Mapping[str, str]
    randomness: Randomness

    @property
    def seed(self) -> str:
        return self.randomness.seed

    @property
    def checked_in(self) -> tuple[str, ...]:
        return tuple(e.person_id for e in self.roster if e.attended)


def simulate_congress(
    *,
    guardians: int = 3,
    threshold: int | None = None,
    delegates: int = 11,
    seed: str = "dhvote-simulation",
    deterministic: bool = True,
    congress_id: str = "dh-2025-sim",
    name: str = "Đại hội đại biểu Đảng bộ mô phỏng lần thứ I, nhiệm kỳ 2025-2030",
) -> SimulatedCongress:
    """Run the key ceremony and issue the badges of a delegates' congress.

    ``delegates`` are convened; the last ``ABSENT_WHOLE_CONGRESS`` never attend (the very
    last is an ex-officio delegate) and get no badge. Each guardian ``i`` draws its
    polynomial, publishes commitments with proofs, seals ``f_i(j)`` to every other
    guardian ``j``, who opens and checks it against the commitments (PROTOCOL.md 4).
    """
    if delegates <= ABSENT_WHOLE_CONGRESS:
        raise ValueError(f"a simulated congress convenes more than {ABSENT_WHOLE_CONGRESS}")
    rng = Randomness(seed, deterministic)
    t = default_threshold(guardians) if threshold is None else threshold
    if not 1 <= t <= guardians:
        raise ValueError("1 <= threshold <= guardians")
    polynomials = {
        i: Polynomial.random(t, rng.scalars(f"guardian/{i}/polynomial"))
        for i in range(1, guardians + 1)
    }
    published = [
        polynomials[i].commit(congress_id, i, rng.scalars(f"guardian/{i}/proofs"))
        for i in range(1, guardians + 1)
    ]
    for commitments in published:
        verify_commitments(congress_id, commitments)
    comm_secret = {i: rng.scalars(f"guardian/{i}/communication")() for i in polynomials}
    comm_key = {i: comm_secret[i] * G for i in polynomials}
    secret_shares: dict[int, Scalar] = {}
    for j in polynomials:
        s_j = polynomials[j].evaluate(j)
        for i in polynomials:
            if i == j:
                continue
            box = seal_share(congress_id, i, j, comm_key[j], polynomials[i].evaluate(j))
            received = open_share(congress_id, i, j, comm_secret[j], box)
            verify_share(j, received, published[i - 1])
            s_j = s_j + received
        secret_shares[j] = s_j
    K = joint_key(published)
    names = _Stream(seed, "guardian-names")
    member_keys = {i: rng.signing_key(f"guardian/{i}/minutes") for i in polynomials}
    members = []
    for i in polynomials:
        K_i = public_share(i, published)
        if secret_shares[i] * G != K_i:  # pragma: no cover - the ceremony is honest
            raise AssertionError("a secret share does not match its public share")
        members.append(
            Guardian(
                index=i,
                member_id=f"g{i}",
                name=_person_name(names),
                communication_key=comm_key[i],
                signing_key=member_keys[i].public_key().public_bytes_raw(),
                public_share=K_i,
            )
        )
    server_key = rng.signing_key("server")
    manifest = CongressManifest(
        protocol=PROTOCOL,
        group=GROUP_NAME,
        congress_id=congress_id,
        name=name,
        assembly=Assembly.DELEGATES_CONGRESS,
        approved_delegates=delegates,
        server_key=server_key.public_key().public_bytes_raw(),
        threshold=t,
        guardians=tuple(members),
        joint_key=K,
    )
    width = len(str(delegates))
    roster = []
    for k in range(delegates):
        absent = k >= delegates - ABSENT_WHOLE_CONGRESS
        roster.append(
            RosterEntry(
                f"d{k + 1:0{width}d}",
                attended=not absent,
                present_at_vote=not absent,
                ex_officio=k == delegates - 1,
            )
        )
    codes = {e.person_id: rng.badge_code(e.person_id) for e in roster if e.attended}
    return SimulatedCongress(
        manifest=manifest,
        ceremony=Ceremony(tuple(published)),
        server_key=server_key,
        member_keys=member_keys,
        secret_shares=secret_shares,
        roster=tuple(roster),
        codes=codes,
        randomness=rng,
    )


# --------------------------------------------------------------------------- closing a round
def seal_board(
    round_hash: bytes,
    ballots: Sequence[CiphertextBallot],
    server_key: Ed25519PrivateKey,
    opened_at: datetime = OPENED_AT,
) -> Board:
    """Put ``ballots`` on the board in order: chain hashes and signed receipts (section 7)."""
    h = chain_genesis(round_hash)
    entries = []
    for position, ballot in enumerate(ballots, start=1):
        h_B = ballot.hash()
        h = chain_next(h, h_B)
        time = (opened_at + timedelta(seconds=5 * position)).strftime("%Y-%m-%dT%H:%M:%SZ")
        receipt = Receipt(round_hash, position, h_B, h, time)
        signature = bytes.fromhex(sign_receipt(server_key, receipt.to_json()))
        entries.append(BoardEntry(ballot, receipt, signature))
    return Board(tuple(entries), h)


def close_round(
    congress: SimulatedCongress,
    round_id: str,
    manifest: RoundManifest,
    credentials: CredentialList,
    ballots: Sequence[CiphertextBallot],
    audited: AuditedBallots,
    *,
    base: MajorityBase,
    issued: int,
    decrypting: Sequence[int],
    signers: Sequence[int],
    tally: EncryptedTally | None = None,
    result: RoundResult | None = None,
) -> RoundRecord:
    """The rest of an honest round once the ballots are cast.

    Board and receipts; the tally (unless given); decryption shares of the tally by the
    ``decrypting`` guardians and the counts; the result by ``decide_round`` (unless given);
    the minutes' data of that result signed by ``signers``.
    """
    h_R = manifest.hash()
    board = seal_board(h_R, ballots, congress.server_key)
    if tally is None:
        counters = tuple(
            sum_ciphertexts(b.ciphertexts[c] for b in ballots)
            for c in range(len(manifest.form.counters))
        )
        tally = EncryptedTally(len(ballots), counters)
    shares: dict[int, DecryptionShare] = {
        j: congress.randomness.decryption_share(
            h_R, j, congress.secret_shares[j], tally.counters, f"{round_id}/decrypt/{j}"
        )
        for j in sorted(decrypting)
    }
    counts = decrypt_tally(
        tally.counters, shares, congress.manifest.threshold, DlogTable(len(ballots))
    )
    decryption = Decryption(
        tuple(shares[j] for j in sorted(shares)),
        tuple(zip(manifest.form.counters, counts, strict=True)),
    )
    profile = manifest.profile()
    if result is None:
        rules_tally = tally_from_counts(
            manifest.rules_form(), counts, cast=len(ballots), issued=issued, profile=profile
        )
        result = decide_round(manifest.rules_round(), rules_tally, base, profile)
    minutes = sign_minutes(
        minutes_data(congress.manifest, manifest, board.head, result),
        {j: congress.member_keys[j] for j in signers},
    )
    return RoundRecord(
        round_id=round_id,
        manifest=manifest,
        credentials=credentials,
        board=board,
        audited=audited,
        tally=tally,
        decryption=decryption,
        result=result,
        minutes=minutes,
    )


# --------------------------------------------------------------------------- a round
@dataclass(frozen=True)
class SimulatedRound:
    """A simulated round: its record, the plaintexts behind it and how it was closed."""

    congress: SimulatedCongress
    round: RoundRecord
    #: The choice (counter values) of the ballot at each board position.
    choices: tuple[tuple[int, ...], ...]
    #: The choices of the audited ballots, in their order.
    audited_choices: tuple[tuple[int, ...], ...]
    base: MajorityBase
    issued: int
    decrypting: tuple[int, ...]
    signers: tuple[int, ...]
    profile: Profile = field(repr=False)

    @property
    def record(self) -> Record:
        """This round alone, as a round record."""
        return Record("round", self.congress.manifest, self.congress.ceremony, (self.round,))

    @property
    def ballots(self) -> tuple[CiphertextBallot, ...]:
        return tuple(e.ballot for e in self.round.board.entries)

    def reseal(
        self,
        *,
        ballots: Sequence[CiphertextBallot] | None = None,
        tally: EncryptedTally | None = None,
        result: RoundResult | None = None,
    ) -> Record:
        """The round record closed again, as a key-holding server could, with the changes."""
        r = self.round
        closed = close_round(
            self.congress,
            r.round_id,
            r.manifest,
            r.credentials,
            self.ballots if ballots is None else ballots,
            r.audited,
            base=self.base,
            issued=self.issued,
            decrypting=self.decrypting,
            signers=self.signers,
            tally=tally,
            result=result,
        )
        return Record("round", self.congress.manifest, self.congress.ceremony, (closed,))


def _chooser(
    kind: FormKindName, names: int, seats: int, stream: _Stream
) -> Callable[[int], tuple[int, ...]]:
    """A deterministic voter: popularity per name, occasional deliberate invalid ballots."""
    # Popularity from 99 % down to 30 %, in an order drawn from the seed.
    order = list(range(names))
    for i in range(names - 1, 0, -1):
        j = stream.below(i + 1)
        order[i], order[j] = order[j], order[i]
    popularity = [0] * names
    for rank, i in enumerate(order):
        popularity[i] = 990 - (690 * rank) // max(1, names - 1)

    def cross_out(index: int) -> tuple[int, ...]:
        if index % 17 == 5:
            return (0,) * names + (1, 0)  # kept more than `seats` names (R-BALLOT-4.2)
        if index % 23 == 11:
            return (0,) * names + (0, 1)  # struck every name (R-BALLOT-4.3)
        kept = [i for i in range(names) if stream.per_mille(popularity[i])]
        # The voter strikes more names to keep at most `seats`, mostly the less popular.
        noisy = {i: popularity[i] + stream.below(500) for i in kept}
        kept = sorted(kept, key=lambda i: -noisy[i])[:seats] or [order[0]]
        return tuple(int(i in kept) for i in range(names)) + (0, 0)

    def agree_disagree(index: int) -> tuple[int, ...]:
        if names == 1:
            if index % 17 == 5:
                return (0, 0, 1)  # both boxes or neither (R-BALLOT-4.6)
            return (1, 0, 0) if stream.per_mille(popularity[0]) else (0, 1, 0)
        out: list[int] = []
        for i in range(names):
            if stream.per_mille(popularity[i]):
                out += [1, 0]
            elif stream.per_mille(800):
                out += [0, 1]
            else:
                out += [0, 0]  # neither box: not counted for that person (R-RESULT-1)
        return tuple(out)

    return cross_out if kind == "cross_out" else agree_disagree


def simulate_round(
    congress: SimulatedCongress,
    *,
    names: int = 4,
    seats: int = 2,
    kind: FormKindName = "cross_out",
    ballots: int = 6,
    audited: int = 2,
    contest_id: str = "committee",
    title: str = "Bầu Ban Chấp hành Đảng bộ khóa I",
    position: Post = Post.COMMITTEE,
    profile: str = "QD190_2024",
    round_id: str | None = None,
) -> SimulatedRound:
    """Cast ``ballots`` ballots (after ``audited`` Benaloh challenges) and close the round.

    Every delegate who checked in is eligible; one of them steps out before the vote (still
    in N, R-RESULT-3), so the counting board issues one ballot fewer than the eligible
    count. The first ``ballots`` delegates present vote, the first ``audited`` of them
    challenge a ballot before casting a fresh one.
    """
    seed = congress.seed
    rid = round_id or f"{contest_id}-1"
    checked_in = congress.checked_in
    present = checked_in[1:]  # the first delegate stepped out before the vote
    if not 1 <= ballots <= len(present):
        raise ValueError(f"1 <= ballots <= {len(present)} delegates present")
    if not 0 <= audited <= ballots:
        raise ValueError("0 <= audited <= ballots")
    if kind == "cross_out" and not 1 <= seats < names:
        raise ValueError("cross-out needs 1 <= seats < names")
    if kind == "agree_disagree" and seats != names:
        raise ValueError("agree/disagree needs seats == names")
    cname = _Stream(seed, f"{rid}/candidate-names")
    width = len(str(names))
    candidates = tuple(
        Candidate(f"c{i:0{width}d}", _person_name(cname)) for i in range(1, names + 1)
    )
    keys = {
        pid: CredentialKey(congress.manifest.congress_id, congress.codes[pid]) for pid in checked_in
    }
    credentials = CredentialList(tuple(sorted(k.public for k in keys.values())))
    form = form_for(kind, names, seats)
    manifest = RoundManifest(
        protocol=PROTOCOL,
        group=GROUP_NAME,
        congress_id=congress.manifest.congress_id,
        congress_hash=congress.manifest.hash(),
        contest=ContestInfo(
            contest_id=contest_id,
            title=title,
            position=position,
            direct=False,
            seats=seats,
            assembly=Assembly.DELEGATES_CONGRESS,
            entitled=congress.manifest.approved_delegates,
            candidates=candidates,
        ),
        rules=RulesRef(profile),
        round=RoundInfo(1, RoundKind.FIRST, seats, True, None),
        eligible_count=len(credentials.credentials),
        eligible_hash=credential_list_hash(credentials.credentials),
        joint_key=congress.manifest.joint_key,
        form=form,
        code=tuple((n, _sri(seed, n)) for n in ("booth.js", "crypto.js", "style.css")),
    )
    ctx = RoundContext(manifest.hash(), manifest.joint_key, form)
    choose = _chooser(kind, names, seats, _Stream(seed, f"{rid}/choices"))
    cast: list[CiphertextBallot] = []
    choices: list[tuple[int, ...]] = []
    audited_ballots: list[AuditedBallot] = []
    audited_choices: list[tuple[int, ...]] = []
    for index, pid in enumerate(present[:ballots]):
        if index < audited:
            challenged = choose(10_000 + index)
            ballot, opened = congress.randomness.encrypt(
                ctx, challenged, keys[pid], f"{rid}/audited/{index}"
            )
            audited_ballots.append(_audited(ballot, opened))
            audited_choices.append(challenged)
        choice = choose(index)
        ballot, _ = congress.randomness.encrypt(ctx, choice, keys[pid], f"{rid}/ballot/{index}")
        cast.append(ballot)
        choices.append(choice)
    rules_profile = manifest.profile()
    roster = [
        entry if entry.person_id != checked_in[0] else RosterEntry(entry.person_id, True, False)
        for entry in congress.roster
    ]
    base = majority_base(Assembly.DELEGATES_CONGRESS, roster, rules_profile)
    guardians = len(congress.manifest.guardians)
    t = congress.manifest.threshold
    present_guardians = [j for j in range(1, guardians + 1) if not (j == 2 and guardians > t)]
    decrypting = tuple(present_guardians[:t])
    issued = len(present)
    closed = close_round(
        congress,
        rid,
        manifest,
        credentials,
        cast,
        AuditedBallots(tuple(audited_ballots)),
        base=base,
        issued=issued,
        decrypting=decrypting,
        signers=present_guardians,
    )
    return SimulatedRound(
        congress=congress,
        round=closed,
        choices=tuple(choices),
        audited_choices=tuple(audited_choices),
        base=base,
        issued=issued,
        decrypting=decrypting,
        signers=tuple(present_guardians),
        profile=rules_profile,
    )


def _audited(ballot: CiphertextBallot, opened: BallotSecrets) -> AuditedBallot:
    return AuditedBallot(ballot, opened.counters, opened.randomness)


def simulate(
    names: int = 4,
    seats: int = 2,
    kind: FormKindName = "cross_out",
    ballots: int = 6,
    guardians: int = 3,
    threshold: int | None = None,
    seed: str = "dhvote-simulation",
    *,
    deterministic: bool = True,
    audited: int = 2,
    delegates: int | None = None,
    profile: str = "QD190_2024",
) -> SimulatedRound:
    """A complete honest round record in one call (see the module docstring).

    ``delegates`` convened defaults to ``ballots + 4``: three absent for the whole congress
    (excluded from N) and one who stepped out before the vote (in N, R-RESULT-3).
    """
    congress = simulate_congress(
        guardians=guardians,
        threshold=threshold,
        delegates=ballots + ABSENT_WHOLE_CONGRESS + 1 if delegates is None else delegates,
        seed=seed,
        deterministic=deterministic,
    )
    return simulate_round(
        congress,
        names=names,
        seats=seats,
        kind=kind,
        ballots=ballots,
        audited=audited,
        profile=profile,
    )
