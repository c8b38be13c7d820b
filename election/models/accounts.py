"""Who operates the system: users and their roles, enrolled terminals, the server key."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from election.models.base import Base, byte_length, enum_type
from election.models.enums import Role

if TYPE_CHECKING:
    from election.models.congress import Congress

__all__ = ["RoleAssignment", "ServerKey", "Terminal", "User"]


class User(Base):
    """An operator account (secretariat, presidium, boards). Delegates have no account:
    they vote with their badge."""

    __tablename__ = "users"
    __table_args__ = (
        sa.CheckConstraint("length(username) BETWEEN 1 AND 64", name="username_length"),
        sa.CheckConstraint("password_hash LIKE '$argon2id$%'", name="password_is_argon2id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Lower case; unique across the installation.
    username: Mapped[str] = mapped_column(sa.String(64), unique=True)
    full_name: Mapped[str] = mapped_column(sa.String(255))
    #: An Argon2id hash in PHC format (argon2-cffi); never the password.
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime]

    roles: Mapped[list[RoleAssignment]] = relationship(
        back_populates="user", order_by="RoleAssignment.id", foreign_keys="RoleAssignment.user_id"
    )

    def __repr__(self) -> str:
        return f"<User {self.username}>"


class RoleAssignment(Base):
    """A role a user holds in one congress."""

    __tablename__ = "role_assignments"
    __table_args__ = (sa.UniqueConstraint("user_id", "congress_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    congress_id: Mapped[int] = mapped_column(sa.ForeignKey("congresses.id"), index=True)
    role: Mapped[Role] = mapped_column(enum_type(Role, "role"))
    granted_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    granted_at: Mapped[datetime]

    user: Mapped[User] = relationship(back_populates="roles", foreign_keys=[user_id])
    congress: Mapped[Congress] = relationship()


class Terminal(Base):
    """A voting booth terminal enrolled for a congress.

    The terminal authenticates with a random token; only its SHA-256 hash is stored, so a
    copy of the database does not let anyone impersonate a booth.
    """

    __tablename__ = "terminals"
    __table_args__ = (
        sa.UniqueConstraint("congress_id", "name"),
        byte_length("token_hash", 32),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    congress_id: Mapped[int] = mapped_column(sa.ForeignKey("congresses.id"))
    name: Mapped[str] = mapped_column(sa.String(64))
    token_hash: Mapped[bytes] = mapped_column(unique=True)
    enrolled_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    enrolled_at: Mapped[datetime]
    active: Mapped[bool] = mapped_column(default=True)


class ServerKey(Base):
    """The public half of the server's Ed25519 receipt-signing key.

    The private key lives in a file in the instance folder (``dhvote init-db`` creates it,
    mode 0600), never in the database, so a database dump cannot forge receipts. At most
    one key is active (a partial unique index).
    """

    __tablename__ = "server_keys"
    __table_args__ = (
        byte_length("public_key", 32),
        sa.Index(
            "uq_server_keys_active",
            "active",
            unique=True,
            sqlite_where=sa.text("active"),
            postgresql_where=sa.text("active"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    public_key: Mapped[bytes] = mapped_column(unique=True)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime]
