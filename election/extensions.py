"""Flask extensions, created unbound here and bound to an app by `init_app`.

Modules that need an extension import the object from here (`from election.extensions import
limiter`) rather than from the app, so there is no import cycle with the factory.
"""

from __future__ import annotations

from flask import Flask
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect

from election.paths import TRANSLATIONS_DIR

__all__ = ["babel", "csrf", "init_app", "limiter", "login_manager"]

#: CSRF protection for every unsafe request (Flask-WTF).
csrf = CSRFProtect()

#: Translations; the locale is chosen by `election.web.i18n.select_locale`.
babel = Babel()

#: Rate limits. No default limit: routes that need one (login, badge check-in) declare it.
#: Behind the reverse proxy the remote address is only right once ProxyFix is configured.
limiter = Limiter(key_func=get_remote_address)

#: Operator sign-in (Flask-Login); bound and configured by `election.web.access.init_app`.
login_manager = LoginManager()


def init_app(app: Flask) -> None:
    """Bind every extension to `app`; the config must already be finalized."""
    # Imported here because it needs the request-time helpers of the web layer.
    from election.web.i18n import select_locale

    csrf.init_app(app)
    babel.init_app(
        app,
        default_locale=app.config["BABEL_DEFAULT_LOCALE"],
        default_timezone=app.config["BABEL_DEFAULT_TIMEZONE"],
        default_translation_directories=str(TRANSLATIONS_DIR),
        locale_selector=select_locale,
    )
    limiter.init_app(app)
