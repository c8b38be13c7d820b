"""Sign-in and sign-out of operators (secretariat, presidium, boards).

Passwords are checked against their Argon2id hash; a failed sign-in says nothing about
which of the two fields was wrong, and attempts are rate limited per address. Signing in
renews the session (the old session's contents are dropped) to defeat session fixation.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import sqlalchemy as sa
from argon2.exceptions import InvalidHashError, VerificationError
from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import login_user, logout_user
from werkzeug.wrappers import Response

from election.db import get_session
from election.extensions import limiter
from election.models import User
from election.services.users import HASHER
from election.web.access import ANY_ROLE, PUBLIC, allow, load_web_user
from election.web.auth.forms import LoginForm

__all__ = ["bp"]

bp = Blueprint("auth", __name__)

# A hash to verify against when the user does not exist, so that the response time does
# not reveal which user names exist.
_DUMMY_HASH = HASHER.hash("dhvote-dummy-password-for-timing")


def _safe_next(target: str | None) -> str:
    # Only same-site relative paths: an open redirect would let a phishing link sign an
    # operator in and send them elsewhere.
    if target and target.startswith("/") and not target.startswith("//"):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return url_for("public.index")


def _check_password(user: User | None, password: str) -> bool:
    try:
        HASHER.verify(user.password_hash if user else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return False
    return user is not None and user.active


@bp.route("/login", methods=["GET", "POST"])
@allow(PUBLIC)
@limiter.limit("10 per minute", methods=["POST"])
def login() -> str | Response:
    """The sign-in form."""
    form = LoginForm()
    if form.validate_on_submit():
        username = (form.username.data or "").strip().lower()
        user = get_session().scalars(sa.select(User).where(User.username == username)).first()
        # The password is checked even for an unknown user (see _DUMMY_HASH).
        if _check_password(user, form.password.data or "") and user is not None:
            next_url = _safe_next(request.args.get("next"))
            session.clear()
            web_user = load_web_user(str(user.id))
            if web_user is not None and login_user(web_user):
                flash(_("Đăng nhập thành công."), "success")
                return redirect(next_url)
        flash(_("Tên đăng nhập hoặc mật khẩu không đúng."), "error")
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
@allow(ANY_ROLE)
def logout() -> Response:
    """Sign out (a POST with a CSRF token, so a link cannot sign anyone out)."""
    logout_user()
    session.clear()
    flash(_("Đã đăng xuất."), "success")
    return redirect(url_for("auth.login"))
