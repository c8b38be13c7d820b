"""The verifiers' native arithmetic (crypto/_native/) against PyNaCl's operations.

``msm_vartime`` and ``sum_points`` must give exactly the bytes that the PyNaCl
operations give, accept nothing the group does not, and only ever see public
values (they are variable time).
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crypto import G, L, Point, Scalar, group
from crypto.group import IDENTITY, _msm_reference, msm_vartime, msm_vartime_many, sum_points

ROOT = Path(__file__).resolve().parents[2]

special_scalars = st.sampled_from([0, 1, 2, L - 1, L - 2, (L - 1) // 2, 2**252]).map(
    Scalar.from_int
)
scalars = st.one_of(special_scalars, st.integers(0, L - 1).map(Scalar.from_int))
points = st.one_of(
    st.just(G),
    st.just(IDENTITY),
    st.integers(1, L - 1).map(lambda k: Scalar.from_int(k) * G),
)


def test_the_native_extension_is_built() -> None:
    # make setup builds it (crypto/_native/build.py); without it verification is 2-3x slower.
    assert group._lib is not None, "crypto/_dhgroup is missing: run `make setup`"
    if os.environ.get("DHVOTE_PURE_GROUP") != "1":
        assert group.NATIVE


@settings(max_examples=150, deadline=None)
@given(
    terms=st.lists(st.tuples(scalars, points), max_size=8),
    base=st.one_of(st.none(), scalars),
)
def test_msm_matches_pynacl(terms: list[tuple[Scalar, Point]], base: Scalar | None) -> None:
    assert msm_vartime(terms, base) == _msm_reference(terms, base)


@settings(max_examples=40, deadline=None)
@given(s=scalars, P=points)
def test_msm_cancels_to_the_identity(s: Scalar, P: Point) -> None:
    assert msm_vartime([(s, P), (-s, P)]) == IDENTITY
    assert msm_vartime([(s, G)], -s) == IDENTITY
    assert msm_vartime([]) == IDENTITY
    assert msm_vartime([], Scalar.from_int(0)) == IDENTITY


@settings(max_examples=100, deadline=None)
@given(
    pts=st.lists(points, min_size=0, max_size=5),
    data=st.data(),
)
def test_msm_many_matches_pynacl(pts: list[Point], data: st.DataObject) -> None:
    rows = data.draw(
        st.lists(
            st.tuples(
                st.lists(scalars, min_size=len(pts), max_size=len(pts)),
                st.one_of(st.none(), scalars),
            ),
            max_size=7,
        )
    )
    got = msm_vartime_many(pts, rows)
    assert got == [_msm_reference(list(zip(s, pts, strict=True)), b) for s, b in rows]


def test_msm_many_shares_one_inversion_across_many_outputs() -> None:
    # More outputs than one call takes (256) fall back; 200 go in one call with one inversion.
    pts = [Scalar.random() * G for _ in range(3)]
    for count in (1, 200, 300):
        rows = [([Scalar.random() for _ in pts], Scalar.random()) for _ in range(count)]
        got = msm_vartime_many(pts, rows)
        assert got == [_msm_reference(list(zip(s, pts, strict=True)), b) for s, b in rows]
    with pytest.raises(ValueError, match="one scalar per point"):
        msm_vartime_many(pts, [([Scalar.random()], None)])


def test_msm_with_more_terms_than_one_native_call_takes() -> None:
    terms = [(Scalar.random(), Scalar.random() * G) for _ in range(11)]
    assert msm_vartime(terms) == _msm_reference(terms, None)


@settings(max_examples=60, deadline=None)
@given(st.lists(points, max_size=12))
def test_sum_matches_pynacl(pts: list[Point]) -> None:
    expected = IDENTITY
    for P in pts:
        expected = expected + P
    assert sum_points(pts) == expected


def test_sum_cancels_and_crosses_the_chunk_size() -> None:
    P = Scalar.random() * G
    assert sum_points([P, -P]) == IDENTITY
    pts = [Scalar.from_int(k) * G for k in range(1, 1100)]
    # 1 + 2 + ... + 1099 = 1099 * 1100 / 2
    assert sum_points(pts) == Scalar.from_int(1099 * 1100 // 2) * G


def test_native_calls_refuse_what_the_group_refuses() -> None:
    lib, ffi = group._lib, group._ffi
    assert lib is not None
    out = ffi.new("unsigned char[32]")
    P = (Scalar.random() * G).encode()
    s = Scalar.random().encode()
    assert lib.dh_msm_vartime(out, 1, s, P, ffi.NULL) == 0
    # Non-canonical scalars (L itself, and 2^255 - 1) are refused, as a point or base scalar.
    for bad in (L.to_bytes(32, "little"), b"\xff" * 31 + b"\x7f"):
        assert lib.dh_msm_vartime(out, 1, bad, P, ffi.NULL) == -1
        assert lib.dh_msm_vartime(out, 1, s, P, bad) == -1
    # Bytes that are not a point on the curve (y = 2 has no x).
    off_curve = (2).to_bytes(32, "little")
    assert lib.dh_msm_vartime(out, 1, s, off_curve, ffi.NULL) == -1
    assert lib.dh_sum(out, 2, P + off_curve) == -1
    # Sizes outside what the tables are made for.
    assert lib.dh_msm_vartime(out, 9, s * 9, P * 9, ffi.NULL) == -1
    assert lib.dh_sum(out, 0, b"") == -1
    many = ffi.new("unsigned char[]", 64)
    assert lib.dh_msm_many(many, 1, P, 2, s + s, s + s) == 0
    assert lib.dh_msm_many(many, 1, P, 2, s + L.to_bytes(32, "little"), s + s) == -1
    assert lib.dh_msm_many(many, 1, P, 2, s + s, s + L.to_bytes(32, "little")) == -1
    assert lib.dh_msm_many(many, 1, off_curve, 2, s + s, ffi.NULL) == -1
    assert lib.dh_msm_many(many, 1, P, 0, b"", ffi.NULL) == -1


#: The only functions allowed to call the variable-time helpers: every value they pass is
#: public (a published ciphertext, share, proof or key). A secret would leak through timing.
PUBLIC_ONLY = {
    ("proofs.py", "verify_membership"),
    ("proofs.py", "verify_schnorr"),
    ("proofs.py", "verify_decryption"),
    ("elgamal.py", "sum_ciphertexts"),
    ("elgamal.py", "_linear_combination"),
    ("decryption.py", "combine_shares"),
}


def test_variable_time_helpers_are_only_called_on_public_values() -> None:
    seen: set[tuple[str, str]] = set()
    for path in sorted((ROOT / "crypto").glob("*.py")):
        if path.name == "group.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for fn in ast.walk(tree):
            if not isinstance(fn, ast.FunctionDef):
                continue
            for node in ast.walk(fn):
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Name)
                    and node.func.id in {"msm_vartime", "msm_vartime_many", "sum_points"}
                ):
                    seen.add((path.name, fn.name))
    assert seen <= PUBLIC_ONLY, f"variable-time arithmetic used in {sorted(seen - PUBLIC_ONLY)}"
    assert seen == PUBLIC_ONLY, "update PUBLIC_ONLY when a caller goes away"


@pytest.mark.slow
def test_the_crypto_suite_passes_on_pynacl_alone() -> None:
    # The fallback (no extension, or DHVOTE_PURE_GROUP=1) must accept and refuse exactly
    # what the native path does: run the whole crypto suite on it.
    env = {**os.environ, "DHVOTE_PURE_GROUP": "1"}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-x",
            "-p",
            "no:cacheprovider",
            "tests/crypto",
            "--deselect",
            "tests/crypto/test_native_group.py::test_the_crypto_suite_passes_on_pynacl_alone",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert " passed" in result.stdout
