"""Who may use each route: deny by default.

Every view declares its audience with ``@allow(...)``: roles (``Role.PRESIDIUM``...),
``PUBLIC`` (anyone, e.g. the public board), ``TERMINAL`` (an enrolled voting booth) or
``ANY_ROLE`` (any signed-in operator with a role in the congress). One ``before_request``
hook enforces it; a view without a declaration answers 403, so a route added without
thinking about access is closed, and ``tests/web/test_access_matrix.py`` fails until the
route is in the matrix.

Roles are held per congress: the current congress is the one named by the
``CONGRESS_ID`` setting, or the only congress in the database (a hall server runs one).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final, TypeVar

import sqlalchemy as sa
from flask import Flask, abort, current_app, g, jsonify, redirect, request, url_for
from flask_login import AnonymousUserMixin, UserMixin, current_user

from election.db import get_session
from election.errors import NotFound
from election.extensions import login_manager
from election.models import Congress, Role, RoleAssignment, Terminal, User
from election.services.base import Actor

__all__ = [
    "ANY_ROLE",
    "PUBLIC",
    "TERMINAL",
    "TERMINAL_COOKIE",
    "WebUser",
    "access_of",
    "acting_actor",
    "allow",
    "current_congress",
    "current_terminal",
    "init_app",
    "load_web_user",
    "require_congress",
]

PUBLIC: Final = "public"
TERMINAL: Final = "terminal"
ANY_ROLE: Final = "any-role"
TERMINAL_COOKIE: Final = "dhvote_terminal"

_ATTRIBUTE = "_dhvote_access"
F = TypeVar("F", bound=Callable[..., Any])


def allow(*audiences: Role | str) -> Callable[[F], F]:
    """Declare who may call the decorated view (see the module docstring)."""
    if not audiences:
        raise ValueError("allow() needs at least one audience")
    allowed: set[str] = set()
    for a in audiences:
        if isinstance(a, Role):
            allowed.add(a.value)
        elif a in (PUBLIC, TERMINAL, ANY_ROLE):
            allowed.add(a)
        else:
            raise ValueError(f"unknown audience {a!r}")

    def decorate(view: F) -> F:
        setattr(view, _ATTRIBUTE, frozenset(allowed))
        return view

    return decorate


def access_of(view: Callable[..., Any]) -> frozenset[str] | None:
    """The audiences a view declared, or None when it declared nothing."""
    return getattr(view, _ATTRIBUTE, None)


@dataclass(frozen=True)
class WebUser(UserMixin):
    """The signed-in operator as the web layer sees it: no ORM object outlives a request."""

    user_id: int
    username: str
    full_name: str
    roles: frozenset[Role]

    def get_id(self) -> str:
        return str(self.user_id)

    def has_any(self, *roles: Role) -> bool:
        return bool(self.roles.intersection(roles))


class _Anonymous(AnonymousUserMixin):
    roles: frozenset[Role] = frozenset()

    def has_any(self, *roles: Role) -> bool:
        return False


def current_congress() -> Congress | None:
    """The congress this server runs (cached for the request), or None before one is loaded."""
    if "dhvote_congress" not in g:
        db = get_session()
        public_id = current_app.config.get("CONGRESS_ID") or None
        query = sa.select(Congress).order_by(Congress.id)
        if public_id:
            query = query.where(Congress.public_id == public_id)
        g.dhvote_congress = db.scalars(query.limit(1)).first()
    congress: Congress | None = g.dhvote_congress
    return congress


def require_congress() -> Congress:
    congress = current_congress()
    if congress is None:
        raise NotFound("no congress has been loaded yet")
    return congress


@login_manager.user_loader
def load_web_user(user_id: str) -> WebUser | None:
    """The operator with this id and their roles in the current congress, or None."""
    try:
        ident = int(user_id)
    except ValueError:
        return None
    db = get_session()
    user = db.get(User, ident)
    if user is None or not user.active:
        return None
    congress = current_congress()
    roles: frozenset[Role] = frozenset()
    if congress is not None:
        roles = frozenset(
            db.scalars(
                sa.select(RoleAssignment.role).where(
                    RoleAssignment.user_id == user.id, RoleAssignment.congress_id == congress.id
                )
            )
        )
    return WebUser(user.id, user.username, user.full_name, roles)


def current_terminal() -> Terminal | None:
    """The enrolled, active terminal this request comes from, if any (cached per request)."""
    if "dhvote_terminal" not in g:
        token = request.cookies.get(TERMINAL_COOKIE, "")
        terminal = None
        congress = current_congress()
        if token and congress is not None and len(token) <= 128:
            digest = hashlib.sha256(token.encode("utf-8")).digest()
            terminal = (
                get_session()
                .scalars(
                    sa.select(Terminal).where(
                        Terminal.token_hash == digest,
                        Terminal.active.is_(True),
                        Terminal.congress_id == congress.id,
                    )
                )
                .first()
            )
        g.dhvote_terminal = terminal
    found: Terminal | None = g.dhvote_terminal
    return found


def acting_actor(*roles: Role) -> Actor:
    """The service ``Actor`` for the signed-in user, acting in the first of ``roles`` held."""
    user: WebUser = current_user
    for role in roles:
        if role in user.roles:
            return Actor(user.username, role, user.user_id)
    abort(403)


def _wants_json() -> bool:
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def _enforce() -> Any:
    endpoint = request.endpoint
    if endpoint is None:
        return None  # 404 or 405: nothing to protect
    if endpoint == "static":
        return None
    view = current_app.view_functions.get(endpoint)
    audiences = access_of(view) if view is not None else None
    if audiences is None:
        current_app.logger.error("route %s declares no audience: refused", endpoint)
        abort(403)
    if PUBLIC in audiences:
        return None
    if TERMINAL in audiences and current_terminal() is not None:
        return None
    if not current_user.is_authenticated:
        if _wants_json():
            return jsonify(error="unauthenticated", message="Cần đăng nhập."), 401
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    roles = {r.value for r in current_user.roles}
    if ANY_ROLE in audiences and roles:
        return None
    if roles & audiences:
        return None
    abort(403)


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.anonymous_user = _Anonymous
    login_manager.session_protection = "strong"
    login_manager.login_view = "auth.login"
    app.before_request(_enforce)
