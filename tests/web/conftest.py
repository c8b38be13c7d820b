"""Fixtures for pages that need a database: an app on a fresh SQLite file holding a
congress, one operator per role and an enrolled terminal.

``web.login(client, role)`` signs a test client in as that role's operator;
``web.terminal(client)`` makes a client an enrolled booth.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from election.models import Role
from election.web.access import TERMINAL_COOKIE
from tests import factories

PASSWORD = "correct horse battery"


@dataclass
class WebFixture:
    app: Flask
    congress_public_id: str
    usernames: dict[Role, str]
    terminal_token: str
    extra: dict[str, Any] = field(default_factory=dict)

    def login(self, client: FlaskClient, role: Role) -> None:
        response = client.post(
            "/login", data={"username": self.usernames[role], "password": PASSWORD}
        )
        assert response.status_code == 302, response.get_data(as_text=True)

    def terminal(self, client: FlaskClient) -> None:
        client.set_cookie(TERMINAL_COOKIE, self.terminal_token)

    def session(self) -> Any:
        from election.db import get_session

        with self.app.app_context():
            return get_session()


@pytest.fixture
def web(make_app: Callable[..., Flask], tmp_path: Path, sqlite_template: Path) -> WebFixture:
    from sqlalchemy.orm import Session

    from election.db import make_engine
    from election.services import users
    from election.services.base import SYSTEM

    path = tmp_path / "web.sqlite3"
    shutil.copyfile(sqlite_template, path)
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    with Session(engine, expire_on_commit=False) as db:
        congress = factories.make_congress(db)
        usernames: dict[Role, str] = {}
        for role in Role:
            username = f"{role.value}1"
            users.create_account(
                db,
                SYSTEM,
                username=username,
                full_name=f"Người thử {role.value}",
                password=PASSWORD,
                congress=congress,
                roles=[role],
                now=factories.NOW,
            )
            usernames[role] = username
        secretariat = factories.make_actor(db, congress, Role.SECRETARIAT)
        _, token = users.enroll_terminal(
            db, secretariat, congress, name="Buồng 1", now=factories.NOW
        )
        public_id = congress.public_id
    engine.dispose()
    app = make_app(DATABASE_URL=url, WTF_CSRF_ENABLED=False)
    return WebFixture(app, public_id, usernames, token)
