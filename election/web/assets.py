"""`asset(name)`: a `<script type="module">` (or stylesheet `<link>`) tag with Subresource
Integrity.

`npm run build` (scripts/build-js.mjs) bundles `election/static/js/entries/*.js` into
`election/static/dist/`, copies the pinned stylesheets there (`booth.css`) and writes
`manifest.json`, mapping each output file name to its `sha384-...` integrity string.
Templates call `{{ asset("app.js") }}` or `{{ asset("booth.css") }}`; the browser refuses a
file whose bytes differ from the hash the server vouched for.

A missing manifest or entry is a startup error in production and a logged warning in
development (the page then renders without that script).
"""

from __future__ import annotations

import json
from pathlib import Path

from flask import Flask, current_app, url_for
from markupsafe import Markup

from election.config import ConfigError, is_production
from election.paths import ASSET_MANIFEST

__all__ = ["AssetError", "asset", "init_app", "load_manifest"]

_EXTENSION_KEY = "dhvote.assets"


class AssetError(ConfigError):
    """The built JS bundles or their manifest are missing or malformed."""


def load_manifest(path: Path = ASSET_MANIFEST) -> dict[str, str]:
    """Read the manifest written by scripts/build-js.mjs; raise `AssetError` if unusable."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as e:
        raise AssetError(
            f"{path} is missing: build the browser bundles with `make setup` "
            "(or `npm ci && npm run build`)"
        ) from e
    except (OSError, ValueError) as e:
        raise AssetError(f"{path} is unreadable: {e}") from e
    if not isinstance(data, dict) or not all(
        isinstance(k, str) and isinstance(v, str) and v.startswith("sha384-")
        for k, v in data.items()
    ):
        raise AssetError(f"{path} must map file names to sha384- integrity strings")
    return data


class _Manifest:
    """The manifest, read once in production and re-read when it changes in development."""

    def __init__(self, path: Path, production: bool) -> None:
        self.path = path
        self.production = production
        self._mtime: float | None = None
        self._entries: dict[str, str] = {}
        if production:
            self._entries = load_manifest(path)

    def entries(self) -> dict[str, str]:
        if self.production:
            return self._entries
        try:
            mtime = self.path.stat().st_mtime
        except FileNotFoundError:
            self._mtime, self._entries = None, {}
            return self._entries
        if mtime != self._mtime:
            self._entries = load_manifest(self.path)
            self._mtime = mtime
        return self._entries


def asset(name: str) -> Markup:
    """The tag for the built file `name`: a module script (`"app.js"`) or a stylesheet
    (`"booth.css"`), with its integrity hash."""
    manifest: _Manifest = current_app.extensions[_EXTENSION_KEY]
    integrity = manifest.entries().get(name)
    if integrity is None:
        if manifest.production:
            raise AssetError(f"{name!r} is not in {manifest.path}; rebuild with `npm run build`")
        current_app.logger.warning(
            "asset %r is not built (no entry in %s); run `make setup`", name, manifest.path
        )
        return Markup("")
    src = url_for("static", filename=f"dist/{name}")
    if name.endswith(".css"):
        return Markup(
            '<link rel="stylesheet" href="{}" integrity="{}" crossorigin="anonymous">'
        ).format(src, integrity)
    return Markup(
        '<script type="module" src="{}" integrity="{}" crossorigin="anonymous"></script>'
    ).format(src, integrity)


def init_app(app: Flask) -> None:
    """Load the manifest (failing now in production if it is missing) and expose `asset`."""
    app.extensions[_EXTENSION_KEY] = _Manifest(ASSET_MANIFEST, is_production(app.config))
    app.add_template_global(asset, "asset")
