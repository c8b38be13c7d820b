"""Configuration: every key's documented default, and the checks run at startup.

The app factory (`election.app.create_app`) layers configuration, each layer overriding
the one before:

1. the defaults in `SETTINGS` below;
2. a TOML file: the path in the `DHVOTE_CONFIG` environment variable if it is set (it must
   exist), else `config/settings.toml` if present (see `config/settings.example.toml`);
3. environment variables `DHVOTE_<KEY>`, for example `DHVOTE_ENV=production` or
   `DHVOTE_SECRET_KEY=...`, read as text by Flask's `from_prefixed_env`;
4. the mapping passed to `create_app` (tests).

`finalize` then coerces every key listed here to its declared type. Coercion is explicit:
text such as `"yes"` becomes a bool only for a bool key, and anything that does not fit
raises `ConfigError` rather than being guessed. Keys not listed here (those of extensions
added later) pass through untouched until someone lists them.

This module imports nothing outside the standard library.
"""

from __future__ import annotations

import re
from collections.abc import Callable, MutableMapping
from dataclasses import dataclass
from typing import Any

__all__ = [
    "DEV_SECRET_KEY",
    "SETTINGS",
    "ConfigError",
    "Setting",
    "defaults",
    "finalize",
    "is_production",
]

#: The development secret key. It is public (it is in this file), so `finalize` refuses it
#: whenever `ENV` is `production`.
DEV_SECRET_KEY = "dev-only-insecure-secret-key-do-not-use-in-production"  # noqa: S105

#: The shortest `SECRET_KEY` accepted in production (characters).
MIN_SECRET_KEY_LENGTH = 32

ENVIRONMENTS = ("development", "production")


class ConfigError(RuntimeError):
    """The configuration is unusable; the message says which key and how to fix it."""


Coercer = Callable[[str, Any], Any]


@dataclass(frozen=True)
class Setting:
    """One configuration key: its default, how to coerce it and what it means."""

    name: str
    default: Any
    coerce: Coercer
    doc: str


_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off"})


def _bool(name: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        word = value.strip().lower()
        if word in _TRUE:
            return True
        if word in _FALSE:
            return False
    raise ConfigError(f"{name} must be a boolean (true/false, 1/0, yes/no, on/off), got {value!r}")


def _int(name: str, value: Any) -> int:
    # bool is a subclass of int; a boolean where a number belongs is a mistake, not a 0 or 1.
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and re.fullmatch(r"[+-]?[0-9]+", value.strip()):
        return int(value.strip())
    raise ConfigError(f"{name} must be an integer, got {value!r}")


def _non_negative_int(name: str, value: Any) -> int:
    number = _int(name, value)
    if number < 0:
        raise ConfigError(f"{name} must not be negative, got {number}")
    return number


def _optional_non_negative_int(name: str, value: Any) -> int | None:
    """Unset (None, or empty text from the environment) or a non-negative integer."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return _non_negative_int(name, value)


def _text(name: str, value: Any) -> str:
    if isinstance(value, str):
        return value
    raise ConfigError(f"{name} must be text, got {type(value).__name__} {value!r}")


def _database_url(name: str, value: Any) -> str:
    """Empty (the default SQLite file) or a SQLite/PostgreSQL URL; checked, not parsed, here."""
    text = _text(name, value).strip()
    if text and not re.match(r"(sqlite|postgresql)(\+[a-z0-9_]+)?://", text):
        raise ConfigError(
            f"{name} must be a sqlite:/// or postgresql+psycopg:// URL (or empty for the "
            f"default SQLite file in the instance folder), got {text!r}"
        )
    return text


def _positive_int(name: str, value: Any) -> int:
    number = _int(name, value)
    if number < 1:
        raise ConfigError(f"{name} must be at least 1, got {number}")
    return number


def _date_list(name: str, value: Any) -> list[str]:
    """ISO dates (``YYYY-MM-DD``): a list (TOML, tests) or comma-separated text (environment).

    Kept as text (``election.services.inspection.ComplaintPeriod`` parses them); checked here
    so that a typo stops the server at startup instead of silently moving a deadline. May be
    empty, unlike ``_text_list``.
    """
    from datetime import date

    if isinstance(value, str):
        items = [part.strip() for part in value.split(",")]
    elif isinstance(value, list | tuple):
        items = [item.isoformat() if isinstance(item, date) else item for item in value]
    else:
        raise ConfigError(f"{name} must be a list of dates (YYYY-MM-DD), got {value!r}")
    out = []
    for item in items:
        if item == "":
            continue
        if not isinstance(item, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", item):
            raise ConfigError(f"{name}: {item!r} is not a date written YYYY-MM-DD")
        try:
            date.fromisoformat(item)
        except ValueError as e:
            raise ConfigError(f"{name}: {item!r} is not a calendar date") from e
        out.append(item)
    return sorted(set(out))


def _choice(*options: str) -> Coercer:
    def coerce(name: str, value: Any) -> str:
        text = _text(name, value)
        if text not in options:
            raise ConfigError(f"{name} must be one of {', '.join(options)}; got {text!r}")
        return text

    return coerce


def _text_list(name: str, value: Any) -> list[str]:
    """Accept a list of strings (TOML, tests) or comma-separated text (environment)."""
    if isinstance(value, str):
        items = [part.strip() for part in value.split(",")]
    elif isinstance(value, list | tuple) and all(isinstance(item, str) for item in value):
        items = [item.strip() for item in value]
    else:
        raise ConfigError(f"{name} must be a list of text or comma-separated text, got {value!r}")
    items = [item for item in items if item]
    if not items:
        raise ConfigError(f"{name} must not be empty")
    return items


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "ENV",
        "development",
        _choice(*ENVIRONMENTS),
        "Deployment environment: 'development' or 'production'. Production refuses the "
        "development SECRET_KEY, requires the built JS assets (make setup / npm run build), "
        "forces Secure cookies and sends HSTS. Set it with DHVOTE_ENV=production.",
    ),
    Setting(
        "SECRET_KEY",
        DEV_SECRET_KEY,
        _text,
        "Signs the session cookie and CSRF tokens. In production it must be a random value "
        f"of at least {MIN_SECRET_KEY_LENGTH} characters, e.g. from "
        "`python -c 'import secrets; print(secrets.token_urlsafe(48))'`, set through "
        "DHVOTE_SECRET_KEY or the settings file.",
    ),
    Setting(
        "TESTING",
        False,
        _bool,
        "Flask's testing mode: exceptions propagate to the test client. Tests set it.",
    ),
    Setting(
        "MAX_CONTENT_LENGTH",
        16 * 1024 * 1024,
        _non_negative_int,
        "Largest request body accepted, in bytes (roster imports are the biggest uploads). "
        "Larger requests get a 413 page.",
    ),
    Setting(
        "SESSION_COOKIE_NAME",
        "dhvote_session",
        _text,
        "Name of the signed session cookie.",
    ),
    Setting(
        "SESSION_COOKIE_HTTPONLY",
        True,
        _bool,
        "Hide the session cookie from page scripts. Leave it on.",
    ),
    Setting(
        "SESSION_COOKIE_SAMESITE",
        "Lax",
        _choice("Lax", "Strict"),
        "SameSite attribute of the session and language cookies: 'Lax' or 'Strict'.",
    ),
    Setting(
        "SESSION_COOKIE_SECURE",
        False,
        _bool,
        "Send the session cookie over HTTPS only. Always true in production whatever is "
        "set here; off in development so http://127.0.0.1 works.",
    ),
    Setting(
        "PERMANENT_SESSION_LIFETIME",
        12 * 60 * 60,
        _non_negative_int,
        "Lifetime of a permanent session, in seconds (default: one congress day, 12 hours).",
    ),
    Setting(
        "BABEL_DEFAULT_LOCALE",
        "vi",
        _text,
        "Language used when neither the `lang` cookie/query nor Accept-Language picks one. "
        "Must be one of LANGUAGES.",
    ),
    Setting(
        "BABEL_DEFAULT_TIMEZONE",
        "Asia/Ho_Chi_Minh",
        _text,
        "Time zone for displayed dates and times (minutes, schedules).",
    ),
    Setting(
        "LANGUAGES",
        ["vi", "en"],
        _text_list,
        "Supported interface languages, Vietnamese first. Each needs a catalogue under "
        "translations/ except 'vi', the source language (docs/i18n.md).",
    ),
    Setting(
        "WTF_CSRF_ENABLED",
        True,
        _bool,
        "Require a CSRF token on every POST/PUT/PATCH/DELETE form. Only tests turn it off.",
    ),
    Setting(
        "WTF_CSRF_TIME_LIMIT",
        3600,
        _non_negative_int,
        "Lifetime of a CSRF token, in seconds.",
    ),
    Setting(
        "RATELIMIT_ENABLED",
        True,
        _bool,
        "Enforce the per-route rate limits declared with Flask-Limiter.",
    ),
    Setting(
        "RATELIMIT_STORAGE_URI",
        "memory://",
        _text,
        "Where Flask-Limiter keeps its counters. 'memory://' counts per process; with several "
        "gunicorn workers use a shared store (e.g. redis://127.0.0.1:6379).",
    ),
    Setting(
        "DATABASE_URL",
        "",
        _database_url,
        "SQLAlchemy URL of the database. Empty (the default) means the SQLite file "
        "dhvote.sqlite3 in the Flask instance folder (instance/ in a checkout), created by "
        "`dhvote init-db`. For a real deployment use PostgreSQL, e.g. "
        "postgresql+psycopg://dhvote@127.0.0.1:5432/dhvote (DHVOTE_DATABASE_URL). Only "
        "sqlite and postgresql are supported.",
    ),
    Setting(
        "SERVER_KEY_FILE",
        "",
        _text,
        "Path of the server's Ed25519 receipt-signing private key (PEM). Empty (the default) "
        "means server-signing-key.pem in the instance folder. `dhvote init-db` creates it "
        "with mode 0600 if it is missing; only its public key is stored in the database.",
    ),
    Setting(
        "CHECKPOINT_INTERVAL",
        50,
        _positive_int,
        "The event log is checkpointed every this many entries: the server key signs the "
        "entry's sequence number and the chain head (election/services/checkpoints.py). "
        "Fix it before the congress: the log's verification expects a checkpoint at every "
        "multiple of it.",
    ),
    Setting(
        "AUDIT_RECORDS_DIR",
        "",
        _text,
        "Where the inspection commission's verifications keep each round's exported record "
        "(a zip, named by its SHA-256). Empty (the default) means records/ in the instance "
        "folder.",
    ),
    Setting(
        "AUDIT_VERIFIER_WORKERS",
        1,
        _positive_int,
        "Processes the in-app verifier may use. 1 (the default) runs it inside a background "
        "thread and leaves the other cores to the web server; a machine kept for the audit "
        "may use more.",
    ),
    Setting(
        "COMPLAINT_PERIOD_WORKING_DAYS",
        15,
        _positive_int,
        "Complaints about the election are accepted within this many working days after the "
        "congress closes (R-INSP-4, 190-QĐ/TW Điều 33); later ones are recorded as out of "
        "time. Working days skip Saturdays, Sundays and HOLIDAYS.",
    ),
    Setting(
        "COMPLAINT_CUTOFF_DAYS",
        None,
        _optional_non_negative_int,
        "R-INSP-3 (UNCONFIRMED for party congresses; unset by default): a complaint, "
        "denunciation or petition about a named person received within this many days before "
        "the congress opens (or while it sits) is recorded as not handled before the congress "
        "(to be taken up afterwards) and does not hold up the candidate list. State elections "
        "use 10 days (Hướng dẫn 13-HD/UBKTTW). Leave unset unless the convening committee "
        "sets a cut-off.",
    ),
    Setting(
        "HOLIDAYS",
        [],
        _date_list,
        "Public holidays that are not working days for the complaint period, as ISO dates, "
        'e.g. ["2026-04-30", "2026-05-01", "2026-09-02"] (or comma-separated in '
        "DHVOTE_HOLIDAYS). Lunar New Year moves every year: list its days explicitly.",
    ),
    Setting(
        "BOOTH_IDLE_SECONDS",
        180,
        _positive_int,
        "A booth left with a ballot open and untouched for this many seconds warns, then "
        "forgets the ballot and the badge after BOOTH_IDLE_WARNING_SECONDS more (nothing is "
        "cast; the delegate scans the badge again).",
    ),
    Setting(
        "BOOTH_IDLE_WARNING_SECONDS",
        30,
        _positive_int,
        "How long the booth's idle warning shows before it forgets the ballot.",
    ),
    Setting(
        "SMALL_GROUP_MIN_BALLOTS",
        5,
        _non_negative_int,
        "A round with fewer cast ballots than this has its result announced only with a "
        "decision recorded with its reason in the event log (ATTACKS.md T-9.c: with so few "
        "voters the counts can show how individuals voted). 0 turns the guard off.",
    ),
    Setting(
        "HSTS_SECONDS",
        365 * 24 * 60 * 60,
        _non_negative_int,
        "max-age of the Strict-Transport-Security header sent in production; 0 sends none.",
    ),
)

_BY_NAME = {setting.name: setting for setting in SETTINGS}


def defaults() -> dict[str, Any]:
    """Return a fresh mapping of every key to its default (lists are copied)."""
    return {
        setting.name: list(setting.default)
        if isinstance(setting.default, list)
        else setting.default
        for setting in SETTINGS
    }


def is_production(config: MutableMapping[str, Any]) -> bool:
    """Whether `config` (already finalized) describes a production deployment."""
    return bool(config.get("ENV") == "production")


def finalize(config: MutableMapping[str, Any]) -> None:
    """Coerce the known keys in place, derive dependent keys and refuse unsafe settings.

    Raises `ConfigError` with a message naming the key and the fix.
    """
    for name, setting in _BY_NAME.items():
        if name in config:
            config[name] = setting.coerce(name, config[name])

    if config["BABEL_DEFAULT_LOCALE"] not in config["LANGUAGES"]:
        raise ConfigError(
            f"BABEL_DEFAULT_LOCALE {config['BABEL_DEFAULT_LOCALE']!r} is not one of "
            f"LANGUAGES {config['LANGUAGES']!r}"
        )

    if is_production(config):
        secret = config["SECRET_KEY"]
        if secret == DEV_SECRET_KEY:
            raise ConfigError(
                "SECRET_KEY is the development key, which is public, and ENV is 'production'. "
                "Set DHVOTE_SECRET_KEY (or SECRET_KEY in the settings file) to a random value, "
                "e.g. python -c 'import secrets; print(secrets.token_urlsafe(48))'."
            )
        if len(secret) < MIN_SECRET_KEY_LENGTH:
            raise ConfigError(
                f"SECRET_KEY is shorter than {MIN_SECRET_KEY_LENGTH} characters; "
                "use a random value such as secrets.token_urlsafe(48)."
            )
        # Production sits behind a TLS reverse proxy: cookies never travel in clear text.
        config["SESSION_COOKIE_SECURE"] = True
