"""Where the app finds the directories that live beside its packages.

`templates/`, `config/` and `translations/` sit at the repository root rather than inside
the `election` package, and the project is installed editable (see the comment at the top of
`pyproject.toml`), so every path here is computed from this file's location. This module
imports nothing outside the standard library.
"""

from __future__ import annotations

from pathlib import Path

#: The package directory, `election/`.
PACKAGE_DIR = Path(__file__).resolve().parent

#: The repository root, which holds `templates/`, `config/` and `translations/`.
REPO_ROOT = PACKAGE_DIR.parent

TEMPLATES_DIR = REPO_ROOT / "templates"
CONFIG_DIR = REPO_ROOT / "config"
TRANSLATIONS_DIR = REPO_ROOT / "translations"
STATIC_DIR = PACKAGE_DIR / "static"

#: Output of `npm run build` (scripts/build-js.mjs); not checked in.
DIST_DIR = STATIC_DIR / "dist"
ASSET_MANIFEST = DIST_DIR / "manifest.json"

#: The optional settings file read when `DHVOTE_CONFIG` is not set.
DEFAULT_SETTINGS_FILE = CONFIG_DIR / "settings.toml"
