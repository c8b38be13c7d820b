"""Hypothesis strategies for the crypto tests (electionguard style)."""

from __future__ import annotations

from hypothesis import strategies as st

from crypto import G, L, Point, Scalar

scalars = st.integers(min_value=1, max_value=L - 1).map(Scalar.from_int)
any_scalars = st.integers(min_value=0, max_value=L - 1).map(Scalar.from_int)


@st.composite
def keypairs(draw: st.DrawFn) -> tuple[Scalar, Point]:
    s = draw(scalars)
    return s, s * G


small_messages = st.integers(min_value=0, max_value=40)
