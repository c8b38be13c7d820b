"""What every service shares: the acting user, the transaction rule and role checks.

Transactions: a public service function is decorated with ``@service``. It commits the
session when it returns and rolls it back when it raises, so a service either does all of
its change or none of it. Services may call each other; only the outermost call commits,
so a composite operation (loading a whole congress definition) is still one transaction.

Roles: ``require_role`` refuses an actor who does not hold one of the allowed roles in the
congress. The ``SYSTEM`` actor (the command line run by the administrator of the machine)
is allowed everything: whoever runs ``dhvote`` can already read the database file.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Concatenate, ParamSpec, TypeVar

import sqlalchemy as sa
from sqlalchemy.orm import Session

from election.errors import NotFound, PermissionDenied
from election.models import Congress, Role, RoleAssignment, User

__all__ = ["SYSTEM", "Actor", "get_or_404", "require_role", "service"]

P = ParamSpec("P")
R = TypeVar("R")
T = TypeVar("T")

_DEPTH = "dhvote.service_depth"


@dataclass(frozen=True)
class Actor:
    """Who acts, and in which role; written into every event log entry.

    ``user_id`` is None for the system actor (the command line). ``role`` is the role the
    user acts in: a user may hold several roles in a congress and the log records which
    one an action used.
    """

    username: str
    role: Role | None = None
    user_id: int | None = None

    @property
    def is_system(self) -> bool:
        return self.user_id is None

    @classmethod
    def for_user(cls, user: User, role: Role | None = None) -> Actor:
        return cls(user.username, role, user.id)


#: The command line, run by whoever administers the machine.
SYSTEM = Actor("system")


def service(fn: Callable[Concatenate[Session, P], R]) -> Callable[Concatenate[Session, P], R]:
    """Commit when the outermost service call returns; roll back when it raises."""

    @functools.wraps(fn)
    def wrapper(db: Session, *args: P.args, **kwargs: P.kwargs) -> R:
        depth = db.info.get(_DEPTH, 0)
        db.info[_DEPTH] = depth + 1
        try:
            result = fn(db, *args, **kwargs)
            if depth == 0:
                db.commit()
            return result
        except BaseException:
            if depth == 0:
                db.rollback()
            raise
        finally:
            db.info[_DEPTH] = depth

    return wrapper


def require_role(db: Session, actor: Actor, congress: Congress, *allowed: Role) -> None:
    """Raise ``PermissionDenied`` unless ``actor`` acts in one of ``allowed`` and holds that
    role in ``congress`` (the system actor always passes)."""
    if actor.is_system:
        return
    if actor.role not in allowed:
        names = ", ".join(role.value for role in allowed)
        shown = actor.role.value if actor.role else "no role"
        raise PermissionDenied(f"{actor.username} acts as {shown}; this needs {names}")
    held = db.scalar(
        sa.select(RoleAssignment.id).where(
            RoleAssignment.user_id == actor.user_id,
            RoleAssignment.congress_id == congress.id,
            RoleAssignment.role == actor.role,
        )
    )
    active = db.scalar(sa.select(User.active).where(User.id == actor.user_id))
    if held is None or not active:
        raise PermissionDenied(
            f"{actor.username} does not hold the role {actor.role.value} in {congress.public_id}"
        )


def get_or_404(db: Session, model: type[T], ident: int) -> T:
    """Load ``model`` by primary key or raise ``NotFound``."""
    obj = db.get(model, ident)
    if obj is None:
        raise NotFound(f"{model.__name__} {ident} does not exist")
    return obj
