"""Encrypted, signed ballots (PROTOCOL.md section 6; docs/protocol.md "Ballot").

A ballot for a round with hash ``h_R``, joint key ``K`` and form ``F`` is::

    {"version": "dh-vote/v1", "round": hex(h_R), "credential": hex(Y),
     "nonce": hex(16 bytes),
     "counters": [{"A": hex, "B": hex, "proof": {"c": [c0, c1], "v": [v0, v1]}}, ...],
     "combinations": [{"c": [...], "v": [...]}, ...],
     "signature": hex(64 bytes)}

Counter ``i`` carries a 0/1 proof with context ``(h_R, Y, i)`` under tag
``proof01``. Combination ``j`` of the form carries a set-membership proof on
``sum_i w_i * counter_i`` with context ``(h_R, Y, j, len(allowed), *allowed)``
under tag ``proof-set``. The signature is Ed25519 by ``Y`` over
``H("dh-vote/v1/ballot-sig", canonical_json(ballot without "signature"))``.
The ballot hash ``h_B`` is SHA-256 of the canonical JSON of the signed ballot
and the tracking code is its first 50 bits in Crockford base32.
"""

from __future__ import annotations

import hashlib
import secrets as _secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from crypto.canonical import canonical_json
from crypto.credential import ALPHABET, CredentialKey, check_public_credential, verify_signature
from crypto.elgamal import Ciphertext, combine, encrypt
from crypto.encoding import (
    bytes_from_hex,
    point_from_hex,
    require_keys,
    require_list,
    scalar_from_hex,
)
from crypto.errors import InvalidBallot, InvalidProof
from crypto.forms import BallotForm, Combination
from crypto.group import Point, Scalar
from crypto.hashing import H, Tag
from crypto.proofs import MembershipProof, prove_membership, verify_membership

__all__ = [
    "VERSION",
    "BallotSecrets",
    "CiphertextBallot",
    "RoundContext",
    "audit_ballot",
    "ballot_hash",
    "encrypt_ballot",
    "TRACKING_GROUP",
    "TRACKING_GROUPS",
    "TRACKING_GROUPS_MAX",
    "tracking_code",
    "tracking_codes",
    "verify_audited",
    "verify_ballot",
]

VERSION = "dh-vote/v1"
ROUND_HASH_BYTES = 64
NONCE_BYTES = 16
_BALLOT_KEYS = frozenset(
    {"version", "round", "credential", "nonce", "counters", "combinations", "signature"}
)
Rand = Callable[[], Scalar]


@dataclass(frozen=True, slots=True)
class RoundContext:
    """What a ballot is bound to: the round hash, the joint key and the form."""

    round_hash: bytes
    joint_key: Point
    form: BallotForm

    def __post_init__(self) -> None:
        if len(self.round_hash) != ROUND_HASH_BYTES:
            raise ValueError("the round hash is 64 bytes")


@dataclass(frozen=True, slots=True)
class BallotSecrets:
    """What the terminal keeps until cast or challenge: the choices and the randomness."""

    counters: tuple[int, ...]
    randomness: tuple[Scalar, ...]

    def __repr__(self) -> str:
        return "BallotSecrets(…)"


@dataclass(frozen=True, slots=True)
class CiphertextBallot:
    """A signed encrypted ballot, decoded strictly from its JSON."""

    round_hash: bytes
    credential: bytes
    nonce: bytes
    ciphertexts: tuple[Ciphertext, ...]
    counter_proofs: tuple[MembershipProof, ...]
    combination_proofs: tuple[MembershipProof, ...]
    signature: bytes

    def unsigned_json(self) -> dict[str, Any]:
        return {
            "version": VERSION,
            "round": self.round_hash.hex(),
            "credential": self.credential.hex(),
            "nonce": self.nonce.hex(),
            "counters": [
                {**ct.to_json(), "proof": p.to_json()}
                for ct, p in zip(self.ciphertexts, self.counter_proofs, strict=True)
            ],
            "combinations": [p.to_json() for p in self.combination_proofs],
        }

    def to_json(self) -> dict[str, Any]:
        return {**self.unsigned_json(), "signature": self.signature.hex()}

    def hash(self) -> bytes:
        """``h_B``: SHA-256 of the canonical JSON of the signed ballot."""
        return ballot_hash(self.to_json())

    @classmethod
    def from_json(cls, obj: Any, form: BallotForm) -> CiphertextBallot:
        """Strictly decode a ballot of ``form``'s shape; raise an ``EncodingError`` subclass."""
        require_keys(obj, _BALLOT_KEYS, "ballot")
        if obj["version"] != VERSION:
            raise InvalidBallot("ballot: unknown protocol version")
        counters = require_list(obj["counters"], "ballot.counters", len(form.counters))
        combos = require_list(obj["combinations"], "ballot.combinations", len(form.combinations))
        cts: list[Ciphertext] = []
        proofs: list[MembershipProof] = []
        for i, item in enumerate(counters):
            require_keys(item, {"A", "B", "proof"}, f"ballot.counters[{i}]")
            cts.append(
                Ciphertext(
                    point_from_hex(item["A"], f"counters[{i}].A"),
                    point_from_hex(item["B"], f"counters[{i}].B"),
                )
            )
            proofs.append(MembershipProof.from_json(item["proof"], 2))
        combo_proofs = tuple(
            MembershipProof.from_json(p, len(c.allowed))
            for p, c in zip(combos, form.combinations, strict=True)
        )
        return cls(
            round_hash=bytes_from_hex(obj["round"], ROUND_HASH_BYTES, "ballot.round"),
            credential=bytes_from_hex(obj["credential"], 32, "ballot.credential"),
            nonce=bytes_from_hex(obj["nonce"], NONCE_BYTES, "ballot.nonce"),
            ciphertexts=tuple(cts),
            counter_proofs=tuple(proofs),
            combination_proofs=combo_proofs,
            signature=bytes_from_hex(obj["signature"], 64, "ballot.signature"),
        )


def ballot_hash(ballot_json: dict[str, Any]) -> bytes:
    """SHA-256 of the canonical JSON of a signed ballot."""
    return hashlib.sha256(canonical_json(ballot_json)).digest()


#: A tracking code is shown in groups of five Crockford characters (25 bits each).
TRACKING_GROUP = 5
#: The groups of a tracking code: two (50 bits) unless another ballot of the round shares them.
TRACKING_GROUPS = 2
#: As many groups as ``h_B`` (SHA-256) holds: 10 groups, 250 bits.
TRACKING_GROUPS_MAX = 256 // (5 * TRACKING_GROUP)


def tracking_code(h_B: bytes, groups: int = TRACKING_GROUPS) -> str:
    """The first ``25 * groups`` bits of ``h_B`` in Crockford base32, five characters a
    group joined by ``-``: by default the 50 bits ``XXXXX-XXXXX``."""
    if len(h_B) != 32:
        raise ValueError("a ballot hash is 32 bytes")
    if not TRACKING_GROUPS <= groups <= TRACKING_GROUPS_MAX:
        raise ValueError(f"a tracking code has {TRACKING_GROUPS} to {TRACKING_GROUPS_MAX} groups")
    n = groups * TRACKING_GROUP
    bits = int.from_bytes(h_B, "big") >> (256 - 5 * n)
    chars = "".join(ALPHABET[(bits >> (5 * (n - 1 - i))) & 31] for i in range(n))
    return "-".join(chars[i : i + TRACKING_GROUP] for i in range(0, n, TRACKING_GROUP))


def tracking_codes(hashes: Sequence[bytes]) -> list[str]:
    """The code each ballot hash of a round is shown with: two groups, and one group more
    for as long as another hash of ``hashes`` shares its code (ATTACKS.md T-8.c), so no
    code shown is a prefix of another. Equal hashes (never on one board) keep equal codes."""
    shown: list[str] = [""] * len(hashes)
    pending = list(range(len(hashes)))
    groups = TRACKING_GROUPS
    while pending:
        alike: dict[str, list[int]] = {}
        for i in pending:
            alike.setdefault(tracking_code(hashes[i], groups), []).append(i)
        pending = []
        for code, members in alike.items():
            if len(members) == 1 or groups == TRACKING_GROUPS_MAX:
                for i in members:
                    shown[i] = code
            else:
                pending.extend(members)
        groups += 1
    return shown


def _signing_message(unsigned: dict[str, Any]) -> bytes:
    return H(Tag.BALLOT_SIG, canonical_json(unsigned))


def _counter_context(ctx: RoundContext, credential: bytes, i: int) -> tuple[bytes, bytes, int]:
    return (ctx.round_hash, credential, i)


def _combination_context(
    ctx: RoundContext, credential: bytes, j: int, combo: Combination
) -> tuple[bytes | int, ...]:
    return (ctx.round_hash, credential, j, len(combo.allowed), *combo.allowed)


def _combined_for_prover(
    combo: Combination, cts: Sequence[Ciphertext], rs: Sequence[Scalar], K: Point, value: int
) -> tuple[Ciphertext, Scalar]:
    """The combined ciphertext and its randomness ``R = sum w_i r_i``.

    The result is the same group element whichever way it is computed; the
    prover picks the cheaper way (additions, or one fresh encryption with R).
    """
    R = Scalar.from_int(0)
    for w, r in zip(combo.weights, rs, strict=True):
        if w:
            R = R + (r if w == 1 else Scalar.from_int(w) * r)
    nonzero = sum(1 for w in combo.weights if w)
    heavy = sum(1 for w in combo.weights if w > 1)
    # An addition costs about a tenth of a variable-base multiplication.
    if (nonzero - 1) + 10 * heavy > 12:
        return encrypt(value, K, R), R
    return combine(combo.weights, cts), R


def _encrypt_ballot(
    ctx: RoundContext,
    counters: Sequence[int],
    key: CredentialKey,
    rand: Rand,
    nonce: bytes,
) -> tuple[CiphertextBallot, BallotSecrets]:
    """Encrypt with explicit randomness (the test-vector seam).

    Draw order, shared with the JavaScript twin: for each counter in order,
    ``r_i`` then that counter's proof draws; then each combination's proof
    draws in order (see ``prove_membership``).
    """
    if len(nonce) != NONCE_BYTES:
        raise ValueError("the ballot nonce is 16 bytes")
    form = ctx.form
    form.check_plaintext(counters)
    K = ctx.joint_key
    Y = key.public
    cts: list[Ciphertext] = []
    rs: list[Scalar] = []
    proofs: list[MembershipProof] = []
    for i, m in enumerate(counters):
        r = rand()
        ct = encrypt(m, K, r)
        proofs.append(
            prove_membership(Tag.PROOF01, _counter_context(ctx, Y, i), K, ct, (0, 1), m, r, rand)
        )
        cts.append(ct)
        rs.append(r)
    combo_proofs: list[MembershipProof] = []
    for j, combo in enumerate(form.combinations):
        value = combo.value(counters)
        ct, R = _combined_for_prover(combo, cts, rs, K, value)
        combo_proofs.append(
            prove_membership(
                Tag.PROOF_SET,
                _combination_context(ctx, Y, j, combo),
                K,
                ct,
                combo.allowed,
                combo.allowed.index(value),
                R,
                rand,
            )
        )
    unsigned = CiphertextBallot(
        ctx.round_hash, Y, nonce, tuple(cts), tuple(proofs), tuple(combo_proofs), b""
    ).unsigned_json()
    signature = key.sign(_signing_message(unsigned))
    ballot = CiphertextBallot(
        ctx.round_hash, Y, nonce, tuple(cts), tuple(proofs), tuple(combo_proofs), signature
    )
    return ballot, BallotSecrets(tuple(counters), tuple(rs))


def encrypt_ballot(
    ctx: RoundContext, counters: Sequence[int], key: CredentialKey
) -> tuple[CiphertextBallot, BallotSecrets]:
    """Encrypt, prove and sign a legal choice ``counters`` of ``ctx.form``.

    Raises ``InvalidBallot`` if the choice is not legal for the form (the
    terminal encodes a deliberately invalid ballot through the form's invalid
    indicators, never by breaking the form).
    """
    return _encrypt_ballot(ctx, counters, key, Scalar.random, _secrets.token_bytes(NONCE_BYTES))


def verify_ballot(ctx: RoundContext, ballot: CiphertextBallot) -> None:
    """Check a decoded ballot against its round; raise the first failing check.

    Order: round binding (``InvalidBallot``), credential key
    (``InvalidCredential``), signature (``InvalidSignature``), each counter's
    0/1 proof and each combination's proof (``InvalidProof`` naming the index).
    """
    if ballot.round_hash != ctx.round_hash:
        raise InvalidBallot("ballot is for another round")
    if len(ballot.ciphertexts) != len(ctx.form.counters):
        raise InvalidBallot("wrong number of counters")
    if len(ballot.combination_proofs) != len(ctx.form.combinations):
        raise InvalidBallot("wrong number of combination proofs")
    check_public_credential(ballot.credential)
    verify_signature(ballot.credential, _signing_message(ballot.unsigned_json()), ballot.signature)
    K = ctx.joint_key
    Y = ballot.credential
    for i, (ct, proof) in enumerate(zip(ballot.ciphertexts, ballot.counter_proofs, strict=True)):
        try:
            verify_membership(Tag.PROOF01, _counter_context(ctx, Y, i), K, ct, (0, 1), proof)
        except InvalidProof as e:
            raise InvalidProof(f"counter {i}: 0/1 proof does not verify") from e
    for j, (combo, proof) in enumerate(
        zip(ctx.form.combinations, ballot.combination_proofs, strict=True)
    ):
        ct = combine(combo.weights, ballot.ciphertexts)
        try:
            verify_membership(
                Tag.PROOF_SET, _combination_context(ctx, Y, j, combo), K, ct, combo.allowed, proof
            )
        except InvalidProof as e:
            raise InvalidProof(f"combination {j}: proof does not verify") from e


def audit_ballot(ballot: CiphertextBallot, secrets: BallotSecrets) -> dict[str, Any]:
    """The audited (challenged) ballot: the signed ballot with its choices and randomness.

    It is posted to the board as audited and never counted (Benaloh challenge).
    """
    return {
        "ballot": ballot.to_json(),
        "counters": list(secrets.counters),
        "randomness": [r.hex() for r in secrets.randomness],
    }


def verify_audited(ctx: RoundContext, audited: Any) -> tuple[int, ...]:
    """Re-encrypt an audited ballot and return its choices; raise if anything differs."""
    require_keys(audited, {"ballot", "counters", "randomness"}, "audited ballot")
    ballot = CiphertextBallot.from_json(audited["ballot"], ctx.form)
    verify_ballot(ctx, ballot)
    n = len(ctx.form.counters)
    counters = require_list(audited["counters"], "audited.counters", n)
    rs = [
        scalar_from_hex(r, "audited.randomness")
        for r in require_list(audited["randomness"], "audited.randomness", n)
    ]
    try:
        ctx.form.check_plaintext(counters)
    except InvalidBallot as e:
        raise InvalidBallot("audited choices are not legal for the form") from e
    for i, (m, r, ct) in enumerate(zip(counters, rs, ballot.ciphertexts, strict=True)):
        if r.is_zero() or encrypt(m, ctx.joint_key, r) != ct:
            raise InvalidBallot(f"audited counter {i} does not re-encrypt to the posted ciphertext")
    return tuple(counters)
