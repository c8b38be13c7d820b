"""Key ceremony, share boxes, key files and threshold decryption (T-5, T-9.a, T-10.a, T-15.a)."""

from __future__ import annotations

import itertools
import os

import pytest

from crypto import (
    CredentialKey,
    DlogTable,
    G,
    Polynomial,
    RoundContext,
    Scalar,
    combine_shares,
    compute_share,
    cross_out,
    decrypt_tally,
    default_threshold,
    encrypt,
    encrypt_ballot,
    generate_code,
    joint_key,
    lagrange_coefficient,
    open_keyfile,
    open_share,
    public_share,
    seal_keyfile,
    seal_share,
    sum_ciphertexts,
    verify_commitments,
    verify_decryption_share,
    verify_share,
)
from crypto import decryption as decryption_module
from crypto.errors import DecryptionError, DiscreteLogError, InvalidProof, InvalidShare
from crypto.keyceremony import GuardianCommitments

CONGRESS = "test-congress"


def ceremony(n: int, t: int) -> tuple[list[GuardianCommitments], dict[int, Scalar]]:
    """Run an honest ceremony and return the public commitments and secret shares."""
    polys = {i: Polynomial.random(t) for i in range(1, n + 1)}
    published = [polys[i].commit(CONGRESS, i) for i in range(1, n + 1)]
    for g in published:
        verify_commitments(CONGRESS, g)
    secret = {}
    for j in range(1, n + 1):
        acc = Scalar.from_int(0)
        for i, poly in polys.items():
            share = poly.evaluate(j)
            verify_share(j, share, published[i - 1])
            acc = acc + share
        secret[j] = acc
    return published, secret


def test_default_threshold() -> None:
    assert [default_threshold(n) for n in (1, 2, 3, 4, 5, 7)] == [1, 2, 2, 3, 3, 4]
    with pytest.raises(ValueError):
        default_threshold(0)


def test_public_shares_match_secret_shares() -> None:
    published, secret = ceremony(5, 3)
    for j, s in secret.items():
        assert public_share(j, published) == s * G


def test_bad_feldman_share_is_detected() -> None:
    # T-5.c: a dealer sends guardian 2 a share that disagrees with its commitments.
    poly = Polynomial.random(3)
    published = poly.commit(CONGRESS, 1)
    good = poly.evaluate(2)
    verify_share(2, good, published)
    with pytest.raises(InvalidShare):
        verify_share(2, good + Scalar.from_int(1), published)
    with pytest.raises(InvalidShare):
        verify_share(3, good, published)  # someone else's share


def test_tampered_commitment_proof_is_detected() -> None:
    poly = Polynomial.random(2)
    published = poly.commit(CONGRESS, 1)
    other = Polynomial.random(2).commit(CONGRESS, 1)
    mixed = GuardianCommitments(
        1, (other.commitments[0], published.commitments[1]), published.proofs
    )
    with pytest.raises(InvalidProof, match="coefficient 0"):
        verify_commitments(CONGRESS, mixed)
    with pytest.raises(InvalidProof):
        verify_commitments("another-congress", published)


def test_commitments_json_round_trip() -> None:
    published = Polynomial.random(3).commit(CONGRESS, 2)
    assert GuardianCommitments.from_json(published.to_json(), 3) == published


def test_share_boxes() -> None:
    d = Scalar.random()
    share = Scalar.random()
    box = seal_share(CONGRESS, 1, 2, d * G, share)
    assert open_share(CONGRESS, 1, 2, d, box) == share
    with pytest.raises(DecryptionError):
        open_share(CONGRESS, 1, 3, d, box)  # associated data names the recipient
    with pytest.raises(DecryptionError):
        open_share(CONGRESS, 1, 2, Scalar.random(), box)
    tampered = dict(box, ct=box["ct"][:-2] + ("00" if box["ct"][-2:] != "00" else "01"))
    with pytest.raises(DecryptionError):
        open_share(CONGRESS, 1, 2, d, tampered)


def test_key_file_round_trip_and_wrong_passphrase() -> None:
    secret = {"share": Scalar.random().hex(), "index": 2}
    sealed = seal_keyfile(CONGRESS, 2, secret, "mật khẩu dài của ban kiểm phiếu")
    assert secret["share"] not in str(sealed)
    assert open_keyfile(sealed, "mật khẩu dài của ban kiểm phiếu") == secret
    with pytest.raises(DecryptionError):
        open_keyfile(sealed, "wrong")
    with pytest.raises(DecryptionError):
        open_keyfile(dict(sealed, guardian=3), "mật khẩu dài của ban kiểm phiếu")
    # The same passphrase typed with combining diacritics (NFD) opens the file.
    import unicodedata

    nfd = unicodedata.normalize("NFD", "mật khẩu dài của ban kiểm phiếu")
    assert nfd != "mật khẩu dài của ban kiểm phiếu"
    assert open_keyfile(sealed, nfd) == secret
    # Crafted work factors and non-hex ciphertexts are refused before any derivation.
    from crypto.errors import EncodingError

    for kdf in ({"n": 2**20}, {"r": 32}, {"p": 5}):
        with pytest.raises(EncodingError):
            open_keyfile(dict(sealed, kdf={**sealed["kdf"], **kdf}), "x")
    with pytest.raises(EncodingError):
        open_keyfile(dict(sealed, ct=sealed["ct"].upper()), "x")


def _tally(K, counts: list[int], ballots: int):
    """Ballots as vectors of counters; ``counts[c]`` of them have counter c set."""
    cts = []
    for count in counts:
        column = [encrypt(1 if b < count else 0, K, Scalar.random()) for b in range(ballots)]
        cts.append(sum_ciphertexts(column))
    return cts


@pytest.mark.parametrize(("n", "t"), [(3, 2), (5, 3)])
def test_any_t_of_n_decrypt_and_t_minus_1_do_not(n: int, t: int) -> None:
    # T-5.d over every subset.
    published, secret = ceremony(n, t)
    K = joint_key(published)
    h_R = os.urandom(64)
    counts = [3, 0, 5]
    tally = _tally(K, counts, 5)
    table = DlogTable(5)
    shares = {}
    for j in range(1, n + 1):
        shares[j] = compute_share(h_R, j, secret[j], tally)
        verify_decryption_share(h_R, public_share(j, published), tally, shares[j])
    for subset in itertools.combinations(range(1, n + 1), t):
        assert decrypt_tally(tally, {j: shares[j] for j in subset}, t, table) == tuple(counts)
    for subset in itertools.combinations(range(1, n + 1), t - 1):
        chosen = {j: shares[j] for j in subset}
        with pytest.raises(ValueError):
            combine_shares(tally, chosen, t)
        # Even ignoring the threshold check, t-1 shares do not give the counts.
        points = combine_shares(tally, chosen, t - 1) if chosen else None
        if points is not None:
            with pytest.raises(DiscreteLogError):
                for P in points:
                    table.lookup(P)


def test_lying_decryption_share_is_refused() -> None:
    published, secret = ceremony(3, 2)
    K = joint_key(published)
    h_R = os.urandom(64)
    tally = _tally(K, [1, 2], 3)
    share = compute_share(h_R, 1, secret[1], tally)
    lie = decryption_module.DecryptionShare(1, (share.shares[0] + G, share.shares[1]), share.proofs)
    with pytest.raises(InvalidProof, match="counter 0"):
        verify_decryption_share(h_R, public_share(1, published), tally, lie)
    # A share proved for another round does not verify for this one.
    with pytest.raises(InvalidProof):
        verify_decryption_share(os.urandom(64), public_share(1, published), tally, share)
    # Another guardian's public share does not match.
    with pytest.raises(InvalidProof):
        verify_decryption_share(h_R, public_share(2, published), tally, share)


def test_lagrange_coefficients_interpolate_at_zero() -> None:
    # f(x) = 7 + 3x + 5x^2; any three points give f(0) = 7.
    def f(x: int) -> Scalar:
        return Scalar.from_int(7 + 3 * x + 5 * x * x)

    for subset in itertools.combinations(range(1, 6), 3):
        acc = Scalar.from_int(0)
        for j in subset:
            acc = acc + lagrange_coefficient(j, subset) * f(j)
        assert int(acc) == 7


def test_full_round_of_real_ballots_decrypts_to_the_plaintext_sum() -> None:
    published, secret = ceremony(5, 3)
    K = joint_key(published)
    form = cross_out(4, 2)
    ctx = RoundContext(os.urandom(64), K, form)
    choices = [
        [1, 1, 0, 0, 0, 0],
        [0, 1, 0, 0, 0, 0],
        [0] * 4 + [1, 0],
        [0] * 4 + [0, 1],
        [0, 0, 1, 1, 0, 0],
    ]
    ballots = [encrypt_ballot(ctx, c, CredentialKey(CONGRESS, generate_code()))[0] for c in choices]
    tally = [sum_ciphertexts(b.ciphertexts[c] for b in ballots) for c in range(len(form.counters))]
    shares = {j: compute_share(ctx.round_hash, j, secret[j], tally) for j in (1, 3, 5)}
    counts = decrypt_tally(tally, shares, 3, DlogTable(len(ballots)))
    assert counts == tuple(sum(col) for col in zip(*choices, strict=True))


def test_dlog_table_bounds() -> None:
    # T-15.a: the maximum decodes, one past it raises.
    table = DlogTable(50)
    assert table.lookup(Scalar.from_int(50) * G) == 50
    assert table.lookup(G - G) == 0
    with pytest.raises(DiscreteLogError):
        table.lookup(Scalar.from_int(51) * G)


def test_no_single_ballot_decryption_operation() -> None:
    # T-10.a: the decryption API takes a tally, and nothing in it is named for ballots.
    names = [n for n in dir(decryption_module) if not n.startswith("_")]
    assert not [n for n in names if "ballot" in n.lower()]
