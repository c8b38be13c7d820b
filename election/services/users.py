"""Operator accounts, their roles per congress, and enrolled booth terminals.

Passwords are hashed with Argon2id (argon2-cffi's RFC 9106 low-memory profile); only the
PHC-format hash is stored, and a CHECK refuses anything else in the column. Roles are
granted from the command line (``dhvote create-user``), i.e. by the system actor.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.orm import Session

from election.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from election.models import Congress, Role, RoleAssignment, Terminal, User
from election.services import events
from election.services.base import Actor, require_role, service

__all__ = [
    "MIN_PASSWORD_LENGTH",
    "USERNAME_PATTERN",
    "assign_role",
    "authenticate",
    "create_account",
    "create_user",
    "deactivate_terminal",
    "enroll_terminal",
    "hash_password",
    "terminal_for_token",
]

USERNAME_PATTERN = re.compile(r"[a-z][a-z0-9._-]{0,63}")
MIN_PASSWORD_LENGTH = 10

#: The hasher every account uses; tests swap it for a cheap one.
HASHER = PasswordHasher()


def hash_password(password: str) -> str:
    """The Argon2id hash of ``password`` (refuses passwords shorter than the minimum)."""
    if not isinstance(password, str) or len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(f"a password has at least {MIN_PASSWORD_LENGTH} characters")
    return HASHER.hash(password)


@service
def create_user(
    db: Session,
    actor: Actor,
    *,
    username: str,
    full_name: str,
    now: datetime,
    password: str | None = None,
    password_hash: str | None = None,
) -> User:
    """Create an operator account from a password, or from a hash made by ``hash_password``
    (the demo hashes its one documented password once for all its users)."""
    if not actor.is_system:
        raise PermissionDenied("accounts are created from the command line")
    if not isinstance(username, str) or not USERNAME_PATTERN.fullmatch(username):
        raise InvalidInput(
            f"user name {username!r}: lower-case letters, digits, '.', '-', '_'; "
            "starting with a letter"
        )
    if not isinstance(full_name, str) or not full_name.strip():
        raise InvalidInput("a user has a full name")
    if (password is None) == (password_hash is None):
        raise ValueError("give a password or a password hash, not both")
    if password_hash is None:
        password_hash = hash_password(password or "")
    elif not password_hash.startswith("$argon2id$"):
        raise ValueError("not an Argon2id hash")
    if db.scalar(sa.select(User.id).where(User.username == username)) is not None:
        raise Conflict(f"user {username!r} already exists")
    user = User(
        username=username,
        full_name=full_name.strip(),
        password_hash=password_hash,
        active=True,
        created_at=now,
    )
    db.add(user)
    events.record(db, actor, "user.create", user, now=now, data={"username": username})
    return user


@service
def assign_role(
    db: Session, actor: Actor, user: User, congress: Congress, role: Role, *, now: datetime
) -> RoleAssignment:
    """Grant ``user`` the ``role`` in ``congress``."""
    if not actor.is_system:
        raise PermissionDenied("roles are granted from the command line")
    try:
        role = Role(role)
    except ValueError as e:
        raise InvalidInput(str(e)) from e
    exists = db.scalar(
        sa.select(RoleAssignment.id).where(
            RoleAssignment.user_id == user.id,
            RoleAssignment.congress_id == congress.id,
            RoleAssignment.role == role,
        )
    )
    if exists is not None:
        raise Conflict(f"{user.username} already holds {role.value} in {congress.public_id}")
    assignment = RoleAssignment(
        user=user, congress=congress, role=role, granted_by_id=actor.user_id, granted_at=now
    )
    db.add(assignment)
    events.record(
        db,
        actor,
        "role.assign",
        assignment,
        now=now,
        congress=congress,
        data={"username": user.username, "role": role.value},
    )
    return assignment


@service
def create_account(
    db: Session,
    actor: Actor,
    *,
    username: str,
    full_name: str,
    password: str,
    congress: Congress,
    roles: Sequence[Role],
    now: datetime,
) -> User:
    """Create a user and grant the roles in ``congress``, in one transaction."""
    if not roles:
        raise InvalidInput("an account needs at least one role")
    user = create_user(
        db, actor, username=username, full_name=full_name, password=password, now=now
    )
    for role in roles:
        assign_role(db, actor, user, congress, role, now=now)
    return user


def authenticate(db: Session, username: str, password: str) -> User:
    """The active user with this name and password, or ``PermissionDenied`` (one message for
    every failure, so that it does not tell which user names exist)."""
    user = db.scalar(sa.select(User).where(User.username == username))
    denied = PermissionDenied("wrong user name or password")
    if user is None:
        # Spend the same time as a real check, so timing does not reveal the name either.
        HASHER.hash(password)
        raise denied
    try:
        HASHER.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError) as e:
        raise denied from e
    if not user.active:
        raise denied
    return user


def _token_hash(token: str) -> bytes:
    return hashlib.sha256(token.encode("utf-8")).digest()


@service
def enroll_terminal(
    db: Session, actor: Actor, congress: Congress, *, name: str, now: datetime
) -> tuple[Terminal, str]:
    """Enroll a booth terminal; returns it and its token, which is shown once and only its
    SHA-256 is stored. The presidium enrolls the hall's terminals (issue 5); the secretariat
    may too, while it prepares the hall."""
    require_role(db, actor, congress, Role.PRESIDIUM, Role.SECRETARIAT)
    if not isinstance(name, str) or not name.strip() or len(name) > 64:
        raise InvalidInput("a terminal has a name of at most 64 characters")
    taken = db.scalar(
        sa.select(Terminal.id).where(Terminal.congress_id == congress.id, Terminal.name == name)
    )
    if taken is not None:
        raise Conflict(f"a terminal {name!r} is already enrolled")
    token = secrets.token_urlsafe(32)
    terminal = Terminal(
        congress_id=congress.id,
        name=name.strip(),
        token_hash=_token_hash(token),
        enrolled_by_id=actor.user_id,
        enrolled_at=now,
        active=True,
    )
    db.add(terminal)
    events.record(
        db, actor, "terminal.enroll", terminal, now=now, congress=congress, data={"name": name}
    )
    return terminal, token


def terminal_for_token(db: Session, token: str) -> Terminal:
    """The active terminal holding ``token``, or ``NotFound``."""
    terminal = db.scalar(
        sa.select(Terminal).where(
            Terminal.token_hash == _token_hash(token), Terminal.active.is_(True)
        )
    )
    if terminal is None:
        raise NotFound("unknown or inactive terminal")
    return terminal


@service
def deactivate_terminal(
    db: Session, actor: Actor, terminal: Terminal, *, now: datetime
) -> Terminal:
    """Stop a terminal from loading ballots (lost or replaced device)."""
    congress = db.get(Congress, terminal.congress_id)
    if congress is None:  # pragma: no cover - a terminal always has its congress
        raise NotFound("no such congress")
    require_role(db, actor, congress, Role.PRESIDIUM, Role.SECRETARIAT)
    if not terminal.active:
        raise Conflict(f"terminal {terminal.name!r} is already inactive")
    terminal.active = False
    events.record(
        db,
        actor,
        "terminal.deactivate",
        terminal,
        now=now,
        congress=congress,
        data={"name": terminal.name},
    )
    return terminal
