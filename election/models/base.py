"""The declarative base, the column types every model shares and the constraint helpers.

Why these types:

* ``UTCDateTime``: every time is stored in UTC and comes back timezone-aware. A naive
  ``datetime`` is refused on the way in rather than guessed, since a wrong zone in an
  election record (ballot received, round opened) cannot be corrected later. PostgreSQL
  stores ``timestamptz``; SQLite, which has no time type, stores the UTC wall time.
* ``CanonicalJSON``: JSON documents are stored as their canonical JSON text
  (``crypto.canonical_json``, docs/protocol.md section 2). Manifests, ballots and receipts
  are hashed and signed over exactly those bytes, so the stored text is what was hashed,
  on every database; parsing back uses the strict ``crypto.parse_json``.
* Enumerations are stored as their string values in a ``VARCHAR`` with a ``CHECK``
  constraint listing the allowed values, on both databases (no PostgreSQL enum types,
  which Alembic migrates badly).

Constraint names follow ``NAMING_CONVENTION`` so that migrations can refer to them and
SQLite's batch mode can rebuild tables.
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator

from crypto import canonical_json, parse_json

__all__ = [
    "NAMING_CONVENTION",
    "Base",
    "CanonicalJSON",
    "UTCDateTime",
    "byte_length",
    "enum_type",
]

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_N_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC ``datetime``; naive values are refused."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if not isinstance(value, datetime):
            raise TypeError(f"expected a datetime, got {type(value).__name__}")
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError("naive datetime: pass an aware time, e.g. datetime.now(UTC)")
        value = value.astimezone(UTC)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class CanonicalJSON(TypeDecorator[Any]):
    """A JSON value stored as its canonical JSON text (docs/protocol.md section 2)."""

    impl = sa.Text
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        if value is None:
            return None
        return canonical_json(value).decode("utf-8")

    def process_result_value(self, value: str | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        return parse_json(value)


def enum_type(enum: type[StrEnum], name: str) -> sa.Enum:
    """A ``VARCHAR`` holding the values of ``enum`` with a ``CHECK`` named ``name``.

    The Python side gets enum members back; the database refuses any other string.
    """
    return sa.Enum(
        enum,
        name=name,
        native_enum=False,
        create_constraint=True,
        validate_strings=True,
        length=max(len(member.value) for member in enum),
        values_callable=lambda members: [member.value for member in members],
    )


def byte_length(column: str, size: int, *, nullable: bool = False) -> sa.CheckConstraint:
    """``CHECK (length(column) = size)``: fixed-size keys and hashes (both databases)."""
    test = f"length({column}) = {size}"
    if nullable:
        test = f"{column} IS NULL OR {test}"
    return sa.CheckConstraint(test, name=f"{column}_length")


class Base(DeclarativeBase):
    """Base class of every model; its ``metadata`` is what Alembic migrates."""

    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {
        datetime: UTCDateTime(),
        bytes: sa.LargeBinary(),
    }
