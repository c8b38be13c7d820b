"""Operator accounts (Argon2id), roles per congress, booth terminals."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy.orm import Session

from election.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from election.models import Role
from election.services import users
from election.services.base import SYSTEM, Actor, require_role
from tests import factories as f


def test_create_user_stores_an_argon2id_hash(session: Session) -> None:
    user = users.create_user(
        session,
        SYSTEM,
        username="thuky",
        full_name="Lê Văn An",
        password="mật khẩu đủ dài",
        now=f.NOW,
    )
    assert user.password_hash.startswith("$argon2id$")
    assert "mật khẩu" not in user.password_hash
    assert users.authenticate(session, "thuky", "mật khẩu đủ dài") is user
    for name, password in (("thuky", "sai mật khẩu"), ("nobody", "mật khẩu đủ dài")):
        with pytest.raises(PermissionDenied, match="wrong user name or password"):
            users.authenticate(session, name, password)
    user.active = False
    with pytest.raises(PermissionDenied):
        users.authenticate(session, "thuky", "mật khẩu đủ dài")


@pytest.mark.parametrize(
    ("username", "password"),
    [("Thuky", "long enough password"), ("thu ky", "long enough"), ("thuky", "short")],
)
def test_bad_names_and_short_passwords(session: Session, username: str, password: str) -> None:
    with pytest.raises(InvalidInput):
        users.create_user(
            session, SYSTEM, username=username, full_name="X", password=password, now=f.NOW
        )


def test_usernames_are_unique_and_accounts_come_from_the_command_line(session: Session) -> None:
    congress = f.make_congress(session)
    actor = f.make_actor(session, congress, Role.SECRETARIAT, username="thuky")
    with pytest.raises(Conflict):
        users.create_user(
            session, SYSTEM, username="thuky", full_name="X", password="long enough!", now=f.NOW
        )
    with pytest.raises(PermissionDenied):
        users.create_user(
            session, actor, username="other", full_name="X", password="long enough!", now=f.NOW
        )


def test_roles_are_per_congress(session: Session) -> None:
    first, second = f.make_congress(session), f.make_congress(session)
    user = users.create_account(
        session,
        SYSTEM,
        username="chutich",
        full_name="Trần Bình",
        password="long enough!",
        congress=first,
        roles=[Role.PRESIDIUM, Role.COUNTING],
        now=f.NOW,
    )
    actor = Actor.for_user(user, Role.PRESIDIUM)
    require_role(session, actor, first, Role.PRESIDIUM)
    with pytest.raises(PermissionDenied):
        require_role(session, actor, second, Role.PRESIDIUM)
    with pytest.raises(PermissionDenied):
        require_role(session, actor, first, Role.SECRETARIAT)
    with pytest.raises(Conflict):
        users.assign_role(session, SYSTEM, user, first, Role.PRESIDIUM, now=f.NOW)


def test_terminals_store_only_a_token_hash(session: Session) -> None:
    congress = f.make_congress(session)
    terminal, token = users.enroll_terminal(session, SYSTEM, congress, name="Buồng 1", now=f.NOW)
    assert terminal.token_hash == hashlib.sha256(token.encode()).digest()
    assert users.terminal_for_token(session, token) is terminal
    with pytest.raises(Conflict):
        users.enroll_terminal(session, SYSTEM, congress, name="Buồng 1", now=f.NOW)
    terminal.active = False
    with pytest.raises(NotFound):
        users.terminal_for_token(session, token)
