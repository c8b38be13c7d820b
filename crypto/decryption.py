"""Threshold decryption of the tally (PROTOCOL.md section 8).

Guardian ``j`` computes, for every summed counter ``(A_c, B_c)``, the share
``D_jc = s_j*A_c`` with a Chaum-Pedersen proof that ``log_G K_j = log_A D_jc``
(context ``(h_R, j, c)``). With a set ``S`` of at least ``t`` guardians and
Lagrange coefficients ``w_j = prod_{m in S, m != j} m/(m - j)``,
``M_c = B_c - sum_j w_j*D_jc = m_c*G`` and ``m_c`` is read from a table of
``0*G .. N*G``. No operation here takes a single ballot: only sums are
decrypted (T-10.a).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from crypto.elgamal import Ciphertext
from crypto.encoding import point_from_hex, require_int, require_keys, require_list
from crypto.errors import DiscreteLogError, InvalidProof
from crypto.group import IDENTITY, G, Point, Scalar, msm_vartime
from crypto.proofs import CompactProof, prove_decryption, verify_decryption

__all__ = [
    "DecryptionShare",
    "DlogTable",
    "combine_shares",
    "compute_share",
    "decrypt_tally",
    "lagrange_coefficient",
    "verify_decryption_share",
]

Rand = Callable[[], Scalar]


def lagrange_coefficient(j: int, participants: Iterable[int]) -> Scalar:
    """``w_j = prod_{m != j} m / (m - j)`` over ``Z_L`` (interpolation at 0)."""
    group = sorted(participants)
    if len(set(group)) != len(group) or any(not 1 <= m <= 64 for m in group):
        raise ValueError("participants are distinct guardian indices 1..64")
    if j not in group:
        raise ValueError("j must be one of the participants")
    num = Scalar.from_int(1)
    den = Scalar.from_int(1)
    for m in group:
        if m != j:
            num = num * Scalar.from_int(m)
            den = den * Scalar.from_int(m - j)
    return num * den.inverse()


@dataclass(frozen=True, slots=True)
class DecryptionShare:
    """Guardian ``guardian``'s share ``D_c`` and proof for every counter of a tally."""

    guardian: int
    shares: tuple[Point, ...]
    proofs: tuple[CompactProof, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "guardian": self.guardian,
            "shares": [d.hex() for d in self.shares],
            "proofs": [p.to_json() for p in self.proofs],
        }

    @classmethod
    def from_json(cls, obj: Any, counters: int) -> DecryptionShare:
        require_keys(obj, {"guardian", "shares", "proofs"}, "decryption share")
        return cls(
            require_int(obj["guardian"], "share.guardian", 1, 64),
            tuple(
                point_from_hex(d, "share.D")
                for d in require_list(obj["shares"], "share.shares", counters)
            ),
            tuple(
                CompactProof.from_json(p)
                for p in require_list(obj["proofs"], "share.proofs", counters)
            ),
        )


def _context(round_hash: bytes, j: int, c: int) -> tuple[bytes, int, int]:
    return (round_hash, j, c)


def _compute_share(
    round_hash: bytes, j: int, secret: Scalar, tally: Sequence[Ciphertext], rand: Rand
) -> DecryptionShare:
    shares: list[Point] = []
    proofs: list[CompactProof] = []
    for c, ct in enumerate(tally):
        D, proof = prove_decryption(_context(round_hash, j, c), secret, ct.A, rand)
        shares.append(D)
        proofs.append(proof)
    return DecryptionShare(j, tuple(shares), tuple(proofs))


def compute_share(
    round_hash: bytes, j: int, secret: Scalar, tally: Sequence[Ciphertext]
) -> DecryptionShare:
    """Guardian ``j``'s decryption share of the summed counters ``tally``."""
    return _compute_share(round_hash, j, secret, tally, Scalar.random)


def verify_decryption_share(
    round_hash: bytes, Kj: Point, tally: Sequence[Ciphertext], share: DecryptionShare
) -> None:
    """Raise ``InvalidProof`` (naming the counter) unless every share proof verifies."""
    if len(share.shares) != len(tally):
        raise InvalidProof("share has the wrong number of counters")
    for c, (ct, D, proof) in enumerate(zip(tally, share.shares, share.proofs, strict=True)):
        try:
            verify_decryption(_context(round_hash, share.guardian, c), Kj, ct.A, D, proof)
        except InvalidProof as e:
            raise InvalidProof(
                f"guardian {share.guardian}, counter {c}: decryption proof does not verify"
            ) from e


def combine_shares(
    tally: Sequence[Ciphertext], shares: Mapping[int, DecryptionShare], threshold: int
) -> tuple[Point, ...]:
    """``M_c = B_c - sum_j w_j*D_jc`` over the participating guardians.

    Raises ``ValueError`` with fewer than ``threshold`` shares: the result
    would not be the tally.
    """
    if len(shares) < threshold:
        raise ValueError(f"{len(shares)} shares, {threshold} needed")
    for j, share in shares.items():
        if share.guardian != j:
            raise ValueError(f"the share filed under guardian {j} is guardian {share.guardian}'s")
        if len(share.shares) != len(tally):
            raise ValueError(f"guardian {j}'s share has {len(share.shares)} counters")
    participants = sorted(shares)
    # The shares and weights are public: one variable-time multi-scalar multiplication each.
    neg_weights = [-lagrange_coefficient(j, participants) for j in participants]
    one = Scalar.from_int(1)
    out: list[Point] = []
    for c, ct in enumerate(tally):
        terms = [(one, ct.B)]
        terms += [(w, shares[j].shares[c]) for w, j in zip(neg_weights, participants, strict=True)]
        out.append(msm_vartime(terms))
    return tuple(out)


class DlogTable:
    """``m*G -> m`` for ``0 <= m <= bound`` (``0*G`` is the identity)."""

    __slots__ = ("_bound", "_table")

    def __init__(self, bound: int) -> None:
        if bound < 0:
            raise ValueError("bound is non-negative")
        self._bound = bound
        table = {IDENTITY.encode(): 0}
        P = G
        for m in range(1, bound + 1):
            table[P.encode()] = m
            P = P + G
        self._table = table

    @property
    def bound(self) -> int:
        return self._bound

    def lookup(self, M: Point) -> int:
        """Return ``m`` with ``M = m*G``; raise ``DiscreteLogError`` outside the table."""
        try:
            return self._table[M.encode()]
        except KeyError:
            raise DiscreteLogError(f"value is not m*G for any 0 <= m <= {self._bound}") from None


def decrypt_tally(
    tally: Sequence[Ciphertext],
    shares: Mapping[int, DecryptionShare],
    threshold: int,
    table: DlogTable,
) -> tuple[int, ...]:
    """Combine the shares and read every count from the table."""
    return tuple(table.lookup(M) for M in combine_shares(tally, shares, threshold))
