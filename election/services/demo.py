"""The demo congress in ``config/demo/`` (``dhvote demo``, ``make run``).

A fictional members' congress: the definition (``congress.yaml``), its roster
(``roster.csv``) and, in development only, operator accounts for each role
(``users.yaml``), all with the documented password ``DEMO_PASSWORD``. The definition goes
through the same loader as ``dhvote load-congress``, so the demo also exercises it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import sqlalchemy as sa
import yaml
from sqlalchemy.orm import Session

from election.errors import DefinitionError
from election.models import Congress, Role, User
from election.paths import CONFIG_DIR
from election.services import definition, users
from election.services.base import Actor, service

__all__ = ["DEMO_DIR", "DEMO_PASSWORD", "DemoLoad", "load_demo"]

DEMO_DIR = CONFIG_DIR / "demo"

#: The password of every demo account. It is public (README.md), which is why demo
#: accounts are never created in production.
DEMO_PASSWORD = "dhvote-demo-2025"  # noqa: S105


@dataclass(frozen=True)
class DemoLoad:
    """What ``load_demo`` did."""

    loaded: definition.LoadedCongress
    users: tuple[str, ...]


def _demo_users(path: Path) -> list[tuple[str, str, list[Role]]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    out = []
    for entry in data["users"]:
        try:
            roles = [Role(role) for role in entry["roles"]]
        except (KeyError, ValueError) as e:
            raise DefinitionError(f"{path.name}: {entry!r}: {e}") from e
        out.append((entry["username"], entry["full_name"], roles))
    return out


@service
def load_demo(
    db: Session,
    actor: Actor,
    *,
    now: datetime,
    with_users: bool,
    if_empty: bool = False,
    directory: Path = DEMO_DIR,
) -> DemoLoad | None:
    """Load the demo congress; None when ``if_empty`` and a congress already exists.

    ``with_users`` also creates the demo accounts (the CLI passes it only in development).
    An account that already exists is reused and given its demo roles.
    """
    if if_empty and db.scalar(sa.select(Congress.id).limit(1)) is not None:
        return None
    data = definition.read_definition(directory / "congress.yaml")
    loaded = definition.load_congress(db, actor, data, base_dir=directory, now=now)
    created: list[str] = []
    if with_users:
        # One hash for the one public password: Argon2id is slow on purpose.
        password_hash = users.hash_password(DEMO_PASSWORD)
        for username, full_name, roles in _demo_users(directory / "users.yaml"):
            user = db.scalar(sa.select(User).where(User.username == username))
            if user is None:
                user = users.create_user(
                    db,
                    actor,
                    username=username,
                    full_name=full_name,
                    password_hash=password_hash,
                    now=now,
                )
            for role in roles:
                users.assign_role(db, actor, user, loaded.congress, role, now=now)
            created.append(username)
    return DemoLoad(loaded, tuple(created))
