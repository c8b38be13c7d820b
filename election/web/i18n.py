"""Language selection: Vietnamese first, English second.

The locale comes from, in order: the `lang` query parameter (the language switch link),
the `lang` cookie (set when the query parameter is used, so the choice sticks), the
browser's Accept-Language header, and finally `BABEL_DEFAULT_LOCALE` (`vi`).
Source strings are Vietnamese; see docs/i18n.md.
"""

from __future__ import annotations

from flask import Flask, Response, current_app, request
from flask_babel import get_locale

__all__ = ["LANG_COOKIE", "init_app", "select_locale"]

LANG_COOKIE = "lang"
_ONE_YEAR = 365 * 24 * 60 * 60

#: Each language's name written in that language, for the switch link.
LANGUAGE_NAMES = {"vi": "Tiếng Việt", "en": "English"}


def _supported() -> list[str]:
    languages: list[str] = current_app.config["LANGUAGES"]
    return languages


def select_locale() -> str:
    """Return the locale for the current request (Flask-Babel's locale selector)."""
    supported = _supported()
    requested = request.args.get(LANG_COOKIE)
    if requested in supported:
        return requested
    cookie = request.cookies.get(LANG_COOKIE)
    if cookie in supported:
        return cookie
    best = request.accept_languages.best_match(supported)
    if best is not None:
        return best
    default: str = current_app.config["BABEL_DEFAULT_LOCALE"]
    return default


def _remember_language(response: Response) -> Response:
    """Store an explicit `?lang=` choice in a cookie so later pages keep it."""
    requested = request.args.get(LANG_COOKIE)
    if requested in _supported() and request.cookies.get(LANG_COOKIE) != requested:
        response.set_cookie(
            LANG_COOKIE,
            requested,
            max_age=_ONE_YEAR,
            httponly=True,
            secure=current_app.config["SESSION_COOKIE_SECURE"],
            samesite=current_app.config["SESSION_COOKIE_SAMESITE"],
        )
    return response


def _template_globals() -> dict[str, object]:
    def language_links() -> list[dict[str, str]]:
        """One entry per supported language other than the current one."""
        current = str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"])
        return [
            {
                "code": code,
                "name": LANGUAGE_NAMES.get(code, code),
                "href": f"{request.path}?{LANG_COOKIE}={code}",
            }
            for code in _supported()
            if code != current
        ]

    def html_lang() -> str:
        return str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"])

    return {"language_links": language_links, "html_lang": html_lang}


def init_app(app: Flask) -> None:
    app.after_request(_remember_language)
    app.context_processor(_template_globals)
