"""The app skeleton: factory and config layering, languages, security headers, error pages."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import pytest
from flask import Flask, abort, request, session
from flask.testing import FlaskClient

from election.config import DEV_SECRET_KEY, ConfigError
from election.web import assets
from election.web.access import PUBLIC, allow
from election.web.security import CONTENT_SECURITY_POLICY

REPO_ROOT = Path(__file__).resolve().parents[2]

# --------------------------------------------------------------------------- home page


def test_home_is_vietnamese_by_default(client: FlaskClient) -> None:
    response = client.get("/")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert '<html lang="vi">' in page
    assert "Hệ thống bầu cử điện tử dhvote" in page
    assert "Bỏ phiếu kín tại đại hội Đảng" in page
    # The switch link offers the other language, named in that language.
    assert 'href="/?lang=en"' in page
    assert ">English</a>" in page


@pytest.mark.parametrize(
    ("query", "headers", "cookie"),
    [
        ("?lang=en", {}, None),
        ("", {"Accept-Language": "en-US,en;q=0.9"}, None),
        ("", {"Accept-Language": "vi;q=0.5"}, "en"),
    ],
    ids=["query", "accept-language", "cookie-beats-accept-language"],
)
def test_home_in_english(
    client: FlaskClient, query: str, headers: dict[str, str], cookie: str | None
) -> None:
    if cookie is not None:
        client.set_cookie("lang", cookie)
    response = client.get(f"/{query}", headers=headers)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert '<html lang="en">' in page
    assert "dhvote electronic voting system" in page
    assert "Hệ thống bầu cử" not in page
    assert 'href="/?lang=vi"' in page
    assert ">Tiếng Việt</a>" in page


def test_query_language_beats_cookie_and_is_remembered(client: FlaskClient) -> None:
    client.set_cookie("lang", "vi")
    response = client.get("/?lang=en")
    assert '<html lang="en">' in response.get_data(as_text=True)
    set_cookie = response.headers["Set-Cookie"]
    assert set_cookie.startswith("lang=en;")
    assert "HttpOnly" in set_cookie
    assert "SameSite=Lax" in set_cookie
    # The cookie now carries the choice to pages without the query parameter.
    assert '<html lang="en">' in client.get("/").get_data(as_text=True)


def test_unsupported_language_falls_back_to_vietnamese(client: FlaskClient) -> None:
    response = client.get("/?lang=fr", headers={"Accept-Language": "fr-FR"})
    assert '<html lang="vi">' in response.get_data(as_text=True)
    assert "Set-Cookie" not in response.headers


def test_healthz(client: FlaskClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


# --------------------------------------------------------------------------- headers

# Every kind of response: page, JSON, static file, error page, API error, 405.
RESPONSES = [
    ("GET", "/"),
    ("GET", "/?lang=en"),
    ("GET", "/healthz"),
    ("GET", "/static/css/app.css"),
    ("GET", "/does-not-exist"),
    ("GET", "/api/does-not-exist"),
    ("POST", "/"),
]


@pytest.mark.parametrize(("method", "path"), RESPONSES)
def test_security_headers_on_every_response(client: FlaskClient, method: str, path: str) -> None:
    # Closing the response closes the file behind a static response (no ResourceWarning).
    with client.open(path, method=method) as response:
        headers = response.headers
    csp = headers["Content-Security-Policy"]
    assert csp == CONTENT_SECURITY_POLICY
    assert "unsafe-inline" not in csp
    assert "unsafe-eval" not in csp
    directives = dict(part.strip().split(" ", 1) for part in csp.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "no-referrer"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in headers["Permissions-Policy"]
    # HSTS only in production, where TLS is guaranteed.
    assert "Strict-Transport-Security" not in headers


def test_dynamic_pages_are_not_cached(client: FlaskClient) -> None:
    assert client.get("/").headers["Cache-Control"] == "no-store"
    assert client.get("/does-not-exist").headers["Cache-Control"] == "no-store"
    with client.get("/static/css/app.css") as response:
        assert response.headers.get("Cache-Control") != "no-store"


class _PageAudit(HTMLParser):
    """Collects what the CSP would block: inline scripts, inline styles, event handlers."""

    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []
        self.scripts: list[dict[str, str | None]] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "script":
            self._in_script = True
            self.scripts.append(attributes)
            if not attributes.get("src"):
                self.problems.append(f"<script> without src: {attrs}")
        if tag == "style":
            self.problems.append("<style> element")
        for name, _value in attrs:
            if name == "style" or name.startswith("on"):
                self.problems.append(f"inline attribute {name} on <{tag}>")
            if name in {"href", "src", "action"} and (_value or "").startswith("javascript:"):
                self.problems.append(f"javascript: URL on <{tag}>")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.problems.append(f"inline script body: {data.strip()[:60]!r}")


@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", "/"), ("GET", "/?lang=en"), ("GET", "/does-not-exist"), ("POST", "/")],
)
def test_pages_have_no_inline_code(client: FlaskClient, method: str, path: str) -> None:
    audit = _PageAudit()
    audit.feed(client.open(path, method=method).get_data(as_text=True))
    assert audit.problems == []
    # The page loads its module bundle with Subresource Integrity.
    (script,) = audit.scripts
    assert script["type"] == "module"
    assert script["src"] == "/static/dist/app.js"
    assert (script["integrity"] or "").startswith("sha384-")
    assert script["crossorigin"] == "anonymous"


def test_session_cookie_flags(make_app: Callable[..., Flask]) -> None:
    app = make_app()

    @app.get("/_test/session")
    @allow(PUBLIC)
    def set_session() -> str:
        session["seen"] = True
        return "ok"

    cookie = app.test_client().get("/_test/session").headers["Set-Cookie"]
    assert cookie.startswith("dhvote_session=")
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Secure" not in cookie


# --------------------------------------------------------------------------- errors


@pytest.fixture
def error_app(make_app: Callable[..., Flask]) -> Flask:
    """An app with routes that fail on purpose, under `/` and under `/api/`."""
    app = make_app(PROPAGATE_EXCEPTIONS=False, MAX_CONTENT_LENGTH=1024)

    def fail(code: int) -> str:
        if code == 500:
            raise RuntimeError("secret internals: /etc/dhvote password=hunter2")
        abort(code)

    def upload() -> str:
        return str(len(request.get_data()))

    allow(PUBLIC)(fail)
    allow(PUBLIC)(upload)
    for prefix in ("/_test", "/api/_test"):
        app.add_url_rule(f"{prefix}/fail/<int:code>", f"fail{prefix}", fail)
        app.add_url_rule(f"{prefix}/upload", f"upload{prefix}", upload, methods=["POST"])
    return app


ERROR_TITLES = {
    400: "Yêu cầu không hợp lệ",
    403: "Không có quyền truy cập",
    404: "Không tìm thấy trang",
    413: "Dữ liệu gửi lên quá lớn",
    429: "Quá nhiều yêu cầu",
    500: "Lỗi hệ thống",
}


@pytest.mark.parametrize("code", sorted(ERROR_TITLES))
def test_error_pages_are_vietnamese_html(error_app: Flask, code: int) -> None:
    response = error_app.test_client().get(f"/_test/fail/{code}")
    assert response.status_code == code
    assert response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert '<html lang="vi">' in page
    assert ERROR_TITLES[code] in page
    assert "secret internals" not in page
    assert "Traceback" not in page
    assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY


@pytest.mark.parametrize("code", sorted(ERROR_TITLES))
def test_api_errors_are_json(error_app: Flask, code: int) -> None:
    response = error_app.test_client().get(f"/api/_test/fail/{code}")
    assert response.status_code == code
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert set(body) == {"error", "message"}
    assert body["error"] == code
    assert "secret internals" not in json.dumps(body)


def test_error_pages_follow_the_language(error_app: Flask) -> None:
    response = error_app.test_client().get("/_test/fail/404?lang=en")
    page = response.get_data(as_text=True)
    assert "Page not found" in page
    assert '<html lang="en">' in page


def test_405_keeps_allow_header(client: FlaskClient) -> None:
    response = client.post("/")
    assert response.status_code == 405
    assert "Phương thức không được phép" in response.get_data(as_text=True)
    assert set(response.headers["Allow"].split(", ")) >= {"GET", "HEAD"}


@pytest.mark.parametrize("prefix", ["/_test", "/api/_test"])
def test_oversized_upload_gives_413(error_app: Flask, prefix: str) -> None:
    client = error_app.test_client()
    assert client.post(f"{prefix}/upload", data=b"x" * 1024).status_code == 200
    assert client.post(f"{prefix}/upload", data=b"x" * 1025).status_code == 413


def test_unhandled_errors_propagate_in_tests(app: Flask) -> None:
    # With TESTING on (and PROPAGATE_EXCEPTIONS unset), a bug surfaces as the exception,
    # not as a friendly page that would hide it.
    @app.get("/_test/bug")
    @allow(PUBLIC)
    def bug() -> str:
        raise RuntimeError("bug")

    with pytest.raises(RuntimeError, match="bug"):
        app.test_client().get("/_test/bug")


def test_csrf_is_enforced_when_enabled(make_app: Callable[..., Flask]) -> None:
    app = make_app(WTF_CSRF_ENABLED=True)

    @app.post("/_test/form")
    @allow(PUBLIC)
    def form() -> str:
        return "accepted"

    response = app.test_client().post("/_test/form", data={"x": "1"})
    assert response.status_code == 400
    assert "Yêu cầu không hợp lệ" in response.get_data(as_text=True)


# --------------------------------------------------------------------------- config


def test_production_refuses_dev_secret_key(make_app: Callable[..., Flask]) -> None:
    with pytest.raises(ConfigError, match="development key"):
        make_app(ENV="production", SECRET_KEY=DEV_SECRET_KEY)


def test_production_refuses_dev_secret_key_from_environment(
    isolated_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from election import create_app

    monkeypatch.setenv("DHVOTE_ENV", "production")
    with pytest.raises(ConfigError, match="development key"):
        create_app()


def test_production_refuses_short_secret_key(make_app: Callable[..., Flask]) -> None:
    with pytest.raises(ConfigError, match="shorter than"):
        make_app(ENV="production", SECRET_KEY="short")


def test_production_with_real_secret(make_app: Callable[..., Flask]) -> None:
    app = make_app(ENV="production")
    assert app.config["SESSION_COOKIE_SECURE"] is True

    @app.get("/_test/session")
    @allow(PUBLIC)
    def set_session() -> str:
        session["seen"] = True
        return "ok"

    response = app.test_client().get("/_test/session")
    assert "Secure" in response.headers["Set-Cookie"]
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000"


def test_production_requires_built_assets(
    make_app: Callable[..., Flask], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(assets, "ASSET_MANIFEST", tmp_path / "missing" / "manifest.json")
    with pytest.raises(assets.AssetError, match="make setup"):
        make_app(ENV="production")


def test_development_tolerates_missing_assets(
    make_app: Callable[..., Flask],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setattr(assets, "ASSET_MANIFEST", tmp_path / "missing" / "manifest.json")
    response = make_app().test_client().get("/")
    assert response.status_code == 200
    assert "<script" not in response.get_data(as_text=True)
    assert "not built" in caplog.text


def test_config_layers_file_then_environment_then_mapping(
    isolated_env: Path, monkeypatch: pytest.MonkeyPatch, make_app: Callable[..., Flask]
) -> None:
    isolated_env.write_text(
        'MAX_CONTENT_LENGTH = 1000\nSESSION_COOKIE_NAME = "from_file"\nLANGUAGES = ["vi"]\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("DHVOTE_MAX_CONTENT_LENGTH", "2000")
    monkeypatch.setenv("DHVOTE_SESSION_COOKIE_SECURE", "yes")
    monkeypatch.setenv("DHVOTE_RATELIMIT_STORAGE_URI", "memory://")
    app = make_app(MAX_CONTENT_LENGTH=3000)
    assert app.config["MAX_CONTENT_LENGTH"] == 3000
    assert app.config["SESSION_COOKIE_NAME"] == "from_file"
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["LANGUAGES"] == ["vi"]
    # With the mapping layer absent, the environment wins over the file.
    app = make_app()
    assert app.config["MAX_CONTENT_LENGTH"] == 2000


def test_environment_values_are_coerced_not_guessed(
    isolated_env: Path, monkeypatch: pytest.MonkeyPatch, make_app: Callable[..., Flask]
) -> None:
    monkeypatch.setenv("DHVOTE_LANGUAGES", "vi, en")
    app = make_app(SECRET_KEY="12345")
    assert app.config["LANGUAGES"] == ["vi", "en"]
    assert app.config["SECRET_KEY"] == "12345"
    monkeypatch.setenv("DHVOTE_MAX_CONTENT_LENGTH", "lots")
    with pytest.raises(ConfigError, match="MAX_CONTENT_LENGTH must be an integer"):
        make_app()


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("ENV", "staging", "ENV must be one of"),
        ("WTF_CSRF_ENABLED", "maybe", "must be a boolean"),
        ("MAX_CONTENT_LENGTH", True, "must be an integer"),
        ("MAX_CONTENT_LENGTH", -1, "must not be negative"),
        ("SESSION_COOKIE_SAMESITE", "None", "must be one of"),
        ("BABEL_DEFAULT_LOCALE", "fr", "not one of LANGUAGES"),
    ],
)
def test_bad_config_values_are_refused(
    make_app: Callable[..., Flask], key: str, value: object, message: str
) -> None:
    with pytest.raises(ConfigError, match=message):
        make_app(**{key: value})


def test_missing_explicit_settings_file_is_an_error(
    isolated_env: Path, monkeypatch: pytest.MonkeyPatch, make_app: Callable[..., Flask]
) -> None:
    monkeypatch.setenv("DHVOTE_CONFIG", str(isolated_env.parent / "nope.toml"))
    with pytest.raises(ConfigError, match="cannot read the settings file"):
        make_app()


def test_every_setting_is_documented() -> None:
    from election.config import SETTINGS

    for setting in SETTINGS:
        assert setting.name.isupper()
        assert len(setting.doc) > 20, setting.name


# --------------------------------------------------------------------------- packaging


def test_importing_election_does_not_load_flask() -> None:
    # A fresh interpreter: this test process has long since imported Flask.
    code = (
        "import sys, election, election.config, election.paths\n"
        "loaded = sorted(m for m in ('flask', 'sqlalchemy', 'werkzeug', 'jinja2')"
        " if m in sys.modules)\n"
        "print(','.join(loaded))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO_ROOT
    )
    assert result.stdout.strip() == ""


def test_cli_version() -> None:
    from click.testing import CliRunner

    from election import __version__
    from election.cli import main

    result = CliRunner().invoke(main, ["version"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == f"dhvote {__version__}"


def test_cli_has_flask_commands(isolated_env: Path) -> None:
    from click.testing import CliRunner

    from election.cli import main

    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0, result.output
    for command in ("run", "shell", "routes", "version"):
        assert command in result.output
